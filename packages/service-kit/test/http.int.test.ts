import { request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { createDb, createPool } from '@gridcase/db';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../../infra/test/harness.ts';
import { TokenSigner } from '../src/auth.ts';
import { buildHttp } from '../src/http.ts';
import { capturedLogger } from './log-sink.ts';

const ADMIN = 'admin-token-0123456789';
const PHONE = '13987654321';
const auth = { authorization: `Bearer ${ADMIN}` };

describe('service-kit HTTP against a real Postgres', () => {
  let pool: pg.Pool;
  let downPool: pg.Pool;

  beforeAll(async () => {
    const env = await isolatedEnv();
    pool = createPool(env.DATABASE_URL!, { max: 2 });
    await pool.query('create table sk_reporters (id int primary key, phone_digits bigint, phone text unique)');
    // Nothing listens on port 1: every connection attempt is refused, as in an outage.
    downPool = createPool('postgres://postgres@127.0.0.1:1/postgres', { max: 1 });
  });

  afterAll(async () => {
    await pool?.end();
    await downPool?.end();
  });

  async function app(logger = capturedLogger().logger) {
    const http = await buildHttp({ service: 'sk-int', logger, signer: new TokenSigner(ADMIN), readiness: {} });
    const db = createDb(pool);
    // A failed drizzle query: its message carries the SQL with the phone literal, pg's message quotes it too.
    const access = { config: { roles: ['admin'], scope: 'none' } } as const;
    http.post('/drizzle', access, async () => {
      await db.execute(`insert into sk_reporters (id, phone_digits) values (1, '${PHONE}x')`);
      return {};
    });
    http.post('/unique', access, async () => {
      await pool.query('insert into sk_reporters (id, phone) values ($1, $2)', [Math.floor(Math.random() * 1e9), PHONE]);
      return {};
    });
    http.get('/down', access, async () => (await downPool.query('select 1')).rows);
    return http;
  }

  it('logs a failed insert by SQLSTATE and query head, never the phone number it carried', async () => {
    const { logger, text } = capturedLogger();
    const http = await app(logger);
    const res = await http.inject({ method: 'POST', url: '/drizzle', headers: auth });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain(PHONE);

    await http.inject({ method: 'POST', url: '/unique', headers: auth });
    const dup = await http.inject({ method: 'POST', url: '/unique', headers: auth });
    expect(dup.statusCode).toBe(500);
    try {
      await pool.query('insert into sk_reporters (id, phone) values ($1, $2)', [-1, PHONE]);
    } catch (err) {
      logger.error({ err }, 'direct');
      logger.error(err);
    }
    const out = text();
    expect(out).toContain('"code":"22P02"');
    expect(out).toContain('insert into sk_reporters');
    expect(out).toContain('"constraint":"sk_reporters_phone_key"');
    expect(out).not.toContain(PHONE);
  });

  it('answers a database outage with 503 and Retry-After', async () => {
    const res = await (await app()).inject({ method: 'GET', url: '/down', headers: auth });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses oversized headers and URLs and keeps serving', async () => {
    const http = await app();
    await http.listen({ host: '127.0.0.1', port: 0 });
    const { port } = http.server.address() as AddressInfo;
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    try {
      expect(await get('/healthz', { 'x-big': 'a'.repeat(20_000) })).toBe(431);
      expect(await get(`/healthz?q=${'a'.repeat(20_000)}`)).toBe(431);
      expect(await get(`/v1/x/${'a'.repeat(500)}`)).toBeGreaterThanOrEqual(400);
      expect(await get('/healthz')).toBe(200);
    } finally {
      await http.close();
    }
  });

  it('answers a request Node cannot parse (raw UTF-8 in the URL, huge headers) with problem+json, not fastify JSON', async () => {
    const http = await app();
    await http.listen({ host: '127.0.0.1', port: 0 });
    const { port } = http.server.address() as AddressInfo;
    // Raw bytes over a socket: an HTTP client would percent-encode the URL, and inject() has no parser.
    const raw = (head: string) =>
      new Promise<string>((resolve, reject) => {
        let answer = '';
        const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(`${head}\r\nHost: x\r\n\r\n`, 'utf8')));
        socket.on('data', (chunk) => {
          answer += chunk;
        });
        socket.on('close', () => resolve(answer)).on('error', reject);
      });
    const parse = (answer: string) => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      return { status: Number(head.split(' ')[1]), head: head.toLowerCase(), body: JSON.parse(body) as Record<string, unknown> };
    };
    try {
      for (const url of ['/healthz?x=宝', '/v1/addresses?q=宝河苑', '/宝']) {
        const res = parse(await raw(`GET ${url} HTTP/1.1`));
        expect(res.status, url).toBe(400);
        expect(res.head).toContain('content-type: application/problem+json');
        expect(res.body).toEqual({ type: 'urn:gridcase:problem:validation', title: 'Bad Request', status: 400, detail: expect.stringMatching(/percent-encoded/) });
      }
      const big = parse(await raw(`GET /healthz HTTP/1.1\r\nx-big: ${'a'.repeat(20_000)}`));
      expect(big.status).toBe(431);
      expect(big.body).toMatchObject({ title: 'Request Header Fields Too Large', status: 431, detail: expect.any(String) });
      expect(parse(await raw('NOT HTTP AT ALL')).body).toMatchObject({ status: 400, detail: 'the request is not valid HTTP/1.1' });
      expect((await raw('GET /healthz HTTP/1.1\r\nConnection: close')).startsWith('HTTP/1.1 200')).toBe(true);
    } finally {
      await http.close();
    }
  });
});
