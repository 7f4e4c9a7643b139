import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../infra/test/poll.ts';
import { TokenSigner } from '../src/auth.ts';
import { buildHttp } from '../src/http.ts';
import { capturedLogger } from './log-sink.ts';

const ADMIN = 'admin-token-0123456789';
const signer = new TokenSigner(ADMIN);
const client = { authorization: `Bearer ${signer.issue({ clientId: 'c1', name: 'hotline', roles: ['reporter'] })}` };

/** A stand-in for pg.Pool's queue of checkouts waiting for a connection. */
const pool = { waitingCount: 0 };
const busyLoops: NodeJS.Timeout[] = [];

afterEach(() => {
  pool.waitingCount = 0;
  for (const t of busyLoops.splice(0)) clearInterval(t);
});

async function sheddingApp(maxEventLoopDelayMs = 60_000) {
  const { logger, text } = capturedLogger();
  const app = await buildHttp({ service: 'test', logger, signer, readiness: {}, shedding: { pool, maxPoolWaiting: 5, maxEventLoopDelayMs } });
  app.post('/v1/reports', { config: { roles: ['reporter'], scope: 'own' } }, async () => ({ ok: true }));
  app.get('/v1/slow-pool', { config: { roles: ['reporter'], scope: 'own' } }, async () => {
    // What pg-pool throws when no connection came within connectionTimeoutMillis, wrapped as drizzle wraps it.
    throw Object.assign(new Error('Failed query: insert into …'), { cause: new Error('timeout exceeded when trying to connect') });
  });
  return { app, log: text };
}

describe('load shedding', () => {
  it('answers 503 with Retry-After at once while too many requests wait for a database connection, and serves health and metrics', async () => {
    const { app } = await sheddingApp();
    expect((await app.inject({ method: 'POST', url: '/v1/reports', headers: client })).statusCode).toBe(200);

    pool.waitingCount = 6;
    const shed = await app.inject({ method: 'POST', url: '/v1/reports', headers: client });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('2');
    expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shed.json()).toMatchObject({ type: 'urn:gridcase:problem:unavailable', status: 503, detail: expect.stringMatching(/over capacity/) });
    // Shed before authentication: even a request without a token learns only that it should come back.
    expect((await app.inject({ method: 'POST', url: '/v1/reports' })).statusCode).toBe(503);
    for (const url of ['/healthz', '/readyz', '/metrics']) expect((await app.inject({ url })).statusCode, url).toBe(200);
    // Operators are never turned away (the rate limit spares the root token too).
    expect((await app.inject({ method: 'POST', url: '/v1/reports', headers: { authorization: `Bearer ${ADMIN}` } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).body).toMatch(/gridcase_http_shed_total\{reason="poolWaiting"\} [1-9]/);

    pool.waitingCount = 5;
    expect((await app.inject({ method: 'POST', url: '/v1/reports', headers: client })).statusCode).toBe(200);
  });

  it('answers a database connection not obtained in time with 503 and Retry-After, not 500, and logs no error for it', async () => {
    const { app, log } = await sheddingApp();
    const res = await app.inject({ url: '/v1/slow-pool', headers: client });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json().detail).toMatch(/over capacity/);
    expect(log()).not.toMatch(/"level":50/);
  });

  it('sheds while the event loop lags past its bound (@fastify/under-pressure), and serves again once it does not', async () => {
    const { app } = await sheddingApp(5);
    // Keeps the loop busy 30 ms of every 40: the mean delay over under-pressure's one-second sample exceeds 5 ms.
    busyLoops.push(
      setInterval(() => {
        const until = performance.now() + 30;
        while (performance.now() < until) {}
      }, 40),
    );
    const shed = await eventually('a request shed for event-loop delay', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/reports', headers: client });
      return res.statusCode === 503 ? res : undefined;
    });
    expect(shed.headers['retry-after']).toBe('2');
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    for (const t of busyLoops.splice(0)) clearInterval(t);
    await eventually('requests served again', async () =>
      (await app.inject({ method: 'POST', url: '/v1/reports', headers: client })).statusCode === 200 ? true : undefined,
    );
    await app.close();
  });
});
