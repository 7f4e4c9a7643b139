// node infra/bench/intake-ratio.ts [--reports 3000 --concurrency 16 --warm-up 200 --rounds 1 --profile <dir>]
// Issue 12's intake ratio on its own, in about a minute: intake alone (with its outbox relay, on a
// fresh database) and then bare fastify + pg (bare-intake.ts) on the same database, each offered the
// same closed-loop load; prints reports/s of each, the ratio, and CPU per post (the node process,
// and the Postgres backends of that database). With --rounds n the pair is measured n times, each
// round on a fresh database. With --profile, intake and bare-intake.ts run under `node --cpu-prof`
// and write their profiles into <dir> as they stop (the profiler slows both: read such a run's ratio
// as such). The machine is shared: the ratio moves with everything else running on it, CPU per post
// much less (--log-level info prices intake's two log lines a report; the bench runs at warn).
// Never the benchmark broker on 9092: KAFKA_BROKERS (default 127.0.0.1:29092) must name another.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOCAL_SERVICE_ENV, SERVICE_NODE_FLAGS } from '@gridcase/service-kit/node-flags';
import pg from 'pg';
import { ADMIN_TOKEN, STATION_CODE } from '../test/env.ts';
import { eventually } from '../test/poll.ts';
import { freePort } from '../test/stack.ts';
import { admin, withDatabase } from '../test/template.ts';
import { warmCompileCache } from '../scripts/warm-compile-cache.ts';
import { BareIntake, stopChild } from './baselines.ts';
import { closedLoop, describeTally, JsonClient, type RunResult, tally } from './lib/load.ts';
import { type ProcessMatcher, postgresBackendsOf, type Usage, UsageMeter } from './lib/procstat.ts';
import { carriedRate, fmt, percentile, ratio } from './lib/stats.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    reports: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
    'warm-up': { type: 'string', default: '200' },
    rounds: { type: 'string', default: '1' },
    profile: { type: 'string' },
    // The bench's stack logs at warn; 'info' prices a request line and a 'report received' line per post.
    'log-level': { type: 'string', default: 'warn' },
  },
});
const REPORTS = Number(values.reports);
const CONCURRENCY = Number(values.concurrency);
const WARM_UP = Number(values['warm-up']);
const ROUNDS = Number(values.rounds);

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:29092';
if (brokers.split(',').some((b) => b.trim().endsWith(':9092'))) {
  console.error(`KAFKA_BROKERS=${brokers}: the broker on 9092 is the benchmark's; use another (127.0.0.1:29092)`);
  process.exit(2);
}
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = fileURLToPath(new URL('../..', import.meta.url));
const log = (line: string) => console.log(line);

/** The body the bench's pipeline posts (infra/bench/pipeline.ts), numbered so every post is a new report. */
const reportBody = (n: number) => ({
  externalId: `ratio-${n}`,
  description: `第${n}号：楼道堆放杂物，堵塞消防通道`,
  location: { gridCode: 'CG-G01', lat: 30 + (n % 500) * 0.01, lng: 100 + Math.floor(n / 500) * 0.01 },
});

interface Figures {
  rate: number;
  outcomes: Record<string, number>;
  p50: number;
  p99: number;
  /** CPU milliseconds per accepted post. */
  nodeMsPerPost: number;
  postgresMsPerPost: number;
  /** The broker's, though only intake's relay writes to it: other sessions' tests may use it too. */
  brokerMsPerPost: number;
}

/** The broker process listening on KAFKA_BROKERS's first port (its server.properties names it). */
const brokerPort = brokers.split(',')[0]!.split(':').at(-1)!;
const isBroker: ProcessMatcher = (p) => {
  if (!p.cmdline.includes('kafka.Kafka')) return false;
  try {
    return readFileSync(p.cmdline.trim().split(' ').at(-1)!, 'utf8').includes(`:${brokerPort}`);
  } catch {
    return false;
  }
};

/** REPORTS posts by CONCURRENCY clients, closed loop, with the CPU of the node process, of the database's backends and of the broker. */
async function measure(label: string, pid: number, database: string, post: (n: number) => Promise<{ status: number; ms: number }>, first: number): Promise<Figures> {
  const meter = new UsageMeter({ node: (p) => p.pid === pid, postgres: postgresBackendsOf(database), broker: isBroker });
  const run: RunResult = await closedLoop(CONCURRENCY, REPORTS, (i) => post(first + i));
  const usage: Record<string, Usage> = meter.stop();
  const accepted = run.outcomes.filter((o) => o.status === 202).length;
  const ms = run.outcomes.map((o) => o.ms);
  const figures: Figures = {
    rate: carriedRate(accepted, run.seconds),
    outcomes: tally(run.outcomes),
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    nodeMsPerPost: (usage.node!.cpuSeconds * 1000) / Math.max(1, accepted),
    postgresMsPerPost: (usage.postgres!.cpuSeconds * 1000) / Math.max(1, accepted),
    brokerMsPerPost: (usage.broker!.cpuSeconds * 1000) / Math.max(1, accepted),
  };
  log(
    `  ${label.padEnd(16)} ${fmt(figures.rate).padStart(7)} reports/s  p50 ${fmt(figures.p50)} ms  p99 ${fmt(figures.p99)} ms  ` +
      `CPU/post node ${fmt(figures.nodeMsPerPost, 2)} + postgres ${fmt(figures.postgresMsPerPost, 2)} + broker ${fmt(figures.brokerMsPerPost, 2)} ms  ${describeTally(figures.outcomes)}`,
  );
  return figures;
}

