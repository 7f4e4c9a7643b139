// The dev supervisor behind `infra/dev up` / `down`: runs every service instance, restarts one
// that exits (with backoff), as an orchestrator would.
//
//   node infra/scripts/supervise.ts start   start the supervisor in the background unless one runs
//   node infra/scripts/supervise.ts run     the supervisor itself, in the foreground
//   node infra/scripts/supervise.ts wait    wait (bounded) until every instance answers /readyz 200
//   node infra/scripts/supervise.ts status  one line per instance; exit 0 if the supervisor runs
//   node infra/scripts/supervise.ts stop    stop the supervisor (it stops its services), then any
//                                           instance left over from a supervisor killed with -9
//
// Files in GRIDCASE_RUN_DIR (default /tmp/gridcase-run): supervisor.pid, supervisor.log,
// instances.json (the running plan: name, port, url, pid, restarts, last exit; rewritten on every
// change), <name>.pid and <name>.log per instance (`desk`, `desk-2`, …). Ports and timings:
// supervise-plan.ts. Processes are recognised by their command line and a GRIDCASE_INSTANCE
// marker in their environment, never by a pid file alone (pids are reused after a reboot).
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCAL_SERVICE_ENV, SERVICE_NODE_FLAGS } from '@gridcase/service-kit/node-flags';
import { type Instance, type Plan, PlanError, planFromEnv, restartDelay } from './supervise-plan.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const runDir = resolve(process.env.GRIDCASE_RUN_DIR || '/tmp/gridcase-run');
const files = {
  pid: `${runDir}/supervisor.pid`,
  log: `${runDir}/supervisor.log`,
  state: `${runDir}/instances.json`,
  instanceLog: (name: string) => `${runDir}/${name}.log`,
  instancePid: (name: string) => `${runDir}/${name}.pid`,
};
const marker = (name: string) => `${runDir}/${name}`;

interface InstanceState extends Instance {
  url: string;
  log: string;
  pid: number | null;
  restarts: number;
  lastExit: { code: number | null; signal: string | null; at: string; uptimeMs: number } | null;
}
interface State {
  supervisorPid: number;
  runDir: string;
  instances: InstanceState[];
}

function say(message: string): void {
  console.log(`${new Date().toISOString()} supervisor: ${message}`);
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The arguments of a live process, or undefined. */
function args(pid: number): string[] | undefined {
  return read(`/proc/${pid}/cmdline`)?.split('\0');
}

function supervisorPid(): number | undefined {
  const pid = Number(read(files.pid));
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  // The run dir is an argument of the supervisor, so two stacks' supervisors never mix.
  const a = args(pid);
  return a?.includes(self) && a.includes(runDir) ? pid : undefined;
}

/** Service processes started by a supervisor of this run dir (found by their environment marker). */
function strayInstances(): { pid: number; name: string }[] {
  const found: { pid: number; name: string }[] = [];
  const prefix = `GRIDCASE_INSTANCE=${runDir}/`;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const env = read(`/proc/${pid}/environ`);
    const hit = env?.split('\0').find((kv) => kv.startsWith(prefix));
    if (hit && args(pid)?.some((a) => a.endsWith('/src/main.ts'))) found.push({ pid, name: hit.slice(prefix.length) });
  }
  return found;
}

