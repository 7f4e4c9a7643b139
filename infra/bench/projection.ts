// node infra/bench/projection.ts [--service desk|intake --cases 300 --partitions 3 --run 10 --rounds 3]
// Issue 12: the CPU a projection of case events costs, per event, in this node process and in
// Postgres: desk's read model (services/desk/src/handlers) or intake's reports and case summaries with
// their webhook deliveries (services/intake/src/handlers, caseEventsHandler). Drives the handler
// directly, as the consumer runner does (runs of `--run` records of one partition in one transaction, `--partitions` partitions at
// once), with a realistic stream of case events built with packages/contracts: each case opened,
// assigned, acknowledged, warned, escalated, reassigned, resolved, verified, followed up and closed,
// with its deadlines-set events, a note and a rejected command; half of the commands were issued by
// the desk (pending rows its events settle); a case in four takes a second report (merged); intake
// holds every case's reports, from seven clients, four of them with a webhook (one of those only for
// some types). The same stream is then projected by the drizzle projection the service had before
// (lib/*-projection-drizzle.ts), each on a fresh migrated database,
// in alternating rounds, and the ratio printed. Node CPU from process.cpuUsage() (the whole process:
// parsing, projection, pg's protocol); Postgres CPU from /proc/<pid>/stat of the backends serving the
// bench's database (utime + stime, 10 ms ticks). No Kafka. A script, never a test.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type DataOf, type EventType, makeMessage, TOPICS } from '@gridcase/contracts';
import { createDb, createPool, migrateSchema } from '@gridcase/db';
import type { InboundRecord, TransactionalHandler } from '@gridcase/messaging';
import pg from 'pg';
import pino from 'pino';
import { deskHandler } from '../../services/desk/src/handlers/index.ts';
import { caseEventsHandler } from '../../services/intake/src/handlers/index.ts';
import { withDatabase } from '../test/template.ts';
import { drizzleDeskHandler } from './lib/desk-projection-drizzle.ts';
import { drizzleIntakeHandler } from './lib/intake-projection-drizzle.ts';
import { backendCpuSeconds, driveInRuns } from './lib/handler-runs.ts';
import { fmt } from './lib/stats.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    cases: { type: 'string', default: '300' },
    partitions: { type: 'string', default: '3' },
    run: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    service: { type: 'string', default: 'desk' },
  },
});
const CASES = Number(values.cases);
const PARTITIONS = Number(values.partitions);
const RUN = Number(values.run);
const ROUNDS = Number(values.rounds);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (line: string) => console.log(line);
const fail = (why: string): never => {
  throw new Error(why);
};
const logger = pino({ level: 'warn' });

