import { buildHttp, type Runtime } from '@gridcase/service-kit';
import type { CaseFeed } from './feed.ts';
import { caseRoutes } from './routes/cases.ts';
import { commandRoutes } from './routes/commands.ts';
import { exportRoutes } from './routes/export.ts';
import { pageRoutes } from './routes/page.ts';
import { queueRoutes } from './routes/queues.ts';
import { statsRoutes } from './routes/stats.ts';
import { type StreamLimits, streamRoutes } from './routes/stream.ts';

export async function buildApp(rt: Runtime<unknown>, feed: CaseFeed, limits: StreamLimits) {
  const app = await buildHttp({
    service: 'desk',
    logger: rt.logger,
    signer: rt.signer,
    revocations: rt.revocations,
    readiness: rt.readiness,
  });
  caseRoutes(app, rt.db, rt.clock);
  commandRoutes(app, { db: rt.db, clock: rt.clock, feed });
  queueRoutes(app, rt.db, rt.clock);
  statsRoutes(app, rt.db, rt.clock);
  exportRoutes(app, rt.db, rt.clock);
  streamRoutes(app, { db: rt.db, feed, signer: rt.signer, revocations: rt.revocations, limits });
  pageRoutes(app);
  return app;
}