/** Intake as the stacks start it (its flags, its relay), alone, with the bench's raised rate limit. */
async function startIntake(databaseUrl: string, logFile: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const flags = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...flags, `${root}services/intake/src/main.ts`], {
    env: {
      ...LOCAL_SERVICE_ENV,
      ...process.env,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: `ratio${randomBytes(3).toString('hex')}.`,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ADMIN_TOKEN,
      INTAKE_PORT: String(port),
      INTAKE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: values['log-level'],
      // One client offering far more than a client may: the limit is not what is measured (the bench does the same).
      RATE_LIMIT_PER_MINUTE: '100000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = createWriteStream(logFile);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    `intake to be ready (log: ${logFile})`,
    async () => {
      if (child.exitCode !== null) throw new Error(`intake exited with ${child.exitCode} (log: ${logFile})`);
      const res = await fetch(`${url}/readyz`).catch(() => undefined);
      return res?.ok ? true : undefined;
    },
    60_000,
  );
  return { child, url };
}

/**
 * How many passes the relay took for the rows it sent (warm-up included), after intake stopped: a
 * pass marks its rows sent at its transaction's now(), so each distinct sent_at is one pass.
 */
async function relayPasses(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ sent: number; passes: number; unsent: number }>(
      'select count(sent_at)::int as sent, count(distinct sent_at)::int as passes, count(*) filter (where sent_at is null)::int as unsent from intake.outbox',
    );
    const r = rows[0]!;
    log(`  intake's relay: ${r.sent} rows sent in ${r.passes} passes (${fmt(r.sent / Math.max(1, r.passes))} a pass), ${r.unsent} unsent`);
  } finally {
    await client.end();
  }
}

/**
 * The staff map a deployed intake holds (assignment publishes it on gridcase.reference at start): the
 * station it serves. Without one, intake reads the table for every post of a station-scoped client
 * (db/staff.ts), a round trip no deployment pays.
 */
async function knowTheStation(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`insert into intake.staff (officer_id, role, station, version) values ('bench-officer', 'officer', $1, 1)`, [STATION_CODE]);
  } finally {
    await client.end();
  }
}

async function round(n: number): Promise<{ intake: Figures; bare: Figures }> {
  const database = `gridcase_ratio_${process.pid}_${n}`;
  const databaseUrl = withDatabase(baseUrl, database);
  const logDir = `/tmp/gridcase-ratio/${process.pid}`;
  mkdirSync(logDir, { recursive: true });
  // Intake creates and migrates its database as it starts (startRuntime).
  await admin(baseUrl, (c) => c.query(`drop database if exists "${database}" with (force)`));
  log(`\nround ${n}: database ${database}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  try {
    const intake = await startIntake(databaseUrl, `${logDir}/intake-${n}.log`);
    let intakeFigures: Figures;
    try {
      await knowTheStation(databaseUrl);
      const created = await fetch(`${intake.url}/v1/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'ratio', roles: ['reporter', 'desk'], stations: [STATION_CODE] }),
      });
      if (created.status !== 201) throw new Error(`POST /v1/clients answered ${created.status}: ${await created.text()}`);
      const { token } = (await created.json()) as { token: string };
      const client = new JsonClient(intake.url, token, 256);
      const post = (i: number) => client.post('/v1/reports', reportBody(i));
      await closedLoop(8, WARM_UP, (i) => post(1_000_000 + i));
      intakeFigures = await measure('intake', intake.child.pid!, database, post, 0);
      client.close();
    } finally {
      await stopChild(intake.child);
    }
    await relayPasses(databaseUrl);
    const bare = await BareIntake.start(databaseUrl, values.profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${values.profile}` } : {});
    let bareFigures: Figures;
    try {
      const client = new JsonClient(bare.url, 'none', 256);
      const post = (i: number) => client.post('/v1/reports', reportBody(i));
      await closedLoop(8, WARM_UP, (i) => post(1_000_000 + i));
      bareFigures = await measure('bare fastify+pg', bare.pid, database, post, 0);
      client.close();
    } finally {
      await bare.stop();
    }
    log(`  intake / bare: ${ratio(intakeFigures.rate, bareFigures.rate)}   (${fmt(intakeFigures.rate)} vs ${fmt(bareFigures.rate)} reports/s)`);
    return { intake: intakeFigures, bare: bareFigures };
  } finally {
    await admin(baseUrl, (c) => c.query(`drop database if exists "${database}" with (force)`)).catch(() => {});
  }
}

log(`intake alone vs bare fastify + pg: ${REPORTS} posts by ${CONCURRENCY} clients (closed loop) each, after ${WARM_UP} to warm up; broker ${brokers}; intake logs at ${values['log-level']}${values.profile ? `; profiling intake into ${values.profile}` : ''}`);
// As the image starts them: every module in the compile cache, so intake never loads the TypeScript stripper.
await warmCompileCache();
const results = [];
for (let n = 1; n <= ROUNDS; n++) results.push(await round(n));
if (ROUNDS > 1) {
  log('\nratios: ' + results.map((r) => ratio(r.intake.rate, r.bare.rate)).join(', '));
}
