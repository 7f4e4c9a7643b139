// pnpm bench [-- --reports 1500 --seconds 20 --concurrency 16 --overload 10 --pipeline-clients kafkajs,platformatic]
// pnpm bench -- --only relays [--rates 4,10,100 --relay-messages 5000 --clients kafkajs,platformatic]
//   (the bare relays alone, without the stack)
// pnpm bench -- --only pipeline [--reports 1500]
//   (the pipeline's capacity alone, with its handler times, CPU and RSS: for trying a change quickly)
// The pipeline (POST /v1/reports → case.assigned) and intake measured beside their baselines in the
// same run, on the same broker and Postgres: a bare relay with the same three hops (per message and
// batched; kafkajs, and @platformatic/kafka beside it) and bare fastify + one pg insert with an
// outbox row. Capacity mode offers more than each can carry and reports what it carried; latency
// mode offers 20 % and 50 % of the pipeline's measured capacity. Every 429, 5xx and network error
// is counted; waits are bounded and what did not arrive is reported, never waited on. A script that prints figures, never a test.
// BENCHMARKS.md says how to read them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { SERVICES } from '../test/stack.ts';
import { BareIntake, BareRelay, type RelayClient, type RelayMode } from './baselines.ts';
import { describeRuntimeDelta, type HandlerSnapshot, handlerDelta } from './lib/handler-times.ts';
import { closedLoop, describeTally, JsonClient, type Outcome, openLoop, type RunResult, tally } from './lib/load.ts';
import { nodeRunning, postgresBackendsOf, type ProcessMatcher, type Usage, UsageMeter } from './lib/procstat.ts';
import { boundedWait, carriedRate, fmt, percentile, ratio } from './lib/stats.ts';
import { BenchStack } from './pipeline.ts';
import { warmCompileCache } from '../scripts/warm-compile-cache.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    reports: { type: 'string', default: '1500' },
    // Intake alone and bare fastify + pg: 1 500 posts took intake about a second, too short a window for a
    // capacity (the CPU meter samples once a second; a JIT tier or a collection moved the figure).
    'intake-posts': { type: 'string', default: '6000' },
    seconds: { type: 'string', default: '20' },
    // Each latency step first offers its rate for this many seconds, unmeasured, to the pipeline and to each bare
    // relay alike: the step measures a load held, not the move to it from the idle minutes of the phase before.
    'step-warm-up': { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '16' },
    overload: { type: 'string', default: '10' },
    'relay-messages': { type: 'string', default: '5000' },
    // --only relays: the bare relays' capacity and latency at --rates (messages/s), without the stack.
    // --only pipeline: the pipeline's capacity alone (its first phase), without the baselines.
    only: { type: 'string' },
    // --only latency: the pipeline at --rate reports/s for --seconds (after a warm-up), beside the bare kafkajs relay at the same rate.
    rate: { type: 'string', default: '38' },
    rates: { type: 'string', default: '4,10,100' },
    // Which clients' relays, in this order (the later ones run later in each phase, in other weather).
    clients: { type: 'string', default: 'kafkajs,platformatic' },
    // The pipeline's capacity with its outbox relays on each of these clients, a stack each (KAFKA_CLIENT); the other phases use kafkajs.
    'pipeline-clients': { type: 'string', default: 'kafkajs,platformatic' },
  },
});
if (values.only !== undefined && !['relays', 'pipeline', 'latency'].includes(values.only)) {
  console.error('--only takes relays, pipeline or latency');
  process.exit(2);
}
const CAPACITY_REPORTS = Number(values.reports);
const INTAKE_POSTS = Number(values['intake-posts']);
/** Posts that warm bare fastify + pg up before it is measured: intake is warm from the phases before. */
const BARE_INTAKE_WARM_UP = 300;
const LATENCY_SECONDS = Number(values.seconds);
const STEP_WARM_UP_SECONDS = Number(values['step-warm-up']);
/** How many of a step's posts or sends go unmeasured first, at the step's own rate (--step-warm-up). */
const stepWarmUp = (rate: number) => Math.round(rate * STEP_WARM_UP_SECONDS);
const CONCURRENCY = Number(values.concurrency);
const OVERLOAD = Number(values.overload);
const RELAY_MESSAGES = Number(values['relay-messages']);
const HOPS = 3;
/** Connections the overload phase keeps open at most (see there). */
const OVERLOAD_CONNECTIONS = 8_000;
/** The baseline the pipeline's ratios are taken against is kafkajs, the stack's client; @platformatic/kafka is printed beside it. */
const PIPELINE_CLIENTS = values['pipeline-clients'].split(',');
const RELAYS: [RelayClient, RelayMode][] = values.clients.split(',').flatMap((client) => {
  if (client !== 'kafkajs' && client !== 'platformatic') throw new Error(`--clients takes kafkajs and platformatic, not ${client}`);
  return [[client, 'per-message'], [client, 'batched']] as [RelayClient, RelayMode][];
});
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Everything measured, printed at the end and written as JSON. */
const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverageAtStart: loadavg() },
  node: process.version,
};
const log = (line: string) => console.log(line);