async function stopStrays(plan: Plan, why: string): Promise<void> {
  const strays = strayInstances();
  for (const stray of strays) say(`stopping ${stray.name} (pid ${stray.pid}), ${why}`);
  await Promise.all(strays.map((stray) => terminate(stray.pid, plan.stopTimeoutMs)));
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process is gone. */
async function terminate(pid: number, timeoutMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (!alive(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (alive(pid)) await sleep(50);
}

function writeState(state: State): void {
  const tmp = `${files.state}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, files.state);
}

function readState(): State | undefined {
  const text = read(files.state);
  return text ? (JSON.parse(text) as State) : undefined;
}

/** One line in pino's shape, so the service's log stays one JSON object per line. */
function serviceLogLine(inst: InstanceState, level: number, msg: string, extra: object = {}): void {
  const line = { level, time: new Date().toISOString(), pid: process.pid, service: inst.service, name: inst.service, instance: inst.name, source: 'supervisor', ...extra, msg };
  appendFileSync(inst.log, `${JSON.stringify(line)}\n`);
}

async function run(plan: Plan): Promise<void> {
  mkdirSync(runDir, { recursive: true });
  const existing = supervisorPid();
  if (existing !== undefined && existing !== process.pid) throw new PlanError(`a supervisor already runs for ${runDir} (pid ${existing})`);
  writeFileSync(files.pid, `${process.pid}\n`);

  // Instances left by a supervisor killed with -9 still hold their ports: stop them first.
  await stopStrays(plan, 'left over from a previous supervisor');

  const state: State = {
    supervisorPid: process.pid,
    runDir,
    instances: plan.instances.map((i) => ({
      ...i,
      url: `http://${plan.probeHost}:${i.port}`,
      log: files.instanceLog(i.name),
      pid: null,
      restarts: 0,
      lastExit: null,
    })),
  };
  const children = new Map<string, ChildProcess>();
  const timers = new Map<string, NodeJS.Timeout>();
  const delays = new Map<string, number>();
  let stopping = false;

  const launch = (inst: InstanceState) => {
    timers.delete(inst.name);
    if (stopping) return;
    const startedAt = Date.now();
    const fd = openSync(inst.log, 'a');
    // The child writes its log file directly: it keeps logging if the supervisor dies.
    // The register file starts OpenTelemetry before main.ts's imports load; it does nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', `${root}packages/service-kit/src/tracing-register.ts`, `${root}services/${inst.service}/src/main.ts`], {
      cwd: root,
      env: { ...LOCAL_SERVICE_ENV, ...process.env, [inst.portVar]: String(inst.port), INTAKE_URL: plan.intakeUrl, GRIDCASE_INSTANCE: marker(inst.name) },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    children.set(inst.name, child);
    inst.pid = child.pid ?? null;
    if (child.pid) writeFileSync(files.instancePid(inst.name), `${child.pid}\n`);
    writeState(state);
    let exited = false;
    const onExit = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = true;
      children.delete(inst.name);
      rmSync(files.instancePid(inst.name), { force: true });
      const uptimeMs = Date.now() - startedAt;
      inst.pid = null;
      inst.lastExit = { code, signal, at: new Date().toISOString(), uptimeMs };
      if (stopping) {
        writeState(state);
        return;
      }
      const delay = restartDelay(plan.restart, delays.get(inst.name), uptimeMs);
      delays.set(inst.name, delay);
      inst.restarts += 1;
      writeState(state);
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      const msg = `${inst.name} exited (${how}) after ${uptimeMs} ms; restart ${inst.restarts} in ${delay} ms`;
      say(msg);
      serviceLogLine(inst, 40, `supervisor: ${msg}`, { exitCode: code, signal, restartInMs: delay });
      timers.set(inst.name, setTimeout(() => launch(inst), delay));
    };
    child.once('exit', onExit);
    // Spawn failures (e.g. node vanished) count as an exit, so they back off too.
    child.once('error', (err) => {
      serviceLogLine(inst, 50, `supervisor: could not start ${inst.name}: ${err.message}`);
      onExit(null, null);
    });
  };

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping ${children.size} instance(s)`);
    for (const t of timers.values()) clearTimeout(t);
    await Promise.all(
      [...children.values()].map((c) => (c.pid ? terminate(c.pid, plan.stopTimeoutMs) : Promise.resolve())),
    );
    rmSync(files.pid, { force: true });
    say('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));

  say(
    `pid ${process.pid}, run dir ${runDir}: ${state.instances.map((i) => `${i.name}:${i.port}`).join(' ')} ` +
      `(restart backoff ${plan.restart.minMs}..${plan.restart.maxMs} ms, reset after ${plan.restart.resetAfterMs} ms)`,
  );
  // Intake first: the others fetch the revoked-token list from it.
  for (const inst of state.instances.filter((i) => i.service === 'intake')) launch(inst);
  for (const inst of state.instances.filter((i) => i.service !== 'intake')) launch(inst);
}

/** Starts `run` detached, logging to supervisor.log, unless a supervisor already runs here. */
async function start(): Promise<void> {
  mkdirSync(runDir, { recursive: true });
  const existing = supervisorPid();
  if (existing !== undefined) {
    say(`already running (pid ${existing}); nothing changed (run dir ${runDir})`);
    return;
  }
  const fd = openSync(files.log, 'a');
  const child = spawn(process.execPath, [self, 'run', runDir], { cwd: root, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  // Wait for its pid file, so that `wait` and a second `start` see it.
  const deadline = Date.now() + 10_000;
  while (supervisorPid() !== child.pid) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new PlanError(`the supervisor did not start; last lines of ${files.log}:\n${tail(files.log, 20)}`);
    }
    await sleep(50);
  }
  say(`started (pid ${child.pid}), log ${files.log}`);
}

function tail(path: string, lines: number): string {
  const text = read(path)?.trimEnd();
  return text ? text.split('\n').slice(-lines).join('\n') : '(log empty or missing)';
}

async function probe(url: string): Promise<{ ok: boolean; answer: string }> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3000) });
    const body = (await res.text()).slice(0, 500);
    return { ok: res.ok, answer: `${res.status} ${body}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, answer: `no answer (${cause ?? (err as Error).message})` };
  }
}

