import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The five services as real processes on one isolated database and topic prefix, for end-to-end
 * tests. Each process's output goes to a log file under /tmp/gridcase-e2e/<prefix>/.
 */
export class Stack {
  readonly env: Record<string, string>;
  readonly ports: Record<ServiceName, number>;
  readonly logDir: string;
  private readonly processes = new Map<ServiceName, ChildProcess>();

  private constructor(env: Record<string, string>, ports: Record<ServiceName, number>) {
    this.env = env;
    this.ports = ports;
    this.logDir = `/tmp/gridcase-e2e/${env.KAFKA_TOPIC_PREFIX!.replace(/\.$/, '')}`;
    mkdirSync(this.logDir, { recursive: true });
  }

  /** `makeEnv` isolates the stack: harness.isolatedEnv in tests, env.stackEnv in scripts. */
  static async start(
    makeEnv: (extra: Record<string, string>) => Promise<Record<string, string>>,
    extraEnv: Record<string, string> = {},
  ): Promise<Stack> {
    const ports = {} as Record<ServiceName, number>;
    for (const s of SERVICES) ports[s] = await freePort();
    const env = await makeEnv({
      INTAKE_URL: `http://127.0.0.1:${ports.intake}`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...extraEnv,
    });
    const stack = new Stack(env, ports);
    // Intake first: the others refresh revoked tokens from it. Then the rest together.
    await stack.startService('intake');
    await Promise.all(SERVICES.filter((s) => s !== 'intake').map((s) => stack.startService(s)));
    return stack;
  }

  url(service: ServiceName, path = ''): string {
    return `http://127.0.0.1:${this.ports[service]}${path}`;
  }

  async startService(service: ServiceName): Promise<void> {
    const log = createWriteStream(`${this.logDir}/${service}.log`, { flags: 'a' });
    const child = spawn(process.execPath, [`${root}services/${service}/src/main.ts`], {
      env: { ...this.env, [PORT_VARS[service]]: String(this.ports[service]) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.processes.set(service, child);
    await eventually(
      `${service} to be ready (log: ${this.logDir}/${service}.log)`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}`);
        const res = await fetch(this.url(service, '/readyz')).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      60_000,
    );
  }

  /** Kills a service the hard way (SIGKILL by default) and waits for it to be gone. */
  async kill(service: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.processes.get(service);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await gone;
  }

  async restart(service: ServiceName): Promise<void> {
    await this.kill(service);
    await this.startService(service);
  }

  async stop(): Promise<void> {
    await Promise.all(SERVICES.map((s) => this.kill(s, 'SIGTERM')));
  }

  /** fetch against a service with the admin token unless another is given. */
  async call(
    service: ServiceName,
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const token = options.token === undefined ? ADMIN_TOKEN : options.token;
    const res = await fetch(this.url(service, path), {
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