interface LatencyFigures {
  offeredRate: number;
  sent: number;
  arrived: number;
  missing: number;
  p50: number;
  p99: number;
  max: number;
}

const latencyOf = (sentAt: Map<string, number>, arrivedAt: Map<string, number>, keys: readonly string[]) => {
  const ms = keys.flatMap((k) => (arrivedAt.has(k) ? [arrivedAt.get(k)! - sentAt.get(k)!] : []));
  return { ms, p50: percentile(ms, 50), p99: percentile(ms, 99), max: Math.max(...ms) };
};

const usageLine = (name: string, u: Usage | undefined) =>
  u ? `${name.padEnd(28)} ${fmt(u.cores, 2).padStart(6)} cores  ${fmt(u.cpuSeconds).padStart(7)} cpu-s  peak RSS ${fmt(u.peakRssMb, 0).padStart(5)} MB` : '';

function printUsage(usage: Record<string, Usage>): void {
  for (const [name, u] of Object.entries(usage)) if (u.processes > 0) log(`    ${usageLine(name, u)}`);
}

function printHandlers(before: HandlerSnapshot, after: HandlerSnapshot): { key: string; count: number; meanMs: number; over50ms: number }[] {
  const rows = handlerDelta(before, after);
  for (const r of rows) log(`    ${r.key.padEnd(58)} ${String(r.count).padStart(7)} msgs  mean ${fmt(r.meanMs).padStart(7)} ms  over 50 ms ${r.over50ms}`);
  return rows;
}

/**
 * Waits (bounded, 15 min) until every consumer group of the stack has committed all that the last
 * phase left (each service's lag gauge reads 0) and no handler count moved for 3 s, so a phase's
 * figures are not another's tail: a read model still projecting the capacity step's backlog would
 * otherwise hold the next step's events behind it.
 */