// A deterministic stream: the same events (ids included) for every implementation and round.
let seed = 7;
const random = () => {
  seed = (seed * 48_271) % 2_147_483_647;
  return seed / 2_147_483_647;
};
let ids = 0;
const nextId = () => `bench-${(ids++).toString(36).padStart(8, '0')}`;
const t0 = Date.parse('2026-06-01T01:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
const officer = { clientId: 'desk-1', name: '值班员张', officerId: 'o-wang' };

interface Planned {
  record: InboundRecord;
  /** A desk-issued command this event settles, inserted pending before the run. */
  command?: { commandId: string; caseId: string; type: string };
}

const caseIdOf = (n: number) => `case-${n.toString().padStart(6, '0')}`;

/** One case's life, in its Kafka order. */
function caseLife(n: number): Planned[] {
  const caseId = caseIdOf(n);
  const out: Planned[] = [];
  let minute = n;
  const emit = <T extends EventType>(type: T, data: DataOf<T>, command?: string) => {
    const message = makeMessage(type, { source: '/bench', subject: caseId, data, id: nextId(), time: new Date(t0 + minute++ * 60_000) });
    const record: InboundRecord = { topic: TOPICS.cases, partition: 0, offset: String(out.length), key: caseId, value: Buffer.from(JSON.stringify(message)), headers: {} };
    const commandId = (data as { commandId?: string }).commandId;
    // Half the commands came from the desk: their rows wait, pending, for the event that decides them.
    out.push(command && commandId && random() < 0.5 ? { record, command: { commandId, caseId, type: command } } : { record });
  };
  const assignees = [
    { officerId: `o-${n % 19}`, role: 'officer' as const, name: '王彦军' },
    { officerId: `w-${n % 97}`, role: 'gridWorker' as const, name: '小李' },
  ];
  let version = 0;
  const deadlines = (kind: 'respond' | 'resolve' | 'verify' | 'follow-up', level: number) =>
    emit('gridcase.case.deadlines-set.v1', { caseId, version: ++version, level, running: [{ kind, startedAt: at(minute), dueAt: at(minute + 60) }], at: at(minute), station: 'CG' });
  emit('gridcase.case.opened.v1', {
    caseId,
    caseNumber: `CG-2026-${String(n).padStart(6, '0')}`,
    reportId: `r-${caseId}`,
    station: 'CG',
    kind: 'dispute',
    category: 'dispute.neighbour',
    severity: n % 5 === 0 ? 'orange' : 'yellow',
    title: '邻居吵架',
    description: '隔壁夫妻吵了一整夜，影响休息，请派人处理',
    location: { gridCode: `BHY-${String(n % 40).padStart(2, '0')}`, lat: 38.5 + (n % 50) * 0.001, lng: 102.1 + (n % 70) * 0.001 },
    respondBy: at(minute + 30),
    resolveBy: at(minute + 600),
    rule: 'dispute.neighbour/yellow',
    openedAt: at(minute),
    reporter: { anonymous: false, hasContact: true },
  });
  emit('gridcase.case.assigned.v1', { caseId, level: 0, assignees, policeGridCode: `PG-${n % 19}`, gridCode: `BHY-${n % 40}`, routedBy: 'gridCode', at: at(minute) });
  deadlines('respond', 0);
  if (n % 4 === 0) emit('gridcase.case.report-merged.v1', { caseId, reportId: `r2-${caseId}`, reason: 'same place, same day', mergedAt: at(minute) });
  emit('gridcase.case.deadline-warning.v1', { caseId, kind: 'respond', dueAt: at(minute + 10), version, at: at(minute) });
  emit('gridcase.case.deadline-passed.v1', { caseId, kind: 'respond', dueAt: at(minute), version, at: at(minute) });
  emit('gridcase.case.escalated.v1', { caseId, fromLevel: 0, level: 1, reason: 'respond-overdue', deadline: at(minute), kind: 'respond', respondBy: at(minute + 30), resolveBy: at(minute + 600), at: at(minute) });
  emit('gridcase.case.assigned.v1', { caseId, level: 1, assignees: [...assignees, { officerId: 'lead-1', role: 'lead', name: '李组长' }], routedBy: 'escalation', at: at(minute) });
  deadlines('respond', 1);
  emit('gridcase.case.acknowledged.v1', { caseId, commandId: nextId(), by: officer, note: '已联系', at: at(minute) }, 'acknowledge');
  deadlines('resolve', 1);
  emit('gridcase.case.note-added.v1', { caseId, commandId: nextId(), text: '到场调解中', by: officer, at: at(minute) }, 'note');
  emit('gridcase.case.command-rejected.v1', { caseId, commandId: nextId(), command: 'close', reason: 'the case is not resolved', code: 'conflict', at: at(minute) });
  emit('gridcase.case.resolved.v1', { caseId, commandId: nextId(), outcome: 'mediated', note: '双方达成和解', by: officer, at: at(minute) }, 'resolve');
  deadlines('verify', 1);
  emit('gridcase.case.verified.v1', { caseId, commandId: nextId(), by: officer, result: 'passed', note: '核查属实', status: 'follow-up', reworkCount: 0, at: at(minute) }, 'verify');
  deadlines('follow-up', 1);
  emit('gridcase.case.followed-up.v1', { caseId, commandId: nextId(), by: officer, satisfaction: 'satisfied', note: '满意', status: 'closed', reworkCount: 0, at: at(minute) }, 'follow-up');
  emit('gridcase.case.closed.v1', { caseId, reason: 'followed-up', at: at(minute) });
  return out;
}

/** The stream of each partition: its cases' lives interleaved at random, each in its own order. */
function partitionStreams(): Planned[][] {
  const lives = Array.from({ length: CASES }, (_, n) => caseLife(n));
  return Array.from({ length: PARTITIONS }, (_, p) => {
    const mine = lives.filter((_, n) => n % PARTITIONS === p).map((life) => [...life]);
    const stream: Planned[] = [];
    while (mine.length > 0) {
      const i = Math.floor(random() * Math.min(mine.length, 20));
      stream.push(mine[i]!.shift()!);
      if (mine[i]!.length === 0) mine.splice(i, 1);
    }
    // One event in fifty comes again a little later (a redelivery): the inbox skips it.
    const redelivered = stream.flatMap((e, i) => (random() < 0.02 ? [{ at: i + 1 + Math.floor(random() * 30), e: { record: e.record } }] : []));
    for (const { at, e } of redelivered.reverse()) stream.splice(Math.min(at, stream.length), 0, e);
    return stream.map((e, offset) => ({ ...e, record: { ...e.record, partition: p, offset: String(offset) } }));
  });
}

const streams = partitionStreams();
const total = streams.reduce((n, s) => n + s.length, 0);
const distinct = new Set(streams.flat().map((e) => e.record.value!.toString())).size;

interface Figures {
  eventsPerSecond: number;
  nodeMicros: number;
  postgresMicros: number;
  /** What the projection left in the database (timeline per case, in order), to compare implementations by. */
  state: string;
}

type Implementation = (pool: pg.Pool) => TransactionalHandler<any>;

/** What differs between the services: schema, what the database holds before, how to compare the outcome. */
interface ServiceSpec {
  schema: string;
  setup(pool: pg.Pool): Promise<void>;
  /** What the projection left, in a form to compare implementations by (no wall-clock or random columns). */
  stateSql: string;
  /** Throws when the outcome is plainly incomplete. */
  check(pool: pg.Pool): Promise<void>;
  implementations: Record<string, Implementation>;
}

const clock = { now: () => new Date(t0) };
const SERVICES: Record<string, ServiceSpec> = {
  desk: {
    schema: 'desk',
    async setup(pool) {
      const commands = streams.flat().flatMap((e) => (e.command ? [e.command] : []));
      await pool.query(
        `insert into desk.commands (command_id, case_id, type, status, issued_by, issued_at)
         select c, k, t, 'pending', '{"clientId":"desk-1"}', '2026-06-01T01:00:00Z' from unnest($1::text[], $2::text[], $3::text[]) as u(c, k, t)`,
        [commands.map((c) => c.commandId), commands.map((c) => c.caseId), commands.map((c) => c.type)],
      );
    },
    // seq differs with the partitions' interleaving: each case's timeline is compared in its order.
    stateSql: `select json_build_object(
      'cases', (select json_agg(c order by case_id) from desk.cases c),
      'commands', (select json_agg(c order by command_id) from desk.commands c),
      'timeline', (select json_agg(json_build_array(event_id, case_id, type, time, data) order by case_id, seq) from desk.timeline),
      'inbox', (select count(*) from desk.inbox))::text as state`,
    async check(pool) {
      const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from desk.timeline');
      if (rows[0]?.n !== distinct) throw new Error(`${rows[0]?.n} timeline entries for ${distinct} events`);
    },
    implementations: {
      'drizzle (before)': (pool) => drizzleDeskHandler(createDb(pool), 'projection'),
      'desk now': (pool) => deskHandler({ db: createDb(pool), groupId: 'projection', logger }),
    },
  },
  intake: {
    schema: 'intake',
    async setup(pool) {
      const reportIds = Array.from({ length: CASES }, (_, n) => caseIdOf(n)).flatMap((c, n) => (n % 4 === 0 ? [`r-${c}`, `r2-${c}`] : [`r-${c}`]));
      await pool.query(
        `insert into intake.reports (report_id, client_id, external_id, body_hash, report, received_at)
         select r, 'client-' || (n % 7), r, 'hash', '{}', '2026-06-01T00:59:00Z' from unnest($1::text[]) with ordinality as u(r, n)`,
        [reportIds],
      );
      await pool.query(
        `insert into intake.webhooks (webhook_id, client_id, url, secret, events, created_at)
         select 'hook-' || n, 'client-' || n, 'https://receiver.example/hook', 'secret',
                case when n = 3 then '["gridcase.case.opened.v1","gridcase.case.closed.v1"]'::jsonb end, '2026-06-01T00:00:00Z'
           from generate_series(0, 3) as n`,
      );
    },
    stateSql: `select json_build_object(
      'cases', (select json_agg(to_jsonb(c) - 'updated_at' order by case_id) from intake.cases c),
      'reports', (select json_agg(json_build_array(report_id, status, case_id) order by report_id) from intake.reports),
      'deliveries', (select json_agg(to_jsonb(d) - 'delivery_id' - 'seq' order by webhook_id, case_id, seq) from intake.webhook_deliveries d),
      'inbox', (select count(*) from intake.inbox))::text as state`,
    async check(pool) {
      const { rows } = await pool.query<{ unmoved: number; deliveries: number }>(
        `select (select count(*)::int from intake.reports where status = 'received') as unmoved, (select count(*)::int from intake.webhook_deliveries) as deliveries`,
      );
      if (rows[0]?.unmoved !== 0 || !rows[0]?.deliveries) throw new Error(`${rows[0]?.unmoved} reports never moved, ${rows[0]?.deliveries} deliveries queued`);
    },
    implementations: {
      'drizzle (before)': (pool) => drizzleIntakeHandler(createDb(pool), 'cases', clock),
      'intake now': (pool) => caseEventsHandler({ db: createDb(pool), logger, groupId: 'cases', clock }),
    },
  },
};
const spec: ServiceSpec = SERVICES[values.service] ?? fail(`--service ${values.service}: desk or intake`);
const migrations = fileURLToPath(new URL(`../../services/${spec.schema}/src/db/migrations`, import.meta.url));

/** Projects the whole stream once into a fresh database; what it cost. */
async function measure(admin: pg.Client, name: string, implement: Implementation): Promise<Figures> {
  const database = `gridcase_projection_${process.pid}`;
  await admin.query(`drop database if exists "${database}" with (force)`);
  await admin.query(`create database "${database}"`);
  const url = withDatabase(databaseUrl, database);
  const pool = createPool(url, { max: PARTITIONS, application: 'projection-bench' });
  try {
    await migrateSchema(pool, spec.schema, migrations);
    await spec.setup(pool);
    // Every partition's connection open (and its statements warm) before the window starts.
    const handler = implement(pool);
    const warm = await Promise.all(Array.from({ length: PARTITIONS }, () => pool.connect()));
    for (const c of warm) c.release();
    const pgBefore = await backendCpuSeconds(admin, database);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await driveInRuns(handler, streams.map((stream) => stream.map((e) => e.record)), RUN);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const pgSeconds = (await backendCpuSeconds(admin, database)) - pgBefore;
    await spec.check(pool).catch((err: Error) => {
      throw new Error(`${name}: ${err.message}`);
    });
    const { rows: state } = await pool.query<{ state: string }>(spec.stateSql);
    return { eventsPerSecond: total / seconds, nodeMicros: (cpu.user + cpu.system) / total, postgresMicros: (pgSeconds * 1e6) / total, state: state[0]!.state };
  } finally {
    await pool.end();
    await admin.query(`drop database if exists "${database}" with (force)`);
  }
}

const admin = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
await admin.connect();
log(`${values.service} projection: ${total} case events (${total - distinct} of them redelivered) of ${CASES} cases, ${PARTITIONS} partitions at once, runs of ${RUN} per transaction, ${ROUNDS} round(s)`);
const results = new Map<string, Figures[]>(Object.keys(spec.implementations).map((k) => [k, []]));
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, implement] of Object.entries(spec.implementations)) {
      const f = await measure(admin, name, implement);
      results.get(name)!.push(f);
      log(`  round ${round} ${name.padEnd(17)} ${fmt(f.eventsPerSecond, 0).padStart(6)} events/s   node ${fmt(f.nodeMicros, 0).padStart(5)} µs/event   postgres ${fmt(f.postgresMicros, 0).padStart(5)} µs/event`);
    }
  }
} finally {
  await admin.end();
}
const [before, now] = [...results.values()] as [Figures[], Figures[]];
const same = before.every((b) => now.every((n) => n.state === b.state));
log(same ? 'both left the same state (every row the projection writes; see stateSql)' : 'THE IMPLEMENTATIONS LEFT DIFFERENT STATE');
// Round 1 also warms the JIT (each implementation's code and statements): it is left out when there are more.
const counted = (fs: Figures[]) => (fs.length > 1 ? fs.slice(1) : fs);
const mean = (fs: Figures[], key: Exclude<keyof Figures, 'state'>) => counted(fs).reduce((s, f) => s + f[key], 0) / counted(fs).length;
log(`mean over rounds ${ROUNDS > 1 ? `2-${ROUNDS}` : '1'} (now / before):`);
for (const key of ['eventsPerSecond', 'nodeMicros', 'postgresMicros'] as const) {
  log(`  ${key.padEnd(15)} before ${fmt(mean(before, key), 0).padStart(6)}   now ${fmt(mean(now, key), 0).padStart(6)}   ratio ${(mean(now, key) / mean(before, key)).toFixed(2)}`);
}
if (!same) {
  for (const [i, f] of [before[0]!, now[0]!].entries()) writeFileSync(`/tmp/projection-state-${i ? 'now' : 'before'}.json`, f.state);
  log('(their first rounds\' states are in /tmp/projection-state-before.json and -now.json)');
  process.exitCode = 1;
}
