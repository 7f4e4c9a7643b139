import rateLimit from '@fastify/rate-limit';
import { auditRoutes, buildHttp, perClientRateLimit, type Runtime } from '@gridcase/service-kit';
import { audit } from './db/schema.ts';
import type { CaseFeed } from './feed.ts';
import type { ReferenceClient } from './reference-client.ts';
import { caseRoutes } from './routes/cases.ts';
import { commandRoutes } from './routes/commands.ts';
import { exportRoutes } from './routes/export.ts';
import { mapRoutes } from './routes/map.ts';
import { pageRoutes } from './routes/page.ts';
import { queueRoutes } from './routes/queues.ts';
import { referenceRoutes } from './routes/reference.ts';
import { reporterRoutes } from './routes/reporters.ts';
import { statsRoutes } from './routes/stats.ts';
import { type StreamLimits, streamRoutes } from './routes/stream.ts';

export async function buildApp(rt: Runtime<{ DESK_COMMAND_RATE_PER_MINUTE: number }>, feed: CaseFeed, limits: StreamLimits, reference: ReferenceClient) {
  const app = await buildHttp({
    service: 'desk',
    logger: rt.logger,
    signer: rt.signer,
    revocations: rt.revocations,
    readiness: rt.readiness,
    requestTimeoutMs: rt.config.HTTP_REQUEST_TIMEOUT_MS,
    station: rt.config.STATION_CODE,
  });
  // Only routes that ask for it (the commands) are limited; counted per instance, in memory.
  await app.register(rateLimit, { global: false, ...perClientRateLimit });
  caseRoutes(app, rt.db, rt.clock);
  commandRoutes(app, { db: rt.db, clock: rt.clock, feed, intakeUrl: rt.config.INTAKE_URL, perMinute: rt.config.DESK_COMMAND_RATE_PER_MINUTE });
  queueRoutes(app, rt.db, rt.clock);
  statsRoutes(app, rt.db, rt.clock);
  exportRoutes(app, rt.db, rt.clock);
  streamRoutes(app, { db: rt.db, feed, signer: rt.signer, revocations: rt.revocations, limits });
  mapRoutes(app, rt.db, rt.clock);
  referenceRoutes(app, reference);
  reporterRoutes(app, rt.db, rt.config.INTAKE_URL);
  auditRoutes(app, rt.db, audit);
  pageRoutes(app);
  return app;
}