async function settle(stack: BenchStack = bench): Promise<void> {
  const start = performance.now();
  let last = '';
  let stableSince = start;
  let firstLag: Map<string, number> | undefined;
  let lag = new Map<string, number>();
  while (performance.now() - start < 900_000) {
    const scraped = await stack.scrape();
    lag = await stack.lag(scraped);
    firstLag ??= lag;
    const counts = JSON.stringify([...(await stack.handlerTimes(scraped)).values()].map((t) => t.count));
    if (counts !== last) {
      last = counts;
      stableSince = performance.now();
    }
    const behind = [...lag.values()].reduce((a, b) => a + b, 0);
    if (behind === 0 && performance.now() - stableSince >= 3000) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const describe = (m: Map<string, number>) => [...m].filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ') || 'none';
  const waited = (performance.now() - start) / 1000;
  const left = describe(lag);
  if (left !== 'none') log(`  (consumers still behind after ${fmt(waited)} s: ${left}; the next phase starts anyway)`);
  else if (waited > 5) log(`  (waited ${fmt(waited)} s for the consumers to catch up; behind at first: ${describe(firstLag ?? new Map())})`);
}

log(`gridcase bench — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);
if (values.only === 'relays') {
  await relaysOnly();
  process.exit(0);
}
log(`broker ${brokers.join(',')}; ${CAPACITY_REPORTS} reports for capacity, ${LATENCY_SECONDS} s per latency step, ${CONCURRENCY} concurrent posts, overload ${OVERLOAD}×`);

// As the image starts them: every module in the compile cache, so no service loads the TypeScript stripper.
await warmCompileCache();
const bench = await BenchStack.start(brokers, databaseUrl);

const serviceGroups = Object.fromEntries(SERVICES.map((s) => [s, nodeRunning(`services/${s}/src/main.ts`, bench.topicPrefix)])) as Record<string, ProcessMatcher>;
const shared: Record<string, ProcessMatcher> = {
  'postgres (this database)': postgresBackendsOf(bench.databaseName),
  'kafka broker (shared)': (p) => p.cmdline.includes('kafka.Kafka'),
  'bench process': (p) => p.pid === process.pid,
};

if (values.only === 'pipeline' || values.only === 'latency') {
  const relay = values.only === 'latency' ? await BareRelay.start(brokers, 'per-message', HOPS, 'kafkajs') : undefined;
  try {
    log('\nwarm-up: 100 reports');
    const warmIds = acceptedIds(await closedLoop(8, 100, () => bench.post()));
    await boundedWait(() => bench.assignedAt.size, () => warmIds.every((id) => bench.assignedAt.has(id)), 30_000, 120_000);
    await settle();
    if (relay) {
      await warmRelays([relay]);
      const rate = Number(values.rate);
      const count = Math.max(20, Math.round(rate * LATENCY_SECONDS));
      log(`\n== latency at ${fmt(rate)}/s for ${LATENCY_SECONDS} s (${count} each, after ${STEP_WARM_UP_SECONDS} s at that rate, unmeasured)`);
      const pipeline = await pipelineLatency(rate, count);
      const bare = await relayLatency(relay, rate, count);
      log(`  pipeline p50 ${fmt(pipeline.p50)} ms = ${ratio(pipeline.p50, bare.p50)} bare; p99 ${fmt(pipeline.p99)} ms = ${ratio(pipeline.p99, bare.p99)} bare`);
      results.latency = { [`${rate}/s`]: { pipeline, [`bare relay (${relay.label})`]: bare } };
    } else results.pipelineCapacity = await measurePipelineCapacity(bench, 'kafkajs');
  } finally {
    await relay?.stop().catch(() => {});
    await bench.stop().catch(() => {});
    writeResults();
  }
  process.exit(0);
}
const relays = await startRelays();
const bareIntake = await BareIntake.start(bench.stack.env.DATABASE_URL!);

try {
  // Warm-up: JIT, pools, consumer groups; not measured.
  log('\nwarm-up: 100 reports');
  const warm = await closedLoop(8, 100, () => bench.post());
  const warmIds = acceptedIds(warm);
  await boundedWait(() => bench.assignedAt.size, () => warmIds.every((id) => bench.assignedAt.has(id)), 30_000, 120_000);
  await warmRelays(relays);

  // ── Capacity ─────────────────────────────────────────────────────────────────────────────
  const relayCapacity = await relayCapacities(relays, shared);

  await settle();
  const pipelineCapacity = await measurePipelineCapacity(bench, 'kafkajs');
  results.pipelineCapacity = pipelineCapacity;
  // The same pipeline with the outbox relays on @platformatic/kafka (KAFKA_CLIENT; consumers stay on kafkajs), on a stack of its own.
  if (PIPELINE_CLIENTS.includes('platformatic')) {
    await settle();
    const other = await BenchStack.start(brokers, databaseUrl, { KAFKA_CLIENT: 'platformatic' }, bench.templateDatabase);
    try {
      await closedLoop(8, 100, () => other.post());
      await settle(other);
      results.pipelineCapacityPlatformatic = await measurePipelineCapacity(other, 'platformatic');
    } finally {
      await other.stop().catch(() => {});
    }
  }

  // ── Latency ──────────────────────────────────────────────────────────────────────────────
  const latency: Record<string, Record<string, LatencyFigures>> = {};
  for (const share of [0.2, 0.5]) {
    await settle();
    const rate = Math.max(1, pipelineCapacity.rate * share);
    const count = Math.max(20, Math.round(rate * LATENCY_SECONDS));
    log(`\n== latency at ${share * 100} % of the pipeline's capacity: ${fmt(rate)}/s for ${LATENCY_SECONDS} s (${count} each, after ${STEP_WARM_UP_SECONDS} s at that rate, unmeasured)`);
    const step: Record<string, LatencyFigures> = {};
    step.pipeline = await pipelineLatency(rate, count);
    for (const bare of relays) step[`bare relay (${bare.label})`] = await relayLatency(bare, rate, count);
    latency[`${share * 100}%`] = step;
  }
  results.latency = latency;
  await Promise.all(relays.map((r) => r.stop()));

  // ── Intake alone ─────────────────────────────────────────────────────────────────────────
  log(`\n== capacity: intake alone (the other services stopped), ${INTAKE_POSTS} posts by ${CONCURRENCY} clients, beside bare fastify + pg (warmed by ${BARE_INTAKE_WARM_UP} first)`);
  await settle();
  await bench.stopServices(SERVICES.filter((s) => s !== 'intake'));
  const intakeRate = await (async () => {
    const meter = new UsageMeter({ intake: serviceGroups.intake!, ...shared });
    const run = await closedLoop(CONCURRENCY, INTAKE_POSTS, () => bench.post());
    const usage = meter.stop();
    const rate = carriedRate(acceptedIds(run).length, run.seconds);
    const ms = run.outcomes.map((o) => o.ms);
    log(`  intake           ${fmt(rate).padStart(8)} reports/s in ${fmt(run.seconds)} s   answered p50 ${fmt(percentile(ms, 50))} ms p99 ${fmt(percentile(ms, 99))} ms   ${describeTally(tally(run.outcomes))}`);
    printUsage(usage);
    results.intakeCapacity = { rate, outcomes: tally(run.outcomes), p50: percentile(ms, 50), p99: percentile(ms, 99), usage };
    return rate;
  })();
  const bareIntakeRate = await (async () => {
    const client = new JsonClient(bareIntake.url, 'none', 256);
    let n = 0;
    const post = () => client.post('/v1/reports', { externalId: `bare-${n++}`, description: '楼道堆放杂物，堵塞消防通道', location: { gridCode: 'x' } });
    await closedLoop(CONCURRENCY, BARE_INTAKE_WARM_UP, post);
    const meter = new UsageMeter({ 'bare intake': (p) => p.pid === bareIntake.pid, ...shared });
    const run = await closedLoop(CONCURRENCY, INTAKE_POSTS, post);
    const usage = meter.stop();
    client.close();
    const ok = run.outcomes.filter((o) => o.status === 202).length;
    const rate = carriedRate(ok, run.seconds);
    const ms = run.outcomes.map((o) => o.ms);
    log(`  bare fastify+pg  ${fmt(rate).padStart(8)} reports/s in ${fmt(run.seconds)} s   answered p50 ${fmt(percentile(ms, 50))} ms p99 ${fmt(percentile(ms, 99))} ms   ${describeTally(tally(run.outcomes))}`);
    printUsage(usage);
    results.bareIntakeCapacity = { rate, outcomes: tally(run.outcomes), usage };
    return rate;
  })();

  // ── Overload ─────────────────────────────────────────────────────────────────────────────
  const overloadRate = intakeRate * OVERLOAD;
  const overloadCount = Math.round(overloadRate * 2);
  // A connection each, up to OVERLOAD_CONNECTIONS open at once: past that the bench process itself runs
  // out of file descriptors (its limit here is 20 000), and the posts beyond wait for a free connection.
  const connections = Math.min(overloadCount, OVERLOAD_CONNECTIONS);
  log(`\n== overload: ${OVERLOAD}× intake's capacity, ${fmt(overloadRate)}/s for 2 s (${overloadCount} posts, open loop, a connection each, at most ${connections} open at once: many systems at once)`);
  {
    const meter = new UsageMeter({ intake: serviceGroups.intake!, ...shared });
    const crowd = new JsonClient(bench.stack.url('intake'), bench.token, connections);
    const run = await openLoop(overloadRate, overloadCount, () => bench.post(crowd));
    crowd.close();
    const usage = meter.stop();
    const t = tally(run.outcomes);
    const fiveHundreds = run.outcomes.filter((o) => o.status === 500);
    const ms = run.outcomes.map((o) => o.ms);
    log(`  answered: ${describeTally(t)} (posts held ${fmt(overloadCount / run.sendSeconds)}/s; all answered within ${fmt(run.seconds)} s, p50 ${fmt(percentile(ms, 50))} ms, p99 ${fmt(percentile(ms, 99))} ms)`);
    log(`  500s: ${fiveHundreds.length}${fiveHundreds.length ? ` — e.g. ${fiveHundreds[0]!.body?.slice(0, 200)}` : ''}`);
    const retryAfter = run.outcomes.filter((o) => o.status === 503).length;
    if (retryAfter) log(`  503s: ${retryAfter} (each with Retry-After)`);
    printUsage(usage);
    results.overload = { offeredRate: overloadRate, count: overloadCount, outcomes: t, fiveHundreds: fiveHundreds.length, usage };
  }

  // ── Summary ──────────────────────────────────────────────────────────────────────────────
  log('\n== ratios (this run)');
  for (const [label, capacity] of Object.entries(relayCapacity)) {
    log(`  pipeline capacity / bare relay (${label}) capacity: ${ratio(pipelineCapacity.rate, capacity)}   (${fmt(pipelineCapacity.rate)} vs ${fmt(capacity)}/s)`);
  }
  const platformaticPipeline = results.pipelineCapacityPlatformatic as { rate: number } | undefined;
  if (platformaticPipeline) {
    log(`  pipeline with platformatic relays / with kafkajs relays: ${ratio(platformaticPipeline.rate, pipelineCapacity.rate)}   (${fmt(platformaticPipeline.rate)} vs ${fmt(pipelineCapacity.rate)}/s)`);
  }
  log(`  intake capacity / bare fastify + pg:                   ${ratio(intakeRate, bareIntakeRate)}   (${fmt(intakeRate)} vs ${fmt(bareIntakeRate)}/s)`);
  for (const [step, figures] of Object.entries(latency)) {
    const p = figures.pipeline!;
    for (const bare of relays) {
      const b = figures[`bare relay (${bare.label})`]!;
      log(`  at ${step}: pipeline p50 ${fmt(p.p50)} ms = ${ratio(p.p50, b.p50)} bare ${bare.label} p50 (${fmt(b.p50)} ms); p99 ${fmt(p.p99)} ms = ${ratio(p.p99, b.p99)} (${fmt(b.p99)} ms)`);
    }
  }
  results.ratios = {
    pipelineOverBareRelayPerMessage: pipelineCapacity.rate / relayCapacity['kafkajs per-message']!,
    pipelineOverBareRelayBatched: pipelineCapacity.rate / relayCapacity['kafkajs batched']!,
    pipelineOverPlatformaticRelayPerMessage: pipelineCapacity.rate / relayCapacity['platformatic per-message']!,
    ...(platformaticPipeline ? { platformaticPipelineOverKafkajsPipeline: platformaticPipeline.rate / pipelineCapacity.rate } : {}),
    intakeOverBareIntake: intakeRate / bareIntakeRate,
  };
  results.loadAverageAtEnd = loadavg();
} finally {
  await bareIntake.stop().catch(() => {});
  await Promise.all(relays.map((r) => r.stop().catch(() => {})));
  await bench.stop().catch(() => {});
  writeResults();
}
process.exit(0);

