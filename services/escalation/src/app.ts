import { buildHttp, type Runtime } from '@gridcase/service-kit';
import { timerRoutes } from './routes/timers.ts';

export async function buildApp(rt: Runtime<unknown>) {
  const app = await buildHttp({
    service: 'escalation',
    logger: rt.logger,
    signer: rt.signer,
    revocations: rt.revocations,
    readiness: rt.readiness,
  });
  timerRoutes(app, rt.db);
  return app;
}
