import { DLQ_HEADERS, TOPICS } from '@gridcase/contracts';
import { ManualClock } from '@gridcase/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { start } from '../src/main.ts';
import { reportBody } from './fixtures.ts';

describe('a token issued with an end, against real Kafka and Postgres', () => {
  const clock = new ManualClock(new Date());
  let service: Awaited<ReturnType<typeof start>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = await isolatedEnv({ INTAKE_PORT: '0' });
    service = await start(env, clock);
  });
  afterAll(async () => {
    await service?.rt.shutdown('test done');
  });

  const createClient = (payload: Record<string, unknown>) => service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload });
  const post = (token: string) => service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: reportBody() });

  it('works until its expiresAt and is refused with 401 from then on; GET /v1/clients shows the end', async () => {
    const end = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const created = await createClient({ name: 'a night shift sender', roles: ['reporter'], expiresAt: end });
    expect(created.statusCode).toBe(201);
    const { clientId, token, expiresAt } = created.json() as { clientId: string; token: string; expiresAt: string };
    expect(expiresAt).toBe(end);
    expect((await post(token)).statusCode).toBe(202);

    const listed = await service.app.inject({ method: 'GET', url: '/v1/clients?limit=200', headers: bearer() });
    expect(listed.json().items).toContainEqual(expect.objectContaining({ clientId, expiresAt: end }));

    clock.advance(3_600_000);
    const refused = await post(token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toContain('expired');
  });

  it('refuses an end that is not ahead, named beside the body\'s other problems', async () => {
    const res = await createClient({ name: '', roles: ['reporter'], expiresAt: new Date(clock.now().getTime() - 1000).toISOString() });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['expiresAt', 'name']);
  });

  it('dead-letters a record from gridcase.reports.inbound whose client has expired, naming why', async () => {
    const end = new Date(clock.now().getTime() + 60_000).toISOString();
    const { clientId } = (await createClient({ name: 'a sender whose access ends', roles: ['reporter'], expiresAt: end })).json() as { clientId: string };
    clock.advance(60_000);
    const dlq = await readTopic(env, TOPICS.dlq);
    const producer = await testProducer(env);
    try {
      const externalId = `expired-${clientId}`;
      await producer.sendTo(TOPICS.reportsInbound, externalId, JSON.stringify({ ...reportBody(), externalId }), { 'client-id': clientId });
      const [dead] = await dlq.waitFor('the expired client\'s record', (r) => r.key === externalId);
      expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/expired at/);
    } finally {
      await producer.disconnect();
      await dlq.close();
    }
  });
});