/**
 * The pipeline's POST → case.assigned latency: `count` reports at `rate`/s, open loop, with the two
 * halves (POST → case.opened seen, then → case.assigned), handler times, CPU and RSS over the step.
 * The slowest reports are printed with when they were posted, so a stall that several share shows.
 */
async function pipelineLatency(rate: number, count: number): Promise<LatencyFigures> {
  // The warm-up goes before every figure of the step is begun: none of them counts it.
  const warm = stepWarmUp(rate);
  if (warm > 0) {
    const warmIds = acceptedIds(await openLoop(rate, warm, () => bench.post()));
    await boundedWait(() => bench.assignedAt.size, () => warmIds.every((id) => bench.assignedAt.has(id) || bench.merged.has(id)), 15_000, 60_000);
  }
  const meter = new UsageMeter({ ...serviceGroups, ...shared });
  const handlersBefore = await bench.handlerTimes();
  const runtimesBefore = await bench.runtimes();
  // Wall-clock time of the first post, to line the slowest reports up with other records (logs, probes).
  const startedAt = new Date();
  const run = await openLoop(rate, count, () => bench.post());
  const ids = acceptedIds(run);
  const wait = await boundedWait(() => bench.assignedAt.size, () => ids.every((id) => bench.assignedAt.has(id) || bench.merged.has(id)), 30_000, 300_000);
  const l = latencyOf(bench.postedAt, bench.assignedAt, ids);
  const opened = latencyOf(bench.postedAt, bench.openedAt, ids);
  const assigned = latencyOf(bench.openedAt, bench.assignedAt, ids.filter((id) => bench.openedAt.has(id)));
  log(`  pipeline         p50 ${fmt(l.p50).padStart(8)} ms  p99 ${fmt(l.p99).padStart(8)} ms  max ${fmt(l.max).padStart(8)} ms   ${describeTally(tally(run.outcomes))}, assigned ${l.ms.length}/${ids.length}${wait.complete ? '' : ' (bounded wait ended)'}; posts held ${fmt(count / run.sendSeconds)}/s`);
  log(`    POST answered in p50 ${fmt(percentile(run.outcomes.map((o) => o.ms), 50))} ms, p99 ${fmt(percentile(run.outcomes.map((o) => o.ms), 99))} ms`);
  log(`    POST → case.opened p50 ${fmt(opened.p50)} ms p99 ${fmt(opened.p99)} ms; case.opened → case.assigned p50 ${fmt(assigned.p50)} ms p99 ${fmt(assigned.p99)} ms`);
  const first = Math.min(...ids.map((id) => bench.postedAt.get(id)!));
  const slowest = ids
    .filter((id) => bench.assignedAt.has(id))
    .sort((a, b) => bench.assignedAt.get(b)! - bench.postedAt.get(b)! - (bench.assignedAt.get(a)! - bench.postedAt.get(a)!))
    .slice(0, Math.max(3, Math.ceil(ids.length / 50)));
  log(
    `    slowest 2 % (posted at s after ${startedAt.toISOString()}: total = to opened + to assigned ms): ${slowest
      .map((id) => {
        const posted = bench.postedAt.get(id)!;
        const openedAt = bench.openedAt.get(id) ?? Number.NaN;
        return `${fmt((posted - first) / 1000, 2)}: ${fmt(bench.assignedAt.get(id)! - posted, 0)} = ${fmt(openedAt - posted, 0)} + ${fmt(bench.assignedAt.get(id)! - openedAt, 0)}`;
      })
      .join(', ')}`,
  );
  // Runtimes first: every scrape resets the event loop's longest delay, and handlerTimes scrapes too.
  const runtimesAfter = await bench.runtimes();
  printHandlers(handlersBefore, await bench.handlerTimes());
  printUsage(meter.stop());
  for (const [service, after] of runtimesAfter) {
    const before = runtimesBefore.get(service);
    if (before) log(`    ${service.padEnd(28)} ${describeRuntimeDelta(before, after)}`);
  }
  return { offeredRate: rate, sent: count, arrived: l.ms.length, missing: ids.length - l.ms.length, p50: l.p50, p99: l.p99, max: l.max };
}

