import rateLimit from '@fastify/rate-limit';
import { auditRoutes, buildHttp, perClientRateLimit, type Runtime } from '@gridcase/service-kit';
import { audit } from './db/schema.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { categoryRoutes } from './routes/categories.ts';
import { explainRoutes } from './routes/explain.ts';
import { ruleRoutes } from './routes/rules.ts';
import { slaPolicyRoutes } from './routes/sla-policies.ts';

export async function buildApp(rt: Runtime<{ EXPLAIN_RATE_PER_MINUTE: number; RULES_READS_PER_MINUTE: number }>) {
  const app = await buildHttp({
    service: 'triage',
    logger: rt.logger,
    signer: rt.signer,
    revocations: rt.revocations,
    readiness: rt.readiness,
    requestTimeoutMs: rt.config.HTTP_REQUEST_TIMEOUT_MS,
    station: rt.config.STATION_CODE,
  });
  // Only routes that ask for it (explain, rules reads) are limited; counted per instance, in memory: they
  // guard the instance's CPU, not a budget two instances must share.
  await app.register(rateLimit, { global: false, ...perClientRateLimit });
  categoryRoutes(app, rt.db);
  ruleRoutes(app, rt.db, { readsPerMinute: rt.config.RULES_READS_PER_MINUTE });
  calendarRoutes(app, rt.db);
  slaPolicyRoutes(app, rt.db);
  explainRoutes(app, rt.db, rt.clock, { perMinute: rt.config.EXPLAIN_RATE_PER_MINUTE, station: rt.config.STATION_CODE });
  auditRoutes(app, rt.db, audit);
  return app;
}
