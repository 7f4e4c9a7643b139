import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import { HttpProblem } from './problem.ts';

/**
 * What every per-client limit shares (@fastify/rate-limit's options): counted by client, not address
 * (many systems sit behind one gateway), the root token never throttled (operators and bootstrap, not
 * traffic), and past it a 429 problem with `Retry-After`.
 */
export const perClientRateLimit = {
  keyGenerator: (req) => (req.principal ? `client:${req.principal.clientId}` : `ip:${req.ip}`),
  allowList: (_req, key) => key === 'client:admin',
  errorResponseBuilder: (_req, ctx) =>
    new HttpProblem(429, 'Too Many Requests', `over ${ctx.max} requests per minute; retry in ${ctx.after}`, {
      headers: { 'retry-after': String(Math.max(1, Math.ceil(ctx.ttl / 1000))) },
    }),
} satisfies RateLimitPluginOptions;