/** Capacity of one stack's pipeline: CAPACITY_REPORTS posted closed-loop, carried POST → case.assigned, with handler times, CPU and RSS. */
async function measurePipelineCapacity(stack: BenchStack, relayClient: string) {
  log(`\n== capacity: pipeline (outbox relays on ${relayClient}), ${CAPACITY_REPORTS} reports posted by ${CONCURRENCY} clients as fast as intake answers`);
  const groups = Object.fromEntries(SERVICES.map((s) => [s, nodeRunning(`services/${s}/src/main.ts`, stack.topicPrefix)])) as Record<string, ProcessMatcher>;
  // Postgres is measured on this stack's own database: the platformatic stack has another.
  const meter = new UsageMeter({ ...groups, ...shared, 'postgres (this database)': postgresBackendsOf(stack.databaseName) });
  const handlersBefore = await stack.handlerTimes();
  const start = performance.now();
  const run = await closedLoop(CONCURRENCY, CAPACITY_REPORTS, () => stack.post());
  const ids = acceptedIds(run);
  const wait = await boundedWait(() => stack.assignedAt.size, () => ids.every((id) => stack.assignedAt.has(id) || stack.merged.has(id)), 30_000, 900_000);
  const arrivals = ids.flatMap((id) => (stack.assignedAt.has(id) ? [stack.assignedAt.get(id)!] : []));
  const rate = carriedRate(arrivals.length, (Math.max(...arrivals) - start) / 1000);
  const accepted = carriedRate(ids.length, run.seconds);
  const usage = meter.stop();
  log(`  offered: ${describeTally(tally(run.outcomes))} in ${fmt(run.seconds)} s (intake took ${fmt(accepted)} reports/s while the rest ran)`);
  log(`  carried: ${fmt(rate)} reports/s POST → case.assigned; assigned ${arrivals.length}/${ids.length}, merged ${ids.filter((id) => stack.merged.has(id)).length}${wait.complete ? '' : `, not arrived ${ids.length - arrivals.length} (gave up after ${fmt(wait.waitedMs / 1000)} s)`}`);
  log('  per-stage handler time (mean per message):');
  const handlers = printHandlers(handlersBefore, await stack.handlerTimes());
  log('  CPU and memory over the run:');
  printUsage(usage);
  return { relayClient, rate, accepted, outcomes: tally(run.outcomes), assigned: arrivals.length, posted: ids.length, usage, handlers };
}

