import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import { unavailableProblem } from './problem.ts';

/**
 * When a service turns requests away rather than queue them until they time out. Past either bound a
 * new request answers 503 with Retry-After at once, before any authentication or database work;
 * health, readiness and metrics (the public routes) are always served.
 */
export interface SheddingOptions {
  /** The service's pg pool: its queue of requests waiting for a connection is the load in hand. */
  pool: { readonly waitingCount: number };
  /** Waiting for a database connection beyond this many, new requests are shed. */
  maxPoolWaiting: number;
  /** Mean event-loop delay (ms, over the last second) beyond which new requests are shed. */
  maxEventLoopDelayMs: number;
  /** Requests never shed besides health, readiness and metrics (buildHttp: the root token's, as the rate limit spares it). */
  exempt?: (req: FastifyRequest) => boolean;
}

export const shedTotal = new Counter({
  name: 'gridcase_http_shed_total',
  help: 'Requests answered 503 at once because the service was over capacity, by what was over its bound',
  labelNames: ['reason'] as const,
});

const isProbe = (req: FastifyRequest) => req.routeOptions.config?.public === true && !req.routeOptions.config?.roles;

/**
 * Registers load shedding; call before any other onRequest hook (authentication, rate limits), so a
 * shed request costs no database round trip. The event loop by @fastify/under-pressure; the pool
 * queue checked on every request, since a burst fills it long before a one-second sample sees it.
 */
export async function registerShedding(app: FastifyInstance, options: SheddingOptions): Promise<void> {
  const exempt = (req: FastifyRequest) => isProbe(req) || options.exempt?.(req) === true;
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    pressureHandler: async (req, _reply, type) => {
      if (exempt(req)) return;
      shedTotal.inc({ reason: type });
      throw unavailableProblem('busy');
    },
  });
  app.addHook('onRequest', async (req) => {
    if (options.pool.waitingCount <= options.maxPoolWaiting || exempt(req)) return;
    shedTotal.inc({ reason: 'poolWaiting' });
    throw unavailableProblem('busy');
  });
}
