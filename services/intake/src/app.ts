import rateLimit from '@fastify/rate-limit';
import { auditRoutes, buildHttp, perClientRateLimit, type Runtime } from '@gridcase/service-kit';
import { audit } from './db/schema.ts';
import type { ClientDirectory } from './auth.ts';
import type { CatalogueFollower } from './db/catalogue.ts';
import { leasedRateLimitStore } from './db/rate-limit-store.ts';
import type { IntakeDeps } from './handlers/receive-report.ts';
import { clientRoutes } from './routes/clients.ts';
import { open311Routes } from './routes/open311.ts';
import { reportRoutes } from './routes/reports.ts';
import { webhookDocs, webhookRoutes } from './routes/webhooks.ts';

export interface IntakeConfig {
  RATE_LIMIT_PER_MINUTE: number;
  WEBHOOK_ALLOW_LOOPBACK: boolean;
  WEBHOOK_ALLOW_PRIVATE: boolean;
}

/** Which receiver addresses this deployment allows besides public ones. */
export const webhookPolicy = (config: IntakeConfig) => ({ allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE });

/** What intake keeps in memory of its own tables, told of changes by ChangeNotices. */
export interface IntakeCaches {
  clients: ClientDirectory;
  catalogue: CatalogueFollower;
}

export async function buildApp(rt: Runtime<IntakeConfig>, deps: IntakeDeps, caches: IntakeCaches) {
  // No RevocationList here: intake owns the clients table and checks it below (ClientDirectory), so a
  // revoked token stops working here as soon as the change is heard (other services learn within 30 s).
  // Sheds load past capacity (503 + Retry-After at once) rather than let requests queue for a database
  // connection until they time out: reporting systems retry, and what is accepted stays fast.
  // The clients table is checked with the token, before the route's roles: a revoked token gets 401 on
  // every route, never a 403 naming the roles the route needs (audit6 #11).
  const app = await buildHttp({
    service: 'intake',
    logger: rt.logger,
    signer: rt.signer,
    readiness: rt.readiness,
    requestTimeoutMs: rt.config.HTTP_REQUEST_TIMEOUT_MS,
    station: rt.config.STATION_CODE,
    shedding: rt.shedding,
    checkPrincipal: (principal) => caches.clients.assertActive(principal),
    webhooks: webhookDocs(),
  });

  // Per client, not per address: many systems may sit behind one gateway. Health, readiness, metrics
  // and docs were registered before this plugin, so they are never limited. The counters live in
  // Postgres so that two instances share one budget rather than each granting its own; each instance
  // leases it in blocks (leasedRateLimitStore says the bound).
  await app.register(rateLimit, {
    store: leasedRateLimitStore(rt.db),
    // A client's own limit (ratePerMinute), held with its standing: read with the token (auth.ts), so no extra query.
    max: async (req) => (req.principal ? await caches.clients.rateOf(req.principal.clientId) : undefined) ?? rt.config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    ...perClientRateLimit,
  });

  // Every route from here on counts against its client's limit (Open311's through its own preHandler): /docs says so.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, problems: { 429: 'over the client\'s requests per minute: retry after `Retry-After`', ...route.config?.problems } };
  });

  await app.register(async (scope) => {
    clientRoutes(scope, rt.db, rt.signer, caches.clients, rt.clock);
    reportRoutes(scope, deps, caches.catalogue);
    webhookRoutes(scope, rt.db, webhookPolicy(rt.config));
    auditRoutes(scope, rt.db, audit);
    // Its own scope: form bodies and api_key authentication apply to Open311 routes only.
    await scope.register((open311) => open311Routes(open311, { ...deps, signer: rt.signer, clients: caches.clients }));
  });
  return app;
}
