/**
 * A service whose database or broker is away when it starts: it opens its port at once (/healthz 200,
 * /readyz 503 naming the part it waits for, business routes 503 with Retry-After), keeps trying, and
 * becomes ready when the part comes. Intake as a real process: the start-up path is every service's
 * (service-kit's startRuntime). The database "comes" through a TCP proxy this test starts late.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, connect, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { LOCAL_SERVICE_ENV, SERVICE_NODE_FLAGS } from '@gridcase/service-kit/node-flags';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, isolatedEnv } from '../harness.ts';
import { freePort } from '../stack.ts';

const main = fileURLToPath(new URL('../../../services/intake/src/main.ts', import.meta.url));

interface Started {
  child: ChildProcess;
  url: (path: string) => string;
  output: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const proxies: Server[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(proxies.splice(0).map((p) => new Promise((resolve) => p.close(resolve))));
});

async function startIntake(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, main], {
    env: { ...LOCAL_SERVICE_ENV, ...env, INTAKE_PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: (path) => `http://127.0.0.1:${port}${path}`, output: () => output, exited };
}

/** /readyz's answer once it is a 503 whose `failing` names `part`. */
async function notReadyNaming(started: Started, part: string): Promise<{ detail: string; failing: Record<string, string> }> {
  const seen = await eventually(`/readyz to name ${part}`, async () => {
    if (started.child.exitCode !== null) return { exitCode: started.child.exitCode };
    const res = await fetch(started.url('/readyz')).catch(() => undefined);
    if (res?.status !== 503) return undefined;
    const body = (await res.json()) as { detail: string; failing: Record<string, string> };
    return body.failing[part] ? body : undefined;
  });
  if ('exitCode' in seen) throw new Error(`intake exited with ${seen.exitCode}: ${started.output().slice(-2000)}`);
  return seen;
}

/** Forwards every connection on a port to `target` (host:port): the database arriving late. */
async function proxyTo(port: number, target: URL): Promise<void> {
  const server = createServer((socket) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  proxies.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

describe('a service whose dependencies are away at start', () => {
  it('answers /healthz, names the database on /readyz and 503s business routes until the database comes, then is ready', async () => {
    const env = await isolatedEnv();
    const real = new URL(env.DATABASE_URL!);
    const dbPort = await freePort();
    const away = new URL(env.DATABASE_URL!);
    away.host = `127.0.0.1:${dbPort}`;
    const started = await startIntake({ ...env, DATABASE_URL: away.toString() });

    const { detail, failing } = await notReadyNaming(started, 'database');
    expect(failing.database).toMatch(/^connecting: .*ECONNREFUSED/);
    expect(detail).toMatch(/not ready: .*database \(connecting: .*ECONNREFUSED\)/);
    const health = await fetch(started.url('/healthz'));
    expect(health.status).toBe(200);
    const report = await fetch(started.url('/v1/reports'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(report.status).toBe(503);
    expect(report.headers.get('retry-after')).toBe('5');
    expect(report.headers.get('content-type')).toContain('application/problem+json');
    expect(((await report.json()) as { detail: string }).detail).toMatch(/database/);
    // Each failed attempt is logged once, with the wait before the next.
    expect(started.output()).toMatch(/"dependency":"database","attempt":1,"retryInMs":500/);

    await proxyTo(dbPort, real);
    await eventually(`/readyz 200 once the database is there (output: ${started.output().slice(-2000)})`, async () => {
      const res = await fetch(started.url('/readyz')).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    }, 60_000);
    expect((await fetch(started.url('/healthz'))).status).toBe(200);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  });

  it('names kafka while the broker is away, and exits 0 at once on SIGTERM while waiting', async () => {
    const env = await isolatedEnv();
    const started = await startIntake({ ...env, KAFKA_BROKERS: `127.0.0.1:${await freePort()}` });
    const { failing } = await notReadyNaming(started, 'kafka');
    expect(failing.kafka).toMatch(/^connecting: .*ECONNREFUSED/);
    expect((await fetch(started.url('/healthz'))).status).toBe(200);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(started.output()).toContain('intake stopped while starting');
  });

  it('gives up with exit 1 naming the part past STARTUP_DEPENDENCY_TIMEOUT_MS', async () => {
    const env = await isolatedEnv();
    const away = new URL(env.DATABASE_URL!);
    away.host = `127.0.0.1:${await freePort()}`;
    const started = await startIntake({ ...env, DATABASE_URL: away.toString(), STARTUP_DEPENDENCY_TIMEOUT_MS: '1000' });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/database still unreachable at the end of STARTUP_DEPENDENCY_TIMEOUT_MS/);
  });
});
