import { STATUS_CODES } from 'node:http';
import swagger from '@fastify/swagger';
import type { ClientRole, Principal } from '@gridcase/contracts';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { register } from 'prom-client';
import { hasRole, type RevocationList, type TokenSigner } from './auth.ts';
import { HttpProblem, problemType } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    traceparent?: string;
  }
  interface FastifyContextConfig {
    /** Roles allowed on this route; omit for public routes (health, readiness, metrics). */
    roles?: readonly ClientRole[];
    public?: boolean;
  }
}

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

/** A named dependency check for /readyz: resolves when the part works, throws naming why not. */
export type ReadinessCheck = () => Promise<void> | void;

export interface HttpOptions {
  service: string;
  version?: string;
  logger: Logger;
  signer: TokenSigner;
  revocations?: RevocationList;
  readiness: Record<string, ReadinessCheck>;
  bodyLimit?: number;
}

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const sendProblem = (reply: FastifyReply, p: Record<string, unknown> & { status: number }) =>
  reply.status(p.status).type('application/problem+json').send(p);

/**
 * The fastify app every service starts from: zod validation and OpenAPI, problem+json errors,
 * bearer auth by route config, health, readiness, metrics, and traceparent on every request.
 */
export async function buildHttp(options: HttpOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `gridcase ${options.service}`, version: options.version ?? '1.0.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRequest', async (req, reply) => {
    const incoming = req.headers.traceparent;
    req.traceparent = typeof incoming === 'string' && TRACEPARENT.test(incoming) ? incoming : undefined;
    if (req.traceparent) reply.header('traceparent', req.traceparent);
    const roles = req.routeOptions.config?.roles;
    if (req.routeOptions.config?.public || !req.routeOptions.url) return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const principal = token ? options.signer.verify(token) : undefined;
    if (!principal || options.revocations?.has(principal.clientId)) {
      reply.header('www-authenticate', 'Bearer');
      throw new HttpProblem(401, 'Unauthorized', token ? 'the bearer token is invalid or revoked' : 'a bearer token is required');
    }
    req.principal = principal;
    if (roles && !hasRole(principal, roles)) {
      throw new HttpProblem(403, 'Forbidden', `this needs one of the roles: ${roles.join(', ')}`);
    }
  });

  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpProblem) {
      reply.headers(err.headers);
      return sendProblem(reply, {
        type: problemType(err.status),
        title: err.title,
        status: err.status,
        detail: err.message,
        ...(err.errors ? { errors: err.errors } : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const errors = err.validation.map((v) => {
        const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        const path = where === 'body' ? field || '(body)' : `${where}${field ? `.${field}` : ''}`;
        return { path, message: v.message ?? 'invalid' };
      });
      return sendProblem(reply, {
        type: problemType(400),
        title: 'Bad Request',
        status: 400,
        detail: `invalid ${where}: ${errors.map((e) => e.path).join(', ')}`,
        errors,
      });
    }
    const e = err as { statusCode?: number; message?: string; code?: string; headers?: Record<string, string> };
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    if (e.headers) reply.headers(e.headers);
    return sendProblem(reply, {
      type: problemType(status),
      title: STATUS_CODES[status] ?? 'Error',
      status,
      // Client errors say what fastify found; server errors never leak internals.
      detail: status >= 500 ? 'an internal error occurred; it has been logged' : e.message,
    });
  });

  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, { type: problemType(404), title: 'Not Found', status: 404, detail: `no route ${req.method} ${req.url}` }),
  );

  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const failing: Record<string, string> = {};
    await Promise.all(
      Object.entries(options.readiness).map(async ([part, check]) => {
        try {
          await check();
        } catch (err) {
          failing[part] = (err as Error).message || String(err);
        }
      }),
    );
    if (Object.keys(failing).length === 0) return { status: 'ready' };
    return sendProblem(reply, {
      type: problemType(503),
      title: 'Service Unavailable',
      status: 503,
      detail: `not ready: ${Object.entries(failing).map(([k, v]) => `${k} (${v})`).join('; ')}`,
      failing,
    });
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    reply.type(register.contentType);
    return register.metrics();
  });

  app.get('/docs', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