function writeResults(): void {
  mkdirSync('/tmp/gridcase-bench', { recursive: true });
  const file = `/tmp/gridcase-bench/${new Date().toISOString().replaceAll(':', '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nfigures written to ${file}`);
}

/** The four bare relays (both clients, both modes), started one after the other. */
async function startRelays(): Promise<BareRelay[]> {
  const started: BareRelay[] = [];
  for (const [client, mode] of RELAYS) started.push(await BareRelay.start(brokers, mode, HOPS, client));
  return started;
}

async function warmRelays(relays: BareRelay[]): Promise<void> {
  for (const bare of relays) await bare.send(50);
  const arrived = () => relays.reduce((n, r) => n + r.arrivedAt.size, 0);
  await boundedWait(arrived, () => arrived() >= 50 * relays.length, 15_000, 60_000);
}

/** Each relay's capacity: RELAY_MESSAGES produced at once, carried from the first send to the last arrival. */
async function relayCapacities(relays: BareRelay[], others: Record<string, ProcessMatcher>): Promise<Record<string, number>> {
  log(`\n== capacity: bare relays, ${HOPS} hops, ${RELAY_MESSAGES} messages produced at once`);
  const capacity: Record<string, number> = {};
  for (const bare of relays) {
    const meter = new UsageMeter({ [`bare relay (${bare.label})`]: nodeRunning('bare-relay.ts', bare.marker), ...others });
    const before = bare.arrivedAt.size;
    const keysFrom = bare.sentAt.size;
    const start = performance.now();
    for (let sent = 0; sent < RELAY_MESSAGES; sent += 500) await bare.send(Math.min(500, RELAY_MESSAGES - sent));
    const wait = await boundedWait(() => bare.arrivedAt.size, () => bare.arrivedAt.size - before >= RELAY_MESSAGES, 15_000, 300_000);
    const keys = [...bare.sentAt.keys()].slice(keysFrom);
    const arrivals = keys.flatMap((k) => (bare.arrivedAt.has(k) ? [bare.arrivedAt.get(k)!] : []));
    const rate = carriedRate(arrivals.length, (Math.max(...arrivals) - start) / 1000);
    capacity[bare.label] = rate;
    const usage = meter.stop();
    log(`  ${bare.label.padEnd(24)} carried ${fmt(rate).padStart(8)} msg/s   arrived ${arrivals.length}/${RELAY_MESSAGES}${wait.complete ? '' : ` (gave up after ${fmt(wait.waitedMs / 1000)} s)`}`);
    printUsage(usage);
    results[`relayCapacity.${bare.label}`] = { rate, arrived: arrivals.length, offered: RELAY_MESSAGES, usage };
  }
  return capacity;
}