/** Waits until every instance of the running supervisor answers /readyz with 200. */
async function waitReady(plan: Plan): Promise<boolean> {
  const deadline = Date.now() + plan.readyTimeoutS * 1000;
  let answers = new Map<string, string>();
  let nextReport = Date.now() + 15_000;
  for (;;) {
    const state = readState();
    if (supervisorPid() === undefined || !state) {
      console.error(`supervisor: not running; last lines of ${files.log}:\n${tail(files.log, 20)}`);
      return false;
    }
    const results = await Promise.all(state.instances.map(async (i) => ({ i, ...(await probe(i.url)) })));
    answers = new Map(results.filter((r) => !r.ok).map((r) => [r.i.name, r.answer]));
    if (answers.size === 0) {
      for (const i of state.instances) say(`${i.name.padEnd(14)} ${i.url}/  ready (pid ${i.pid})`);
      return true;
    }
    if (Date.now() > deadline) {
      console.error(`supervisor: not ready after ${plan.readyTimeoutS} s (GRIDCASE_READY_TIMEOUT); the supervisor keeps trying.`);
      for (const i of state.instances.filter((x) => answers.has(x.name))) {
        const exit = i.lastExit ? `, last exit ${i.lastExit.signal ?? `code ${i.lastExit.code}`} at ${i.lastExit.at}` : '';
        console.error(`\n${i.name}: GET ${i.url}/readyz → ${answers.get(i.name)} (pid ${i.pid ?? 'none'}, ${i.restarts} restart(s)${exit})`);
        console.error(`---- last lines of ${i.log} ----\n${tail(i.log, 6)}`);
      }
      return false;
    }
    // A service that keeps crashing (a config error, say) should not look like a silent hang.
    if (Date.now() >= nextReport) {
      nextReport = Date.now() + 15_000;
      const waiting = state.instances.filter((i) => answers.has(i.name));
      say(`waiting for ${waiting.map((i) => `${i.name} (${i.restarts} restart(s))`).join(', ')}`);
    }
    await sleep(500);
  }
}

function status(): boolean {
  const pid = supervisorPid();
  const state = readState();
  say(pid ? `running (pid ${pid}), run dir ${runDir}` : `not running (run dir ${runDir})`);
  if (pid && state) {
    for (const i of state.instances) {
      const up = i.pid !== null && alive(i.pid) ? `pid ${i.pid}` : 'down';
      console.log(`  ${i.name.padEnd(14)} :${i.port}  ${up}, ${i.restarts} restart(s)`);
    }
  }
  return pid !== undefined;
}

async function stop(plan: Plan): Promise<void> {
  mkdirSync(runDir, { recursive: true });
  const pid = supervisorPid();
  if (pid !== undefined) {
    say(`stopping the supervisor (pid ${pid}) and its instances`);
    // The supervisor's own bound plus a margin, before it is killed too.
    await terminate(pid, plan.stopTimeoutMs + 5000);
  } else {
    say('supervisor not running');
  }
  await stopStrays(plan, 'left without a supervisor');
  for (const name of readdirSync(runDir, { withFileTypes: true })) {
    if (name.isFile() && name.name.endsWith('.pid')) rmSync(`${runDir}/${name.name}`, { force: true });
  }
  say('stopped');
}

if (import.meta.main) {
  const command = process.argv[2];
  try {
    const plan = planFromEnv(process.env);
    if (command === 'run') await run(plan);
    else if (command === 'start') await start();
    else if (command === 'wait') process.exitCode = (await waitReady(plan)) ? 0 : 1;
    else if (command === 'status') process.exitCode = status() ? 0 : 3;
    else if (command === 'stop') await stop(plan);
    else {
      console.error('usage: node infra/scripts/supervise.ts start|run|wait|status|stop');
      process.exitCode = 2;
    }
  } catch (err) {
    if (!(err instanceof PlanError)) throw err;
    console.error(`supervisor: ${err.message}`);
    process.exitCode = 1;
  }
}
