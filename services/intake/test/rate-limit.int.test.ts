import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv } from '../../../infra/test/harness.ts';
import { start } from '../src/main.ts';

const RATE_LIMIT = 10;

describe('the rate limit, with two intake instances on one database', () => {
  let a: Awaited<ReturnType<typeof start>>;
  let b: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    const env = await isolatedEnv({ INTAKE_PORT: '0', RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
    a = await start(env);
    b = await start(env);
  });
  afterAll(async () => {
    await a?.rt.shutdown('test done');
    await b?.rt.shutdown('test done');
  });

  it('gives a client one budget across both, answering 429 with Retry-After from either once it is spent', async () => {
    const res = await a.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'busy', roles: ['reporter'] } });
    const { token } = res.json() as { token: string };
    const get = (instance: typeof a) => instance.app.inject({ method: 'GET', url: '/v1/reports?externalId=none', headers: bearer(token) });
    // Alternating, each instance sees half the budget; per-process counters would let both go on.
    for (let i = 0; i < RATE_LIMIT; i++) expect((await get(i % 2 ? b : a)).statusCode).toBe(200);
    for (const instance of [a, b]) {
      const limited = await get(instance);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
  });
});
