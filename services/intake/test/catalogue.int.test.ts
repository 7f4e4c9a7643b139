import { CATEGORIES, CATEGORY_CATALOGUE_KEY, type CategoryCatalogue, makeMessage, newId, TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { storeCatalogue } from '../src/db/catalogue.ts';
import { start } from '../src/main.ts';

/** What triage publishes on gridcase.reference with each rules version (a PUT /v1/rules adding a category). */
const catalogue = (version: number, extra: CategoryCatalogue['categories']) =>
  makeMessage('gridcase.categories.updated.v1', {
    source: '/gridcase/triage',
    subject: CATEGORY_CATALOGUE_KEY,
    data: { version, categories: [...CATEGORIES, ...extra], updatedAt: new Date().toISOString() },
  });

const bird = { code: 'service.bird', kind: 'service' as const, name: { zh: '飞鸟救助', en: 'Bird rescue' }, defaultSeverity: 'service' as const };

describe("intake checks a report's category against triage's catalogue from gridcase.reference", () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;
  let dlq: Awaited<ReturnType<typeof readTopic>>;
  let reportsTopic: Awaited<ReturnType<typeof readTopic>>;
  let token: string;
  let clientId: string;

  beforeAll(async () => {
    env = await isolatedEnv({ INTAKE_PORT: '0' });
    service = await start(env);
    producer = await testProducer(env);
    dlq = await readTopic(env, TOPICS.dlq);
    reportsTopic = await readTopic(env, TOPICS.reports);
    const client = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'birds', roles: ['reporter'] } });
    ({ token, clientId } = client.json());
  });
  afterAll(async () => {
    await producer?.disconnect();
    await dlq?.close();
    await reportsTopic?.close();
    await service?.rt.shutdown('test done');
  });

  const post = (category: string) =>
    service.app.inject({
      method: 'POST',
      url: '/v1/reports',
      headers: bearer(token),
      payload: { externalId: `ext-${newId()}`, category, description: '院子里有只受伤的鸟飞不起来', location: { gridCode: 'CG-01-01' } },
    });

  it('refuses a code the built-in list lacks until a catalogue with it arrives, then accepts it; an older catalogue never replaces a newer one', async () => {
    const refused = await post('service.bird');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([{ path: 'category', message: expect.stringContaining('unknown category') }]);
    expect((await post('dispute.general')).statusCode).toBe(202);

    // The reference topic carries other data too (the calendar): intake skips it.
    const calendar = makeMessage('gridcase.calendar.updated.v1', {
      source: '/gridcase/triage',
      subject: 'calendar:2026',
      data: { year: 2026, holidays: [], workdays: [], source: 'test', updatedAt: new Date().toISOString() },
    });
    await producer.sendTo(TOPICS.reference, 'calendar:2026', JSON.stringify(calendar));
    await producer.sendTo(TOPICS.reference, CATEGORY_CATALOGUE_KEY, JSON.stringify(catalogue(2, [bird])));
    await eventually('intake to accept service.bird', async () => ((await post('service.bird')).statusCode === 202 ? true : undefined));

    const services = await service.app.inject({ method: 'GET', url: '/open311/v2/services.json', headers: bearer(token) });
    expect(services.json().map((s: { service_code: string }) => s.service_code)).toContain('service.bird');

    // A newer version without the bird replaces it; a replayed older one (v1) changes nothing.
    await producer.sendTo(TOPICS.reference, CATEGORY_CATALOGUE_KEY, JSON.stringify(catalogue(3, [{ ...bird, code: 'service.owl' }])));
    await eventually('intake to accept service.owl', async () => ((await post('service.owl')).statusCode === 202 ? true : undefined));
    expect((await post('service.bird')).statusCode).toBe(400);
    expect(await storeCatalogue(service.rt.db, catalogue(1, []).data)).toBe(false);
    expect((await post('service.owl')).statusCode).toBe(202);

    // Open311 takes the new code as a service and names it from the catalogue.
    const open311 = await service.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: new URLSearchParams({ api_key: token, service_code: 'service.owl', description: '猫头鹰受伤了', address_string: '宝河苑社区' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(open311.statusCode).toBe(201);
    const id = open311.json()[0].service_request_id;
    const request = await service.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json`, headers: bearer(token) });
    expect(request.json()[0]).toMatchObject({ service_code: 'service.owl', service_name: '飞鸟救助' });

    // The same copy decides on the Kafka path: a record naming the new code is received, the old code dead-lettered.
    const inbound = (category: string) => ({ externalId: `ext-${newId()}`, category, description: '树上有只猫头鹰受伤了', location: { gridCode: 'CG-01-01' } });
    const owl = inbound('service.owl');
    const gone = inbound('service.bird');
    await producer.sendTo(TOPICS.reportsInbound, gone.externalId, JSON.stringify(gone), { 'client-id': clientId });
    await producer.sendTo(TOPICS.reportsInbound, owl.externalId, JSON.stringify(owl), { 'client-id': clientId });
    await reportsTopic.waitFor('the owl report received', (r) => (r.message?.data as { externalId?: string } | undefined)?.externalId === owl.externalId);
    const [dead] = await dlq.waitFor('the bird report dead-lettered', (r) => r.key === gone.externalId);
    expect(dead!.headers['dlq-error']).toContain('category: unknown category code');
    expect(dlq.records.filter((r) => r.headers['dlq-original-topic']?.endsWith(TOPICS.reference))).toEqual([]);
  });
});
