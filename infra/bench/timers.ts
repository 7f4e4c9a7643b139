// pnpm bench:timers [-- --levels 10000,100000,1000000 --rate 50 --seconds 20 --burst 2000 --keep]
// Escalation at scale: the escalation scheduler (services/escalation, as it runs in production, on
// the wall clock) in a scratch database holding 10 000, 100 000 and 1 000 000 pending timers. At
// each level it measures the pass with nothing due (and the plan of its query), then offers a stream
// of timers falling due at `rate` per second for `seconds` and reports how late each fired: from its
// fire_at to the commit of the transaction that wrote its fact to the outbox (the relay's hop to
// Kafka comes on top). The pass must not grow with what is pending. A script, never a test.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDb, createPool, migrateSchema } from '@gridcase/db';
import { systemClock } from '@gridcase/service-kit';
import pg from 'pg';
import pino from 'pino';
import { EscalationScheduler } from '../../services/escalation/src/scheduler/scheduler.ts';
import { withDatabase } from '../test/template.ts';
import { fmt, percentile } from './lib/stats.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    levels: { type: 'string', default: '10000,100000,1000000' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    burst: { type: 'string', default: '2000' },
    /** Leave the scratch database for a look (its name is printed). */
    keep: { type: 'boolean', default: false },
  },
});
const LEVELS = values.levels.split(',').map(Number);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const BURST = Number(values.burst);
const POLL_MS = 500;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = `gridcase_timers_${process.pid}`;
const log = (line: string) => console.log(line);

const admin = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
await admin.connect();
await admin.query(`create database "${scratch}"`);
const pool = createPool(withDatabase(databaseUrl, scratch), { max: 10, application: 'bench-timers' });
await migrateSchema(pool, 'escalation', fileURLToPath(new URL('../../services/escalation/src/db/migrations', import.meta.url)));
const db = createDb(pool);
const scheduler = new EscalationScheduler({ db, clock: systemClock, logger: pino({ level: 'silent' }), pollMs: POLL_MS, source: '/bench/timers' });

/** The scheduler's candidate query, as it runs it: due, pending, not waiting for a retry; oldest first. */
const CANDIDATES = `select id, case_id, attempts from escalation.timers
  where status = 'pending' and fire_at <= now() and (retry_at is null or retry_at <= now())
  order by fire_at, fact = 'passed', id limit 100`;

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const out = await fn();
  return [out, performance.now() - start];
};

/**
 * Tops the table up to `target` pending timers: a warning and a deadline per case, due between 2 and
 * 62 days from now, spread evenly, so nothing of them falls due during the run. 100 000 rows per statement.
 */
async function fillTo(target: number, have: number): Promise<void> {
  for (let from = have / 2; from < target / 2; from += 50_000) {
    const to = Math.min(target / 2, from + 50_000) - 1;
    await pool.query(`insert into escalation.cases (case_id, version, updated_at) select 'bulk-' || g, 1, now() from generate_series($1::int, $2::int) g`, [from, to]);
    await pool.query(
      `insert into escalation.timers (id, case_id, kind, fact, version, level, due_at, fire_at)
       select 'bulk-' || g || '-' || f.fact, 'bulk-' || g, 'resolve', f.fact, 1, 0, d.due,
              case when f.fact = 'warning' then d.due - interval '1 day' else d.due end
       from generate_series($1::int, $2::int) g
       cross join lateral (select now() + interval '2 days' + ((g::bigint * 7919) % 5184000) * interval '1 second' as due) d
       cross join (values ('warning'), ('passed')) f(fact)`,
      [from, to],
    );
  }
  await pool.query('analyze escalation.timers; analyze escalation.cases');
}

interface Lateness {
  offered: number;
  fired: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  latenessMaxMs: number;
}

interface LevelFigures {
  pending: number;
  idlePassMs: { p50: number; max: number };
  countPendingMs: number;
  plan: string[];
  stream: Lateness;
  burst: Lateness;
  busyPassMs: { p50: number; p99: number; passes: number };
}

