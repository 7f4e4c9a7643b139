import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv, minuteWithRoom } from '../../../infra/test/harness.ts';
import { leaseSize } from '../src/db/rate-limit-store.ts';
import { start } from '../src/main.ts';

const RATE_LIMIT = 10;

type Intake = Awaited<ReturnType<typeof start>>;

/** Two intake instances on one fresh database with the given limit, for the tests of one describe. */
function twoInstances(limit: number): { a: Intake; b: Intake } {
  const both = {} as { a: Intake; b: Intake };
  beforeAll(async () => {
    const env = await isolatedEnv({ INTAKE_PORT: '0', RATE_LIMIT_PER_MINUTE: String(limit) });
    both.a = await start(env);
    both.b = await start(env);
  });
  afterAll(async () => {
    await both.a?.rt.shutdown('test done');
    await both.b?.rt.shutdown('test done');
  });
  return both;
}

/** A new reporter client, and a request of its on either instance. */
async function busyClient(a: Intake) {
  const res = await a.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'busy', roles: ['reporter'] } });
  const { token } = res.json() as { token: string };
  return (instance: Intake) => instance.app.inject({ method: 'GET', url: '/v1/reports?externalId=none', headers: bearer(token) });
}

describe('the rate limit, with two intake instances on one database', () => {
  const instances = twoInstances(RATE_LIMIT);

  it('gives a client one budget across both, answering 429 with Retry-After from either once it is spent', async () => {
    const { a, b } = instances;
    const get = await busyClient(a);
    await minuteWithRoom(20_000);
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

describe('the rate limit leased in blocks, with two intake instances on one database', () => {
  // 200 a minute: leases of 10 (leaseSize), so the two instances share the budget approximately.
  const LIMIT = 200;
  const instances = twoInstances(LIMIT);

  it(`refuses a client at most ${leaseSize(LIMIT)} requests (one lease held by the other instance) before its limit, and never admits more than the limit`, async () => {
    const { a, b } = instances;
    expect(leaseSize(LIMIT)).toBe(10);
    const get = await busyClient(a);
    // Start early in a minute: this run takes longer.
    await minuteWithRoom(40_000);
    // Mostly on A, now and then on B: B leases a block and leaves most of it unused.
    let admitted = 0;
    for (let i = 0; ; i++) {
      const answer = await get(i % 25 === 1 ? b : a);
      if (answer.statusCode !== 200) {
        expect(answer.statusCode).toBe(429);
        break;
      }
      admitted++;
      expect(admitted).toBeLessThanOrEqual(LIMIT);
    }
    // Refused early by at most what B holds unused.
    expect(admitted).toBeGreaterThanOrEqual(LIMIT - leaseSize(LIMIT));
    // B spends what it holds, and then the two together have admitted exactly the limit.
    while ((await get(b)).statusCode === 200) admitted++;
    expect(admitted).toBe(LIMIT);
    for (const instance of [a, b]) {
      const limited = await get(instance);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
