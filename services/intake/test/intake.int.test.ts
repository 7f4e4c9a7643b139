import { DLQ_HEADERS, INSTANT_EXPECTED, makeMessage, NOT_THIS_LISTS_CURSOR, newId, TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, bearer, eventually, isolatedEnv, minuteWithRoom, readTopic, routesTakingUnknownQuery, testProducer } from '../../../infra/test/harness.ts';
import { TokenSigner } from '@gridcase/service-kit';
import { inboundRejections, reports } from '../src/db/schema.ts';
import { asSentBodyHash, utcBodyHash } from '../src/domain/idempotency.ts';
import { inboundDeadLetterValue } from '../src/handlers/dead-letter.ts';
import { start } from '../src/main.ts';
import { openapiGaps } from '../../../infra/test/openapi.ts';
import { REPORTER, reportBody } from './fixtures.ts';

const RATE_LIMIT = 40;

describe('intake against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let reportsTopic: Awaited<ReturnType<typeof readTopic>>;
  let dlq: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;

  beforeAll(async () => {
    env = await isolatedEnv({ INTAKE_PORT: '0', RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT), INBOUND_REJECTIONS_RETENTION_DAYS: '20' });
    service = await start(env);
    reportsTopic = await readTopic(env, TOPICS.reports);
    dlq = await readTopic(env, TOPICS.dlq);
    producer = await testProducer(env);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await reportsTopic?.close();
    await dlq?.close();
    await service?.rt.shutdown('test done');
  });

  const createClient = async (roles: string[], name = `client ${roles.join('+')}`, stations?: string[]) => {
    const res = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name, roles, ...(stations ? { stations } : {}) } });
    expect(res.statusCode).toBe(201);
    return res.json() as { clientId: string; token: string };
  };

  const body = reportBody;

  /** A case event as assignment and desk publish it. */
  const caseEvent =
    (caseId: string) =>
    <T extends Parameters<typeof makeMessage>[0]>(type: T, data: Parameters<typeof makeMessage<T>>[1]['data']) =>
      JSON.stringify(makeMessage(type, { source: '/test', subject: caseId, data }));

  /** Tells intake that a case of station CG was opened for the report, as assignment would. */
  const openCaseFor = async (reportId: string, category = 'dispute.family') => {
    const caseId = newId();
    const now = new Date();
    const respondBy = new Date(now.getTime() + 30 * 60_000).toISOString();
    const resolveBy = new Date(now.getTime() + 72 * 3_600_000).toISOString();
    await producer.sendTo(
      TOPICS.cases,
      caseId,
      caseEvent(caseId)('gridcase.case.opened.v1', {
        caseId,
        caseNumber: 'CG-2026-000042',
        reportId,
        station: 'CG',
        kind: category.startsWith('tip.') ? 'tip' : 'dispute',
        category,
        severity: 'yellow',
        description: 'x',
        location: { communityCode: 'baoheyuan' },
        respondBy,
        resolveBy,
        rule: 'test',
        openedAt: now.toISOString(),
      }),
    );
    return { caseId, now, respondBy, resolveBy };
  };

  const receivedFor = (reportId: string) =>
    reportsTopic.waitFor(`report.received ${reportId}`, (r) => r.message?.type === 'gridcase.report.received.v1' && r.key === reportId);

  it('accepts a report with 202, and emits report.received without personal data, with the trace', async () => {
    const { token } = await createClient(['reporter']);
    const report = body();
    const traceparent = `00-${'a1'.repeat(16)}-${'b2'.repeat(8)}-01`;
    const res = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: { ...bearer(token), traceparent }, payload: report });
    expect(res.statusCode).toBe(202);
    const { reportId, status, links } = res.json();
    expect(status).toBe('received');
    expect(links.self).toBe(`/v1/reports/${reportId}`);

    const [record] = await receivedFor(reportId);
    expect(record!.headers.traceparent).toBe(traceparent);
    expect(record!.value).not.toContain('李秀兰');
    expect(record!.value).not.toContain('13912345678');
    expect(record!.value).not.toContain('620321195802021234');
    expect(record!.message!.data).toMatchObject({
      reportId,
      externalId: report.externalId,
      description: report.description,
      occurredAt: report.occurredAt,
      reporter: { anonymous: false, hasContact: true },
    });
  });

  it('answers a repeat with 200 and the same report id, and a changed body under the same key with 409', async () => {
    const { token } = await createClient(['reporter']);
    const report = body();
    // Each outcome is counted for operators (gridcase_reports_received_total).
    const received = async (outcome: string) => {
      const text = (await service.app.inject({ method: 'GET', url: '/metrics' })).body;
      const line = text.split('\n').find((l) => l.startsWith(`gridcase_reports_received_total{via="http",outcome="${outcome}"}`));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    const before = { created: await received('created'), repeat: await received('repeat'), conflict: await received('conflict') };
    const first = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: report });
    expect(first.statusCode).toBe(202);
    // Same content, other key order: still the same report.
    const reordered = Object.fromEntries(Object.entries(report).reverse());
    const again = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: reordered });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ reportId: first.json().reportId, status: 'received' });

    const changed = await service.app.inject({
      method: 'POST',
      url: '/v1/reports',
      headers: bearer(token),
      payload: { ...report, description: '另一件事' },
    });
    expect(changed.statusCode).toBe(409);
    expect(changed.headers['content-type']).toContain('application/problem+json');
    expect(changed.json().detail).toContain(first.json().reportId);
    expect({ created: await received('created'), repeat: await received('repeat'), conflict: await received('conflict') }).toEqual({
      created: before.created + 1,
      repeat: before.repeat + 1,
      conflict: before.conflict + 1,
    });

    // Another client may use the same externalId: the key is (client, externalId).
    const other = await createClient(['reporter']);
    const theirs = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(other.token), payload: report });
    expect(theirs.statusCode).toBe(202);
    expect(theirs.json().reportId).not.toBe(first.json().reportId);
  });

  it('answers a retry that writes the same instants in another offset as a repeat, and an identical repeat of a report hashed before that', async () => {
    const { clientId, token } = await createClient(['reporter']);
    const post = (payload: Record<string, unknown>) => service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload });
    const east = body({ occurredAt: '2026-11-01T08:00:00+08:00', respondBy: '2026-11-02T08:00:00+08:00', resolveBy: '2026-11-05T18:00:00+08:00' });
    const first = await post(east);
    expect(first.statusCode).toBe(202);
    const utc = { ...east, occurredAt: '2026-11-01T00:00:00Z', respondBy: '2026-11-02T00:00:00Z', resolveBy: '2026-11-05T10:00:00.000Z' };
    const retry = await post(utc);
    expect([retry.statusCode, retry.json().reportId]).toEqual([200, first.json().reportId]);
    // And one that writes no attachments as an empty list (audit21 #9).
    const listed = await post({ ...utc, attachments: [] });
    expect([listed.statusCode, listed.json().reportId]).toEqual([200, first.json().reportId]);
    // A millisecond later is another report.
    expect((await post({ ...utc, occurredAt: '2026-11-01T00:00:00.001Z' })).statusCode).toBe(409);

    // A report stored before body_hash_utc holds the hash of the body as sent alone.
    const before = body({ occurredAt: '2026-11-01T08:00:00+08:00' });
    expect(utcBodyHash(before)).not.toBe(asSentBodyHash(before));
    const reportId = newId();
    await service.rt.db.insert(reports).values({ reportId, clientId, externalId: before.externalId, bodyHash: asSentBodyHash(before), report: {}, receivedAt: new Date() });
    const again = await post(before);
    expect([again.statusCode, again.json().reportId]).toEqual([200, reportId]);
    expect((await post({ ...before, description: '另一件事' })).statusCode).toBe(409);

    // One stored while intake wrote the UTC hash to body_hash, before body_hash_utc: the same body in any offset.
    const interim = body({ occurredAt: '2026-11-01T08:00:00+08:00' });
    const interimId = newId();
    await service.rt.db.insert(reports).values({ reportId: interimId, clientId, externalId: interim.externalId, bodyHash: utcBodyHash(interim), report: {}, receivedAt: new Date() });
    expect([(await post(interim)).statusCode, (await post({ ...interim, occurredAt: '2026-11-01T00:00:00Z' })).statusCode]).toEqual([200, 200]);
    expect((await post({ ...interim, description: '另一件事' })).statusCode).toBe(409);
  });

  it('stores body_hash as the hash of the body as sent, which an instance older than body_hash_utc compares, so its identical retry is a repeat', async () => {
    const { token } = await createClient(['reporter']);
    // The body idempotency.test.ts pins the hash of: sha256 of its canonical JSON as sent, as every instance computes it.
    const sent = { externalId: 'e1', description: '门禁坏了', location: { gridCode: 'CG-01' }, occurredAt: '2026-11-01T08:00:00+08:00' };
    const first = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: sent });
    expect(first.statusCode).toBe(202);
    const { rows } = await service.rt.pool.query('select body_hash, body_hash_utc from intake.reports where report_id = $1', [first.json().reportId]);
    // An older instance answers a retry 200 only if body_hash is this; with the UTC hash there it answered 409.
    expect(rows[0]).toEqual({ body_hash: 'e57ddf3ef81d250695e1262c03743ae57c339610f7573099f14605b724a5cd7b', body_hash_utc: utcBodyHash(sent) });
    expect(utcBodyHash(sent)).not.toBe(rows[0].body_hash);
  });

  it('creates one report when the same report races in concurrently', async () => {
    const { token } = await createClient(['reporter']);
    const report = body();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: report })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect(new Set(answers.map((a) => a.json().reportId)).size).toBe(1);
  });

  it('rejects a bad body with 400 naming every bad field', async () => {
    const { token } = await createClient(['reporter']);
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/reports',
      headers: bearer(token),
      payload: { externalId: 'x', category: 'no.such.category', description: '', location: {}, colour: 'red' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['category', 'description', 'location']));
    expect(JSON.stringify(res.json().errors)).toContain('colour');
  });

  it('refuses a report that happened in the future, naming occurredAt beside the other bad fields', async () => {
    const { token } = await createClient(['reporter']);
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/reports',
      headers: bearer(token),
      payload: { ...body(), description: '', occurredAt: '2099-01-01T00:00:00+08:00' },
    });
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors as { path: string; message: string }[];
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['description', 'occurredAt']));
    expect(errors.find((e) => e.path === 'occurredAt')?.message).toMatch(/future|after/i);
  });

  /** POSTs a report and gives its status and the fields its errors name. */
  const postReport = async (token: string, payload: Record<string, unknown>) => {
    const res = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload });
    const errors = (res.statusCode === 400 ? res.json().errors : []) as { path: string; message: string }[];
    return { res, status: res.statusCode, errors, paths: errors.map((e) => e.path) };
  };

  it("pages a client's own reports newest first with a cursor: each once, none missed, a tie in receipt split across pages", async () => {
    const { clientId, token } = await createClient(['reporter']);
    const other = await createClient(['reporter']);
    expect((await postReport(other.token, body())).status).toBe(202);
    const posted: string[] = [];
    for (let i = 0; i < 4; i++) posted.push((await postReport(token, body())).res.json().reportId);
    // Reports received in one millisecond (two instances, a burst): only the id orders them. Older than
    // the posted ones, so they end the list and a page boundary falls inside them.
    const sameInstant = Array.from({ length: 3 }, () => newId());
    await service.rt.db.insert(reports).values(
      sameInstant.map((reportId) => ({ reportId, clientId, externalId: `tie-${reportId}`, bodyHash: 'x', report: {}, receivedAt: new Date('2026-01-01T00:00:00Z') })),
    );
    const newestFirst = [...posted.reverse(), ...sameInstant.sort().reverse()];

    const list = (query: string) => service.app.inject({ method: 'GET', url: `/v1/reports?${query}`, headers: bearer(token) });
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await list(cursor ? `limit=2&cursor=${cursor}` : 'limit=2');
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { reportId: string }[]; nextCursor: string | null };
      pages.push(page.items.map((r) => r.reportId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4, 6), newestFirst.slice(6)]);
    // One page holding everything has no next page.
    const whole = (await list('limit=200')).json();
    expect([whole.items.map((r: { reportId: string }) => r.reportId), whole.nextCursor]).toEqual([newestFirst, null]);
    // A page that ends exactly at the last report has no next page either.
    expect((await list(`limit=${newestFirst.length}`)).json().nextCursor).toBeNull();
  });

  it('refuses a limit out of 1 to 200 and a cursor it did not give out, naming each', async () => {
    const { token } = await createClient(['reporter']);
    for (let i = 0; i < 2; i++) expect((await postReport(token, body())).status).toBe(202);
    const list = (query: string) => service.app.inject({ method: 'GET', url: `/v1/reports?${query}`, headers: bearer(token) });
    const { nextCursor } = (await list('limit=1')).json() as { nextCursor: string };
    for (const query of ['limit=0', 'limit=201', 'limit=1.5', 'limit=ten']) {
      const res = await list(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().errors, query).toEqual([expect.objectContaining({ path: 'querystring.limit' })]);
    }
    // Not base64url of [instant, id]; a real cursor cut short; one whose instant was rewritten in another form.
    const rewritten = Buffer.from(JSON.stringify(['2026-01-01T08:00:00+08:00', newId()])).toString('base64url');
    for (const bad of ['bm9wZQ', nextCursor.slice(0, -4), rewritten]) {
      const res = await list(`cursor=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().errors, bad).toEqual([{ path: 'querystring.cursor', message: NOT_THIS_LISTS_CURSOR }]);
    }
    const both = await list('limit=201&cursor=bm9wZQ');
    expect(both.json().errors.map((e: { path: string }) => e.path)).toEqual(['querystring.limit', 'querystring.cursor']);
  });

  it('names an occurredAt without an offset once, for the offset, not also as a time after the receipt', async () => {
    const { token } = await createClient(['reporter']);
    // A day after the receipt in any time zone, had it been read as local time.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 19);
    const { status, errors } = await postReport(token, body({ occurredAt: tomorrow }));
    expect(status).toBe(400);
    expect(errors).toEqual([{ path: 'occurredAt', message: INSTANT_EXPECTED }]);
  });

  it("says what a field must be, not zod's text: a date-time, a string (audit14 #9)", async () => {
    const { token } = await createClient(['reporter']);
    const { status, errors } = await postReport(token, body({ occurredAt: '2026-12-01 10:00', reporter: { ...REPORTER, phone: 13912345678 } }));
    expect(status).toBe(400);
    expect(errors).toEqual([
      { path: 'occurredAt', message: 'must be an RFC 3339 date-time with an offset and a capital T and Z, e.g. 2026-12-01T08:00:00+08:00' },
      { path: 'reporter.phone', message: 'must be a string' },
    ]);
  });

  it('takes deadlines as sent when already past, so a retry after a deadline passed still answers 200 with the same report', async () => {
    const { token } = await createClient(['reporter']);
    const late = body({ respondBy: '2026-01-01T08:00:00+08:00', resolveBy: '2026-01-02T08:00:00+08:00' });
    const first = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: late });
    expect(first.statusCode).toBe(202);
    const retry = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: late });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().reportId).toBe(first.json().reportId);
  });

  it('refuses a resolveBy before respondBy and an occurredAt before 2000, naming each beside the other bad fields', async () => {
    const { token } = await createClient(['reporter']);
    const { status, res, errors } = await postReport(
      token,
      body({ description: '', occurredAt: '1900-01-01T00:00:00Z', respondBy: '2099-01-02T08:00:00+08:00', resolveBy: '2099-01-01T08:00:00+08:00' }),
    );
    expect(status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(errors).toEqual([
      { path: 'description', message: expect.any(String) },
      { path: 'occurredAt', message: expect.stringMatching(/^is before 2000-01-01 \(Asia\/Shanghai\): a default date/) },
      { path: 'resolveBy', message: expect.stringMatching(/^is before respondBy/) },
    ]);
    // In order (or equal), and an occurredAt from 2000 on: taken.
    expect((await postReport(token, body({ occurredAt: '2000-01-01T00:00:00+08:00', respondBy: '2099-01-01T08:00:00+08:00', resolveBy: '2099-01-01T08:00:00+08:00' }))).status).toBe(202);
  });

  it('takes only http(s) attachments with a media type, and refuses unknown keys inside reporter and attachments', async () => {
    const { token } = await createClient(['reporter']);
    const schemes = await postReport(
      token,
      body({
        attachments: [
          { url: 'javascript:alert(1)', mediaType: 'image/png' },
          { url: 'file:///etc/passwd', mediaType: 'not a media type' },
          { url: 'https://user:pw@files.example.cn/a.jpg', mediaType: 'image/jpeg' },
        ],
      }),
    );
    expect(schemes.status).toBe(400);
    expect(schemes.paths).toEqual(['attachments.0.url', 'attachments.1.url', 'attachments.1.mediaType', 'attachments.2.url']);
    expect(schemes.errors).toContainEqual(expect.objectContaining({ path: 'attachments.2.url', message: 'must not carry credentials' }));
    expect(JSON.stringify(schemes.errors)).not.toMatch(/javascript|passwd|not a media type|user:pw/);

    const unknown = await postReport(
      token,
      body({ reporter: { name: '张三', nickname: '三儿' }, attachments: [{ url: 'https://a.example.cn/x.png', mediaType: 'image/png', size: 3 }] }),
    );
    expect(unknown.status).toBe(400);
    // How an unknown key is named is the error layer's; that both objects are named is the schema's.
    expect(unknown.paths.some((p) => p.startsWith('reporter'))).toBe(true);
    expect(unknown.paths.some((p) => p.startsWith('attachments.0'))).toBe(true);
    expect(JSON.stringify(unknown.errors)).not.toContain('三儿');

    const fine = await postReport(
      token,
      body({ reporter: { ...body().reporter, email: 'li.xiulan@example.cn' }, attachments: [{ url: 'https://a.example.cn/x.jpg', mediaType: 'image/jpeg' }] }),
    );
    expect(fine.status).toBe(202);
  });

  it('refuses a description of white space only, and leaves out a title of white space only', async () => {
    const { token } = await createClient(['reporter']);
    const blank = await postReport(token, body({ description: '   ' }));
    expect(blank.status).toBe(400);
    expect(blank.errors).toEqual([{ path: 'description', message: expect.stringMatching(/only white space/) }]);

    const untitled = await postReport(token, body({ title: ' \u3000 ', description: ' 楼道里有人吵架 ' }));
    expect(untitled.status).toBe(202);
    const [record] = await receivedFor(untitled.res.json().reportId);
    expect(record!.message!.data).not.toHaveProperty('title');
    expect((record!.message!.data as { description: string }).description).toBe(' 楼道里有人吵架 ');
  });

  it('refuses a location or an externalId that says nothing, naming each field (audit11 #4)', async () => {
    const { token } = await createClient(['reporter']);
    const spaces = await postReport(token, { externalId: '   ', description: '路灯坏了很久', location: { address: '   ' } });
    expect(spaces.status).toBe(400);
    expect(spaces.errors.toSorted((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'externalId', message: 'is only white space or invisible characters: an externalId must identify the report' },
      { path: 'location.address', message: expect.stringMatching(/^says nothing .*gives no location/) },
    ]);
    const dot = await postReport(token, body({ location: { address: '.' } }));
    expect(dot.status).toBe(400);
    expect(dot.paths).toEqual(['location.address']);
    // A field that says nothing beside one that places the report is taken as sent, as before.
    expect((await postReport(token, body({ location: { gridCode: 'CG-01-01', address: ' ' } }))).status).toBe(202);
  });

  it("masks the reporter's own name written into the report's text in report.received and the stored report, anonymous or not (audit11 #1)", async () => {
    const owner = await createClient(['reporter']);
    const desk = await createClient(['desk'], 'desk of CG', ['CG']);
    for (const anonymous of [true, false]) {
      const report = body({
        title: '周建国反映消防通道',
        description: '我是3号楼的周建国，楼道里堆满杂物堵住了消防通道',
        location: { gridCode: 'CG-01-01', address: '3号楼周 建 国家门口' },
        reporter: { name: '周建国', phone: '13698765432', anonymous },
      });
      const posted = await postReport(owner.token, report);
      expect(posted.status).toBe(202);
      const { reportId } = posted.res.json();
      const [record] = await receivedFor(reportId);
      expect(record!.value).not.toMatch(/周建国|周 建 国|13698765432/);
      expect(record!.message!.data).toMatchObject({
        title: '周**反映消防通道',
        description: '我是3号楼的周**，楼道里堆满杂物堵住了消防通道',
        location: { gridCode: 'CG-01-01', address: '3号楼周**家门口' },
      });
      const stored = await service.rt.pool.query(`select report::text as report from intake.reports where report_id = $1`, [reportId]);
      expect(stored.rows[0].report).not.toContain('周建国');
      // The text as written is kept with the reporter's personal data: whole for the desk unless the reporter is anonymous.
      await openCaseFor(reportId);
      const asDesk = await eventually('the desk of CG reads the reporter', async () => {
        const res = await service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}/reporter`, headers: bearer(desk.token) });
        return res.statusCode === 200 ? res : undefined;
      });
      const written = { title: report.title, description: report.description, address: report.location.address };
      expect(asDesk.json()).toMatchObject(
        anonymous
          ? { name: '周**', masked: true, written: { title: '周**反映消防通道', description: '我是3号楼的周**，楼道里堆满杂物堵住了消防通道', address: '3号楼周**家门口' } }
          : { name: '周建国', masked: false, written },
      );
    }
  });

  it("masks the reporter's name and numbers in location codes, attachment URLs and media types and the externalId on every copy, keeping them whole for intake (audit14 #1, #2)", async () => {
    const owner = await createClient(['reporter']);
    const desk = await createClient(['desk'], 'desk of CG', ['CG']);
    const sentUrl = 'https://x.cn/upload/韩梅梅_13893561234_1.jpg';
    const report = body({
      externalId: 'tel-13893569999',
      location: { communityCode: '韩梅梅-13893561888', gridCode: '韩梅梅家', address: '宝河苑社区' },
      reporter: { name: '韩梅梅', phone: '13893561888', idNumber: '620321197707077777' },
      attachments: [{ url: sentUrl, mediaType: 'image/jpeg;owner=13893561999' }],
    });
    const info = vi.spyOn(service.rt.logger, 'info');
    const posted = await postReport(owner.token, report);
    expect(posted.status).toBe(202);
    const { reportId } = posted.res.json();
    const [record] = await receivedFor(reportId);
    const everything = /韩梅梅|13893561888|13893561234|13893561999|13893569999/u;
    // Percent-decoded too: a URL carries the name as %E9%9F%A9….
    expect(decodeURIComponent(record!.value ?? '')).not.toMatch(everything);
    expect(record!.message!.data).toMatchObject({
      externalId: 'tel-138****9999',
      location: { communityCode: '韩**-138****1888', gridCode: '韩**家', address: '宝河苑社区' },
      attachments: [{ mediaType: 'image/jpeg;owner=138****1999' }],
    });
    const logged = info.mock.calls.filter(([, msg]) => msg === 'report received');
    info.mockRestore();
    expect(JSON.stringify(logged)).toContain(reportId);
    expect(JSON.stringify(logged)).not.toMatch(everything);
    // The sender's own views keep its idempotency key whole.
    const mine = await service.app.inject({ method: 'GET', url: `/v1/reports?externalId=${report.externalId}`, headers: bearer(owner.token) });
    expect(mine.json().items).toEqual([expect.objectContaining({ reportId, externalId: 'tel-13893569999' })]);
    const repeat = await postReport(owner.token, report);
    expect([repeat.status, repeat.res.json().reportId]).toEqual([200, reportId]);
    // The codes and URL as written are kept for those who may read the reporter.
    await openCaseFor(reportId);
    const asDesk = await eventually('the desk of CG reads the reporter', async () => {
      const res = await service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}/reporter`, headers: bearer(desk.token) });
      return res.statusCode === 200 ? res : undefined;
    });
    expect(asDesk.json().written).toEqual({ communityCode: '韩梅梅-13893561888', gridCode: '韩梅梅家', attachments: [sentUrl] });

    // A refused inbound record: its DLQ copy masks the name in the URL and the numbers in the media type and externalId.
    const refused = { ...report, externalId: 'tel-13893568888', location: { communityCode: '马晓燕-13893561888' }, reporter: { name: '马晓燕' }, bogus: 1, attachments: [{ url: 'https://x.cn/马晓燕.jpg', mediaType: 'image/jpeg;owner=13893561999' }] };
    await producer.sendTo(TOPICS.reportsInbound, 'refused-name-in-url', JSON.stringify(refused), { 'client-id': owner.clientId });
    const [dead] = await dlq.waitFor('dead letter refused-name-in-url', (r) => r.key === 'refused-name-in-url');
    expect(decodeURIComponent(dead!.value ?? '')).not.toMatch(/马晓燕|13893561888|13893561999|13893568888/u);
    expect(decodeURIComponent(dead!.value ?? '')).toContain('https://x.cn/马**.jpg');
  });

  it('serves its OpenAPI document, health without a token, and readiness', async () => {
    const docs = await service.app.inject({ method: 'GET', url: '/docs', headers: bearer() });
    expect(docs.statusCode).toBe(200);
    const doc = docs.json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/clients', '/v1/reports', '/v1/reports/{reportId}', '/open311/v2/requests.json']));
    // Every operation's errors as problem+json (audit12 #4), with what only some routes answer.
    expect(openapiGaps(doc, { '/open311/': 'application/json' })).toEqual([]);
    expect(Object.keys(doc.paths['/v1/reports'].post.responses)).toEqual(['200', '202', '400', '401', '403', '409', '413', '415', '429', '503']);
    expect(doc.paths['/v1/webhooks'].post.responses['409'].description).toContain('already has a webhook for this url');
    expect(doc.paths['/open311/v2/requests.json'].post.responses['429']).toBeDefined();
    expect(doc.paths['/v1/access'].get.responses['429']).toBeUndefined();
    // What a receiver gets: the signed CloudEvent, its headers and its types.
    const caseEvent = doc.webhooks.caseEvent.post;
    expect(caseEvent.parameters.map((p: { name: string; in: string }) => `${p.in} ${p.name}`)).toEqual(['header X-Gridcase-Signature', 'header X-Gridcase-Delivery']);
    const payload = caseEvent.requestBody.content['application/cloudevents+json'].schema;
    expect(payload.properties.type.enum).toContain('gridcase.case.opened.v1');
    expect(payload.properties.data.properties.redacted).toBeDefined();
    expect((await service.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('refuses a misspelt or unknown query parameter on every route, naming it; Open311 takes what its clients add', async () => {
    const { token } = await createClient(['reporter']);
    await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: body() });
    // A misspelt filter answered the whole list, which a sender could take for its report.
    const misspelt = await service.app.inject({ method: 'GET', url: '/v1/reports?externalID=x', headers: bearer(token) });
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().errors).toEqual([{ path: 'querystring.externalID', message: 'unknown field' }]);
    for (const url of ['/v1/webhooks?foo=1', '/v1/webhooks/x/deliveries?status=failed']) {
      const res = await service.app.inject({ method: 'GET', url, headers: bearer(token) });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors, url).toContainEqual({ path: `querystring.${url.split('?')[1]!.split('=')[0]}`, message: 'unknown field' });
    }
    expect(await routesTakingUnknownQuery(service.app)).toEqual([]);
    const open311 = await service.app.inject({ method: 'GET', url: '/open311/v2/services.json?jurisdiction_id=cg&extension=1', headers: bearer(token) });
    expect(open311.statusCode).toBe(200);
  });

  it('answers 413 as problem+json for a body over 1 MiB', async () => {
    const { token } = await createClient(['reporter']);
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/reports',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: JSON.stringify(body({ description: 'x'.repeat(1024 * 1024 + 1) })),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 413, title: 'Payload Too Large' });
  });

  it('says what is wrong with a body it cannot take, and never quotes the input', async () => {
    const { token } = await createClient(['reporter']);
    const post = (payload: string, contentType = 'application/json') =>
      service.app.inject({ method: 'POST', url: '/v1/reports', headers: { ...bearer(token), 'content-type': contentType }, payload });
    const json = JSON.stringify(body());
    const proto = await post(`${json.slice(0, -1)},"__proto__":{"polluted":1}}`);
    expect(proto.statusCode).toBe(400);
    expect(proto.json().errors).toEqual([{ path: '__proto__', message: '"__proto__" is not allowed as a key' }]);
    const text = await post(json, 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ title: 'Unsupported Media Type', detail: "the body's Content-Type is text/plain; send the body as application/json (Content-Type)" });
    // curl -d's default type, outside Open311: 415 naming it (audit11 #11).
    const form = await post(json, 'application/x-www-form-urlencoded');
    expect(form.json()).toMatchObject({ status: 415, detail: "the body's Content-Type is application/x-www-form-urlencoded; send the body as application/json (Content-Type)" });
    const extra = await post(JSON.stringify(body({ extraTop: 1 })));
    expect(extra.json().errors).toEqual([{ path: 'extraTop', message: 'unknown field' }]);
    const missing = await service.app.inject({ method: 'GET', url: `/v1/reports/${encodeURIComponent('宝')}`, headers: bearer(token) });
    expect(missing.json()).toMatchObject({ status: 404, detail: 'no report with this id' });
    expect((await service.app.inject({ method: 'DELETE', url: '/v1/reports', headers: bearer(token) })).headers.allow).toBe('HEAD, GET, POST');
  });

  it('needs a token, a reporter role, and refuses a revoked token at once', async () => {
    const none = await service.app.inject({ method: 'POST', url: '/v1/reports', payload: body() });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');

    const desk = await createClient(['desk'], 'desk CG', ['CG']);
    const forbidden = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(desk.token), payload: body() });
    expect(forbidden.statusCode).toBe(403);
    const notAdmin = await service.app.inject({ method: 'GET', url: '/v1/clients', headers: bearer(desk.token) });
    expect(notAdmin.statusCode).toBe(403);

    const { clientId, token } = await createClient(['reporter']);
    const ok = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: body() });
    expect(ok.statusCode).toBe(202);

    const revoke = await service.app.inject({ method: 'DELETE', url: `/v1/clients/${clientId}`, headers: bearer() });
    expect(revoke.statusCode).toBe(204);
    // Again: still 204, and the audit holds one revocation, at its first instant (audit26 #3).
    expect((await service.app.inject({ method: 'DELETE', url: `/v1/clients/${clientId}`, headers: bearer() })).statusCode).toBe(204);
    const revocations = await service.rt.pool.query(`select after from intake.audit where action = 'client.revoked' and target = $1`, [`client:${clientId}`]);
    expect(revocations.rows).toHaveLength(1);
    const refused = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: body() });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toContain('revoked');

    const revoked = await service.app.inject({ method: 'GET', url: '/v1/clients/revoked', headers: bearer() });
    expect(revoked.json().clientIds).toContain(clientId);
    const list = await service.app.inject({ method: 'GET', url: '/v1/clients', headers: bearer() });
    const listed = (list.json().items as { clientId: string; revokedAt?: string }[]).find((c) => c.clientId === clientId);
    expect(listed?.revokedAt).toBeDefined();
    expect(JSON.stringify(list.json())).not.toContain(token);

    const unknown = await service.app.inject({ method: 'DELETE', url: `/v1/clients/${newId()}`, headers: bearer() });
    expect(unknown.statusCode).toBe(404);
  });

  it('issues a token that acts as the officer named at creation, and lists the officer with the client', async () => {
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: bearer(),
      payload: { name: '王建军', roles: ['officer'], officerId: 'CG-PG01-officer' },
    });
    expect(res.statusCode).toBe(201);
    const { clientId, token } = res.json() as { clientId: string; token: string };
    expect(new TokenSigner(ADMIN_TOKEN).verify(token)).toMatchObject({ clientId, roles: ['officer'], officerId: 'CG-PG01-officer' });

    const system = await createClient(['reporter']);
    expect(new TokenSigner(ADMIN_TOKEN).verify(system.token)?.officerId).toBeUndefined();

    const list = await service.app.inject({ method: 'GET', url: '/v1/clients?limit=200', headers: bearer() });
    const items = list.json().items as { clientId: string; officerId?: string }[];
    expect(items.find((c) => c.clientId === clientId)?.officerId).toBe('CG-PG01-officer');
    expect(items.find((c) => c.clientId === system.clientId)).not.toHaveProperty('officerId');

    const blank = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'x', roles: ['officer'], officerId: '' } });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors).toEqual([expect.objectContaining({ path: 'officerId' })]);
  });

  it('lists clients a page at a time with a cursor, and limits what a client may be given', async () => {
    const created = [await createClient(['desk']), await createClient(['desk']), await createClient(['desk'])].map((c) => c.clientId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const res = await service.app.inject({ method: 'GET', url: `/v1/clients?${query}`, headers: bearer() });
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { clientId: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.clientId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(created));
    expect((await service.app.inject({ method: 'GET', url: '/v1/clients?limit=201', headers: bearer() })).statusCode).toBe(400);
    const badCursor = await service.app.inject({ method: 'GET', url: '/v1/clients?cursor=bm9wZQ', headers: bearer() });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().errors).toEqual([expect.objectContaining({ path: 'querystring.cursor' })]);
    // A cursor it never gave out is named beside the other bad parameters, not after them.
    const badBoth = await service.app.inject({ method: 'GET', url: '/v1/clients?limit=201&cursor=bm9wZQ', headers: bearer() });
    expect(badBoth.json().errors.map((e: { path: string }) => e.path)).toEqual(['querystring.limit', 'querystring.cursor']);

    const tooMany = Array.from({ length: 51 }, (_, i) => `S${i}`);
    const refused = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'x', roles: ['desk'], stations: tooMany } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([expect.objectContaining({ path: 'stations' })]);
    // A community token's grids (or grid worker) are checked beside the rest of the body.
    const post = (payload: object) => service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload });
    const noGrids = await post({ name: 'x', roles: ['community'], stations: tooMany });
    expect(noGrids.statusCode).toBe(400);
    expect(noGrids.json().errors.map((e: { path: string }) => e.path)).toEqual(['stations', 'grids']);
    const notAWorker = await post({ name: '', roles: ['community'], officerId: 'nobody-here' });
    expect(notAWorker.statusCode).toBe(400);
    expect(notAWorker.json().errors.map((e: { path: string }) => e.path)).toEqual(['name', 'officerId']);
  });

  it('limits each client to its rate with 429 and Retry-After, without slowing other clients', async () => {
    await minuteWithRoom(20_000);
    const busy = await createClient(['reporter']);
    const calm = await createClient(['reporter']);
    const get = (token: string) => service.app.inject({ method: 'GET', url: '/v1/reports?externalId=none', headers: bearer(token) });
    for (let i = 0; i < RATE_LIMIT; i++) expect((await get(busy.token)).statusCode).toBe(200);
    const limited = await get(busy.token);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(calm.token)).statusCode).toBe(200);
  });

  it("keeps a client to its own rate when it has one, changed at once by PATCH /v1/clients/{id}, and audited", async () => {
    await minuteWithRoom(20_000);
    const created = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'small sender', roles: ['reporter'], ratePerMinute: 3 } });
    expect(created.statusCode).toBe(201);
    const small = created.json() as { clientId: string; token: string };
    const calm = await createClient(['reporter']);
    const get = (token: string) => service.app.inject({ method: 'GET', url: '/v1/reports?externalId=none', headers: bearer(token) });
    for (let i = 0; i < 3; i++) expect((await get(small.token)).statusCode).toBe(200);
    const limited = await get(small.token);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().detail).toMatch(/^over 3 requests per minute/);
    // The install's default (RATE_LIMIT) still holds for the others.
    for (let i = 0; i < 4; i++) expect((await get(calm.token)).statusCode).toBe(200);

    const listed = await service.app.inject({ method: 'GET', url: '/v1/clients?limit=200', headers: bearer() });
    const items = listed.json().items as { clientId: string; ratePerMinute?: number }[];
    expect(items.find((c) => c.clientId === small.clientId)?.ratePerMinute).toBe(3);
    expect(items.find((c) => c.clientId === calm.clientId)).not.toHaveProperty('ratePerMinute');

    const patch = (clientId: string, payload: unknown, token?: string) =>
      service.app.inject({ method: 'PATCH', url: `/v1/clients/${clientId}`, headers: bearer(token), payload: payload as object });
    const since = new Date().toISOString();
    const raised = await patch(small.clientId, { ratePerMinute: 10 });
    expect(raised.statusCode).toBe(200);
    expect(raised.json()).toMatchObject({ clientId: small.clientId, ratePerMinute: 10 });
    // Within the same window: the 3 already admitted count towards the 10.
    for (let i = 0; i < 7; i++) expect((await get(small.token)).statusCode).toBe(200);
    expect((await get(small.token)).statusCode).toBe(429);

    const restored = await patch(small.clientId, { ratePerMinute: null });
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).not.toHaveProperty('ratePerMinute');

    const bad = await patch(small.clientId, { ratePerMinute: 0, roles: ['admin'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['ratePerMinute', 'roles']);
    expect((await patch('no-such-client', { ratePerMinute: 5 })).statusCode).toBe(404);
    expect((await patch(small.clientId, { ratePerMinute: 5 }, calm.token)).statusCode).toBe(403);

    const audited = await service.app.inject({ method: 'GET', url: `/v1/audit?from=${since}&limit=200`, headers: bearer() });
    const entries = audited.json().items as { action: string; target: string; before: unknown; after: unknown }[];
    expect(entries.filter((e) => e.action === 'client.updated' && e.target === `client:${small.clientId}`).map((e) => [e.before, e.after])).toEqual([
      [{ ratePerMinute: 3 }, { ratePerMinute: 10 }],
      [{ ratePerMinute: 10 }, { ratePerMinute: null }],
    ]);
  });

  it('takes a raw report from gridcase.reports.inbound down the same path, once however often it is produced', async () => {
    const { clientId, token } = await createClient(['reporter']);
    const report = body({ description: '隔壁夫妻吵了一夜，联系电话13800138002' });
    const traceparent = `00-${'c3'.repeat(16)}-${'d4'.repeat(8)}-01`;
    await producer.sendTo(TOPICS.reportsInbound, report.externalId, JSON.stringify(report), { 'client-id': clientId, traceparent });
    await producer.sendTo(TOPICS.reportsInbound, report.externalId, JSON.stringify(report), { 'client-id': clientId, traceparent });
    const [received] = await reportsTopic.waitFor('inbound report.received', (r) => (r.message?.data as { externalId?: string })?.externalId === report.externalId);
    expect(received!.message!.data).toMatchObject({ clientId, reporter: { hasContact: true }, description: '隔壁夫妻吵了一夜，联系电话138****8002' });
    expect(received!.value).not.toMatch(/李秀兰|13800138002/);
    // Same trace, its own span.
    expect(received!.headers.traceparent).toMatch(new RegExp(`^00-${'c3'.repeat(16)}-[0-9a-f]{16}-01$`));

    // A later record on the same partition (same key) proves the repeat was consumed without a second report.
    const changed = { ...report, description: '改过的描述' };
    await producer.sendTo(TOPICS.reportsInbound, report.externalId, JSON.stringify(changed), { 'client-id': clientId });
    await dlq.waitFor('changed body under a used key', (r) => r.key === report.externalId && /already holds report/.test(r.headers[DLQ_HEADERS.error] ?? ''));
    // Asked only now: before the later record the repeat may not have been consumed yet.
    const found = await service.app.inject({ method: 'GET', url: `/v1/reports?externalId=${report.externalId}`, headers: bearer(token) });
    expect(found.json().items).toHaveLength(1);
    expect(found.json().items[0]).toMatchObject({ externalId: report.externalId, status: 'received', reportId: received!.key });
    expect(reportsTopic.records.filter((r) => (r.message?.data as { externalId?: string })?.externalId === report.externalId)).toHaveLength(1);
  });

  it('dead-letters inbound records that can never succeed, naming the reason, a malformed one counted as invalid-message, a rule\'s refusal as rejected', async () => {
    const { clientId, token } = await createClient(['reporter']);
    const desk = await createClient(['desk'], 'desk CG', ['CG']);
    const cases: [string, string, Record<string, string>, RegExp, 'invalid-message' | 'rejected'][] = [
      ['not-json', '{"externalId": ', { 'client-id': clientId }, /not JSON/, 'invalid-message'],
      ['bad-body', JSON.stringify({ externalId: 'bad-body', description: '', location: {} }), { 'client-id': clientId }, /description.*location|location.*description/, 'invalid-message'],
      ['no-client', JSON.stringify(body({ externalId: 'no-client' })), {}, /client-id/, 'invalid-message'],
      ['unknown-client', JSON.stringify(body({ externalId: 'unknown-client' })), { 'client-id': newId() }, /^the client-id header names no client of this install$/, 'invalid-message'],
      ['not-reporter', JSON.stringify(body({ externalId: 'not-reporter' })), { 'client-id': desk.clientId }, /reporter role/, 'rejected'],
      ['from-the-future', JSON.stringify(body({ externalId: 'from-the-future', occurredAt: '2099-01-01T08:00:00+08:00' })), { 'client-id': clientId }, /occurredAt: .*after the time of receipt/, 'invalid-message'],
      ['crossed-deadlines', JSON.stringify(body({ externalId: 'crossed-deadlines', respondBy: '2099-01-02T08:00:00+08:00', resolveBy: '2099-01-01T08:00:00+08:00' })), { 'client-id': clientId }, /resolveBy: is before respondBy/, 'invalid-message'],
      ['default-date', JSON.stringify(body({ externalId: 'default-date', occurredAt: '1900-01-01T00:00:00Z' })), { 'client-id': clientId }, /occurredAt: is before 2000-01-01/, 'invalid-message'],
      ['script-link', JSON.stringify(body({ externalId: 'script-link', attachments: [{ url: 'javascript:alert(1)', mediaType: 'image/png' }] })), { 'client-id': clientId }, /attachments\.0\.url: must be an absolute http or https URL/, 'invalid-message'],
      // Worded as the 400 words it, not zod's "Invalid ISO datetime" (audit14 #9).
      [
        'zod-words',
        JSON.stringify(body({ externalId: 'zod-words', occurredAt: '2026-12-01 10:00', reporter: { ...REPORTER, phone: 13912345678 } })),
        { 'client-id': clientId },
        /occurredAt: must be an RFC 3339 date-time with an offset and a capital T and Z, e\.g\. 2026-12-01T08:00:00\+08:00; reporter\.phone: must be a string$/,
        'invalid-message',
      ],
    ];
    // The alert's reason label sends an operator to the sender (invalid-message) or to a rule (rejected): counted by it.
    const written = async () => {
      const text = (await service.app.inject({ method: 'GET', url: '/metrics' })).body;
      const count = (reason: string) =>
        text
          .split('\n')
          .filter((l) => l.startsWith('gridcase_dlq_records_written_total{') && l.includes(`topic="${TOPICS.reportsInbound}"`) && l.includes(`reason="${reason}"`))
          .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
      return { 'invalid-message': count('invalid-message'), rejected: count('rejected') };
    };
    const before = await written();
    for (const [key, value, headers] of cases) await producer.sendTo(TOPICS.reportsInbound, key, value, headers);
    for (const [key, , , reason] of cases) {
      const [dead] = await dlq.waitFor(`dead letter ${key}`, (r) => r.key === key);
      expect(dead!.headers[DLQ_HEADERS.error]).toMatch(reason);
      expect(dead!.headers[DLQ_HEADERS.topic]).toBe(TOPICS.reportsInbound);
      expect(dead!.headers[DLQ_HEADERS.group]).toContain('intake');
      // The reason names fields, never the reporter the record carried.
      for (const personal of Object.values(REPORTER)) expect(JSON.stringify(dead!.headers)).not.toContain(personal);
    }
    const expected = {
      'invalid-message': before['invalid-message'] + cases.filter((c) => c[4] === 'invalid-message').length,
      rejected: before.rejected + cases.filter((c) => c[4] === 'rejected').length,
    };
    // Counted once its dead letter is written, a moment after the DLQ holds it.
    const after = await eventually('every dead letter counted', async () => {
      const now = await written();
      return now['invalid-message'] + now.rejected >= expected['invalid-message'] + expected.rejected ? now : undefined;
    });
    expect(after).toEqual(expected);
    // The sender cannot read gridcase.dlq: asked by externalId, it learns its record was refused, and why.
    const asked = await service.app.inject({ method: 'GET', url: '/v1/reports?externalId=bad-body', headers: bearer(token) });
    expect(asked.statusCode).toBe(200);
    expect(asked.json()).toEqual({ items: [], nextCursor: null, rejected: [{ reason: expect.stringMatching(/description.*location|location.*description/), rejectedAt: expect.any(String) }] });
    // By the record's key when the value is no JSON; nothing of another client's.
    const notJson = await service.app.inject({ method: 'GET', url: '/v1/reports?externalId=not-json', headers: bearer(token) });
    expect(notJson.json().rejected).toEqual([{ reason: expect.stringMatching(/not JSON/), rejectedAt: expect.any(String) }]);
    const other = await service.app.inject({ method: 'GET', url: '/v1/reports?externalId=not-reporter', headers: bearer(token) });
    expect(other.json()).toEqual({ items: [], nextCursor: null, rejected: [] });

    // One refusal per record, however often it is dead-lettered again (a redelivery, a retry while the database was away).
    const again = { topic: TOPICS.reportsInbound, partition: 2, offset: '41', key: 'twice', value: Buffer.from('{"externalId":"twice"}'), headers: { 'client-id': clientId } };
    const deadLetter = inboundDeadLetterValue(service.rt.db, service.rt.logger);
    await deadLetter(again, 'invalid report body: description: required');
    await deadLetter(again, 'invalid report body: description: required');
    const twice = await service.app.inject({ method: 'GET', url: '/v1/reports?externalId=twice', headers: bearer(token) });
    expect(twice.json().rejected).toHaveLength(1);
  });

  it('forgets refused inbound records past INBOUND_REJECTIONS_RETENTION_DAYS (20 here), keeping younger ones', async () => {
    const { clientId, token } = await createClient(['reporter']);
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    // Partition 9 of the test's own: no record the consumer dead-letters lands there.
    await service.rt.db.insert(inboundRejections).values(
      [21, 19, 0].map((days) => ({ clientId, externalId: 'aging', reason: `refused ${days} days ago`, rejectedAt: daysAgo(days), sourcePartition: 9, sourceOffset: String(days) })),
    );
    const reasons = async () =>
      ((await service.app.inject({ method: 'GET', url: '/v1/reports?externalId=aging', headers: bearer(token) })).json().rejected as { reason: string }[]).map((r) => r.reason);
    expect(await reasons()).toEqual(['refused 0 days ago', 'refused 19 days ago', 'refused 21 days ago']);
    service.rejectionPruning.wakeNow();
    await eventually('the 21-day-old refusal pruned', async () => ((await reasons()).length === 2 ? true : undefined));
    expect(await reasons()).toEqual(['refused 0 days ago', 'refused 19 days ago']);
  });

  it('takes an inbound record whose deadline has passed, as over HTTP (it may have waited in the topic)', async () => {
    const { clientId } = await createClient(['reporter']);
    const waited = body({ externalId: 'waited-in-topic', respondBy: '2026-01-01T08:00:00+08:00' });
    await producer.sendTo(TOPICS.reportsInbound, waited.externalId, JSON.stringify(waited), { 'client-id': clientId });
    const [received] = await reportsTopic.waitFor('report.received of the late record', (r) => (r.message?.data as { externalId?: string })?.externalId === waited.externalId);
    expect(Date.parse((received!.message!.data as { respondBy: string }).respondBy)).toBe(Date.parse('2026-01-01T08:00:00+08:00'));
  });

  it('shows the case a report became, its assignment, and the case a repeat was merged into', async () => {
    const { token } = await createClient(['reporter']);
    const post = async (report: Record<string, unknown>) => {
      const res = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: report });
      expect(res.statusCode).toBe(202);
      return res.json().reportId as string;
    };
    const [first, second] = [body(), body()];
    const reportId = await post(first);
    const repeatId = await post(second);
    const { caseId, now, respondBy, resolveBy } = await openCaseFor(reportId);
    const event = caseEvent(caseId);
    const view = (id: string) => service.app.inject({ method: 'GET', url: `/v1/reports/${id}`, headers: bearer(token) }).then((r) => r.json());
    const triaged = await eventually('report triaged', async () => {
      const v = await view(reportId);
      return v.status === 'triaged' ? v : undefined;
    });
    expect(triaged).toMatchObject({
      caseId,
      case: { caseNumber: 'CG-2026-000042', status: 'open', level: 0, category: 'dispute.family', severity: 'yellow', assignees: [], respondBy, resolveBy },
    });
    // Its id printed upper-case (as a SQL Server uniqueidentifier is) names the same report.
    expect(await view(reportId.toUpperCase())).toEqual(triaged);

    const assignees = [
      { officerId: 'wang-yanjun', role: 'officer' as const, name: '王彦军' },
      { officerId: 'xiao-li', role: 'gridWorker' as const, name: '小李' },
    ];
    await producer.sendTo(TOPICS.cases, caseId, event('gridcase.case.assigned.v1', { caseId, level: 0, assignees, routedBy: 'communityCode', at: now.toISOString() }));
    await producer.sendTo(TOPICS.cases, caseId, event('gridcase.case.report-merged.v1', { caseId, reportId: repeatId, reason: 'same', mergedAt: now.toISOString() }));
    const merged = await eventually('repeat merged', async () => {
      const v = await view(repeatId);
      return v.status === 'merged' ? v : undefined;
    });
    // The sender sees its case's owners by id and role, as its webhooks show them; the desk sees their names.
    const byIdAndRole = assignees.map(({ officerId, role }) => ({ officerId, role }));
    expect(merged).toMatchObject({ caseId, case: { caseNumber: 'CG-2026-000042', assignees: byIdAndRole } });
    expect(merged.case.assignees).toEqual(byIdAndRole);
    expect(await view(reportId)).toMatchObject({ status: 'assigned', case: { assignees: byIdAndRole } });
    const listed = await service.app.inject({ method: 'GET', url: `/v1/reports?externalId=${first.externalId}`, headers: bearer(token) });
    expect(listed.json().items[0].case.assignees).toEqual(byIdAndRole);
    const desk = await createClient(['desk'], 'desk CG', ['CG']);
    const deskView = await service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}`, headers: bearer(desk.token) });
    expect(deskView.json()).toMatchObject({ case: { assignees } });
    // Posted again, each answers what it became, as GET shows it; not "received".
    for (const [report, id, status] of [[first, reportId, 'assigned'], [second, repeatId, 'merged']] as const) {
      const again = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: report });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ reportId: id, status });
    }

    await producer.sendTo(
      TOPICS.cases,
      caseId,
      event('gridcase.case.acknowledged.v1', { caseId, commandId: newId(), by: { clientId: 'desk' }, at: now.toISOString() }),
    );
    await eventually('case acknowledged', async () => ((await view(reportId)).case?.status === 'acknowledged' ? true : undefined));
  });

  it('shows a report only to its client and desk roles of its case\'s station; reporter data whole to desk, masked to its client, audited', async () => {
    const owner = await createClient(['reporter']);
    const stranger = await createClient(['reporter']);
    const desk = await createClient(['desk'], 'desk of CG', ['CG']);
    const unscopedDesk = await createClient(['desk'], 'desk without stations');
    const posted = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(owner.token), payload: body() });
    const { reportId } = posted.json();
    const read = (token: string) => service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}`, headers: bearer(token) });

    expect((await read(stranger.token)).statusCode).toBe(404);
    // Until its case is known the report belongs to no station: only its client and admin see it.
    expect((await read(desk.token)).statusCode).toBe(404);
    await openCaseFor(reportId);
    const seen = await eventually('the desk of CG sees the report', async () => {
      const res = await read(desk.token);
      return res.statusCode === 200 ? res : undefined;
    });
    // Only admin is station-wide without `stations`.
    expect((await read(unscopedDesk.token)).statusCode).toBe(404);
    expect(seen.json()).not.toHaveProperty('reporter');

    const whole = await service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}/reporter`, headers: bearer(desk.token) });
    expect(whole.json()).toMatchObject({ name: '李秀兰', phone: '13912345678', idNumber: '620321195802021234', masked: false });
    const masked = await service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}/reporter`, headers: bearer(owner.token) });
    expect(masked.json()).toMatchObject({ name: '李**', phone: '139****5678', idNumber: '6203**********1234', masked: true });
    const strangerRead = await service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}/reporter`, headers: bearer(stranger.token) });
    expect(strangerRead.statusCode).toBe(404);
    // A role that may not read reporters at all is refused before the route: audited as well.
    const issued = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'community staff', roles: ['community'], stations: ['CG'], grids: ['BHY-01'] } });
    const community = issued.json() as { clientId: string; token: string };
    const communityRead = await service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}/reporter`, headers: bearer(community.token) });
    expect(communityRead.statusCode).toBe(403);

    const audit = await service.rt.pool.query(`select actor, after from intake.audit where action = 'reporter.read' and target = $1 order by id`, [`report:${reportId}`]);
    expect(audit.rows).toEqual([
      { actor: desk.clientId, after: { outcome: 'read', masked: false } },
      { actor: owner.clientId, after: { outcome: 'read', masked: true } },
      // Refused attempts: who and which report, nothing of the person.
      { actor: stranger.clientId, after: { outcome: 'refused', status: 404 } },
      { actor: community.clientId, after: { outcome: 'refused', status: 403 } },
    ]);
    // The admin's view of the log says the same.
    const logged = await service.app.inject({ method: 'GET', url: `/v1/audit?actor=${stranger.clientId}`, headers: bearer() });
    expect(logged.json().items).toEqual([expect.objectContaining({ action: 'reporter.read', target: `report:${reportId}`, after: { outcome: 'refused', status: 404 } })]);
  });

  it("looks up the reporters of several reports in one request, each as the one-report route shows it, leaving out and auditing what this token may not read (audit25 #1)", async () => {
    const owner = await createClient(['reporter']);
    const desk = await createClient(['desk'], 'desk of CG', ['CG']);
    const officer = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'o', roles: ['officer'], stations: ['CG'], officerId: `o-${newId()}` } });
    const post = async (extra: Record<string, unknown>) => (await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(owner.token), payload: body(extra) })).json().reportId as string;
    const [plain, anonymous, tip, none] = [
      await post({ reporter: { name: '张三', phone: '13912345678' } }),
      await post({ reporter: { name: '王五', anonymous: true } }),
      await post({ kind: 'tip', reporter: { name: '赵六', phone: '13700003333' } }),
      await post({ reporter: undefined }),
    ];
    for (const reportId of [plain, anonymous, none]) await openCaseFor(reportId);
    await openCaseFor(tip, 'tip.drugs');
    const lookup = (token: string, ids: readonly string[]) => service.app.inject({ method: 'GET', url: `/v1/reporters?reportIds=${ids.join(',')}`, headers: bearer(token) });
    const asked = [plain, anonymous, tip, none, 'no-such-report'];
    const seen = await eventually('the desk of CG reads the reporters', async () => {
      const res = await lookup(desk.token, asked);
      return res.statusCode === 200 && res.json().items.length === 3 ? res : undefined;
    });
    expect(seen.headers['cache-control']).toBe('no-store');
    expect(seen.json()).toEqual({
      items: [
        expect.objectContaining({ reportId: plain, name: '张三', phone: '13912345678', masked: false }),
        expect.objectContaining({ reportId: anonymous, name: '王*', masked: true }),
        expect.objectContaining({ reportId: tip, name: '赵六', masked: false }),
      ],
      leftOut: [
        { reportId: none, status: 404 },
        { reportId: 'no-such-report', status: 404 },
      ],
    });
    // Each as GET /v1/reports/{id}/reporter shows it.
    for (const item of seen.json().items) {
      expect((await service.app.inject({ method: 'GET', url: `/v1/reports/${item.reportId}/reporter`, headers: bearer(desk.token) })).json()).toEqual(item);
    }
    // An officer who does not own the tip's case is not told its informant: 403 for that report, the rest shown masked.
    const asOfficer = await lookup(officer.json().token, [plain, tip]);
    expect(asOfficer.json()).toEqual({ items: [expect.objectContaining({ reportId: plain, name: '张*', masked: true })], leftOut: [{ reportId: tip, status: 403 }] });
    expect(asOfficer.body).not.toMatch(/赵六|13700003333|张三/);
    const audited = await service.rt.pool.query(`select target, after from intake.audit where action = 'reporter.read' and actor = $1 order by id`, [officer.json().clientId]);
    expect(audited.rows).toEqual([
      { target: `report:${plain}`, after: { outcome: 'read', masked: true } },
      { target: `report:${tip}`, after: { outcome: 'refused', status: 403 } },
    ]);
    // A role that may not read reporters is refused whole, each report named in the audit.
    const community = (await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: 'community staff', roles: ['community'], stations: ['CG'], grids: ['BHY-01'] } })).json();
    expect((await lookup(community.token, [plain, none])).statusCode).toBe(403);
    const refusals = await service.rt.pool.query(`select target from intake.audit where action = 'reporter.read' and actor = $1 order by id`, [community.clientId]);
    expect(refusals.rows.map((r) => r.target)).toEqual([`report:${plain}`, `report:${none}`]);

    const tooMany = await lookup(desk.token, Array.from({ length: 21 }, (_, i) => `r${i}`));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors).toEqual([{ path: 'querystring.reportIds', message: 'names at most 20 reports' }]);
    const empty = await lookup(desk.token, [plain, '']);
    expect(empty.json().errors).toEqual([{ path: 'querystring.reportIds', message: 'must be report ids (1–200 characters each), comma-separated' }]);
  });

  it("answers 403 saying why to an officer who reads a tip but does not own its case, and audits the refusal (audit6 #12)", async () => {
    const owner = await createClient(['reporter']);
    const officerClient = async (officerId: string) => {
      const res = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: officerId, roles: ['officer'], stations: ['CG'], officerId } });
      expect(res.statusCode).toBe(201);
      return { ...(res.json() as { clientId: string; token: string }), officerId };
    };
    const [assigned, other] = [await officerClient(`o-own-${newId()}`), await officerClient(`o-other-${newId()}`)];
    const posted = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(owner.token), payload: body({ kind: 'tip', reporter: { name: '赵六', phone: '13700003333' } }) });
    const { reportId } = posted.json();
    const { caseId, now } = await openCaseFor(reportId, 'tip.drugs');
    await producer.sendTo(TOPICS.cases, caseId, caseEvent(caseId)('gridcase.case.assigned.v1', { caseId, level: 0, assignees: [{ officerId: assigned.officerId, role: 'officer' }], routedBy: 'gridCode', at: now.toISOString() }));
    const readAs = (token: string, path = '/reporter') => service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}${path}`, headers: bearer(token) });
    await eventually('the owner reads the informant', async () => ((await readAs(assigned.token)).statusCode === 200 ? true : undefined));

    // The other officer reads the report itself, so a 404 for its reporter would be a lie: 403 saying why.
    expect((await readAs(other.token, '')).statusCode).toBe(200);
    const refused = await readAs(other.token);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().detail).toBe("a tip's informant is shown only to the officers who own its case, the desk, supervisors and admin");
    expect(refused.body).not.toMatch(/赵六|13700003333/);
    const audit = await service.rt.pool.query(`select actor, after from intake.audit where action = 'reporter.read' and target = $1 order by id`, [`report:${reportId}`]);
    expect(audit.rows.filter((r) => r.actor === other.clientId)).toEqual([{ actor: other.clientId, after: { outcome: 'refused', status: 403 } }]);
  });

  it("shows an ordinary reporter whole only to the case's own officers among officers, masked to the others (not 403), audited (audit9 #8)", async () => {
    const owner = await createClient(['reporter']);
    const desk = await createClient(['desk'], 'desk of CG', ['CG']);
    const supervisor = await createClient(['supervisor'], 'supervisor of CG', ['CG']);
    const officerClient = async (officerId: string) => {
      const res = await service.app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(), payload: { name: officerId, roles: ['officer'], stations: ['CG'], officerId } });
      expect(res.statusCode).toBe(201);
      return { ...(res.json() as { clientId: string; token: string }), officerId };
    };
    const [assigned, other] = [await officerClient(`o-own-${newId()}`), await officerClient(`o-other-${newId()}`)];
    const reporter = { name: '张三', phone: '13912345678', idNumber: '620321198001011234' };
    const posted = await service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(owner.token), payload: body({ reporter }) });
    const { reportId } = posted.json();
    const { caseId, now } = await openCaseFor(reportId);
    const readAs = (token: string) => service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}/reporter`, headers: bearer(token) });
    const whole = { reportId, ...reporter, email: null, anonymous: false, masked: false };
    const masked = { reportId, name: '张*', phone: '139****5678', idNumber: '6203**********1234', email: null, anonymous: false, masked: true };

    // Before anyone owns the case, no officer needs to know who reported it.
    const unowned = await eventually('the other officer reads the reporter', async () => {
      const res = await readAs(other.token);
      return res.statusCode === 200 ? res : undefined;
    });
    expect(unowned.json()).toEqual(masked);
    await producer.sendTo(TOPICS.cases, caseId, caseEvent(caseId)('gridcase.case.assigned.v1', { caseId, level: 0, assignees: [{ officerId: assigned.officerId, role: 'officer' }], routedBy: 'gridCode', at: now.toISOString() }));
    const asOwner = await eventually('the owner reads the reporter whole', async () => {
      const res = await readAs(assigned.token);
      return res.json().masked === false ? res : undefined;
    });
    expect(asOwner.json()).toEqual(whole);
    const asOther = await readAs(other.token);
    expect(asOther.statusCode).toBe(200);
    expect(asOther.json()).toEqual(masked);
    expect(asOther.body).not.toMatch(/张三|13912345678|620321198001011234/);
    expect((await readAs(desk.token)).json()).toEqual(whole);
    expect((await readAs(supervisor.token)).json()).toEqual(whole);
    expect((await readAs(ADMIN_TOKEN)).json()).toEqual(whole);

    // Reads only (the tries before the case was known are refusals, 404); the owner's last read is whole.
    const audit = await service.rt.pool.query(`select actor, after from intake.audit where action = 'reporter.read' and after->>'outcome' = 'read' and target = $1 and actor = any($2) order by id`, [
      `report:${reportId}`,
      [assigned.clientId, other.clientId, desk.clientId, supervisor.clientId],
    ]);
    expect(audit.rows.filter((r) => r.actor !== assigned.clientId)).toEqual([
      { actor: other.clientId, after: { outcome: 'read', masked: true } },
      { actor: other.clientId, after: { outcome: 'read', masked: true } },
      { actor: desk.clientId, after: { outcome: 'read', masked: false } },
      { actor: supervisor.clientId, after: { outcome: 'read', masked: false } },
    ]);
    expect(audit.rows.filter((r) => r.actor === assigned.clientId).at(-1)).toEqual({ actor: assigned.clientId, after: { outcome: 'read', masked: false } });
  });

  it("masks phone and ID numbers written into a report's text before report.received, and keeps the text as written for desk roles, audited", async () => {
    const owner = await createClient(['reporter']);
    const desk = await createClient(['desk'], 'desk of CG', ['CG']);
    const sentUrl = 'https://files.example.cn/13811113333/p.jpg?phone=13811112222&id=620321198001011234&token=abc#13800001111';
    // No reporter object: the person is named only in the text.
    const report = body({
      reporter: undefined,
      title: '老人走失 13800138000',
      // Typed with a Chinese IME (full-width), an email address, a bank card, an order number (no card), a dotted phone, a spaced ID, and numbers and a token in an attachment's URL.
      description:
        '我父亲有老年痴呆，今天早上出门后走丢了 联系人李四电话13800138000身份证620321199001011234 或 ＋８６１３９１２３４５６７１ 身份证６２０３２１１９８００１０１１２３４ 邮箱 zhang@example.com 银行卡6222021234567890128 订单号20261130123456789 A:139.1234.5678 C:620321 19800101 1234',
      location: { communityCode: 'baoheyuan', address: '宝河苑3栋 座机0931-8123456' },
      attachments: [{ url: sentUrl, mediaType: 'image/jpeg' }],
    });
    const post = () => service.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(owner.token), payload: report });
    const posted = await post();
    expect(posted.statusCode).toBe(202);
    const { reportId } = posted.json();
    // The idempotency key holds the body as sent: the same body again is a repeat.
    const again = await post();
    expect(again.statusCode).toBe(200);
    expect(again.json().reportId).toBe(reportId);

    const masked = {
      title: '老人走失 138****8000',
      description:
        '我父亲有老年痴呆，今天早上出门后走丢了 联系人李四电话138****8000身份证6203**********1234 或 +86*******5671 身份证6203**********1234 邮箱 z****@example.com 银行卡***************0128 订单号20261130123456789 A:139******5678 C:6203************1234',
      address: '宝河苑3栋 座机0931******56',
    };
    const maskedUrls = ['https://files.example.cn/138****3333/p.jpg?phone=138****2222&id=6203**********1234&token=***#138****1111'];
    const personal =
      /13800138000|620321199001011234|0931-8123456|１３９１２３４５６７１|６２０３２１１９８００１０１１２３４|zhang@|6222021234567890128|13811112222|620321198001011234|139\.1234|19800101|13811113333|13800001111|token=abc/;
    const [record] = await receivedFor(reportId);
    expect(record!.value).not.toMatch(personal);
    expect(record!.message!.data).toMatchObject({
      title: masked.title,
      description: masked.description,
      location: { communityCode: 'baoheyuan', address: masked.address },
      attachments: [{ url: maskedUrls[0], mediaType: 'image/jpeg' }],
      reporter: { anonymous: true, hasContact: false, absent: true },
    });
    const stored = await service.rt.pool.query(`select report::text as report from intake.reports where report_id = $1`, [reportId]);
    expect(stored.rows[0].report).not.toMatch(personal);

    await openCaseFor(reportId);
    const readAs = (token: string) => service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}/reporter`, headers: bearer(token) });
    const asDesk = await eventually('the desk of CG sees the report', async () => {
      const res = await readAs(desk.token);
      return res.statusCode === 200 ? res : undefined;
    });
    const none = { reportId, name: null, phone: null, idNumber: null, email: null, anonymous: false };
    expect(asDesk.json()).toEqual({ ...none, masked: false, written: { title: report.title, description: report.description, address: report.location.address, attachments: [sentUrl] } });
    expect((await readAs(owner.token)).json()).toEqual({ ...none, masked: true, written: { ...masked, attachments: maskedUrls } });

    // Reads only: the desk's tries before the case was known are refusals (404).
    const audit = await service.rt.pool.query(
      `select actor, after from intake.audit where action = 'reporter.read' and after->>'outcome' = 'read' and target = $1 order by id`,
      [`report:${reportId}`],
    );
    expect(audit.rows).toEqual([
      { actor: desk.clientId, after: { outcome: 'read', masked: false } },
      { actor: owner.clientId, after: { outcome: 'read', masked: true } },
    ]);
  });

  it("masks an anonymous reporter's personal data for desk roles too, as for its client, and audits the read", async () => {
    const owner = await createClient(['reporter']);
    const desk = await createClient(['desk'], 'desk of CG', ['CG']);
    const officer = await createClient(['officer'], 'officer of CG', ['CG']);
    const posted = await service.app.inject({
      method: 'POST',
      url: '/v1/reports',
      headers: bearer(owner.token),
      payload: body({ description: '隔壁吵了一夜，我电话13800138001', reporter: { name: '王小二', phone: '13800138001', anonymous: true } }),
    });
    const { reportId } = posted.json();
    await openCaseFor(reportId);
    const readAs = (token: string) => service.app.inject({ method: 'GET', url: `/v1/reports/${reportId}/reporter`, headers: bearer(token) });
    const asDesk = await eventually('the desk of CG sees the report', async () => {
      const res = await readAs(desk.token);
      return res.statusCode === 200 ? res : undefined;
    });
    const masked = {
      reportId,
      name: '王**',
      phone: '138****8001',
      idNumber: null,
      email: null,
      anonymous: true,
      masked: true,
      // The number they wrote into the text too.
      written: { description: '隔壁吵了一夜，我电话138****8001' },
    };
    expect(asDesk.json()).toEqual(masked);
    expect((await readAs(officer.token)).json()).toEqual(masked);
    expect((await readAs(owner.token)).json()).toEqual(masked);
    expect(JSON.stringify(asDesk.json())).not.toMatch(/王小二|13800138001/);

    const audit = await service.rt.pool.query(
      `select actor, after->>'masked' as masked from intake.audit where action = 'reporter.read' and after->>'outcome' = 'read' and target = $1 order by id`,
      [`report:${reportId}`],
    );
    expect(audit.rows).toEqual([
      { actor: desk.clientId, masked: 'true' },
      { actor: officer.clientId, masked: 'true' },
      { actor: owner.clientId, masked: 'true' },
    ]);
  });

  it('reads its own revoked-client list at start: client tokens work at once, with no other intake to ask', async () => {
    const { token } = await createClient(['reporter'], 'sender before a restart');
    const revoked = await createClient(['reporter'], 'revoked sender');
    expect((await service.app.inject({ method: 'DELETE', url: `/v1/clients/${revoked.clientId}`, headers: bearer() })).statusCode).toBeLessThan(300);
    // A second instance whose INTAKE_URL answers nothing: only its own table can tell it who is revoked.
    const second = await start({ ...env, INTAKE_URL: 'http://127.0.0.1:1' });
    try {
      const ok = await second.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: body() });
      expect(ok.statusCode, ok.body).toBe(202);
      const refused = await second.app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(revoked.token), payload: body() });
      expect(refused.statusCode).toBe(401);
    } finally {
      await second.rt.shutdown('test done');
    }
  });
});
