import { TOPICS } from '@gridcase/contracts';
import { type Clock, runMain, startRuntime } from '@gridcase/service-kit';
import { z } from 'zod';
import { buildApp } from './app.ts';
import { seedDefaultLadder } from './db/clock-data.ts';
import { publishStaffMap, seedIfEmpty } from './db/reference.ts';
import { DEMO_STATION } from './domain/demo-station.ts';
import { assignmentHandler, calendarHandler } from './handlers/index.ts';
import { HandoverWorker } from './handover/worker.ts';

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
    // How often unacknowledged cases are checked for owners gone off duty or on leave.
    config: { HANDOVER_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(30_000) },
  });
  if (await seedIfEmpty(rt.db, DEMO_STATION)) {
    rt.logger.info({ station: DEMO_STATION.station.code, policeGrids: DEMO_STATION.policeGrids.length }, 'empty reference data: loaded the demo station');
  } else {
    // The seed published the staff map with its version; an install seeded before the map existed
    // publishes it here (again at each start: a repeat is a no-op for readers).
    await rt.db.transaction((tx) => publishStaffMap(tx));
  }
  await seedDefaultLadder(rt.db);
  const deps = { db: rt.db, source: '/gridcase/assignment', clock: rt.clock, logger: rt.logger };
  rt.consume('cases', [TOPICS.cases, TOPICS.caseCommands], assignmentHandler({ ...deps, groupId: 'cases' }));
  // The calendar years triage publishes (compacted; read from the beginning by a new group).
  rt.consume('calendar', [TOPICS.reference], calendarHandler({ ...deps, groupId: 'calendar' }));
  const handover = new HandoverWorker({ ...deps, logger: rt.logger.child({ component: 'handover' }), pollMs: rt.config.HANDOVER_POLL_MS });
  rt.addWorker('handover', handover);
  const app = await buildApp(rt);
  await rt.listen(app);
  handover.start();
  return { rt, app, handover };
}

if (import.meta.main) runMain('assignment', () => start());
