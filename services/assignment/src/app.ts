import { auditRoutes, buildHttp, type Runtime } from '@gridcase/service-kit';
import { audit } from './db/schema.ts';
import { caseRoutes } from './routes/cases.ts';
import { ladderRoutes } from './routes/ladder.ts';
import { referenceDataRoutes } from './routes/reference-data.ts';
import { rosterRoutes } from './routes/rosters.ts';

export async function buildApp(rt: Runtime<unknown>) {
  const app = await buildHttp({
    service: 'assignment',
    logger: rt.logger,
    signer: rt.signer,
    revocations: rt.revocations,
    readiness: rt.readiness,
    requestTimeoutMs: rt.config.HTTP_REQUEST_TIMEOUT_MS,
    station: rt.config.STATION_CODE,
  });
  referenceDataRoutes(app, rt.db, rt.logger, rt.clock, rt.config.STATION_CODE);
  caseRoutes(app, rt.db);
  ladderRoutes(app, rt.db);
  rosterRoutes(app, rt.db, rt.clock, rt.logger);
  auditRoutes(app, rt.db, audit);
  return app;
}