/** `n` messages through a relay at `rate`/s, open loop, one a send; waits (at most `maxMs`) until those messages arrived. */
async function sendAndWait(bare: BareRelay, rate: number, n: number, maxMs: number) {
  const from = bare.sentAt.size;
  await openLoop(rate, n, async () => {
    await bare.send(1);
    return { status: 200, ms: 0 };
  });
  const keys = [...bare.sentAt.keys()].slice(from);
  const wait = await boundedWait(() => bare.arrivedAt.size, () => keys.every((k) => bare.arrivedAt.has(k)), 15_000, maxMs);
  return { keys, wait };
}

/** One relay's produce → arrival latency: `count` messages at `rate`/s, open loop, one message a send. */
async function relayLatency(bare: BareRelay, rate: number, count: number): Promise<LatencyFigures> {
  const warm = stepWarmUp(rate);
  if (warm > 0) await sendAndWait(bare, rate, warm, 60_000);
  const { keys, wait } = await sendAndWait(bare, rate, count, 120_000);
  const l = latencyOf(bare.sentAt, bare.arrivedAt, keys);
  log(`  bare ${bare.label.padEnd(24)} p50 ${fmt(l.p50).padStart(8)} ms  p99 ${fmt(l.p99).padStart(8)} ms  max ${fmt(l.max).padStart(8)} ms   arrived ${l.ms.length}/${keys.length}${wait.complete ? '' : ' (bounded wait ended)'}`);
  return { offeredRate: rate, sent: count, arrived: l.ms.length, missing: keys.length - l.ms.length, p50: l.p50, p99: l.p99, max: l.max };
}

