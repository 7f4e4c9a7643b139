// node infra/bench/assignment-routing.ts [--cases 600 --partitions 2 --run 10 --rounds 3]
// Issue 12: the CPU assignment spends routing a new case, per case.opened, in this node process and
// in Postgres. A fresh migrated database seeded with the demo station (reference data, rosters,
// gazetteer), then assignment's consumer handler (services/assignment/src/handlers) driven directly
// as the consumer runner does (runs of `--run` records of one partition in one transaction,
// `--partitions` partitions at once) with `--cases` case.opened events placed by grid code, by point
// and by gazetteer address in turn. Node CPU from process.cpuUsage() (the whole process); Postgres
// CPU from /proc/<pid>/stat of the backends serving the bench's database (utime + stime, 10 ms
// ticks). Round 1 warms the JIT and is left out of the mean when there are more. No Kafka. A
// script, never a test: compare two commits by running it on each.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeMessage, TOPICS } from '@gridcase/contracts';
import { createDb, createPool, migrateSchema } from '@gridcase/db';
import type { InboundRecord } from '@gridcase/messaging';
import pg from 'pg';
import pino from 'pino';
import { seedIfEmpty } from '../../services/assignment/src/db/reference.ts';
import { DEMO_STATION } from '../../services/assignment/src/domain/demo-station.ts';
import { assignmentHandler } from '../../services/assignment/src/handlers/index.ts';
import { withDatabase } from '../test/template.ts';
import { backendCpuSeconds, driveInRuns } from './lib/handler-runs.ts';
import { fmt } from './lib/stats.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    cases: { type: 'string', default: '600' },
    partitions: { type: 'string', default: '2' },
    run: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
  },
});
const CASES = Number(values.cases);
const PARTITIONS = Number(values.partitions);
const RUN = Number(values.run);
const ROUNDS = Number(values.rounds);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const logger = pino({ level: 'warn' });
const t0 = Date.parse('2026-06-01T01:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
const migrations = fileURLToPath(new URL('../../services/assignment/src/db/migrations', import.meta.url));

/** A point inside a grid's polygon: the mean of its outer ring's corners (the demo's are rectangles). */
const insideOf = (geometry: (typeof DEMO_STATION.grids)[number]['geometry']) => {
  const ring = (geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0]![0])!.slice(0, -1);
  return { lng: ring.reduce((s, p) => s + p[0]!, 0) / ring.length, lat: ring.reduce((s, p) => s + p[1]!, 0) / ring.length };
};

/** Case n's location: by grid code, by point and by gazetteer address in turn. */
function locationOf(n: number) {
  const grid = DEMO_STATION.grids[n % DEMO_STATION.grids.length]!;
  if (n % 3 === 0) return { gridCode: grid.code };
  if (n % 3 === 1) return insideOf(grid.geometry);
  const addresses = DEMO_STATION.addresses ?? [];
  return { address: `${addresses[n % addresses.length]!.address}2单元301室` };
}

function streamsOf(round: number): InboundRecord[][] {
  return Array.from({ length: PARTITIONS }, (_, p) =>
    Array.from({ length: Math.ceil((CASES - p) / PARTITIONS) }, (_, i) => {
      const n = i * PARTITIONS + p;
      const caseId = `case-${round}-${n.toString().padStart(6, '0')}`;
      const message = makeMessage('gridcase.case.opened.v1', {
        source: '/bench',
        subject: caseId,
        id: `opened-${round}-${n}`,
        time: new Date(t0 + n * 1000),
        data: {
          caseId,
          caseNumber: `CG-2026-${String(n).padStart(6, '0')}`,
          reportId: `r-${caseId}`,
          station: 'CG',
          kind: 'dispute',
          category: n % 2 ? 'dispute.neighbour' : 'noise.night',
          severity: n % 5 === 0 ? 'orange' : 'yellow',
          title: '邻居吵架',
          description: '隔壁夫妻吵了一整夜，影响休息，请派人处理',
          location: locationOf(n),
          respondBy: at(n + 30),
          resolveBy: at(n + 600),
          rule: 'dispute.neighbour/yellow',
          openedAt: at(n),
          reporter: { anonymous: false, hasContact: true },
        },
      });
      return { topic: TOPICS.cases, partition: p, offset: String(i), key: caseId, value: Buffer.from(JSON.stringify(message)), headers: {} };
    }),
  );
}

interface Figures {
  eventsPerSecond: number;
  nodeMicros: number;
  postgresMicros: number;
  /** How the cases went (grid, routedBy, owners), to see that runs route alike. */
  routes: string;
}

async function measure(admin: pg.Client, round: number): Promise<Figures> {
  const database = `gridcase_routing_${process.pid}`;
  await admin.query(`drop database if exists "${database}" with (force)`);
  await admin.query(`create database "${database}"`);
  const pool = createPool(withDatabase(databaseUrl, database), { max: PARTITIONS, application: 'routing-bench' });
  try {
    await migrateSchema(pool, 'assignment', migrations);
    const db = createDb(pool);
    await seedIfEmpty(db, DEMO_STATION);
    const handler = assignmentHandler({ db, groupId: 'cases', source: '/bench', clock: { now: () => new Date(t0) }, logger });
    const streams = streamsOf(round);
    const warm = await Promise.all(Array.from({ length: PARTITIONS }, () => pool.connect()));
    for (const c of warm) c.release();
    const pgBefore = await backendCpuSeconds(admin, database);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await driveInRuns(handler, streams, RUN);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const pgSeconds = (await backendCpuSeconds(admin, database)) - pgBefore;
    const { rows } = await pool.query<{ n: number; routes: string; by: string }>(
      `select count(*)::int as n, (select string_agg(concat(routed_by, ' ', n), ', ' order by routed_by) from (select routed_by, count(*) as n from assignment.cases group by 1) b) as by, md5(string_agg(concat_ws('/', right(case_id, 6), grid_code, routed_by, assignees::text), ',' order by right(case_id, 6))) as routes from assignment.cases`,
    );
    if (rows[0]?.n !== CASES) throw new Error(`${rows[0]?.n} cases for ${CASES} case.opened`);
    return { eventsPerSecond: CASES / seconds, nodeMicros: (cpu.user + cpu.system) / CASES, postgresMicros: (pgSeconds * 1e6) / CASES, routes: `${rows[0].by}; digest ${rows[0].routes}` };
  } finally {
    await pool.end();
    await admin.query(`drop database if exists "${database}" with (force)`);
  }
}

const admin = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
await admin.connect();
console.log(`assignment routing: ${CASES} case.opened, ${PARTITIONS} partitions at once, runs of ${RUN} per transaction, ${ROUNDS} round(s)`);
const figures: Figures[] = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const f = await measure(admin, round);
    figures.push(f);
    console.log(
      `  round ${round} ${fmt(f.eventsPerSecond, 0).padStart(6)} cases/s   node ${fmt(f.nodeMicros, 0).padStart(6)} µs/case   postgres ${fmt(f.postgresMicros, 0).padStart(6)} µs/case   routes ${f.routes}`,
    );
  }
} finally {
  await admin.end();
}
const counted = figures.length > 1 ? figures.slice(1) : figures;
const mean = (key: 'eventsPerSecond' | 'nodeMicros' | 'postgresMicros') => counted.reduce((s, f) => s + f[key], 0) / counted.length;
console.log(`mean over rounds ${ROUNDS > 1 ? `2-${ROUNDS}` : '1'}: ${fmt(mean('eventsPerSecond'), 0)} cases/s   node ${fmt(mean('nodeMicros'), 0)} µs/case   postgres ${fmt(mean('postgresMicros'), 0)} µs/case`);
