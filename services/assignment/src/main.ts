import { TOPICS } from '@gridcase/contracts';
import { type Clock, runMain, startRuntime } from '@gridcase/service-kit';
import { buildApp } from './app.ts';
import { seedIfEmpty } from './db/reference.ts';
import { DEMO_STATION } from './domain/demo-station.ts';
import { assignmentHandler } from './handlers/index.ts';

/** Wires config, database, bus and HTTP; tests call it with their own env and clock. */
export async function start(env: Record<string, string | undefined> = process.env, clock?: Clock) {
  const rt = await startRuntime({
    service: 'assignment',
    schema: 'assignment',
    migrationsFolder: new URL('./db/migrations', import.meta.url).pathname,
    portVar: 'ASSIGNMENT_PORT',
    defaultPort: 3003,
    env,
    clock,
  });
  if (await seedIfEmpty(rt.db, DEMO_STATION)) {
    rt.logger.info({ station: DEMO_STATION.station.code, policeGrids: DEMO_STATION.policeGrids.length }, 'empty reference data: loaded the demo station');
  }
  const group = 'cases';
  rt.consume(group, [TOPICS.cases, TOPICS.caseCommands], assignmentHandler({ db: rt.db, groupId: group, source: '/gridcase/assignment', clock: rt.clock, logger: rt.logger }));
  const app = await buildApp(rt);
  await rt.listen(app);
  return { rt, app };
}

if (import.meta.main) runMain('assignment', () => start());