/** `--only relays`: the bare relays' capacity, then their latency at each of --rates, without the stack or Postgres. */
async function relaysOnly(): Promise<void> {
  const rates = values.rates.split(',').map(Number);
  log(`broker ${brokers.join(',')}; relays only: ${RELAY_MESSAGES} messages for capacity, then ${rates.join(', ')} msg/s for ${LATENCY_SECONDS} s each`);
  const relays = await startRelays();
  const others: Record<string, ProcessMatcher> = {
    'kafka broker (shared)': (p) => p.cmdline.includes('kafka.Kafka'),
    'bench process': (p) => p.pid === process.pid,
  };
  try {
    await warmRelays(relays);
    await relayCapacities(relays, others);
    const latency: Record<string, Record<string, LatencyFigures>> = {};
    for (const rate of rates) {
      const count = Math.max(20, Math.round(rate * LATENCY_SECONDS));
      log(`\n== latency at ${fmt(rate)} msg/s for ${LATENCY_SECONDS} s (${count} each)`);
      const step: Record<string, LatencyFigures> = {};
      for (const bare of relays) step[`bare relay (${bare.label})`] = await relayLatency(bare, rate, count);
      latency[`${rate}/s`] = step;
    }
    results.latency = latency;
    results.loadAverageAtEnd = loadavg();
    log(`\nload average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await Promise.all(relays.map((r) => r.stop().catch(() => {})));
    writeResults();
  }
}

function acceptedIds(run: RunResult): string[] {
  return run.outcomes.flatMap((o: Outcome & { reportId?: string }) => (o.reportId ? [o.reportId] : []));
}
