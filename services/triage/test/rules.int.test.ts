import { makeMessage, newId, type RuleSet, TOPICS } from '@gridcase/contracts';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, eventually, isolatedEnv, readTopic, routesTakingUnknownQuery, testProducer } from '../../../infra/test/harness.ts';
import { RuleBook } from '../src/db/rules.ts';
import { acceptsGzip, ServedRules } from '../src/routes/served-rules.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { start } from '../src/main.ts';
import { receivedReport } from './reports.ts';

/** The seed plus a category of its own and the rule that finds it: what an admin would PUT. */
const withPets = (seed: RuleSet): RuleSet => ({
  ...seed,
  categories: [...seed.categories, { code: 'service.pet', kind: 'service', name: { zh: '宠物走失', en: 'Lost pet' }, defaultSeverity: 'service' }],
  dictionary: [...seed.dictionary, '宠物狗'],
  classification: [...seed.classification, { id: 'pet.lost', category: 'service.pet', priority: 900, any: ['宠物狗', '猫咪'] }],
});

describe('triage: rules as data, versioned, against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let reference: Awaited<ReturnType<typeof readTopic>>;
  let cases: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;

  beforeAll(async () => {
    env = await isolatedEnv({ TRIAGE_PORT: '0', RULES_READS_PER_MINUTE: '5' });
    service = await start(env);
    reference = await readTopic(env, TOPICS.reference);
    cases = await readTopic(env, TOPICS.cases);
    producer = await testProducer(env);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await reference?.close();
    await cases?.close();
    await service?.rt.shutdown('test done');
  });

  const http = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown, token?: string) =>
    service.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  const openedFor = async (reportId: string) => {
    const [record] = await cases.waitFor(`case.opened for ${reportId}`, (r) => r.message?.type === 'gridcase.case.opened.v1' && (r.message.data as { reportId: string }).reportId === reportId);
    return record!.message!.data as { category: string; severity: string; ruleVersion?: number };
  };
  const catalogueVersions = () => reference.records.filter((r) => r.key === 'categories').map((r) => (r.message?.data as { version?: number } | undefined)?.version);

  it('stores the seed as version 1 on a fresh install, serves it and its catalogue, and publishes the catalogue', async () => {
    const rules = await http('GET', '/v1/rules');
    expect(rules.statusCode).toBe(200);
    expect(rules.json()).toMatchObject({ version: 1, createdBy: 'seed', document: { categories: SEED_RULES.categories } });
    expect((await http('GET', '/v1/rules/1')).json().version).toBe(1);
    expect((await http('GET', '/v1/rules/2')).statusCode).toBe(404);
    expect(Object.keys((await http('GET', '/docs')).json().paths)).toEqual(expect.arrayContaining(['/v1/rules', '/v1/rules/{version}', '/v1/categories']));

    const categories = (await http('GET', '/v1/categories')).json();
    expect(categories.ruleVersion).toBe(1);
    expect(categories.items).toEqual(SEED_RULES.categories);
    expect(categories.items.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(['dispute.labour', 'dispute.debt', 'service.missing-person']));

    const [record] = await reference.waitFor('the seed catalogue', (r) => r.key === 'categories');
    expect(record!.message).toMatchObject({ type: 'gridcase.categories.updated.v1', subject: 'categories', data: { version: 1, categories: SEED_RULES.categories } });
    // A restart finds the rules stored and neither seeds nor publishes again.
    const again = await start(env);
    await again.rt.shutdown('second instance done');
    expect((await http('GET', '/v1/rules')).json().version).toBe(1);
  });

  it('refuses a misspelt or unknown query parameter on every route, naming it', async () => {
    const categories = await http('GET', '/v1/categories?kind=dispute');
    expect(categories.statusCode).toBe(400);
    expect(categories.json().errors).toEqual([{ path: 'querystring.kind', message: 'unknown field' }]);
    const misspelt = await http('PUT', '/v1/rules?nte=x', SEED_RULES);
    expect(misspelt.json().errors).toEqual([{ path: 'querystring.nte', message: 'unknown field' }]);
    expect(await routesTakingUnknownQuery(service.app)).toEqual([]);
    expect((await http('GET', '/v1/rules')).json().version).toBe(1);
  });

  it('refuses a document with unknown categories, duplicate rule ids or empty phrase lists, naming each, and stores nothing', async () => {
    const first = SEED_RULES.classification[0]!;
    const bad: RuleSet = {
      ...SEED_RULES,
      classification: [
        ...SEED_RULES.classification,
        { id: 'nosuch', category: 'dispute.nosuch', priority: 1, any: ['某事'] },
        { ...first, priority: 1 },
      ],
    };
    const res = await http('PUT', '/v1/rules', bad);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const n = SEED_RULES.classification.length;
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        { path: `classification.${n}.category`, message: expect.stringContaining('unknown category') },
        { path: `classification.${n + 1}.id`, message: expect.stringContaining('duplicate rule id') },
      ]),
    );

    const empty = await http('PUT', '/v1/rules', { ...SEED_RULES, grading: [...SEED_RULES.grading, { id: 'x.empty', grade: 'orange', any: ['某事'], not: [] }] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors).toEqual([{ path: `grading.${SEED_RULES.grading.length}.not`, message: expect.stringContaining('empty phrase list') }]);
    // An empty phrase list is named beside the query's problems and the rest of the document's.
    const emptyAndMore = await http('PUT', `/v1/rules?note=${'x'.repeat(501)}`, {
      ...SEED_RULES,
      dictionary: [''],
      grading: [...SEED_RULES.grading, { id: 'x.empty', grade: 'orange', any: ['某事'], not: [] }],
    });
    expect(emptyAndMore.statusCode).toBe(400);
    expect(emptyAndMore.json().errors.map((e: { path: string }) => e.path)).toEqual(['querystring.note', 'dictionary.0', `grading.${SEED_RULES.grading.length}.not`]);
    const noCues = await http('PUT', '/v1/rules', { ...SEED_RULES, classification: [{ ...first, any: [] }] });
    expect(noCues.statusCode).toBe(400);
    expect(noCues.json().errors.map((e: { path: string }) => e.path)).toContain('classification.0.any');

    // A field of the wrong type does not hide the cross-references: one 400 names all three.
    const typeAndRefs = await http('PUT', '/v1/rules', {
      ...SEED_RULES,
      classification: [{ ...first, priority: 'high' }, { id: 'nosuch', category: 'dispute.nosuch', priority: 1, any: ['某事'] }, { ...first, priority: 1 }],
    });
    expect(typeAndRefs.statusCode).toBe(400);
    expect(typeAndRefs.json().errors.map((e: { path: string }) => e.path)).toEqual(['classification.0.priority', 'classification.2.id', 'classification.1.category']);

    const anonymous = await service.app.inject({ method: 'PUT', url: '/v1/rules', payload: SEED_RULES as object });
    expect(anonymous.statusCode).toBe(401);
    const desk = service.rt.signer.issue({ clientId: 'desk-1', name: 'desk', roles: ['desk'] });
    expect((await http('PUT', '/v1/rules', SEED_RULES, desk)).statusCode).toBe(403);
    expect((await http('GET', '/v1/rules')).json().version).toBe(1);
  });

  it('a PUT stores version n+1 and publishes its catalogue; each case names the version that decided it; every instance follows', async () => {
    const before = receivedReport('小区里有人的宠物狗走丢了，请帮忙找');
    await producer.sendTo(TOPICS.reports, before.subject, JSON.stringify(before));
    const old = await openedFor(before.data.reportId);
    expect(old.ruleVersion).toBe(1);
    expect(old.category).not.toBe('service.pet');

    // Another instance's cache, read before the PUT: it must see the new version at its next read.
    const elsewhere = new RuleBook();
    expect((await elsewhere.current(service.rt.db)).version).toBe(1);

    const put = await http('PUT', '/v1/rules?note=pets', withPets(SEED_RULES));
    expect(put.statusCode).toBe(201);
    expect(put.headers.location).toBe('/v1/rules/2');
    expect(put.json()).toMatchObject({ version: 2, createdBy: 'admin', note: 'pets' });
    expect((await elsewhere.current(service.rt.db)).version).toBe(2);
    expect((await http('GET', '/v1/rules/1')).json().document.categories).toEqual(SEED_RULES.categories);
    expect((await http('GET', '/v1/categories')).json().items.map((c: { code: string }) => c.code)).toContain('service.pet');

    const [record] = await reference.waitFor('catalogue version 2', (r) => r.key === 'categories' && (r.message?.data as { version?: number } | undefined)?.version === 2);
    expect((record!.message!.data as { categories: { code: string }[] }).categories.map((c) => c.code)).toContain('service.pet');
    expect(catalogueVersions()).toEqual([1, 2]);

    const after = receivedReport('小区里有人的宠物狗走丢了，请帮忙找');
    await producer.sendTo(TOPICS.reports, after.subject, JSON.stringify(after));
    expect(await openedFor(after.data.reportId)).toMatchObject({ ruleVersion: 2, category: 'service.pet', severity: 'service' });
  });

  it('explain shows the rule version, every matched rule with its words, and the deadlines as of receivedAt', async () => {
    const receivedAt = '2026-06-03T02:00:00Z';
    const res = await http('POST', '/v1/triage/explain', {
      description: '3号楼楼道里着火了，浓烟很大，有老人被困在屋里',
      location: { gridCode: 'CG-01-01' },
      receivedAt,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const current = (await http('GET', '/v1/rules')).json().version;
    expect(body).toMatchObject({ ruleVersion: current, category: 'hazard.fire', severity: 'red' });
    // Red: 10 minutes to respond, 1440 to resolve (the contract's defaults), counted from receivedAt.
    expect(body.respondBy).toBe('2026-06-03T02:10:00.000Z');
    expect(body.resolveBy).toBe('2026-06-04T02:00:00.000Z');
    expect(body.rules.length).toBeGreaterThan(1);
    for (const rule of body.rules) expect(rule.matched.length).toBeGreaterThan(0);
    expect(body.rules.flatMap((r: { matched: string[] }) => r.matched)).toEqual(expect.arrayContaining(['着火']));
    expect(body.relapseOf).toBeUndefined();

    const unknown = await http('POST', '/v1/triage/explain', { description: '有事', category: 'no.such', location: { gridCode: 'CG-01-01' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([{ path: 'category', message: expect.stringContaining('unknown category') }]);
    // Every problem at once: the unknown category beside the body's other problems.
    const all = await http('POST', '/v1/triage/explain', { category: 'no.such', location: { gridCode: 'CG-01-01' }, receivedAt: 'yesterday' });
    expect(all.statusCode).toBe(400);
    expect(all.json().errors).toEqual(
      expect.arrayContaining([
        { path: 'category', message: expect.stringContaining('unknown category') },
        { path: 'description', message: expect.any(String) },
        { path: 'receivedAt', message: expect.any(String) },
      ]),
    );
    expect(all.json().errors).toHaveLength(3);
  });

  it('explain names the case a report is a relapse of, and grades it one step up', async () => {
    const location = { address: `城关镇实验路${newId()}号` };
    const first = receivedReport('3号楼门禁坏了，刷卡进不去', { location });
    await producer.sendTo(TOPICS.reports, first.subject, JSON.stringify(first));
    const [record] = await cases.waitFor('the first case', (r) => r.message?.type === 'gridcase.case.opened.v1' && (r.message.data as { reportId: string }).reportId === first.data.reportId);
    const { caseId, severity } = record!.message!.data as { caseId: string; severity: string };
    expect(severity).toBe('yellow');
    const explain = async () => (await http('POST', '/v1/triage/explain', { description: '门禁又坏了，住户进不了楼', location, receivedAt: new Date().toISOString() })).json();
    // While the case is open a repeat would join it: no relapse.
    expect((await explain()).relapseOf).toBeUndefined();

    const resolved = makeMessage('gridcase.case.resolved.v1', {
      source: '/test/assignment',
      subject: caseId,
      data: { caseId, commandId: 'cmd-1', outcome: 'resolved', note: '已修好', by: { clientId: 'desk' }, at: new Date().toISOString() },
    });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(resolved));
    const answer = await eventually('explain to name the relapse', async () => {
      const body = await explain();
      return body.relapseOf ? body : undefined;
    });
    expect(answer).toMatchObject({ relapseOf: caseId, relatedCaseIds: [caseId], severity: 'orange' });
    expect(answer.rules).toContainEqual({ rule: 'relapse', matched: [caseId] });
    // The rule line says why the grade is orange, as the real case's rule does.
    expect(answer.rule).toContain(`relapse of ${caseId}: yellow → orange`);

    // A reporter (here not the one whose report opened the case) learns that it is a relapse, not which case.
    const receivedAt = new Date().toISOString();
    // null: a token of no station.
    const asToken = async (roles: ('reporter' | 'desk' | 'officer' | 'supervisor')[], stations: string[] | null = ['CG'], at = location) => {
      const token = service.rt.signer.issue({ clientId: `c-${roles.join('-')}-${stations?.join('-') ?? 'all'}`, name: roles.join(' '), roles, ...(stations ? { stations } : {}) });
      return (await http('POST', '/v1/triage/explain', { description: '门禁又坏了，住户进不了楼', location: at, receivedAt }, token)).json();
    };
    // So does a reporter of no station: it posts into this install, and its report would be orange (audit21 #4).
    for (const stations of [['CG'], null]) {
      const toReporter = await asToken(['reporter'], stations);
      expect(toReporter).toMatchObject({ severity: 'orange' });
      expect(toReporter).not.toHaveProperty('relapseOf');
      expect(toReporter).not.toHaveProperty('relatedCaseIds');
      expect(toReporter.rules).toContainEqual({ rule: 'relapse', matched: [] });
      expect(toReporter.rule).toContain('; relapse: yellow → orange');
      expect(JSON.stringify(toReporter)).not.toContain(caseId);
    }
    // A reporter that is also a desk of no station posts here too, but sees no case of the station: not which.
    expect(await asToken(['reporter', 'desk'], null)).toMatchObject({ severity: 'orange', rules: expect.arrayContaining([{ rule: 'relapse', matched: [] }]) });
    expect(JSON.stringify(await asToken(['reporter', 'desk'], null))).not.toContain(caseId);
    // Station roles keep the ids, a token that is both as well.
    for (const roles of [['desk'], ['officer'], ['supervisor'], ['reporter', 'desk']] as const) {
      expect(await asToken([...roles]), roles.join(' ')).toMatchObject({ relapseOf: caseId, relatedCaseIds: [caseId] });
    }
    // A token of another station, or of none (only admin is station-wide), learns nothing of this station's
    // history: the place is judged as if it had no case, not even that it had one (audit19b #2).
    for (const [roles, stations] of [[['reporter'], ['XX']], [['desk'], null], [['desk'], ['XX']]] as const) {
      const outside = await asToken([...roles], stations && [...stations]);
      const who = `${roles.join(' ')} of ${stations ?? 'no station'}`;
      // The same answer as for an address that never had a case.
      expect(outside, who).toEqual(await asToken([...roles], stations && [...stations], { address: `城关镇实验路${newId()}号` }));
      expect(outside.rules.map((r: { rule: string }) => r.rule), who).not.toContain('relapse');
      expect(outside.rule, who).not.toContain('relapse');
      expect(JSON.stringify(outside), who).not.toContain(caseId);
    }
  });

  it("serves each version's bytes serialised once, with a strong ETag (304 on If-None-Match) and gzip; a new version changes both; 429 past a client's reads (audit21 #1)", async () => {
    // A reporter of no station, as in the audit: it may read the rules (senders read categories there), but not without limit.
    const reader = service.rt.signer.issue({ clientId: 'rules-reader', name: '读规则', roles: ['reporter'] });
    const read = (url: string, headers: Record<string, string> = {}, token = reader) => service.app.inject({ method: 'GET', url, headers: { ...bearer(token), ...headers } });

    const first = await read('/v1/rules');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.vary).toBe('accept-encoding');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"v2-[\w-]+"$/);
    expect(first.json()).toMatchObject({ version: 2, note: 'pets' });

    const unchanged = await read('/v1/rules', { 'if-none-match': etag });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.rawPayload.length).toBe(0);
    expect(unchanged.headers.etag).toBe(etag);

    const gzipped = await read('/v1/rules', { 'accept-encoding': 'br;q=0, gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.etag).toBe(`${etag.slice(0, -1)}-gzip"`);
    expect(gzipped.rawPayload.length).toBeLessThan(first.rawPayload.length / 3);
    expect(gunzipSync(gzipped.rawPayload).equals(first.rawPayload)).toBe(true);

    // The same version by number: the same bytes. A version not stored yet is not kept as missing.
    const byNumber = await read('/v1/rules/2');
    expect(byNumber.headers.etag).toBe(etag);
    expect(byNumber.rawPayload.equals(first.rawPayload)).toBe(true);
    expect((await read('/v1/rules/3')).statusCode).toBe(404);

    // A new version: a new ETag and body, for the current rules and by its number; the old ETag no longer matches.
    expect((await http('PUT', '/v1/rules?note=again', withPets(SEED_RULES))).statusCode).toBe(201);
    const next = await read('/v1/rules', { 'if-none-match': etag });
    expect(next.statusCode).toBe(200);
    expect(next.headers.etag).toMatch(/^"v3-/);
    expect(next.json()).toMatchObject({ version: 3, note: 'again' });
    expect((await read('/v1/rules/3', { 'if-none-match': next.headers.etag as string })).statusCode).toBe(304);

    // Five reads a minute (this test's RULES_READS_PER_MINUTE), each route counted apart; a 304 counts too.
    expect((await read('/v1/rules')).statusCode).toBe(200);
    const refused = await read('/v1/rules');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ status: 429, detail: expect.stringMatching(/^over 5 requests per minute/) });
    expect((await read('/v1/rules/1')).statusCode).toBe(200);
    const other = service.rt.signer.issue({ clientId: 'rules-other', name: '另一个', roles: ['desk'], stations: ['CG'] });
    expect((await read('/v1/rules', {}, other)).statusCode).toBe(200);
    expect((await http('GET', '/v1/rules')).statusCode).toBe(200);

    const docs = (await http('GET', '/docs')).json();
    for (const path of ['/v1/rules', '/v1/rules/{version}']) expect(Object.keys(docs.paths[path].get.responses)).toContain('429');
  });

  it('serialises a version once: concurrent and later asks share it; a missing version is asked again; the least recently used is let go', async () => {
    const served = new ServedRules();
    const toBody = vi.fn((version: number) => ({ version }));
    const load = (version: number) => async () => version;
    const [a, b] = await Promise.all([served.of(1, load(1), toBody), served.of(1, load(1), toBody)]);
    expect(a).toBe(b);
    expect(await served.of(1, load(1), toBody)).toBe(a);
    expect(toBody).toHaveBeenCalledTimes(1);

    const missing = vi.fn(async () => undefined);
    expect(await served.of(2, missing, toBody)).toBeUndefined();
    expect(await served.of(2, missing, toBody)).toBeUndefined();
    expect(missing).toHaveBeenCalledTimes(2);

    // Eight kept: version 1, used last of the first eight, stays; version 2 (first stored of the rest) goes.
    for (let v = 2; v <= 8; v++) await served.of(v, load(v), toBody);
    await served.of(1, load(1), toBody);
    await served.of(9, load(9), toBody);
    expect(await served.of(1, load(1), toBody)).toBe(a);
    toBody.mockClear();
    await served.of(2, load(2), toBody);
    expect(toBody).toHaveBeenCalledTimes(1);
  });

  it('reads Accept-Encoding: gzip or * unless q=0', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('br')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
