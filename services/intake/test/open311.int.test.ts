import { makeMessage, newId, TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { start } from '../src/main.ts';

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe('Open311 GeoReport v2 against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let reportsTopic: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;
  let reporter: { clientId: string; token: string };

  const createClient = async (roles: string[]) => {
    const res = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: `open311 ${roles}`, roles } });
    return res.json() as { clientId: string; token: string };
  };

  beforeAll(async () => {
    env = await isolatedEnv({ INTAKE_PORT: '0' });
    service = await start(env);
    reportsTopic = await readTopic(env, TOPICS.reports);
    producer = await testProducer(env);
    reporter = await createClient(['reporter']);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await reportsTopic?.close();
    await service?.rt.shutdown('test done');
  });

  it('lists the categories as services, and one service definition, to token holders', async () => {
    const anonymous = await service.app.inject({ method: 'GET', url: '/open311/v2/services.json' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/json');
    expect(anonymous.json()).toEqual([{ code: 401, description: expect.stringContaining('api_key') }]);

    const list = await service.app.inject({ method: 'GET', url: '/open311/v2/services.json', headers: bearer(reporter.token) });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toContainEqual(expect.objectContaining({ service_code: 'dispute.family', service_name: '家庭纠纷', group: 'dispute', type: 'realtime' }));
    const english = await service.app.inject({ method: 'GET', url: '/open311/v2/services.json?locale=en', headers: bearer(reporter.token) });
    expect(english.json()).toContainEqual(expect.objectContaining({ service_code: 'dispute.family', service_name: 'Family dispute' }));

    const one = await service.app.inject({ method: 'GET', url: '/open311/v2/services/hazard.fire.json', headers: bearer(reporter.token) });
    expect(one.json()).toEqual({ service_code: 'hazard.fire', attributes: [] });
    const unknown = await service.app.inject({ method: 'GET', url: '/open311/v2/services/no.such.json', headers: bearer(reporter.token) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual([{ code: 404, description: 'service_code: not a service here; GET /open311/v2/services.json lists them' }]);
    const xml = await service.app.inject({ method: 'GET', url: '/open311/v2/services/hazard.fire.xml', headers: bearer(reporter.token) });
    expect(xml.statusCode).toBe(404);
    expect(xml.json()[0].description).toContain('.json');
    // Outside the routes too (the XML list, a method no resource takes), the answer is Open311's.
    for (const [method, url] of [['GET', '/open311/v2/services.xml'], ['DELETE', '/open311/v2/requests.json']] as const) {
      const elsewhere = await service.app.inject({ method, url, headers: bearer(reporter.token) });
      expect(elsewhere.statusCode).toBe(404);
      expect(elsewhere.headers['content-type']).toContain('application/json');
      expect(elsewhere.json()).toEqual([{ code: 404, description: expect.stringContaining('.json') }]);
    }
  });

  it('takes a form-encoded request with api_key down the report path, keeping the reporter out of the event', async () => {
    const res = await service.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({
        api_key: reporter.token,
        service_code: 'service.lost-property',
        description: '孩子的滑板车在社区广场丢了，蓝色的',
        lat: '38.2466',
        long: '101.9561',
        address_string: '宝河苑社区广场',
        first_name: '秀兰',
        last_name: '李',
        phone: '13912345678',
        email: 'li.xiulan@example.cn',
        media_url: 'https://example.cn/scooter.jpg',
        'attribute[colour]': 'blue',
      }),
    });
    expect(res.statusCode).toBe(201);
    const [created] = res.json() as { service_request_id: string }[];
    const id = created!.service_request_id;

    const [record] = await reportsTopic.waitFor('open311 report.received', (r) => r.key === id);
    expect(record!.message!.data).toMatchObject({
      category: 'service.lost-property',
      kind: 'service',
      location: { lat: 38.2466, lng: 101.9561, address: '宝河苑社区广场' },
      attachments: [{ url: 'https://example.cn/scooter.jpg', mediaType: 'image/jpeg' }],
      reporter: { anonymous: false, hasContact: true },
    });
    expect(record!.value).not.toMatch(/李秀兰|13912345678|li\.xiulan/);

    // Read as admin: the report has no case yet, so it belongs to no station a desk token could hold.
    const person = await service.app.inject({ method: 'GET', url: `/v1/reports/${id}/reporter`, headers: bearer() });
    expect(person.json()).toMatchObject({ name: '李秀兰', phone: '13912345678', email: 'li.xiulan@example.cn' });
  });

  it("masks the reporter's name in media_url on the topic and in GET media_url, keeping the URL as sent for the reporter's readers (audit14 #2)", async () => {
    const mediaUrl = 'https://img.example.cn/周文斌/13519358888.jpg';
    const res = await service.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ api_key: reporter.token, service_code: 'service.lost-property', description: '滑板车丢了，我是7号楼住户周文斌', address_string: '宝河苑社区', first_name: '文斌', last_name: '周', phone: '13519358888', media_url: mediaUrl }),
    });
    expect(res.statusCode).toBe(201);
    const id = (res.json() as { service_request_id: string }[])[0]!.service_request_id;
    const [record] = await reportsTopic.waitFor('open311 report.received with a name in media_url', (r) => r.key === id);
    expect(decodeURIComponent(record!.value ?? '')).not.toMatch(/周文斌|13519358888/u);
    expect(decodeURIComponent((record!.message!.data as { attachments: { url: string }[] }).attachments[0]!.url)).toBe('https://img.example.cn/周**/135****8888.jpg');
    const shown = await service.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json`, headers: bearer(reporter.token) });
    expect(shown.statusCode).toBe(200);
    expect(decodeURIComponent(JSON.stringify(shown.json()))).not.toMatch(/周文斌|13519358888/u);
    const person = await service.app.inject({ method: 'GET', url: `/v1/reports/${id}/reporter`, headers: bearer() });
    expect(person.json().written.attachments).toEqual([mediaUrl]);
  });

  it('takes a request as JSON too, and answers 415 naming both accepted types for any other body', async () => {
    const fields = { service_code: 'service.general', description: '路灯不亮', address_string: '宝河苑' };
    const post = (payload: string, contentType: string) =>
      service.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { ...bearer(reporter.token), 'content-type': contentType }, payload });
    expect((await post(JSON.stringify(fields), 'application/json')).statusCode).toBe(201);
    // JSON clients send the coordinates as numbers; read as the form's text is.
    const located = await post(JSON.stringify({ ...fields, description: '路灯不亮，广场东侧', lat: 38.2466, long: 101.9561 }), 'application/json');
    expect(located.statusCode).toBe(201);
    const [created] = located.json() as { service_request_id: string }[];
    const [record] = await reportsTopic.waitFor('open311 JSON report.received', (r) => r.key === created!.service_request_id);
    expect(record!.message!.data).toMatchObject({ location: { lat: 38.2466, lng: 101.9561, address: '宝河苑' } });
    const text = await post(JSON.stringify(fields), 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual([{ code: 415, description: "the body's Content-Type is text/plain; send the body as application/json or application/x-www-form-urlencoded (Content-Type)" }]);
  });

  it("reads a form as UTF-8 only (audit21 #2): 415 for another charset, 400 in Open311's body naming each field that does not percent-decode to UTF-8", async () => {
    const post = (payload: string | Buffer, contentType = 'application/x-www-form-urlencoded') =>
      service.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { ...bearer(reporter.token), 'content-type': contentType }, payload });
    const fields = 'service_code=hazard.facility&address_string=%E5%AE%9D%E6%B2%B3%E8%8B%91';
    // 井盖 as a GBK system sends it.
    const gbk = await post(`${fields}&description=%BE%AE%B8%C7`, 'application/x-www-form-urlencoded; charset=GBK');
    expect(gbk.statusCode).toBe(415);
    expect(gbk.json()).toEqual([{ code: 415, description: 'the body must be utf-8: send Content-Type with charset=utf-8 or without a charset' }]);
    const why = 'not validly percent-encoded UTF-8: each % must start a %XX escape, and the bytes they give must be UTF-8';
    for (const description of ['%BE%AE%B8%C7', '%E4%BA%95%E7%9B%96%FF', '%ZZ%E4%BA']) {
      const bad = await post(`service_code=hazard.facility&description=${description}&address_string=x%FF`);
      expect(bad.statusCode, description).toBe(400);
      expect(bad.headers['content-type']).toContain('application/json');
      expect(bad.json()).toEqual([
        { code: 400, description: `description: ${why}` },
        { code: 400, description: `address_string: ${why}` },
      ]);
    }
    // A key that does not decode either is named without quoting it.
    expect((await post(`${fields}&description=x&%FF=1`)).json()).toEqual([{ code: 400, description: `(key): ${why}` }]);
    // Bytes that are no UTF-8 in the form itself, not escaped.
    const raw = await post(Buffer.concat([Buffer.from(`${fields}&description=`), Buffer.from([0xbe, 0xae])]));
    expect(raw.statusCode).toBe(400);
    expect(raw.json()).toEqual([{ code: 400, description: 'the body is not valid UTF-8; send it encoded as utf-8' }]);
    // UTF-8, escaped or with charset=UTF-8, is read as before; '+' is a space.
    const ok = await post(`${fields}&description=%E4%BA%95%E7%9B%96+%E5%9D%8F%E4%BA%86`, 'application/x-www-form-urlencoded; charset=UTF-8');
    expect(ok.statusCode).toBe(201);
    const [created] = ok.json() as { service_request_id: string }[];
    const [record] = await reportsTopic.waitFor('the UTF-8 form report.received', (r) => r.key === created!.service_request_id);
    expect(record!.message!.data).toMatchObject({ description: '井盖 坏了', location: { address: '宝河苑' } });
  });

  /** The fields an Open311 error answer names: each description reads `field: why`. */
  const fieldsOf = (errors: { code: number; description: string }[]) => errors.map((e) => e.description.split(':')[0]);

  it('refuses a media_url a browser would run or read locally or with credentials in it, and a description of white space only, naming the Open311 fields', async () => {
    const post = (fields: Record<string, string>) =>
      service.app.inject({ method: 'POST', url: '/open311/v2/requests.json', ...form({ api_key: reporter.token, service_code: 'dispute.neighbour', address_string: 'x', ...fields }) });
    for (const media_url of ['javascript:alert(1)', 'file:///etc/passwd']) {
      const res = await post({ description: 'a', media_url });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual([{ code: 400, description: 'media_url: must be an absolute http or https URL' }]);
    }
    const withCredentials = await post({ description: 'a', media_url: 'https://user:pw@example.cn/a.jpg' });
    expect(withCredentials.statusCode).toBe(400);
    expect(withCredentials.json()).toEqual([{ code: 400, description: 'media_url: must not carry credentials' }]);
    const blank = await post({ description: ' \u3000 ' });
    expect(blank.statusCode).toBe(400);
    expect(fieldsOf(blank.json())).toEqual(['description']);
    // An address_string that says nothing places the request nowhere (audit11 #4).
    const nowhere = await post({ description: '路灯坏了很久', address_string: '.' });
    expect(nowhere.statusCode).toBe(400);
    expect(fieldsOf(nowhere.json())).toEqual(['address_string']);
    // Readable, and in Open311's field names (audit14 #9).
    const empty = await post({ description: '' });
    expect(empty.json()).toEqual([{ code: 400, description: 'description: must not be empty' }]);
    const noPlace = await post({ description: '路灯坏了很久', address_string: '' });
    expect(noPlace.json()).toEqual([{ code: 400, description: 'lat/long or address_string: required: lat and long together, or address_string' }]);
  });

  it('rejects a bad request with 400 naming the Open311 fields, and a bad or misplaced api_key with 401', async () => {
    const bad = await service.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ api_key: reporter.token, service_code: 'no.such', lat: 'north', long: '101.9' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/json');
    const paths = fieldsOf(bad.json());
    expect(paths).toEqual(expect.arrayContaining(['service_code', 'description', 'lat']));
    expect(bad.json()).toContainEqual({ code: 400, description: 'service_code: not a service here; GET /open311/v2/services.json lists them' });

    const missingCode = await service.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ api_key: reporter.token, description: 'x', address_string: 'y' }),
    });
    expect(fieldsOf(missingCode.json())).toEqual(['service_code']);

    const forged = await service.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ api_key: `${reporter.token}x`, service_code: 'service.general', description: 'x', address_string: 'y' }),
    });
    expect(forged.statusCode).toBe(401);
    // A bearer token and a form api_key naming another client: neither is guessed at (audit19b #5); the same in both is one credential.
    const other = await createClient(['reporter']);
    const post = (apiKey: string) => {
      const { payload, headers } = form({ api_key: apiKey, service_code: 'service.general', description: '路灯坏了', address_string: '宝河苑' });
      return service.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload, headers: { ...headers, authorization: `Bearer ${reporter.token}` } });
    };
    const two = await post(other.token);
    expect(two.statusCode).toBe(401);
    expect(two.json()[0].description).toContain('the api_key in the form is not the bearer token');
    expect((await post(reporter.token)).statusCode).toBe(201);
    const inUrl = await service.app.inject({ method: 'GET', url: `/open311/v2/requests.json?api_key=${reporter.token}` });
    expect(inUrl.statusCode).toBe(401);
    expect(inUrl.json()[0].description).toContain('not in the URL');

    const revoked = await createClient(['reporter']);
    await service.app.inject({ method: 'DELETE', url: `/v1/clients/${revoked.clientId}`, headers: bearer() });
    const refused = await service.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ api_key: revoked.token, service_code: 'service.general', description: 'x', address_string: 'y' }),
    });
    expect(refused.statusCode).toBe(401);
    const desk = await createClient(['desk']);
    const notReporter = await service.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ api_key: desk.token, service_code: 'service.general', description: 'x', address_string: 'y' }),
    });
    expect(notReporter.statusCode).toBe(403);
  });

  it('shows a request open with our finer state (resolved too), closed only once the case is closed, expected_datetime = the case resolveBy', async () => {
    const posted = await service.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ api_key: reporter.token, service_code: 'hazard.facility', description: '3号楼门禁坏了，报警器响了一整夜', address_string: '宝河苑3号楼' }),
    });
    const id = (posted.json() as { service_request_id: string }[])[0]!.service_request_id;
    const get = async () => {
      const res = await service.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json`, headers: bearer(reporter.token) });
      expect(res.statusCode).toBe(200);
      return (res.json() as Record<string, unknown>[])[0]!;
    };
    expect(await get()).toMatchObject({ service_request_id: id, status: 'open', status_notes: 'received; awaiting triage', expected_datetime: null, address: '宝河苑3号楼' });

    const stranger = await createClient(['reporter']);
    const hidden = await service.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json`, headers: bearer(stranger.token) });
    expect(hidden.statusCode).toBe(404);

    const caseId = newId();
    const resolveBy = '2026-12-01T10:00:00.000Z';
    const send = (message: ReturnType<typeof makeMessage>) => producer.sendTo(TOPICS.cases, caseId, JSON.stringify(message));
    await send(
      makeMessage('gridcase.case.opened.v1', {
        source: '/test',
        subject: caseId,
        data: {
          caseId,
          caseNumber: 'CG-2026-000077',
          reportId: id,
          station: 'CG',
          kind: 'hazard',
          category: 'hazard.facility',
          severity: 'orange',
          description: 'x',
          location: { address: '宝河苑3号楼' },
          respondBy: '2026-11-30T10:00:00.000Z',
          resolveBy,
          rule: 'test',
          openedAt: new Date().toISOString(),
        },
      }),
    );
    await send(
      makeMessage('gridcase.case.resolved.v1', {
        source: '/test',
        subject: caseId,
        data: { caseId, commandId: newId(), outcome: 'resolved', note: '已修好', by: { clientId: 'desk' }, at: new Date().toISOString() },
      }),
    );
    // Resolved awaits verification: still open to the sender, with the finer state in the notes.
    const resolved = await eventually('request shows resolved', async () => {
      const r = await get();
      return String(r.status_notes).includes('resolved') ? r : undefined;
    });
    expect(resolved).toMatchObject({ status: 'open', expected_datetime: resolveBy, status_notes: 'triaged; case CG-2026-000077: resolved, awaiting verification' });

    const verifiedAt = new Date().toISOString();
    await send(
      makeMessage('gridcase.case.verified.v1', {
        source: '/test',
        subject: caseId,
        data: { caseId, commandId: newId(), result: 'passed', note: '核查属实', status: 'closed', reworkCount: 0, by: { clientId: 'supervisor' }, at: verifiedAt },
      }),
    );
    await send(makeMessage('gridcase.case.closed.v1', { source: '/test', subject: caseId, data: { caseId, reason: 'verified', at: verifiedAt } }));
    const closed = await eventually('request closed', async () => {
      const r = await get();
      return r.status === 'closed' ? r : undefined;
    });
    expect(closed).toMatchObject({ expected_datetime: resolveBy, status_notes: 'triaged; case CG-2026-000077: closed', service_name: '设施故障' });

    const closedList = await service.app.inject({ method: 'GET', url: '/open311/v2/requests.json?status=closed', headers: bearer(reporter.token) });
    expect((closedList.json() as { service_request_id: string }[]).map((r) => r.service_request_id)).toEqual([id]);
    const openList = await service.app.inject({ method: 'GET', url: '/open311/v2/requests.json?status=open', headers: bearer(reporter.token) });
    expect((openList.json() as { service_request_id: string }[]).map((r) => r.service_request_id)).not.toContain(id);
    const strangerList = await service.app.inject({ method: 'GET', url: '/open311/v2/requests.json', headers: bearer(stranger.token) });
    expect(strangerList.json()).toEqual([]);

    const token = await service.app.inject({ method: 'GET', url: `/open311/v2/tokens/${id}.json`, headers: bearer(reporter.token) });
    expect(token.json()).toEqual([{ service_request_id: id, token: id }]);
  });

  it('lists requests a page at a time (page_size, 1-based page) and refuses a page over 200', async () => {
    const sender = await createClient(['reporter']);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await service.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        ...form({ api_key: sender.token, service_code: 'service.general', description: `第${i}个请求`, address_string: '宝河苑' }),
      });
      ids.push((res.json() as { service_request_id: string }[])[0]!.service_request_id);
    }
    const page = async (query: string) => {
      const res = await service.app.inject({ method: 'GET', url: `/open311/v2/requests.json?${query}`, headers: bearer(sender.token) });
      return res;
    };
    const idsOf = async (query: string) => ((await page(query)).json() as { service_request_id: string }[]).map((r) => r.service_request_id);
    const first = await idsOf('page_size=2');
    const second = await idsOf('page_size=2&page=2');
    expect(first).toHaveLength(2);
    expect([...first, ...second]).toEqual([...ids].reverse());
    expect(await idsOf('page_size=2&page=3')).toEqual([]);
    const tooBig = await page('page_size=201');
    expect(tooBig.statusCode).toBe(400);
    expect(fieldsOf(tooBig.json())).toEqual(['page_size']);
  });

  it('takes any start_date or end_date (one whose UTC year leaves 0001–9999 moved to the nearest, not a 500), and names one given twice', async () => {
    const list = (query: string) => service.app.inject({ method: 'GET', url: `/open311/v2/requests.json?${query}`, headers: bearer(reporter.token) });
    const far = await list(`start_date=${encodeURIComponent('0001-01-01T00:00:00+08:00')}&end_date=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`);
    expect(far.statusCode).toBe(200);
    expect(far.json()).toEqual((await list('start_date=1970-01-01T00:00:00Z&end_date=9999-12-31T23:59:59Z')).json());
    expect((await list('status=open&status=closed')).json()).toEqual([{ code: 400, description: 'status: given more than once; give it once' }]);
  });

  it('names a start_date after end_date, in its own error body, as the desk names from after to (audit17 #9); both ends are inclusive', async () => {
    const list = (query: string) => service.app.inject({ method: 'GET', url: `/open311/v2/requests.json?${query}`, headers: bearer(reporter.token) });
    const reversed = await list('start_date=2026-12-02T00:00:00Z&end_date=2026-12-01T00:00:00Z');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json()).toEqual([{ code: 400, description: 'start_date: must not be after end_date' }]);
    // Named beside the query's other problems; the same instant twice is a range of one instant.
    expect((await list('start_date=2026-12-02T08:00:00%2B08:00&end_date=2026-12-01T00:00:00Z&page_size=0')).json()).toEqual([
      { code: 400, description: 'page_size: must be at least 1' },
      { code: 400, description: 'start_date: must not be after end_date' },
    ]);
    expect((await list('start_date=2026-12-01T00:00:00Z&end_date=2026-12-01T08:00:00%2B08:00')).statusCode).toBe(200);
  });
});
