import { DLQ_HEADERS, TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { storeStaffMap } from '../src/db/staff.ts';
import { start } from '../src/main.ts';
import { reportBody } from './fixtures.ts';

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

const OUT_OF_STATION = /^the token's stations do not include the station this install serves/;

describe('a reporter token scoped to stations this install does not serve posts nothing here (audit9 #16), against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    env = await isolatedEnv({ INTAKE_PORT: '0' });
    service = await start(env);
  });
  afterAll(async () => {
    await service?.rt.shutdown('test done');
  });

  const issue = async (name: string, stations?: string[]) => {
    const res = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name, roles: ['reporter'], ...(stations ? { stations } : {}) } });
    expect(res.statusCode).toBe(201);
    return res.json() as { clientId: string; token: string };
  };
  const post = (token: string, body: object = reportBody()) => service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: body });
  const postOpen311 = (token: string) =>
    service.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ api_key: token, service_code: 'dispute.neighbour', description: '楼上噪音', address_string: '宝河苑3号楼' }),
    });

  it('takes the report before any staff map is published: the station is not known yet, so nobody is refused for it', async () => {
    const other = await issue('before the map', ['XX']);
    expect((await post(other.token)).statusCode).toBe(202);
  });

  it('once the staff map names the station, answers 403 to a token of another station on POST /v1/reports and Open311, and stores nothing', async () => {
    await storeStaffMap(service.rt.db, { version: 1, station: 'CG', officers: [{ officerId: 'CG-PG01-officer', role: 'officer', policeGridCode: 'CG-PG01' }], updatedAt: new Date().toISOString() });
    const other = await issue('another station', ['XX']);
    const body = reportBody();
    const refused = await post(other.token, body);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().detail).toMatch(OUT_OF_STATION);
    // Nothing of the install's own station is named.
    expect(refused.body).not.toContain('CG');
    // Refused before the body is judged: a bad body is refused for the token too, not for its fields.
    const badBody = await post(other.token, { externalId: 'x' });
    expect(badBody.statusCode).toBe(403);
    const read = await service.app.inject({ method: 'GET', url: `/v1/reports?externalId=${body.externalId}`, headers: bearer(other.token) });
    expect(read.json().items).toEqual([]);

    const open311 = await postOpen311(other.token);
    expect(open311.statusCode).toBe(403);
    expect(open311.json()).toEqual([{ code: 403, description: expect.stringMatching(OUT_OF_STATION) }]);

    // A token that names this station among others, and one with no stations, post as before.
    const both = await issue('this and another', ['XX', 'CG']);
    const unscoped = await issue('unscoped');
    for (const token of [both.token, unscoped.token]) {
      expect((await post(token)).statusCode).toBe(202);
      expect((await postOpen311(token)).statusCode).toBe(201);
    }
  });

  it('dead-letters a gridcase.reports.inbound record of a client of another station, naming why', async () => {
    const other = await issue('another station on kafka', ['XX']);
    const dlq = await readTopic(env, TOPICS.dlq);
    const producer = await testProducer(env);
    try {
      const externalId = `other-station-${other.clientId}`;
      await producer.sendTo(TOPICS.reportsInbound, externalId, JSON.stringify({ ...reportBody(), externalId }), { 'client-id': other.clientId });
      const [dead] = await dlq.waitFor("the other station's record", (r) => r.key === externalId);
      expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/the token's stations do not include the station this install serves/);
    } finally {
      await producer.disconnect();
      await dlq.close();
    }
  });
});