async function measureLevel(level: number): Promise<LevelFigures> {
  // Nothing due: what every pass costs, whatever is pending.
  const idle: number[] = [];
  for (let i = 0; i < 20; i++) idle.push((await timed(() => scheduler.pass()))[1]);
  const plan = (await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${CANDIDATES}`)).rows.map((r) => r['QUERY PLAN']);
  // What the pending-timers gauge costs to read (the scheduler measures it every 5 s).
  const [, countPendingMs] = await timed(() => pool.query(`select count(*) from escalation.timers where status = 'pending'`));

  // A stream of timers falling due, one a case, at RATE per second from 2 s from now.
  const stream = await fireAll(`due-${level}-`, RATE * SECONDS, 1 / RATE);
  // Then a burst: deadlines of working days fall due together at 18:00.
  const burst = await fireAll(`burst-${level}-`, BURST, 0);
  return {
    pending: level,
    idlePassMs: { p50: percentile(idle, 50), max: Math.max(...idle) },
    countPendingMs,
    plan,
    stream: stream.lateness,
    burst: burst.lateness,
    busyPassMs: stream.busyPassMs,
  };
}

/**
 * Adds `count` timers (one a case) falling due `spacingS` apart from 2 s from now, runs the scheduler's
 * loop (a pass, then the poll interval unless the pass was full) until all fired, and measures their
 * lateness: from fire_at to the commit that wrote the fact (the outbox row's transaction time).
 */
async function fireAll(tag: string, count: number, spacingS: number) {
  await pool.query(`insert into escalation.cases (case_id, version, updated_at) select $1 || g, 1, now() from generate_series(0, $2::int - 1) g`, [tag, count]);
  await pool.query(
    `insert into escalation.timers (id, case_id, kind, fact, version, level, due_at, fire_at)
     select $1 || g, $1 || g, 'resolve', 'passed', 1, 0, t.at, t.at
     from generate_series(0, $2::int - 1) g cross join lateral (select now() + interval '2 seconds' + g * ($3::float8 * interval '1 second') as at) t`,
    [tag, count, spacingS],
  );
  const busy: number[] = [];
  const deadline = performance.now() + (count * spacingS + 120) * 1000;
  for (;;) {
    const [handled, ms] = await timed(() => scheduler.pass());
    if (handled > 0) busy.push(ms);
    // Through the pending index, up to the last of these timers: a count of every pending timer would
    // take 100 ms at a million and slow this loop down, not the scheduler.
    const { rows } = await pool.query<{ left: number }>(
      `select count(*)::int as left from escalation.timers
       where status = 'pending' and fire_at <= now() + interval '2 seconds' + $2::float8 * interval '1 second' and case_id like $1 || '%'`,
      [tag, count * spacingS],
    );
    if (rows[0]!.left === 0 || performance.now() > deadline) break;
    if (handled < 100) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const { rows } = await pool.query<{ ms: number }>(
    `select extract(epoch from o.created_at - t.fire_at) * 1000 as ms
     from escalation.timers t join escalation.outbox o on o.key = t.case_id
     where t.case_id like $1 || '%' and t.status = 'fired'`,
    [tag],
  );
  const lateness = rows.map((r) => Math.max(0, Number(r.ms)));
  return {
    lateness: { offered: count, fired: lateness.length, latenessP50Ms: percentile(lateness, 50), latenessP99Ms: percentile(lateness, 99), latenessMaxMs: Math.max(...lateness) },
    busyPassMs: { p50: percentile(busy, 50), p99: percentile(busy, 99), passes: busy.length },
  };
}

try {
  log(`escalation timers at scale — scratch database ${scratch}; a stream of ${RATE}/s for ${SECONDS} s at each level; poll ${POLL_MS} ms`);
  const results: LevelFigures[] = [];
  let have = 0;
  for (const level of LEVELS) {
    const [, fillMs] = await timed(() => fillTo(level, have));
    have = level;
    log(`\n== ${level.toLocaleString('en')} pending (filled in ${fmt(fillMs / 1000)} s)`);
    const r = await measureLevel(level);
    results.push(r);
    log(`  pass with nothing due: p50 ${fmt(r.idlePassMs.p50, 2)} ms, max ${fmt(r.idlePassMs.max, 2)} ms; counting the pending: ${fmt(r.countPendingMs)} ms`);
    log(`  passes that fired: ${r.busyPassMs.passes}, p50 ${fmt(r.busyPassMs.p50)} ms, p99 ${fmt(r.busyPassMs.p99)} ms`);
    log(`  stream of ${RATE}/s: ${r.stream.fired}/${r.stream.offered} fired; lateness p50 ${fmt(r.stream.latenessP50Ms)} ms, p99 ${fmt(r.stream.latenessP99Ms)} ms, max ${fmt(r.stream.latenessMaxMs)} ms`);
    log(`  burst of ${BURST} due at once: ${r.burst.fired}/${r.burst.offered} fired; lateness p50 ${fmt(r.burst.latenessP50Ms)} ms, p99 ${fmt(r.burst.latenessP99Ms)} ms, max ${fmt(r.burst.latenessMaxMs)} ms`);
    log(`  plan: ${r.plan.map((l) => l.trim()).join(' | ')}`);
  }
  log(`\n| pending | pass, nothing due (p50) | pass firing (p50 / p99) | stream ${RATE}/s lateness p50 / p99 | burst of ${BURST} lateness p50 / p99 | count(*) pending |`);
  log('|---|---|---|---|---|---|');
  for (const r of results) {
    log(
      `| ${r.pending.toLocaleString('en')} | ${fmt(r.idlePassMs.p50, 2)} ms | ${fmt(r.busyPassMs.p50)} / ${fmt(r.busyPassMs.p99)} ms | ${fmt(r.stream.latenessP50Ms)} / ${fmt(r.stream.latenessP99Ms)} ms | ${fmt(r.burst.latenessP50Ms)} / ${fmt(r.burst.latenessP99Ms)} ms | ${fmt(r.countPendingMs)} ms |`,
    );
  }
} finally {
  await pool.end();
  if (!values.keep) await admin.query(`drop database if exists "${scratch}" with (force)`);
  await admin.end();
}
