import { DLQ_HEADERS, isStorableText, newId, TOPICS, WITHHELD_UNEXPECTED_VALUE, WITHHELD_UNKNOWN_FIELD } from '@gridcase/contracts';
import { type DeadLetter, type InboundRecord, replayDeadLetters } from '@gridcase/messaging';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { deadLetterPersonal } from '../src/db/schema.ts';
import { inboundDeadLetterValue, inboundKeyOut, inboundSenderOut, restoreDeadLetter } from '../src/handlers/dead-letter.ts';
import { start } from '../src/main.ts';

const NUL = 'a\u0000b';
const LONE = '\ud800';
const PERSON = Object.freeze({ name: '王建国', phone: '13800138000', idNumber: '110101199003074512' });

describe('intake refuses input Postgres cannot store, and keeps personal data out of the DLQ', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let dlq: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;
  /** Every line intake logged (shown as well, as without them). */
  const logLines: Record<string, unknown>[] = [];
  const logDestination = {
    write: (line: string) => {
      logLines.push(JSON.parse(line));
      process.stdout.write(line);
    },
  };

  beforeAll(async () => {
    // A budget the property test cannot exhaust: it is about answers, not the rate limit. At warn at least, as a refused record's dead-letter line is.
    env = await isolatedEnv({ INTAKE_PORT: '0', RATE_LIMIT_PER_MINUTE: '100000', LOG_LEVEL: 'warn' });
    service = await start(env, undefined, { logDestination });
    dlq = await readTopic(env, TOPICS.dlq);
    producer = await testProducer(env);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await dlq?.close();
    await service?.rt.shutdown('test done');
  });

  const createClient = async (roles: string[]) => {
    const res = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: `hostile ${roles}`, roles } });
    expect(res.statusCode).toBe(201);
    return res.json() as { clientId: string; token: string };
  };
  /** Replays the dead letters of gridcase.reports.inbound that `match` accepts (all by default), as `dlq replay` does. */
  const replayInbound = async (match?: (entry: DeadLetter) => boolean) => {
    const kafka = new Kafka({ brokers: env.KAFKA_BROKERS!.split(','), clientId: 'test-replay', logLevel: logLevel.NOTHING });
    const replayProducer = kafka.producer();
    await replayProducer.connect();
    try {
      return await replayDeadLetters({ kafka, producer: replayProducer, topicPrefix: env.KAFKA_TOPIC_PREFIX!, fromTopic: TOPICS.reportsInbound, ...(match ? { match } : {}) });
    } finally {
      await replayProducer.disconnect();
    }
  };
  /** Sets `a.b.0.c` in a JSON object, making the objects and arrays on the way. */
  const setPath = (target: Record<string, unknown>, path: string, value: unknown) => {
    const keys = path.split('.');
    let at: Record<string, unknown> = target;
    for (const [i, key] of keys.slice(0, -1).entries()) {
      at[key] ??= /^\d+$/.test(keys[i + 1]!) ? [] : {};
      at = at[key] as Record<string, unknown>;
    }
    at[keys.at(-1)!] = value;
  };
  const report = (extra: Record<string, unknown> = {}) => ({
    externalId: `ext-${newId()}`,
    description: '小区消防通道被占',
    location: { gridCode: 'CG-01-01' },
    reporter: { ...PERSON },
    ...extra,
  });
  const openForm = (fields: Record<string, string>) => ({
    method: 'POST' as const,
    url: '/open311/v2/requests.json',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });

  it.each([
    ['externalId', { externalId: NUL }],
    ['title', { title: LONE }],
    ['description', { description: `x${LONE}y` }],
    ['location.gridCode', { location: { gridCode: NUL } }],
    ['reporter.name', { reporter: { name: NUL } }],
  ])('answers POST /v1/reports with 400 naming %s', async (field, change) => {
    const { token } = await createClient(['reporter']);
    const res = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: report(change) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({ path: field, message: 'contains a NUL character or an unpaired surrogate' });
  });

  it('reads a body as UTF-8 only: 400 for bytes that are not UTF-8, 415 naming utf-8 for another charset', async () => {
    const { token } = await createClient(['reporter']);
    const raw = (payload: string | Buffer, contentType = 'application/json') =>
      service.app.inject({ method: 'POST', url: '/v1/reports', headers: { ...bearer(token), 'content-type': contentType }, payload });
    const json = JSON.stringify(report({ description: 'XX bad utf8' }));
    const [before, after] = json.split('XX') as [string, string];
    const notUtf8 = await raw(Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe]), Buffer.from(after)]));
    expect(notUtf8.statusCode).toBe(400);
    expect(notUtf8.headers['content-type']).toContain('application/problem+json');
    expect(notUtf8.json()).toMatchObject({ status: 400, detail: expect.stringContaining('not valid UTF-8') });
    for (const contentType of ['application/json; charset=latin1', 'application/json; charset=ISO-8859-1']) {
      const latin1 = await raw(json, contentType);
      expect(latin1.statusCode, contentType).toBe(415);
      expect(latin1.headers['content-type']).toContain('application/problem+json');
      expect(latin1.json().detail).toContain('charset=utf-8');
    }
    expect((await raw(JSON.stringify(report()), 'application/json; charset=UTF-8')).statusCode).toBe(202);
  });

  it('reads a body or an inbound record that starts with a byte-order mark as the JSON after it, the same body as without it (audit21 #3)', async () => {
    const { clientId, token } = await createClient(['reporter']);
    const withBom = (body: object) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(body))]);
    const post = (payload: string | Buffer) => service.app.inject({ method: 'POST', url: '/v1/reports', headers: { ...bearer(token), 'content-type': 'application/json' }, payload });
    const overHttp = report();
    const first = await post(withBom(overHttp));
    expect(first.statusCode).toBe(202);
    // A retry without the mark is the same body: the same report, not a conflict.
    const again = await post(JSON.stringify(overHttp));
    expect(again.statusCode).toBe(200);
    expect(again.json().reportId).toBe(first.json().reportId);

    const overKafka = report();
    await producer.sendTo(TOPICS.reportsInbound, overKafka.externalId, withBom(overKafka), { 'client-id': clientId });
    const listed = await eventually('the record with a byte-order mark received or refused', async () => {
      const res = await service.app.inject({ method: 'GET', url: `/v1/reports?externalId=${overKafka.externalId}`, headers: bearer(token) });
      const { items, rejected } = res.json() as { items: { reportId: string }[]; rejected: unknown[] };
      return items.length || rejected.length ? { items, rejected } : undefined;
    });
    expect(listed.rejected).toEqual([]);
    expect(listed.items).toHaveLength(1);
    const overHttpToo = await post(JSON.stringify(overKafka));
    expect(overHttpToo.statusCode).toBe(200);
    expect(overHttpToo.json().reportId).toBe(listed.items[0]!.reportId);
  });

  it('answers a query parameter that does not percent-decode to UTF-8 with 400 naming it, not an empty list (audit21 #5)', async () => {
    const { token } = await createClient(['reporter']);
    for (const externalId of ['%ZZ', '%E4%BA', '%FF', 'ext%ED%A0%80']) {
      const res = await service.app.inject({ method: 'GET', url: `/v1/reports?externalId=${externalId}`, headers: bearer(token) });
      expect(res.statusCode, externalId).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors, externalId).toEqual([{ path: 'querystring.externalId', message: expect.stringContaining('not validly percent-encoded UTF-8') }]);
    }
    const utf8 = await service.app.inject({ method: 'GET', url: '/v1/reports?externalId=%E4%BA%95', headers: bearer(token) });
    expect(utf8.statusCode).toBe(200);
  });

  it('refuses a key a location does not have, naming location.<key>, however deep its value nests', async () => {
    const { token } = await createClient(['reporter']);
    let deep: Record<string, unknown> = { x: 1 };
    for (let i = 0; i < 3000; i++) deep = { d: deep };
    for (const location of [{ gridCode: 'CG-01-01', floor: 3 }, { address: '宝河苑', nested: deep }]) {
      const res = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: report({ location }) });
      expect(res.statusCode).toBe(400);
      const key = Object.keys(location)[1]!;
      expect(res.json().errors).toEqual([{ path: `location.${key}`, message: expect.any(String) }]);
    }
  });

  it('dead-letters an inbound record that is not UTF-8, or whose location has a key it does not know', async () => {
    const { clientId } = await createClient(['reporter']);
    const extra = report({ location: { gridCode: 'CG-01-01', floor: 3 } });
    await producer.sendTo(TOPICS.reportsInbound, extra.externalId, JSON.stringify(extra), { 'client-id': clientId });
    const [dead] = await dlq.waitFor('the record with location.floor', (r) => r.key === extra.externalId);
    expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/location\.floor: unknown field/);
    const key = `ext-${newId()}`;
    const [before, after] = JSON.stringify(report({ externalId: key, description: 'XX' })).split('XX') as [string, string];
    await producer.sendTo(TOPICS.reportsInbound, key, Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28]), Buffer.from(after)]), { 'client-id': clientId });
    const [notUtf8] = await dlq.waitFor('the record that is not UTF-8', (r) => r.key === key);
    expect(notUtf8!.headers[DLQ_HEADERS.error]).toMatch(/not valid UTF-8/);
  });

  it("answers an Open311 POST holding a NUL with 400 in Open311's [{code, description}]", async () => {
    const { token } = await createClient(['reporter']);
    const res = await service.app.inject(openForm({ api_key: token, service_code: 'hazard.fire', description: NUL, address_string: '宝河苑' }));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toEqual([{ code: 400, description: 'description: contains a NUL character or an unpaired surrogate' }]);
  });

  it('never answers 500 to arbitrary bodies on POST /v1/reports or the Open311 POST', async () => {
    const { token } = await createClient(['reporter']);
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`fast-check seed ${seed} (rerun with FC_SEED=${seed})`);
    // Strings built from troublesome units, so NULs and lone surrogates come often, not by luck.
    const units = fc.constantFrom('a', '中', ' ', '\u0000', '\ud800', '\udc00', '\ud83d', '\ude92', '\uffff', '"');
    const nasty = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: units, minLength: 1, maxLength: 8 }), fc.constantFrom(NUL, LONE, ''));
    // A valid body with one to three fields spoiled reaches the database; random JSON mostly stops at validation.
    const spots = ['externalId', 'title', 'description', 'category', 'location.gridCode', 'location.address', 'reporter.name', 'reporter.phone', 'reporter.idNumber', 'attachments.0.url', 'attachments.0.mediaType'];
    const spoiled = fc.array(fc.tuple(fc.constantFrom(...spots), nasty), { minLength: 1, maxLength: 3 }).map((pokes) => {
      const json: Record<string, unknown> = { ...report(), attachments: [{ url: 'https://example.cn/a.jpg', mediaType: 'image/jpeg' }] };
      for (const [path, value] of pokes) setPath(json, path, value);
      return json;
    });
    const body = fc.oneof(spoiled, fc.jsonValue());
    const formFields = ['service_code', 'description', 'lat', 'long', 'address_string', 'first_name', 'last_name', 'phone', 'email', 'media_url', 'attribute[x]', NUL];
    const form = fc.dictionary(fc.constantFrom(...formFields), nasty).map((fields) => ({
      service_code: 'hazard.fire',
      description: '楼道堆放杂物',
      address_string: '宝河苑',
      ...fields,
    }));
    await fc.assert(
      fc.asyncProperty(body, form, async (json, fields) => {
        const headers = { ...bearer(token), 'content-type': 'application/json' };
        const posted = await service.app.inject({ method: 'POST', url: '/v1/reports', headers, payload: JSON.stringify(json) });
        expect(posted.statusCode).toBeLessThan(500);
        const open311 = await service.app.inject(openForm({ ...fields, api_key: token }));
        expect(open311.statusCode).toBeLessThan(500);
      }),
      { seed, numRuns: 300 },
    );
  }, 120_000);

  it('dead-letters an inbound record holding a NUL at once, with the reporter replaced by a reference', async () => {
    const { clientId } = await createClient(['reporter']);
    const bad = report({ description: NUL });
    await producer.sendTo(TOPICS.reportsInbound, bad.externalId, JSON.stringify(bad), { 'client-id': clientId });
    const [dead] = await dlq.waitFor('the NUL record', (r) => r.key === bad.externalId);
    expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/description: contains a NUL/);
    expect(dead!.headers[DLQ_HEADERS.attempts]).toBe('1');
    const everything = JSON.stringify(dead);
    for (const value of Object.values(PERSON)) expect(everything).not.toContain(value);
    expect(JSON.parse(dead!.value!).reporter.$ref).toMatch(/^intake-dlq:/);
  });

  it('dead-letters an inbound record nested 50 000 deep as a copy with its reason, not a bare stub, and tells its sender it was refused', async () => {
    const { clientId, token } = await createClient(['reporter']);
    const lists = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    // JSON text as a sender writes it: no JSON.stringify here takes values this deep.
    const around = (id: string, field: string, deep: string) =>
      `{"externalId":"${id}","description":"x","location":{"gridCode":"CG-03-02"},"reporter":${JSON.stringify(PERSON)},"${field}":${deep}}`;
    const extra = `deep-extra-${newId()}`;
    const description = `deep-description-${newId()}`;
    const objects = `deep-objects-${newId()}`;
    const sent: [string, string, RegExp, Record<string, unknown>][] = [
      [extra, around(extra, 'extra', lists(50_000)), /^invalid report body: extra: unknown field$/, { externalId: extra, extra: WITHHELD_UNKNOWN_FIELD }],
      [description, around(description, 'description', lists(50_000)), /description: must be a string/, { externalId: description, description: WITHHELD_UNEXPECTED_VALUE }],
      // No externalId in it: the sender finds the refusal under the record's key.
      [objects, `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`, /externalId: required; .*a: unknown field/, { a: WITHHELD_UNKNOWN_FIELD }],
    ];
    for (const [key, value] of sent) await producer.sendTo(TOPICS.reportsInbound, key, value, { 'client-id': clientId });
    for (const [key, value, reason, kept] of sent) {
      const [dead] = await dlq.waitFor(`the dead letter of ${key}`, (r) => r.key === key);
      expect(dead!.headers[DLQ_HEADERS.error]).toMatch(reason);
      expect(dead!.headers['dlq-truncated']).toBeUndefined();
      const copy = JSON.parse(dead!.value!);
      expect(copy).not.toHaveProperty('truncated');
      expect(copy).toMatchObject({ $ref: expect.stringMatching(/^intake-dlq:/), ...kept });
      for (const v of Object.values(PERSON)) expect(JSON.stringify(dead)).not.toContain(v);
      // Kept whole in intake: a replay gets the record back as sent.
      expect((await restoreDeadLetter(service.rt.db, { topic: TOPICS.reportsInbound, partition: 0, offset: '0', key, value: Buffer.from(dead!.value!), headers: { 'client-id': clientId } })).value!.toString()).toBe(value);
      const asked = await service.app.inject({ method: 'GET', url: `/v1/reports?externalId=${key}`, headers: bearer(token) });
      expect(asked.json()).toEqual({ items: [], nextCursor: null, rejected: [{ reason: expect.stringMatching(reason), rejectedAt: expect.any(String) }] });
    }
    // Nothing of the nesting reaches the DLQ: a field the body has not is withheld whole.
    const [dead] = await dlq.waitFor('the dead letter of the nested objects', (r) => r.key === objects);
    expect(JSON.parse(dead!.value!)).toEqual({ $ref: expect.stringMatching(/^intake-dlq:/), a: WITHHELD_UNKNOWN_FIELD });
  });

  it('dead-letters an inbound record with two client-id headers, keeping both, and lists the refusal only for a sender both name', async () => {
    const first = await createClient(['reporter']);
    const second = await createClient(['reporter']);
    const send = (value: { externalId: string }, clientIds: string[]) =>
      producer.send({ topic: `${env.KAFKA_TOPIC_PREFIX}${TOPICS.reportsInbound}`, messages: [{ key: value.externalId, value: JSON.stringify(value), headers: { 'client-id': clientIds } }] });
    const two = report();
    const same = report();
    await send(two, [first.clientId, second.clientId]);
    await send(same, [first.clientId, first.clientId]);
    const asked = async (externalId: string, token: string) =>
      (await service.app.inject({ method: 'GET', url: `/v1/reports?externalId=${externalId}`, headers: bearer(token) })).json();
    for (const [sent, clientIds, keptFor] of [[two, [first.clientId, second.clientId], null], [same, [first.clientId, first.clientId], first.clientId]] as const) {
      const [dead] = await dlq.waitFor(`the record with two client-id headers ${sent.externalId}`, (r) => r.key === sent.externalId);
      expect(dead!.headers[DLQ_HEADERS.error]).toBe('record has 2 client-id headers; give exactly one');
      // Both kept (the reader joins a repeated header's values): a replay is the record as sent.
      expect(dead!.headers['client-id']).toBe(clientIds.join(','));
      for (const v of Object.values(PERSON)) expect(JSON.stringify(dead)).not.toContain(v);
      // The reporter is kept for the sender as the refusal reads it: for no client when the headers name two, not for the first named.
      const id = JSON.parse(dead!.value!).reporter.$ref.replace(/^intake-dlq:/, '');
      const kept = await service.rt.db.execute<{ client_id: string | null }>(sql`select client_id from intake.dead_letter_personal where id = ${id}`);
      expect(kept.rows).toEqual([{ client_id: keptFor }]);
    }
    // Nor is the first named given back what is kept for it, beside another client.
    const [deadSame] = await dlq.waitFor('the record naming one client twice', (r) => r.key === same.externalId);
    const named = (clientIds: string[]): InboundRecord => ({
      topic: TOPICS.reportsInbound,
      partition: 0,
      offset: '0',
      key: same.externalId,
      value: Buffer.from(deadSame!.value!),
      headers: { 'client-id': clientIds[0]! },
      ...(clientIds.length > 1 ? { repeatedHeaders: { 'client-id': clientIds } } : {}),
    });
    expect(JSON.parse((await restoreDeadLetter(service.rt.db, named([first.clientId]))).value!.toString())).toEqual(same);
    await expect(restoreDeadLetter(service.rt.db, named([first.clientId, second.clientId]))).rejects.toThrow(/does not hold for this client/);
    // Nor does a client naming itself alone get back what is kept for no client (the record naming two).
    const [deadTwo] = await dlq.waitFor('the record naming two clients', (r) => r.key === two.externalId);
    const claimed: InboundRecord = { ...named([first.clientId]), key: two.externalId, value: Buffer.from(deadTwo!.value!) };
    await expect(restoreDeadLetter(service.rt.db, claimed)).rejects.toThrow(/does not hold for this client/);
    expect(JSON.parse((await restoreDeadLetter(service.rt.db, { ...claimed, repeatedHeaders: { 'client-id': [first.clientId, second.clientId] } })).value!.toString())).toEqual(two);
    // Neither client is the sender of the first for sure: no report, and no refusal listed for either.
    for (const { token } of [first, second]) expect(await asked(two.externalId, token)).toEqual({ items: [], nextCursor: null, rejected: [] });
    // Both naming one client: that client is told.
    expect(await asked(same.externalId, first.token)).toEqual({ items: [], nextCursor: null, rejected: [{ reason: 'record has 2 client-id headers; give exactly one', rejectedAt: expect.any(String) }] });

    // Replayed, it is refused again for the same reason, not taken as the first client's.
    expect((await replayInbound((e) => e.key === two.externalId)).replayed).toBe(1);
    const [, again] = await dlq.waitFor('the replayed record refused again', (r) => r.key === two.externalId, 2);
    expect(again!.headers[DLQ_HEADERS.error]).toBe('record has 2 client-id headers; give exactly one');
    expect(again!.headers['client-id']).toBe(`${first.clientId},${second.clientId}`);
    expect(await asked(two.externalId, first.token)).toEqual({ items: [], nextCursor: null, rejected: [] });
  });

  it("logs a refused record's sender as intake decides it and its key as it leaves intake, never a number the sender wrote there (ops audit #6)", async () => {
    const first = await createClient(['reporter']);
    const second = await createClient(['reporter']);
    const send = (value: { externalId: string }, clientIds: string[]) =>
      producer.send({ topic: `${env.KAFKA_TOPIC_PREFIX}${TOPICS.reportsInbound}`, messages: [{ key: value.externalId, value: JSON.stringify(value), headers: { 'client-id': clientIds } }] });
    const [two, same, unknown] = [report(), report(), report({ externalId: 'tel-13893562222' })];
    await send(two, [first.clientId, second.clientId]);
    await send(same, [first.clientId, first.clientId]);
    await send(unknown, ['tel-13893561111']);
    /** The dead-letter line of a record, found by where it was read (as the DLQ names it), and who it names. */
    const loggedAs = async (sent: { externalId: string }) => {
      const [dead] = await dlq.waitFor(`the dead letter of ${sent.externalId}`, (r) => r.key === inboundKeyOut(sent.externalId));
      const line = await eventually(`the dead-letter line of ${sent.externalId}`, () =>
        logLines.find((l) => l.msg === 'message dead-lettered' && l.partition === Number(dead!.headers[DLQ_HEADERS.partition]) && l.offset === dead!.headers[DLQ_HEADERS.offset]),
      );
      return { key: line.key, sender: line.sender };
    };
    // Two clients named: the refusal is kept for neither, and the line names neither (not the first).
    expect(await loggedAs(two)).toEqual({ key: inboundKeyOut(two.externalId), sender: undefined });
    expect(await loggedAs(same)).toEqual({ key: inboundKeyOut(same.externalId), sender: first.clientId });
    // A client-id that names no client is the sender's own text: masked, as the key is.
    expect(await loggedAs(unknown)).toEqual({ key: 'tel-138****2222', sender: 'tel-138****1111' });
    // A client's id is a UUID, logged whole even where its digits look like a number to mask.
    const client = '01a23ae4-d206-74de-bdae-0604872681d7';
    expect(inboundSenderOut({ topic: TOPICS.reportsInbound, partition: 0, offset: '0', key: null, value: null, headers: { 'client-id': client } })).toBe(client);
    // So is a UUID in a key (ext-<uuid>: found again by its key in the DLQ), the phone number beside it masked.
    expect(inboundKeyOut(`ext-${client}`)).toBe(`ext-${client}`);
    expect(inboundKeyOut(`tel-13893569999-${client}`)).toBe(`tel-138****9999-${client}`);
    // The refusal names no such text either: it is in the DLQ's headers and the log.
    const [deadUnknown] = await dlq.waitFor('the dead letter of the unknown client', (r) => r.key === inboundKeyOut(unknown.externalId));
    expect(deadUnknown!.headers[DLQ_HEADERS.error]).toBe('the client-id header names no client of this install');
  });

  it('restores the personal data when a dead letter is replayed onto gridcase.reports.inbound', async () => {
    // A client without the reporter role: its record is dead-lettered, then the role is granted and the DLQ replayed.
    const { clientId } = await createClient(['desk']);
    const good = report();
    await producer.sendTo(TOPICS.reportsInbound, good.externalId, JSON.stringify(good), { 'client-id': clientId });
    const [dead] = await dlq.waitFor('the record of a non-reporter', (r) => r.key === good.externalId);
    expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/reporter role/);
    for (const value of Object.values(PERSON)) expect(JSON.stringify(dead)).not.toContain(value);

    await service.rt.db.execute(sql`update intake.clients set roles = '["reporter"]' where client_id = ${clientId}`);
    await replayInbound();
    const reportId = await eventuallyReport(good.externalId);
    // Read as admin: the report has no case yet, so it belongs to no station a desk token could hold.
    const person = await service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}/reporter`, headers: bearer() });
    expect(person.json()).toMatchObject(PERSON);
  });

  it('replays the dead letter of a record too large for the DLQ: intake keeps it whole and the DLQ its $ref, not a stub', async () => {
    // As above: a client without the reporter role, its records dead-lettered, then the role granted and the DLQ replayed.
    const { clientId } = await createClient(['desk']);
    // Over the DLQ's 900 kB, under the broker's 1 MiB: a valid report written with a sender's wide indentation…
    const spaced = `spaced-${newId()}`;
    const spacedValue = `{"externalId":"${spaced}",${' '.repeat(950_000)}"description":"小区消防通道被占","location":{"gridCode":"CG-01-01"}}`;
    // …and one whose description is far too long, with a reporter: the copy without the reporter is as large.
    const long = report({ description: 'x'.repeat(950_000) });
    await producer.sendTo(TOPICS.reportsInbound, spaced, spacedValue, { 'client-id': clientId });
    await producer.sendTo(TOPICS.reportsInbound, long.externalId, JSON.stringify(long), { 'client-id': clientId });
    for (const key of [spaced, long.externalId]) {
      const [dead] = await dlq.waitFor(`the dead letter of ${key}`, (r) => r.key === key);
      expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/reporter role/);
      expect(dead!.headers['dlq-truncated']).toBeUndefined();
      expect(JSON.parse(dead!.value!)).toEqual({ $ref: expect.stringMatching(/^intake-dlq:/) });
      for (const v of Object.values(PERSON)) expect(JSON.stringify(dead)).not.toContain(v);
    }

    await service.rt.db.execute(sql`update intake.clients set roles = '["reporter"]' where client_id = ${clientId}`);
    expect((await replayInbound((e) => e.key === spaced || e.key === long.externalId)).replayed).toBe(2);
    // The handler gets each original back: the valid one becomes a report, the other is refused for what it says.
    await eventuallyReport(spaced);
    const [, again] = await dlq.waitFor('the long report refused again', (r) => r.key === long.externalId, 2);
    expect(again!.headers[DLQ_HEADERS.error]).toMatch(/^invalid report body: description: /);
    expect(JSON.parse(again!.value!)).toEqual({ $ref: expect.stringMatching(/^intake-dlq:/) });
  });

  const eventuallyReport = async (externalId: string) => {
    return eventually(`report ${externalId}`, async () => {
      const rows = await service.rt.db.execute<{ report_id: string }>(sql`select report_id from intake.reports where external_id = ${externalId}`);
      return rows.rows[0]?.report_id;
    });
  };

  describe('the dead-letter value function on its own', () => {
    const record = (value: string | Buffer | null, clientId = 'c-1'): InboundRecord => ({
      topic: TOPICS.reportsInbound,
      partition: 0,
      offset: '0',
      key: 'k',
      value: typeof value === 'string' ? Buffer.from(value) : value,
      headers: { 'client-id': clientId },
    });

    it('takes the reporter out (even one Postgres could not store) and puts it back for the same client only', async () => {
      const deadLetter = inboundDeadLetterValue(service.rt.db, service.rt.logger);
      const original = { externalId: 'x', reporter: { ...PERSON, name: `王${NUL}` } };
      const value = await deadLetter(record(JSON.stringify(original)), 'why');
      const text = value!.toString();
      expect(isStorableText(text)).toBe(true);
      for (const v of Object.values(PERSON)) expect(text).not.toContain(v);
      // Dead-lettering it again (a replay that failed again) keeps the same reference.
      expect((await deadLetter(record(text), 'again'))!.toString()).toBe(text);

      const restored = await restoreDeadLetter(service.rt.db, record(value));
      expect(JSON.parse(restored.value!.toString())).toEqual(original);
      await expect(restoreDeadLetter(service.rt.db, record(value, 'someone-else'))).rejects.toThrow(/does not hold/);
    });

    it('masks phone and ID numbers written into the text of a dead-lettered record, keeping the rest, and replays the original (audit6 #6)', async () => {
      const { clientId } = await createClient(['reporter']);
      const sent = report({
        title: '张三 13912340000',
        description: '我是王小明，身份证620302198805051234，电话13912345678，家住宝河苑3栋2单元501，邻居占我车位',
        location: { gridCode: 'CG-04-01', address: '宝河苑3栋 座机0931-8123456', floor: '5' },
        // Refused as an attachment, yet its credentials must not reach the DLQ either (audit10 #7).
        attachments: [{ url: 'https://user:pw@files.example.cn/a.jpg?token=abc', mediaType: 'image/jpeg' }],
      });
      await producer.sendTo(TOPICS.reportsInbound, sent.externalId, JSON.stringify(sent), { 'client-id': clientId });
      const [dead] = await dlq.waitFor('the record with numbers in its text', (r) => r.key === sent.externalId);
      expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/location\.floor: unknown field/);
      const everything = JSON.stringify(dead);
      for (const v of ['620302198805051234', '13912345678', '13912340000', '0931-8123456', 'user:pw', 'token=abc', ...Object.values(PERSON)]) {
        expect(everything).not.toContain(v);
      }
      const copy = JSON.parse(dead!.value!);
      // Still readable for whoever looks into the DLQ: only the numbers are masked.
      expect(copy).toMatchObject({
        externalId: sent.externalId,
        title: '张三 139****0000',
        description: '我是王小明，身份证6203**********1234，电话139****5678，家住宝河苑3栋2单元501，邻居占我车位',
        location: { gridCode: 'CG-04-01', address: '宝河苑3栋 座机0931******56', floor: WITHHELD_UNKNOWN_FIELD },
        attachments: [{ url: 'https://***@files.example.cn/a.jpg?token=***', mediaType: 'image/jpeg' }],
        reporter: { $ref: expect.stringMatching(/^intake-dlq:/) },
        $ref: copy.reporter.$ref,
      });
      // A replay gets the original back, for its sender only; dead-lettering the copy again changes nothing.
      expect(JSON.parse((await restoreDeadLetter(service.rt.db, record(dead!.value!, clientId))).value!.toString())).toEqual(sent);
      await expect(restoreDeadLetter(service.rt.db, record(dead!.value!, 'someone-else'))).rejects.toThrow(/does not hold/);
      expect((await inboundDeadLetterValue(service.rt.db, service.rt.logger)(record(dead!.value!, clientId), 'again'))!.toString()).toBe(dead!.value!.toString());
    });

    it('withholds the value of a field a report body does not have, and masks it where the text repeats it (audit17 #5)', async () => {
      const { clientId } = await createClient(['reporter']);
      const sent = {
        externalId: `k-unk-${newId()}`,
        description: 'x',
        location: { gridCode: 'CG-02-01', address: '金川路5号 王五 13900004444' },
        contactPhone: '13900002222',
        reporterName: '王五',
        contact: { name: '赵六', phone: '13900003333' },
      };
      await producer.sendTo(TOPICS.reportsInbound, sent.externalId, JSON.stringify(sent), { 'client-id': clientId });
      const [dead] = await dlq.waitFor('the record with unknown fields', (r) => r.key === sent.externalId);
      expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/contactPhone: unknown field; reporterName: unknown field; contact: unknown field/);
      const everything = JSON.stringify(dead);
      for (const v of ['王五', '赵六', '13900002222', '13900003333', '13900004444']) expect(everything).not.toContain(v);
      const copy = JSON.parse(dead!.value!);
      expect(copy).toEqual({
        $ref: expect.stringMatching(/^intake-dlq:/),
        externalId: sent.externalId,
        description: 'x',
        location: { gridCode: 'CG-02-01', address: '金川路5号 王* 139****4444' },
        contactPhone: WITHHELD_UNKNOWN_FIELD,
        reporterName: WITHHELD_UNKNOWN_FIELD,
        contact: WITHHELD_UNKNOWN_FIELD,
      });
      // Nothing is lost: a replay gets the original back, for its sender only.
      expect(JSON.parse((await restoreDeadLetter(service.rt.db, record(dead!.value!, clientId))).value!.toString())).toEqual(sent);
      await expect(restoreDeadLetter(service.rt.db, record(dead!.value!, 'someone-else'))).rejects.toThrow(/does not hold/);
    });

    it("keeps its own reference in a copy whose sender sent a field named $ref (audit17 #5)", async () => {
      const original = { $ref: 'mine', externalId: 'x', description: '王五', reporter: { ...PERSON } };
      const value = await inboundDeadLetterValue(service.rt.db, service.rt.logger)(record(JSON.stringify(original)), 'why');
      const copy = JSON.parse(value!.toString());
      expect(copy).toEqual({ $ref: expect.stringMatching(/^intake-dlq:/), externalId: 'x', description: '王五', reporter: { $ref: copy.$ref } });
      expect(JSON.parse((await restoreDeadLetter(service.rt.db, record(value))).value!.toString())).toEqual(original);
    });

    it('takes a $ref that names no copy of ours, or sits beside a reporter or an unknown field, for a field the sender wrote: the copy withholds and masks (review of audit17 #5)', async () => {
      const { clientId } = await createClient(['reporter']);
      const deadLetter = inboundDeadLetterValue(service.rt.db, service.rt.logger);
      const forged = { $ref: `intake-dlq:${newId()}`, externalId: 'x', description: 'x', reporter: { ...PERSON }, reporterName: '王五' };
      // A real copy's reference beside a reporter written whole is no copy either.
      const first = JSON.parse((await deadLetter(record(JSON.stringify({ externalId: 'y', description: 'x', reporter: { ...PERSON } }), clientId), 'why'))!.toString());
      const beside = { $ref: first.reporter.$ref, externalId: 'y', description: 'x', reporter: { ...PERSON } };
      for (const sent of [forged, beside]) {
        const value = (await deadLetter(record(JSON.stringify(sent), clientId), 'why'))!.toString();
        for (const v of [PERSON.name, PERSON.phone, '王五']) expect(value).not.toContain(v);
        expect(JSON.parse((await restoreDeadLetter(service.rt.db, record(value, clientId))).value!.toString())).toEqual(sent);
      }
    });

    it("dead-letters a record whose location or externalId says nothing, naming the field, with the reporter's name masked in its text (audit11 #1, #4)", async () => {
      const { clientId } = await createClient(['reporter']);
      const sent = report({ description: `我是${PERSON.name}，路灯坏了很久`, location: { address: '   ' } });
      await producer.sendTo(TOPICS.reportsInbound, sent.externalId, JSON.stringify(sent), { 'client-id': clientId });
      const [dead] = await dlq.waitFor('the record placed nowhere', (r) => r.key === sent.externalId);
      expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/location\.address: says nothing/);
      expect(JSON.stringify(dead)).not.toContain(PERSON.name);
      expect(JSON.parse(dead!.value!)).toMatchObject({ description: '我是王**，路灯坏了很久', reporter: { $ref: expect.stringMatching(/^intake-dlq:/) } });
      // Nothing is lost: a replay gets the original back, name and all.
      expect(JSON.parse((await restoreDeadLetter(service.rt.db, record(dead!.value!, clientId))).value!.toString())).toEqual(sent);

      const unnamed = report({ externalId: ' \u3000 ' });
      await producer.sendTo(TOPICS.reportsInbound, unnamed.externalId, JSON.stringify(unnamed), { 'client-id': clientId });
      const [deadId] = await dlq.waitFor('the record with a blank externalId', (r) => r.key === unnamed.externalId);
      expect(deadId!.headers[DLQ_HEADERS.error]).toMatch(/externalId: is only white space/);
    });

    it('masks a phone in the record key the DLQ keeps (the externalId) and gives the replay its key back (audit14 #1)', async () => {
      const { clientId } = await createClient(['reporter']);
      const sent = { ...report({ externalId: 'tel-13893567777' }), bogus: 1 };
      await producer.sendTo(TOPICS.reportsInbound, sent.externalId, JSON.stringify(sent), { 'client-id': clientId });
      const [dead] = await dlq.waitFor('the record keyed by a phone', (r) => r.key === 'tel-138****7777');
      expect(JSON.stringify(dead)).not.toContain('13893567777');
      expect(JSON.parse(dead!.value!)).toMatchObject({ externalId: 'tel-138****7777' });
      // A replay of the dead letter as it is (key and value) is the record as sent, so the key matches its externalId again.
      const replayed = await restoreDeadLetter(service.rt.db, { ...record(dead!.value!, clientId), key: dead!.key });
      expect([replayed.key, JSON.parse(replayed.value!.toString())]).toEqual([sent.externalId, sent]);
      // The sender still finds its refusal under the externalId it sent.
      const refusals = await service.rt.db.execute<{ reason: string }>(sql`select reason from intake.inbound_rejections where external_id = ${sent.externalId}`);
      expect(refusals.rows.map((r) => r.reason)).toEqual([expect.stringMatching(/bogus/)]);
    });

    it('keeps the refusal for its sender even when no copy can be made (the consumer then writes a stub)', async () => {
      const { clientId } = await createClient(['reporter']);
      const db = service.rt.db;
      // A database that takes the refusal but fails to keep the original: the copy cannot be made.
      const noCopies = new Proxy(db, {
        get: (target, prop) =>
          prop === 'insert'
            ? (table: unknown) => {
                if (table === deadLetterPersonal) throw new Error('no copy today');
                return target.insert(table as typeof deadLetterPersonal);
              }
            : Reflect.get(target, prop),
      });
      const externalId = `no-copy-${newId()}`;
      const sent = { ...record(JSON.stringify({ externalId, description: 'x', reporter: { ...PERSON } }), clientId), partition: 8, offset: String(Date.now()) };
      await expect(inboundDeadLetterValue(noCopies, service.rt.logger)(sent, 'invalid report body: location: required')).rejects.toThrow(/no copy today/);
      const refusals = await db.execute<{ reason: string }>(sql`select reason from intake.inbound_rejections where client_id = ${clientId} and external_id = ${externalId}`);
      expect(refusals.rows).toEqual([{ reason: 'invalid report body: location: required' }]);
    });

    it('replaces a value that is not a JSON object as a whole', async () => {
      const raw = `王建国 13800138000 ${NUL}`;
      const value = await inboundDeadLetterValue(service.rt.db, service.rt.logger)(record(raw), 'not JSON');
      expect(JSON.parse(value!.toString())).toEqual({ $ref: expect.stringMatching(/^intake-dlq:/) });
      expect((await restoreDeadLetter(service.rt.db, record(value))).value!.toString()).toBe(raw);
    });
  });
});
