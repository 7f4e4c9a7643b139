import { auditRoutes, buildHttp, type Runtime } from '@gridcase/service-kit';
import { audit } from './db/schema.ts';
import { timerRoutes } from './routes/timers.ts';

export async function buildApp(rt: Runtime<unknown>) {
  const app = await buildHttp({
    service: 'escalation',
    logger: rt.logger,
    signer: rt.signer,
    revocations: rt.revocations,
    readiness: rt.readiness,
    requestTimeoutMs: rt.config.HTTP_REQUEST_TIMEOUT_MS,
    station: rt.config.STATION_CODE,
  });
  timerRoutes(app, rt.db);
  auditRoutes(app, rt.db, audit);
  return app;
}
