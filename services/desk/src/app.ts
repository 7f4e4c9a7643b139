import { auditRoutes, buildHttp, type Runtime } from '@gridcase/service-kit';
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

export async function buildApp(rt: Runtime<unknown>, feed: CaseFeed, limits: StreamLimits, reference: ReferenceClient) {
  const app = await buildHttp({
    service: 'desk',
    logger: rt.logger,
    signer: rt.signer,
    revocations: rt.revocations,
    readiness: rt.readiness,
    requestTimeoutMs: rt.config.HTTP_REQUEST_TIMEOUT_MS,
  });
  caseRoutes(app, rt.db, rt.clock);
  commandRoutes(app, { db: rt.db, clock: rt.clock, feed, intakeUrl: rt.config.INTAKE_URL });
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
