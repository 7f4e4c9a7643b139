import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { LOCAL_SERVICE_ENV, SERVICE_NODE_FLAGS } from '@gridcase/service-kit/node-flags';
import { ADMIN_TOKEN } from './env.ts';
import { eventually } from './poll.ts';

import { SERVICES } from '../scripts/migrate-all.ts';

export { SERVICES };
export type ServiceName = (typeof SERVICES)[number];

const PORT_VARS: Record<ServiceName, string> = {
  intake: 'INTAKE_PORT',
  triage: 'TRIAGE_PORT',
  assignment: 'ASSIGNMENT_PORT',
  escalation: 'ESCALATION_PORT',
  desk: 'DESK_PORT',
};

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Test ports come from below the kernel's ephemeral range (32768–60999 here): a port the kernel hands
 * out for `listen(0)` is one it may also give to an outgoing connection (Kafka, Postgres) or to
 * another probe before our service binds it. Each worker of a vitest run (VITEST_POOL_ID, 1…) takes its
 * own slice, so two test files running at once in one run never pick the same port; a script outside
 * vitest (a bench) takes slice 0. Two vitest runs at once share slices and rely on the bind check alone.
 */
const PORT_FLOOR = 20_000;
const PORTS_PER_SLICE = 600;
const SLICES = 20;
const slice = Number(process.env.VITEST_POOL_ID) || 0;
let nextInSlice = 0;

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A port nothing listens on now, and none of the last 600 this process handed out: a stack asks for all its
 * ports before any service binds one (the kernel once gave two services of one stack the same port:
 * EADDRINUSE at start).
 */
export async function freePort(): Promise<number> {
  if (slice >= SLICES) throw new Error(`freePort: vitest worker ${slice} has no port slice of its own (${SLICES - 1} workers at most: --maxWorkers=${SLICES - 1})`);
  for (let tried = 0; tried < PORTS_PER_SLICE; tried++) {
    const port = PORT_FLOOR + slice * PORTS_PER_SLICE + (nextInSlice++ % PORTS_PER_SLICE);
    if (await isFree(port)) return port;
  }
  throw new Error(`freePort: no free port in ${PORT_FLOOR + slice * PORTS_PER_SLICE}–${PORT_FLOOR + (slice + 1) * PORTS_PER_SLICE - 1}`);
}

export interface StackOptions {
  /** Processes per service (default 1); instance 0 listens on `ports[service]`. */
  instances?: Partial<Record<ServiceName, number>>;
  /** Where the logs go (default /tmp/gridcase-e2e/<prefix>). */
  logDir?: string;
}

/**
 * The five services as real processes on one isolated database and topic prefix, for end-to-end
 * tests. Each process's output goes to a log file under /tmp/gridcase-e2e/<prefix>/ (instance 0 as
 * <service>.log, instance n as <service>-<n>.log).
 */
export class Stack {
  readonly env: Record<string, string>;
  readonly ports: Record<ServiceName, number>;
  /** Every instance's port, by service; instancePorts[s][0] === ports[s]. */
  readonly instancePorts: Record<ServiceName, number[]>;
  readonly logDir: string;
  private readonly processes = new Map<string, ChildProcess>();

  private constructor(env: Record<string, string>, instancePorts: Record<ServiceName, number[]>, logDir?: string) {
    this.env = env;
    this.instancePorts = instancePorts;
    this.ports = Object.fromEntries(SERVICES.map((s) => [s, instancePorts[s][0]!])) as Record<ServiceName, number>;
    this.logDir = logDir ?? `/tmp/gridcase-e2e/${env.KAFKA_TOPIC_PREFIX!.replace(/\.$/, '')}`;
    mkdirSync(this.logDir, { recursive: true });
  }

  /** `makeEnv` isolates the stack: harness.isolatedEnv in tests, env.stackEnv in scripts. */
  static async start(
    makeEnv: (extra: Record<string, string>) => Promise<Record<string, string>>,
    extraEnv: Record<string, string> = {},
    options: StackOptions = {},
  ): Promise<Stack> {
    const instancePorts = {} as Record<ServiceName, number[]>;
    for (const s of SERVICES) {
      instancePorts[s] = [];
      for (let i = 0; i < (options.instances?.[s] ?? 1); i++) instancePorts[s].push(await freePort());
    }
    const env = await makeEnv({
      INTAKE_URL: `http://127.0.0.1:${instancePorts.intake[0]}`,
      // The desk page reads categories and grid maps from triage and assignment through the desk.
      TRIAGE_URL: `http://127.0.0.1:${instancePorts.triage[0]}`,
      ASSIGNMENT_URL: `http://127.0.0.1:${instancePorts.assignment[0]}`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...extraEnv,
    });
    const stack = new Stack(env, instancePorts, options.logDir);
    const startAll = (s: ServiceName) => Promise.all(instancePorts[s].map((_, i) => stack.startService(s, i)));
    // Intake first: the others refresh revoked tokens from it. Then the rest together.
    try {
      await startAll('intake');
      await Promise.all(SERVICES.filter((s) => s !== 'intake').map(startAll));
    } catch (err) {
      // A stack that did not start leaves no process behind: the caller never gets it to stop.
      await stack.stop().catch(() => {});
      throw err;
    }
    return stack;
  }

  url(service: ServiceName, path = '', instance = 0): string {
    return `http://127.0.0.1:${this.instancePorts[service][instance]}${path}`;
  }

  logFile(service: ServiceName, instance = 0): string {
    return `${this.logDir}/${service}${instance ? `-${instance}` : ''}.log`;
  }

  /** Process ids of the running instances, for scenarios that kill from outside. */
  pids(): number[] {
    return [...this.processes.values()].filter((c) => c.exitCode === null && c.signalCode === null).map((c) => c.pid!);
  }

  async startService(service: ServiceName, instance = 0): Promise<void> {
    const logFile = this.logFile(service, instance);
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, `${root}services/${service}/src/main.ts`], {
      env: { ...LOCAL_SERVICE_ENV, ...this.env, [PORT_VARS[service]]: String(this.instancePorts[service][instance]) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.processes.set(`${service}#${instance}`, child);
    await eventually(
      `${service} to be ready (log: ${logFile})`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}`);
        const res = await fetch(this.url(service, '/readyz', instance)).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      // A start on a loaded 2-core machine took 19 s, one beside a killed instance of its group longer
      // (its consumers wait for the group to rebalance): a bound, not an expectation.
      120_000,
    );
  }

  /** Kills a service instance the hard way (SIGKILL by default) and waits for it to be gone. */
  async kill(service: ServiceName, signal: NodeJS.Signals = 'SIGKILL', instance = 0): Promise<void> {
    const child = this.processes.get(`${service}#${instance}`);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await gone;
  }

  async restart(service: ServiceName, instance = 0): Promise<void> {
    await this.kill(service, 'SIGKILL', instance);
    await this.startService(service, instance);
  }

  async stop(): Promise<void> {
    await Promise.all(
      SERVICES.flatMap((s) => this.instancePorts[s].map((_, i) => this.kill(s, 'SIGTERM', i))),
    );
  }

  /** fetch against a service with the admin token unless another is given. */
  async call(
    service: ServiceName,
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; headers?: Record<string, string>; instance?: number } = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const token = options.token === undefined ? ADMIN_TOKEN : options.token;
    const res = await fetch(this.url(service, path, options.instance), {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (metrics, HTML): keep the text.
    }
    return { status: res.status, body, headers: res.headers };
  }
}
