import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, refusedLogin, StartupGate, waitFor } from '../src/startup.ts';
import { capturedLogger } from './log-sink.ts';

describe('backoffMs', () => {
  it('doubles from 500 ms and stops at 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffMs(n))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });
});

describe('StartupGate', () => {
  const gates: StartupGate[] = [];
  afterEach(() => {
    for (const gate of gates.splice(0)) gate.close();
  });

  async function open() {
    const gate = new StartupGate('intake');
    gates.push(gate);
    const port = await gate.listen('127.0.0.1', 0, 30_000);
    return { gate, url: (path: string) => `http://127.0.0.1:${port}${path}` };
  }

  it('answers /healthz 200, /readyz 503 naming each part not up, and 503 with Retry-After elsewhere', async () => {
    const { gate, url } = await open();
    gate.set('database', 'connecting: Error ECONNREFUSED');
    gate.set('kafka', 'ensuring topics');
    expect((await fetch(url('/healthz?probe=1'))).status).toBe(200);
    const ready = await fetch(url('/readyz'));
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toBe('application/problem+json');
    expect(await ready.json()).toMatchObject({
      status: 503,
      detail: 'not ready: database (connecting: Error ECONNREFUSED); kafka (ensuring topics)',
      failing: { database: 'connecting: Error ECONNREFUSED', kafka: 'ensuring topics' },
    });
    gate.done('database');
    const route = await fetch(url('/v1/reports'), { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(route.status).toBe(503);
    expect(route.headers.get('retry-after')).toBe('5');
    expect(route.headers.get('content-type')).toBe('application/problem+json');
    expect(((await route.json()) as { detail: string }).detail).toBe('intake is starting and not ready yet: kafka (ensuring topics); retry later');
  });

  it("answers a browser's navigation with a page that says the service is starting and reloads itself (audit 23 #5)", async () => {
    const { gate, url } = await open();
    gate.set('database', 'migrating');
    const page = await fetch(url('/'), { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('5');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<meta http-equiv="refresh" content="5">');
    expect(html).toContain('服务正在启动');
    expect(html).not.toContain('migrating');
    // An API client still gets problem+json.
    const api = await fetch(url('/v1/cases'), { headers: { accept: 'application/json' } });
    expect(api.headers.get('content-type')).toBe('application/problem+json');
  });

  it('frees its port on close', async () => {
    const { gate, url } = await open();
    gate.close();
    await expect(fetch(url('/healthz'))).rejects.toThrow();
  });
});

describe('waitFor', () => {
  const options = (deadline?: number) => ({ gate: new StartupGate('intake'), logger: capturedLogger().logger, signal: new AbortController().signal, deadline });
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5439'), { code: 'ECONNREFUSED' });

  it('fails at once on an error that is not the dependency being away', async () => {
    let attempts = 0;
    const attempt = async () => {
      attempts++;
      throw new Error('migration 0003 failed');
    };
    await expect(waitFor('database', attempt, options())).rejects.toThrow('migration 0003 failed');
    expect(attempts).toBe(1);
  });

  it('gives up naming the part once the next wait would pass the deadline', async () => {
    const opts = options(Date.now() + 100);
    await expect(waitFor('database', async () => Promise.reject(refused()), opts)).rejects.toThrow(
      'database still unreachable at the end of STARTUP_DEPENDENCY_TIMEOUT_MS: Error ECONNREFUSED',
    );
    expect(opts.gate.pending).toEqual({ database: 'connecting: Error ECONNREFUSED' });
  });

  it('fails at once, naming DATABASE_URL, when the database refuses the login (audit 24 #2)', async () => {
    let attempts = 0;
    // What pg throws for a role the server does not have (trust auth), or a wrong password (28P01).
    const attempt = async () => {
      attempts++;
      throw Object.assign(new Error('role "nouser" does not exist'), { code: '28000', routine: 'InitializeSessionUserId' });
    };
    await expect(waitFor('database', attempt, { ...options(), fatal: refusedLogin })).rejects.toThrow(
      'DATABASE_URL: the database refused the login (SQLSTATE 28000: role "nouser" does not exist); fix the user or password',
    );
    expect(attempts).toBe(1);
    // The same error is still the database away for whoever does not call it fatal (a running service: a password being rotated).
    const opts = options(Date.now() + 100);
    await expect(waitFor('database', attempt, opts)).rejects.toThrow('database still unreachable at the end of STARTUP_DEPENDENCY_TIMEOUT_MS');
    expect(refusedLogin(refused())).toBeUndefined();
  });

  it('retries while the dependency is away, then clears the part', async () => {
    const opts = options();
    let attempts = 0;
    await waitFor(
      'database',
      async () => {
        attempts++;
        if (attempts === 1) throw refused();
      },
      opts,
    );
    expect(attempts).toBe(2);
    expect(opts.gate.pending).toEqual({});
  });
});
