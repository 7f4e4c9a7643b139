import { TOPICS } from '@gridcase/contracts';
import { type Clock, runMain, startRuntime } from '@gridcase/service-kit';
import { z } from 'zod';
import { buildApp } from './app.ts';
import { seedDefaultLadder } from './db/clock-data.ts';
import { listStations, publishStaffMap, seedIfEmpty } from './db/reference.ts';
import { demoStationCoded } from './domain/demo-station.ts';
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
  const demo = demoStationCoded(rt.config.STATION_CODE);
  if (await seedIfEmpty(rt.db, demo)) {
    rt.logger.info({ station: demo.station.code, policeGrids: demo.policeGrids.length }, 'empty reference data: loaded the demo station');
  } else {
    // The seed published the staff map with its version; an install seeded before the map existed
    // publishes it here (again at each start: a repeat is a no-op for readers).
    await rt.db.transaction((tx) => publishStaffMap(tx));
    const [station] = await listStations(rt.db);
    if (station && station.code !== rt.config.STATION_CODE) {
      // Started on: tokens of STATION_CODE are refused this install's settings until the two agree.
      rt.logger.error(
        { station: station.code, STATION_CODE: rt.config.STATION_CODE },
        `the reference data's station is ${station.code}, STATION_CODE is ${rt.config.STATION_CODE}: set STATION_CODE to the station's code, or load the station's reference data under it`,
      );
    }
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
