import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeMessage, newId, TOPICS } from '@gridcase/contracts';
import { ManualClock } from '@gridcase/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, isolatedEnv, testProducer } from '../../../infra/test/harness.ts';
import { documentedSuccess } from '../../../infra/test/openapi.ts';
import { recordAttempt } from '../src/db/webhook-deliveries.ts';
import { start } from '../src/main.ts';
import { WEBHOOKS_PER_CLIENT } from '../src/routes/webhooks.ts';
import { REPORTER, reportBody } from './fixtures.ts';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const SECRET = 'a-secret-of-the-receiver-0123456789';
/** A receiver that hangs stays in flight for the whole file, so a test can look while it hangs. */
const OVERRIDES = { webhookTimeoutMs: 3_600_000 };
/** The caps on sends in flight in one instance, set low here so a test can fill them. */
const PER_WEBHOOK = 3;
const PER_CLIENT = 4;

describe('webhooks against real Kafka and Postgres and a local receiver', () => {
  let env: Record<string, string>;
  const clock = new ManualClock(new Date());
  let service: Awaited<ReturnType<typeof start>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;
  let receiver: Server;
  let base: string;
  const received: Received[] = [];
  /** Per path: the status to answer for the n-th request (0-based), or 'hang' to never answer. */
  const behaviour = new Map<string, (n: number) => number | 'hang'>();
  const hanging: ServerResponse[] = [];
  /** Per path: a handler that takes the response over (answers it when it will). */
  const handlers = new Map<string, (res: ServerResponse, body: string) => void>();

  beforeAll(async () => {
    env = await isolatedEnv({
      INTAKE_PORT: '0',
      WEBHOOK_ALLOW_LOOPBACK: 'true',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_MAX_IN_FLIGHT_PER_WEBHOOK: String(PER_WEBHOOK),
      WEBHOOK_MAX_IN_FLIGHT_PER_CLIENT: String(PER_CLIENT),
    });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        const n = received.filter((r) => r.path === path).length;
        received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const handler = handlers.get(path);
        if (handler) {
          handler(res, received.at(-1)!.body);
          return;
        }
        const answer = behaviour.get(path)?.(n) ?? 200;
        if (answer === 'hang') {
          hanging.push(res);
          return;
        }
        if (answer >= 300 && answer < 400) res.setHeader('location', `${base}/redirected`);
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    service = await start(env, clock, OVERRIDES);
    producer = await testProducer(env);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await service?.rt.shutdown('test done');
    for (const res of hanging) res.destroy();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: unknown) =>
    service.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

  const reportingClient = async (name: string) =>
    (await inject('POST', '/v1/clients', bearer().authorization.slice(7), { name, roles: ['reporter'] })).json().token as string;
  async function hookOn(token: string, path: string) {
    const hook = await inject('POST', '/v1/webhooks', token, { url: `${base}${path}`, secret: SECRET });
    expect(hook.statusCode).toBe(201);
    return hook.json().webhookId as string;
  }
  /** A report (with personal data) of `token`'s, and the id of a new case for it. */
  async function reported(token: string) {
    const report = await inject('POST', '/v1/reports', token, reportBody());
    expect(report.statusCode).toBe(202);
    return { reportId: report.json().reportId as string, caseId: newId() };
  }

  /** A reporting client with a webhook on `path` and a report on a new case. */
  async function subscribed(path: string) {
    const token = await reportingClient(`hook ${path}`);
    const webhookId = await hookOn(token, path);
    return { token, webhookId, ...(await reported(token)) };
  }

  /** case.assigned for `caseId`, as the case of record sends it (with routing's decision and the owner's name). */
  const assignedMessage = (caseId: string) =>
    makeMessage('gridcase.case.assigned.v1', {
      source: '/test',
      subject: caseId,
      data: {
        caseId,
        level: 0,
        assignees: [{ officerId: 'wang-yanjun', role: 'officer', name: '王彦军' }],
        routedBy: 'communityCode',
        decision: {
          referenceVersion: 4,
          rule: 'pairing',
          posts: [{ post: 'officer', chosen: 'wang-yanjun', filledBy: 'off-duty-owner', candidates: [{ officerId: 'wang-yanjun', role: 'officer', openCases: 12 }] }],
          fallback: null,
        },
        at: clock.now().toISOString(),
      },
    });

  /** case.report-merged of `reportId` into `caseId`, as triage sends it (its reason, what the report said). */
  const mergedMessage = (caseId: string, reportId: string) =>
    makeMessage('gridcase.case.report-merged.v1', {
      source: '/test',
      subject: caseId,
      data: {
        caseId,
        reportId,
        reason: `same kind and place as open case ${caseId}, words 93% alike`,
        mergedAt: clock.now().toISOString(),
        reporter: { anonymous: false, hasContact: true },
        description: reportBody().description,
      },
    });

  /** Publishes case events as the case of record would; returns the messages as sent. */
  async function publishCase(caseId: string, reportId: string, more: 'assigned'[] = []) {
    const now = clock.now().toISOString();
    const opened = makeMessage('gridcase.case.opened.v1', {
      source: '/test',
      subject: caseId,
      data: {
        caseId,
        caseNumber: 'CG-2026-000077',
        reportId,
        station: 'CG',
        kind: 'dispute',
        category: 'dispute.family',
        severity: 'yellow',
        description: reportBody().description,
        location: { communityCode: 'baoheyuan' },
        respondBy: now,
        resolveBy: now,
        rule: 'test',
        openedAt: now,
        reporter: { anonymous: false, hasContact: true },
      },
    });
    const messages: { id: string; type: string }[] = [opened];
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(opened));
    for (const _ of more) {
      const assigned = assignedMessage(caseId);
      messages.push(assigned);
      await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(assigned));
    }
    return messages;
  }

  const deliveries = async (token: string, webhookId: string) => {
    const res = await inject('GET', `/v1/webhooks/${webhookId}/deliveries`, token);
    expect(res.statusCode).toBe(200);
    return res.json().items as { deliveryId: string; eventId: string; status: string; waitingFor?: string; attempts: { attempt: number; at: string; statusCode?: number; error?: string; nextAttemptAt?: string }[] }[];
  };
  const at = (path: string) => received.filter((r) => r.path === path);
  const countAt = (path: string, n: number) => eventually(`${n} request(s) at ${path}`, () => (at(path).length >= n ? at(path) : undefined));
  /**
   * Waits until intake has recorded `n` attempts of `eventId`'s delivery: the receiver sees a request
   * before intake has read its answer, and the clock intake reads then sets the next try.
   */
  const attemptsRecorded = (token: string, webhookId: string, eventId: string, n: number) =>
    eventually(`${n} attempt(s) of ${eventId} recorded`, async () => {
      const d = (await deliveries(token, webhookId)).find((x) => x.eventId === eventId);
      return d && d.attempts.length >= n ? d : undefined;
    });

  it('delivers each case event, in order, signed with the secret, without personal data', async () => {
    const path = '/hook/plain';
    const { token, webhookId, reportId, caseId } = await subscribed(path);
    const sent = await publishCase(caseId, reportId, ['assigned']);
    const got = await countAt(path, 2);
    expect(got.map((r) => JSON.parse(r.body).id)).toEqual(sent.map((m) => m.id));
    for (const r of got) {
      expect(r.headers['x-gridcase-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
      for (const value of Object.values(REPORTER)) expect(r.body).not.toContain(value);
    }
    // What became of the report, without the station's internals: triage's rule, routing's decision, staff names.
    const { rule: _rule, reporter: _reporter, ...openedData } = (sent[0] as unknown as { data: Record<string, unknown> }).data;
    expect(JSON.parse(got[0]!.body)).toEqual({ ...JSON.parse(JSON.stringify(sent[0])), data: { ...openedData, redacted: ['reporter', 'rule'] } });
    const assigned = JSON.parse(got[1]!.body);
    expect(assigned.type).toBe('gridcase.case.assigned.v1');
    expect(assigned.data).not.toHaveProperty('decision');
    expect(assigned.data).toMatchObject({ assignees: [{ officerId: 'wang-yanjun', role: 'officer' }], redacted: ['assignees.name', 'decision'] });
    expect(got[1]!.body).not.toContain('openCases');
    expect(got[1]!.body).not.toContain('王彦军');
    const list = await eventually('both delivered', async () => {
      const items = await deliveries(token, webhookId);
      return items.length === 2 && items.every((d) => d.status === 'delivered') ? items : undefined;
    });
    expect(list.map((d) => d.deliveryId).sort()).toEqual(got.map((r) => r.headers['x-gridcase-delivery']).sort());
    expect(list[0]!.attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200 })]);

    const mine = await inject('GET', '/v1/webhooks', token);
    expect(mine.json().items).toEqual([expect.objectContaining({ webhookId, url: `${base}${path}` })]);
    expect(mine.body).not.toContain(SECRET);
  });

  it('sends every change to the case, an extension asked for and refused too, in order; never a note', async () => {
    const path = '/hook/changes';
    const { reportId, caseId } = await subscribed(path);
    const [opened] = await publishCase(caseId, reportId);
    const now = clock.now().toISOString();
    const by = { clientId: 'desk-client', officerId: 'wang-yanjun' };
    const later = [
      makeMessage('gridcase.case.note-added.v1', { source: '/test', subject: caseId, data: { caseId, commandId: newId(), text: '已电话联系双方', by, at: now } }),
      makeMessage('gridcase.case.extension-requested.v1', {
        source: '/test',
        subject: caseId,
        data: { caseId, commandId: newId(), until: new Date(clock.now().getTime() + 86_400_000).toISOString(), reason: '等待鉴定结果', by, at: now },
      }),
      makeMessage('gridcase.case.extension-rejected.v1', { source: '/test', subject: caseId, data: { caseId, commandId: newId(), reason: '可先行调解', by, at: now } }),
    ];
    for (const m of later) await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(m));
    const got = await countAt(path, 3);
    expect(got.map((r) => JSON.parse(r.body).type)).toEqual(['gridcase.case.opened.v1', 'gridcase.case.extension-requested.v1', 'gridcase.case.extension-rejected.v1']);
    expect(got.map((r) => JSON.parse(r.body).id)).toEqual([opened!.id, ...later.slice(1).map((m) => m.id)]);
    // The note went by before the extension's events, so had it been queued it would have been sent first.
    for (const r of got) expect(r.body).not.toContain('已电话联系双方');
    // Who acted stays inside the station: no staff client, name or officer id reaches the sender.
    for (const r of got) expect(JSON.parse(r.body).data).not.toHaveProperty('by');
    expect(got.map((r) => r.body).join()).not.toContain('wang-yanjun');
  });

  it('retries after two 500s and then delivers; the later event of the case waits for it', async () => {
    const path = '/hook/flaky';
    behaviour.set(path, (n) => (n < 2 ? 500 : 200));
    const { token, webhookId, reportId, caseId } = await subscribed(path);
    const [opened, assigned] = await publishCase(caseId, reportId, ['assigned']);
    await countAt(path, 1);
    await attemptsRecorded(token, webhookId, opened!.id, 1);
    // The later event is held behind the failing one, and its listing says which (audit26 #6).
    const listed = await deliveries(token, webhookId);
    const [head, held] = [listed.find((x) => x.eventId === opened!.id)!, listed.find((x) => x.eventId === assigned!.id)!];
    expect([head.waitingFor, held.waitingFor]).toEqual([undefined, head.deliveryId]);
    clock.advance(60_000);
    await countAt(path, 2);
    await attemptsRecorded(token, webhookId, opened!.id, 2);
    clock.advance(60_000);
    const got = await countAt(path, 4);
    // Three tries of case.opened (the same delivery each time), and only then case.assigned.
    expect(got.map((r) => JSON.parse(r.body).id)).toEqual([opened!.id, opened!.id, opened!.id, assigned!.id]);
    expect(new Set(got.slice(0, 3).map((r) => r.headers['x-gridcase-delivery'])).size).toBe(1);
    const last = got[2]!;
    expect(last.headers['x-gridcase-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(last.body).digest('hex')}`);
    const first = await eventually('opened delivered', async () => {
      const d = (await deliveries(token, webhookId)).find((x) => x.eventId === opened!.id);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(first.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([[1, 500], [2, 500], [3, 200]]);
    expect((await deliveries(token, webhookId)).every((x) => x.waitingFor === undefined)).toBe(true);
    expect(first.attempts[0]!.nextAttemptAt).toBeDefined();
  });

  it('shows an attempt at the time it was sent, not when its slow answer came (audit26 #6)', async () => {
    const path = '/hook/slow-answer';
    let sentAt: string | undefined;
    handlers.set(path, (res) => {
      sentAt ??= clock.now().toISOString();
      // The receiver takes 7 s to answer.
      clock.advance(7000);
      res.end();
    });
    const { token, webhookId, reportId, caseId } = await subscribed(path);
    const [opened] = await publishCase(caseId, reportId, []);
    const delivered = await eventually('opened delivered', async () => {
      const d = (await deliveries(token, webhookId)).find((x) => x.eventId === opened!.id);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(delivered.attempts.map((a) => a.at)).toEqual([sentAt]);
  });

  it("sends a case's events in the order intake consumed them, whatever order their ids sort in (audit15 #3)", async () => {
    const path = '/hook/consumed-order';
    // The first try fails, so every later event of the case is queued behind it before any is sent.
    behaviour.set(path, (n) => (n === 0 ? 500 : 200));
    const { token, webhookId, reportId, caseId } = await subscribed(path);
    const second = await reported(token);
    // As assignment's case.assigned can reach the topic after a case.report-merged triage made later:
    // made first (its UUIDv7 id sorts first), published last.
    const assigned = assignedMessage(caseId);
    const [opened] = await publishCase(caseId, reportId);
    const merged = mergedMessage(caseId, second.reportId);
    expect([merged.id, opened!.id, assigned.id].sort()).toEqual([assigned.id, opened!.id, merged.id]);
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(merged));
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(assigned));
    // The failed try recorded (its retry is due only once the clock moves) and all three queued.
    await eventually('the first try recorded and all three queued', async () => {
      const items = await deliveries(token, webhookId);
      return items.length === 3 && items.some((d) => d.attempts.length > 0) ? true : undefined;
    });
    clock.advance(60_000);
    const got = await countAt(path, 4);
    expect(got.map((r) => JSON.parse(r.body).type)).toEqual([
      'gridcase.case.opened.v1',
      'gridcase.case.opened.v1',
      'gridcase.case.report-merged.v1',
      'gridcase.case.assigned.v1',
    ]);
    expect(got.map((r) => JSON.parse(r.body).id)).toEqual([opened!.id, opened!.id, merged.id, assigned.id]);
  });

  it("tells each sender which report joined the case and why only when that report is its own (audit15 #12)", async () => {
    const first = await subscribed('/hook/merged-into');
    const other = await subscribed('/hook/merged-from');
    await publishCase(first.caseId, first.reportId);
    const merged = mergedMessage(first.caseId, other.reportId);
    await producer.sendTo(TOPICS.cases, first.caseId, JSON.stringify(merged));
    const [, intoCase] = await countAt('/hook/merged-into', 2);
    const [fromReport] = await countAt('/hook/merged-from', 1);
    // The case's first sender hears that a report joined its case, not whose or how alike.
    expect(JSON.parse(intoCase!.body)).toMatchObject({ id: merged.id, data: { caseId: first.caseId, mergedAt: merged.data.mergedAt } });
    expect(JSON.parse(intoCase!.body).data.redacted).toEqual(['description', 'reason', 'reportId', 'reporter']);
    expect(intoCase!.body).not.toContain(other.reportId);
    expect(intoCase!.body).not.toContain('alike');
    // The merged report's own sender hears where its report went and why.
    expect(JSON.parse(fromReport!.body)).toMatchObject({ id: merged.id, data: { caseId: first.caseId, reportId: other.reportId, reason: merged.data.reason } });
    expect(JSON.parse(fromReport!.body).data.redacted).toEqual(['description', 'reporter']);
    for (const r of [intoCase!, fromReport!]) expect(r.headers['x-gridcase-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
  });

  it("delivers another client's events while one client's receiver hangs", async () => {
    const slow = '/hook/hanging';
    behaviour.set(slow, (n) => (n === 0 ? 'hang' : 200));
    const a = await subscribed(slow);
    const [aOpened, aAssigned] = await publishCase(a.caseId, a.reportId, ['assigned']);
    await countAt(slow, 1);
    const held = hanging.at(-1)!;
    const fast = '/hook/beside-hanging';
    const b = await subscribed(fast);
    const sent = await publishCase(b.caseId, b.reportId, ['assigned']);
    const got = await countAt(fast, 2);
    expect(got.map((r) => JSON.parse(r.body).id)).toEqual(sent.map((m) => m.id));
    // All the while the hanging receiver's first delivery is still in flight: no attempt has ended.
    const waiting = await deliveries(a.token, a.webhookId);
    expect(waiting.find((d) => d.eventId === aOpened!.id)).toMatchObject({ status: 'pending', attempts: [] });
    expect(at(slow)).toHaveLength(1);
    hanging.splice(hanging.indexOf(held), 1);
    held.end();
    const after = await countAt(slow, 2);
    expect(after.map((r) => JSON.parse(r.body).id)).toEqual([aOpened!.id, aAssigned!.id]);
  });

  it('parks a delivery once its receiver has been down for longer than the retry window', async () => {
    const path = '/hook/down';
    behaviour.set(path, () => 503);
    const { token, webhookId, reportId, caseId } = await subscribed(path);
    const [opened] = await publishCase(caseId, reportId);
    await countAt(path, 1);
    // The first failure recorded inside the retry window, so it is retried once more, not parked.
    await attemptsRecorded(token, webhookId, opened!.id, 1);
    clock.advance(24 * 3_600_000 + 1000);
    const parked = await eventually('parked', async () => {
      const [d] = await deliveries(token, webhookId);
      return d?.status === 'parked' ? d : undefined;
    });
    expect(parked.attempts.map((a) => a.statusCode)).toEqual([503, 503]);
    expect(parked.attempts[1]!.nextAttemptAt).toBeUndefined();
    const metrics = await service.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/gridcase_webhook_deliveries_parked_total [1-9]/);
    expect(metrics.body).toMatch(/gridcase_webhook_deliveries_failed_total [1-9]/);
  });

  it('lists deliveries a page at a time, latest first, with a cursor', async () => {
    const path = '/hook/paged';
    const { token, webhookId, reportId, caseId } = await subscribed(path);
    const sent = await publishCase(caseId, reportId, ['assigned', 'assigned']);
    await countAt(path, 3);
    const page = async (query: string) => {
      const res = await inject('GET', `/v1/webhooks/${webhookId}/deliveries?${query}`, token);
      expect(res.statusCode, query).toBe(200);
      return res.json() as { items: { eventId: string }[]; nextCursor: string | null };
    };
    const first = await page('limit=2');
    expect(first.items.map((d) => d.eventId)).toEqual([sent[2]!.id, sent[1]!.id]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await page(`limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({ items: [expect.objectContaining({ eventId: sent[0]!.id })], nextCursor: null });
    const bad = await inject('GET', `/v1/webhooks/${webhookId}/deliveries?cursor=bm90LWEtY3Vyc29y`, token);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: 'querystring.cursor', message: expect.stringMatching(/^not a cursor/) }]);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const path = '/hook/moved';
    behaviour.set(path, () => 302);
    const { token, webhookId, reportId, caseId } = await subscribed(path);
    await publishCase(caseId, reportId);
    const [d] = await eventually('an attempt', async () => {
      const items = await deliveries(token, webhookId);
      return items[0]?.attempts.length ? items : undefined;
    });
    expect(d!.status).toBe('pending');
    expect(d!.attempts[0]).toMatchObject({ statusCode: 302, error: 'redirect not followed' });
    expect(at('/redirected')).toEqual([]);
  });

  it('refuses link-local, metadata and reserved addresses at registration, naming url', async () => {
    const client = await inject('POST', '/v1/clients', bearer().authorization.slice(7), { name: 'ssrf', roles: ['reporter'] });
    const { token } = client.json() as { token: string };
    const audit7 = ['http://[64:ff9b::a9fe:a9fe]/', 'http://[2002:a9fe:a9fe::]/', 'http://198.18.0.1/']; // NAT64, 6to4, benchmarking
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/hook', 'http://100.100.100.200/', 'http://[::ffff:169.254.169.254]/', ...audit7]) {
      const res = await inject('POST', '/v1/webhooks', token, { url, secret: SECRET });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors).toEqual([{ path: 'url', message: expect.stringMatching(/^its host is /) }]);
    }
    expect((await inject('GET', '/v1/webhooks', token)).json().items).toEqual([]);
  });

  it('names every bad field of a registration at once: a refused url and a short secret together', async () => {
    const client = await inject('POST', '/v1/clients', bearer().authorization.slice(7), { name: 'two faults', roles: ['reporter'] });
    const { token } = client.json() as { token: string };
    const res = await inject('POST', '/v1/webhooks', token, { url: 'http://169.254.169.254/hook', secret: 'short', events: ['no.such.type'] });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['events.0', 'secret', 'url']);
    expect(res.json().detail).toContain('url (its host is a link-local, metadata or reserved address)');
    expect((await inject('GET', '/v1/webhooks', token)).json().items).toEqual([]);
  });

  it('refuses a second webhook for the same url (409 naming the first) and more than the limit per client', async () => {
    const token = await reportingClient('hook limits');
    const first = await hookOn(token, '/hook/limits-0');
    const again = await inject('POST', '/v1/webhooks', token, { url: `${base}/hook/limits-0`, secret: SECRET });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain(first);
    // The same endpoint written otherwise: scheme in capitals, a fragment, a zero-padded port, an escaped letter, an empty query.
    const port = new URL(base).port;
    for (const written of [
      `${base.replace('http:', 'HTTP:')}/hook/limits-0`,
      `${base}/hook/limits-0#x`,
      `${base.replace(`:${port}`, `:0${port}`)}/hook/limits-0`,
      `${base}/%68ook/limits-0`,
      `${base}/hook/limits-0?`,
      `${base}/hook/limits-0?#x`,
    ]) {
      const same = await inject('POST', '/v1/webhooks', token, { url: written, secret: SECRET });
      expect(same.statusCode, written).toBe(409);
    }
    for (let i = 1; i < WEBHOOKS_PER_CLIENT; i++) await hookOn(token, `/hook/limits-${i}`);
    const over = await inject('POST', '/v1/webhooks', token, { url: `${base}/hook/limits-over`, secret: SECRET });
    expect(over.statusCode).toBe(409);
    expect(over.json().detail).toContain(`${WEBHOOKS_PER_CLIENT} webhooks`);
    expect((await inject('GET', '/v1/webhooks', token)).json().items).toHaveLength(WEBHOOKS_PER_CLIENT);
    // Another client may still use the same url.
    await hookOn(await reportingClient('hook limits 2'), '/hook/limits-0');
  });

  it("keeps another client's webhook out of reach, and deletes one's own", async () => {
    const { token, webhookId } = await subscribed('/hook/owned');
    const other = (await inject('POST', '/v1/clients', bearer().authorization.slice(7), { name: 'other', roles: ['reporter'] })).json().token as string;
    expect((await inject('GET', `/v1/webhooks/${webhookId}/deliveries`, other)).statusCode).toBe(404);
    expect((await inject('DELETE', `/v1/webhooks/${webhookId}`, other)).statusCode).toBe(404);
    expect((await inject('DELETE', `/v1/webhooks/${webhookId}`, token)).statusCode).toBe(204);
    // /docs says so too (it said 200: audit12 #4).
    expect(documentedSuccess((await inject('GET', '/docs', token)).json(), 'DELETE /v1/webhooks/{webhookId}')).toEqual(['204']);
    expect((await inject('GET', '/v1/webhooks', token)).json().items).toEqual([]);
  });

  it('never has two intake instances send one delivery at once', async () => {
    const second = await start(env, clock, OVERRIDES);
    try {
      const path = '/hook/pair';
      behaviour.set(path, (n) => (n === 0 ? 'hang' : 200));
      const { token, webhookId, reportId, caseId } = await subscribed(path);
      const [first] = await publishCase(caseId, reportId);
      await countAt(path, 1);
      // The instance sending the first case's event is held up; the other delivers a second case's event,
      // so it has passed over the first one (held by the other) at least once.
      const other = newId();
      const report = await inject('POST', '/v1/reports', token, reportBody());
      const [later] = await publishCase(other, report.json().reportId);
      await eventually('the other case delivered', () => (at(path).some((r) => JSON.parse(r.body).id === later!.id) ? true : undefined));
      expect(at(path).filter((r) => JSON.parse(r.body).id === first!.id)).toHaveLength(1);
      hanging.shift()?.end();
      await eventually('both delivered', async () => {
        const items = await deliveries(token, webhookId);
        return items.length === 2 && items.every((d) => d.status === 'delivered') ? true : undefined;
      });
      expect(at(path).filter((r) => JSON.parse(r.body).id === first!.id)).toHaveLength(1);
    } finally {
      await second.rt.shutdown('test done');
    }
  });

  it('loses nothing when intake stops mid-delivery and starts again', async () => {
    const path = '/hook/restart';
    let hang = true;
    behaviour.set(path, () => (hang ? 'hang' : 200));
    const { token, webhookId, reportId, caseId } = await subscribed(path);
    const [opened] = await publishCase(caseId, reportId);
    await countAt(path, 1);
    // The request is in flight when intake stops.
    await service.rt.shutdown('test: stop mid-delivery');
    hang = false;
    service = await start(env, clock, OVERRIDES);
    const got = await countAt(path, 2);
    expect(got.map((r) => JSON.parse(r.body).id)).toEqual([opened!.id, opened!.id]);
    const [d] = await eventually('delivered after the restart', async () => {
      const items = await deliveries(token, webhookId);
      return items[0]?.status === 'delivered' ? items : undefined;
    });
    // The abandoned send left no attempt behind; the one after the restart is the first.
    expect(d!.attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200 })]);
  });

  it('holds no transaction and no row lock while a receiver hangs', async () => {
    const path = '/hook/held-open';
    behaviour.set(path, (n) => (n === 0 ? 'hang' : 200));
    const { token, webhookId, reportId, caseId } = await subscribed(path);
    await publishCase(caseId, reportId);
    await countAt(path, 1);
    const held = hanging.at(-1)!;
    const requestSeen = new Date();
    const [d] = await deliveries(token, webhookId);
    // Another connection takes the delivery's row at once: no transaction of the send's holds it.
    const conn = await service.rt.pool.connect();
    try {
      await conn.query('begin');
      const locked = await conn.query('select delivery_id from intake.webhook_deliveries where delivery_id = $1 for update nowait', [d!.deliveryId]);
      expect(locked.rowCount).toBe(1);
    } finally {
      await conn.query('rollback');
      conn.release();
    }
    // And no connection sits in a transaction opened before the request reached the receiver.
    await eventually('no transaction open across the send', async () => {
      const open = await service.rt.pool.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%' and xact_start < $1",
        [requestSeen],
      );
      return open.rows[0].n === 0 ? true : undefined;
    });
    expect(held.writableEnded).toBe(false);
    hanging.splice(hanging.indexOf(held), 1);
    held.end();
    await eventually('delivered once answered', async () => ((await deliveries(token, webhookId))[0]?.status === 'delivered' ? true : undefined));
  });

  it("leaves other clients' deliveries their turn while one client's many receivers hang (the per-client cap)", async () => {
    // Five webhooks of one client, one more than its cap, all hanging while `holding`.
    let holding = true;
    const paths = [1, 2, 3, 4, 5].map((i) => `/hook/crowd-${i}`);
    for (const path of paths) behaviour.set(path, () => (holding ? 'hang' : 200));
    const crowd = await reportingClient('crowd');
    for (const path of paths) await hookOn(crowd, path);
    const c = await reported(crowd);
    await publishCase(c.caseId, c.reportId);
    await eventually('the crowd at its cap', () => (paths.filter((p) => at(p).length > 0).length >= PER_CLIENT ? true : undefined));
    const calm = '/hook/beside-crowd';
    const b = await subscribed(calm);
    const [opened] = await publishCase(b.caseId, b.reportId);
    const [got] = await countAt(calm, 1);
    expect(JSON.parse(got!.body).id).toBe(opened!.id);
    // It arrived while the crowd's sends still hang: as many as its cap, none answered.
    const crowdHeld = hanging.filter((res) => paths.some((p) => res.req.url === p));
    expect(crowdHeld).toHaveLength(PER_CLIENT);
    expect(crowdHeld.every((res) => !res.writableEnded)).toBe(true);
    expect(paths.flatMap((p) => at(p))).toHaveLength(PER_CLIENT);
    holding = false;
    for (const res of crowdHeld) {
      hanging.splice(hanging.indexOf(res), 1);
      res.end();
    }
    await eventually('every crowd webhook answered', () => (paths.every((p) => at(p).length === 1) ? true : undefined));
  });

  it('sends again what a crashed sender leased, once the lease runs out, recording one outcome; the later event of its case waits meanwhile', async () => {
    const path = '/hook/crashed-sender';
    behaviour.set(path, (n) => (n < PER_WEBHOOK ? 'hang' : 200));
    const { token, webhookId, reportId, caseId } = await subscribed(path);
    await publishCase(caseId, reportId);
    for (let i = 1; i < PER_WEBHOOK; i++) {
      const more = await reported(token);
      await publishCase(more.caseId, more.reportId);
    }
    // This instance's sends to the webhook hang, as many as its cap, so it takes no more of them.
    await countAt(path, PER_WEBHOOK);
    const held = hanging.filter((res) => res.req.url === path);
    expect(held).toHaveLength(PER_WEBHOOK);
    // Meanwhile a second case's events queue up behind them, and a "sender" that then crashes
    // leases the first of them: it never records an outcome.
    const second = await reported(token);
    const [opened, assigned] = await publishCase(second.caseId, second.reportId, ['assigned']);
    await eventually('both events of the second case queued', async () => ((await deliveries(token, webhookId)).length === PER_WEBHOOK + 2 ? true : undefined));
    const crashed = { token: newId() };
    const leased = await service.rt.pool.query(
      'update intake.webhook_deliveries set leased_until = $1, lease_token = $2 where webhook_id = $3 and event_id = $4 and leased_until is null returning delivery_id',
      [new Date(clock.now().getTime() + 60_000), crashed.token, webhookId, opened!.id],
    );
    expect(leased.rowCount).toBe(1);
    const crashedDelivery = leased.rows[0].delivery_id as string;
    for (const res of held) {
      hanging.splice(hanging.indexOf(res), 1);
      res.end();
    }
    // A third case's event gets through, so the worker has passed over the leased delivery and
    // the later event of its case, which waits for it.
    const third = await reported(token);
    const [thirdOpened] = await publishCase(third.caseId, third.reportId);
    await eventually('the third case delivered', () => (at(path).some((r) => JSON.parse(r.body).id === thirdOpened!.id) ? true : undefined));
    const secondCase = () => at(path).filter((r) => [opened!.id, assigned!.id].includes(JSON.parse(r.body).id));
    expect(secondCase()).toEqual([]);
    clock.advance(60_001);
    const got = await eventually('the second case delivered after the lease ran out', () => (secondCase().length >= 2 ? secondCase() : undefined));
    expect(got.map((r) => JSON.parse(r.body).id)).toEqual([opened!.id, assigned!.id]);
    const delivered = async () => (await deliveries(token, webhookId)).find((d) => d.eventId === opened!.id);
    await eventually('recorded', async () => ((await delivered())?.status === 'delivered' ? true : undefined));
    // The crashed sender's outcome, should it come late, is not ours to record: one attempt stays.
    const late = { deliveryId: crashedDelivery, token: crashed.token, attempt: 1, at: clock.now(), status: 'pending' as const, statusCode: 500 };
    expect(await recordAttempt(service.rt.db, { ...late, next: clock.now() })).toBe(false);
    expect(await delivered()).toMatchObject({ status: 'delivered', attempts: [expect.objectContaining({ attempt: 1, statusCode: 200 })] });
    expect((await delivered())!.attempts).toHaveLength(1);
    const metrics = await service.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/gridcase_webhook_leases_expired_total [1-9]/);
  });

  /**
   * A client whose webhook failed its first delivery (so it is still pending) and that then ends as
   * `end` says; a later event of its case is queued for nobody, and the pending one is dropped at
   * its next try, never sent again (audit9 #7).
   */
  async function endedClientHearsNothing(path: string, issue: Record<string, unknown>, end: (clientId: string) => Promise<void>, reason: string) {
    behaviour.set(path, () => 500);
    const created = await inject('POST', '/v1/clients', bearer().authorization.slice(7), { name: `ends ${path}`, roles: ['reporter'], ...issue });
    const { clientId, token } = created.json() as { clientId: string; token: string };
    const webhookId = await hookOn(token, path);
    const { reportId, caseId } = await reported(token);
    const [opened] = await publishCase(caseId, reportId);
    await countAt(path, 1);
    const droppedBefore = await droppedCount(reason);
    await end(clientId);

    const assigned = assignedMessage(caseId);
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(assigned));
    await eventually('case.assigned projected', async () => {
      const { rows } = await service.rt.pool.query('select assignees from intake.cases where case_id = $1', [caseId]);
      return JSON.stringify(rows[0]?.assignees ?? []).includes('wang-yanjun') ? true : undefined;
    });
    const statuses = async () =>
      (await service.rt.pool.query('select event_id, status from intake.webhook_deliveries where webhook_id = $1', [webhookId])).rows as { event_id: string; status: string }[];
    // Only case.opened's delivery, from before the end (an expiry already made it due: it may be dropped by now).
    expect((await statuses()).map((r) => r.event_id)).toEqual([opened!.id]);

    // The pending delivery falls due again, and is dropped rather than sent.
    clock.advance(60_000);
    await eventually('the pending delivery dropped', async () => ((await statuses())[0]?.status === 'dropped' ? true : undefined));
    expect(at(path)).toHaveLength(1);
    // The worker counts the drop once its transaction has committed, so a moment after the row says so.
    await eventually('the drop counted', async () => ((await droppedCount(reason)) >= droppedBefore + 2 ? true : undefined));
    expect(await droppedCount(reason)).toBe(droppedBefore + 2);
  }
  const droppedCount = async (reason: string) => {
    const metrics = await service.app.inject({ method: 'GET', url: '/metrics' });
    const line = metrics.body.split('\n').find((l) => l.startsWith(`gridcase_webhook_deliveries_dropped_total{reason="${reason}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('sends a revoked client nothing more: no delivery queued after DELETE /v1/clients/{id}, a pending one dropped', async () => {
    const revoke = async (clientId: string) => {
      expect((await inject('DELETE', `/v1/clients/${clientId}`, bearer().authorization.slice(7))).statusCode).toBe(204);
    };
    await endedClientHearsNothing('/hook/revoked', {}, revoke, 'client-revoked');
  });

  it("sends a client whose token expired nothing more, as if revoked", async () => {
    const expiresAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
    await endedClientHearsNothing('/hook/expired', { expiresAt }, async () => clock.advance(3_600_000), 'client-expired');
  });

  /** The figure of `name{state="…"}` on /metrics. */
  const gauge = async (name: string, state: string) => {
    const metrics = await service.app.inject({ method: 'GET', url: '/metrics' });
    const line = metrics.body.split('\n').find((l) => l.startsWith(`${name}{state="${state}"}`));
    return line ? Number(line.split(' ').at(-1)) : undefined;
  };

  it("sends many cases' deliveries to one webhook at once, up to its cap, each case's in order", async () => {
    const path = '/hook/many-cases';
    const token = await reportingClient('many cases');
    await hookOn(token, path);
    // Answered once as many requests as the cap are open at once (sent one at a time, none ever
    // would be), and at once from then on; `open` counts those not answered yet.
    const open = new Set<ServerResponse>();
    let most = 0;
    let gate = false;
    handlers.set(path, (res) => {
      open.add(res);
      most = Math.max(most, open.size);
      if (open.size >= PER_WEBHOOK) gate = true;
      if (!gate) return;
      for (const r of open) r.end();
      open.clear();
    });
    const cases = 40;
    const sent = new Map<string, string[]>();
    for (let i = 0; i < cases; i++) {
      const { reportId, caseId } = await reported(token);
      sent.set(caseId, (await publishCase(caseId, reportId, ['assigned'])).map((m) => m.id));
    }
    const got = await countAt(path, cases * 2);
    expect(most).toBe(PER_WEBHOOK);
    expect(got).toHaveLength(cases * 2);
    const byCase = new Map<string, string[]>();
    for (const r of got) {
      const event = JSON.parse(r.body) as { id: string; subject: string };
      byCase.set(event.subject, [...(byCase.get(event.subject) ?? []), event.id]);
    }
    expect(byCase).toEqual(sent);
  });

  it("holds back no other webhook's deliveries, its own client's either, while one webhook's receiver hangs and then fails", async () => {
    const slow = '/hook/slow-beside';
    const quick = '/hook/quick-beside';
    behaviour.set(slow, (n) => (n < PER_WEBHOOK ? 'hang' : 500));
    const token = await reportingClient('one slow webhook, one quick');
    const slowHook = await hookOn(token, slow);
    await hookOn(token, quick);
    // Each case goes to both webhooks: more than the slow one's cap, so it has one due to spare.
    const cases = PER_WEBHOOK + 2;
    const opened: string[] = [];
    for (let i = 0; i < cases; i++) {
      const { reportId, caseId } = await reported(token);
      opened.push((await publishCase(caseId, reportId))[0]!.id);
    }
    const got = await countAt(quick, cases);
    expect(got.map((r) => JSON.parse(r.body).id).sort()).toEqual([...opened].sort());
    // All the while the slow receiver holds its cap's worth, no more (the client's cap has room for one more).
    const slowHeld = () => hanging.filter((res) => res.req.url === slow);
    const held = await eventually('the slow webhook at its cap', () => (slowHeld().length >= PER_WEBHOOK ? slowHeld() : undefined));
    expect(held).toHaveLength(PER_WEBHOOK);
    expect(held.every((res) => !res.writableEnded)).toBe(true);
    expect(at(slow)).toHaveLength(PER_WEBHOOK);
    for (const res of held) {
      hanging.splice(hanging.indexOf(res), 1);
      res.statusCode = 500;
      res.end();
    }
    // Failing now, its deliveries wait for their retries; the quick one takes a new case at once.
    await countAt(slow, cases);
    const { reportId, caseId } = await reported(token);
    const [later] = await publishCase(caseId, reportId);
    await eventually('the new case delivered beside the failing webhook', () => (at(quick).some((r) => JSON.parse(r.body).id === later!.id) ? true : undefined));
    // Each failure is recorded once intake has read the 500, after the receiver saw the request.
    const slowDeliveries = await eventually('every failure of the slow webhook recorded', async () => {
      const items = await deliveries(token, slowHook);
      return opened.every((id) => items.find((d) => d.eventId === id)?.attempts.length) ? items : undefined;
    });
    expect(slowDeliveries.filter((d) => opened.includes(d.eventId)).map((d) => [d.status, d.attempts.map((a) => a.statusCode)])).toEqual(
      opened.map(() => ['pending', [500]]),
    );
  });

  it('shows the backlog: pending deliveries and the age of the oldest, queued apart from retrying', async () => {
    const path = '/hook/backlog';
    behaviour.set(path, (n) => (n === 0 ? 'hang' : 500));
    const { reportId, caseId } = await subscribed(path);
    await publishCase(caseId, reportId, ['assigned']);
    await countAt(path, 1);
    // Both are queued: the first is in flight, never answered, and the second waits behind it
    // (once intake has consumed the second event: the first can reach the receiver before that).
    await eventually('both queued', async () => ((await gauge('gridcase_webhook_deliveries_pending', 'queued'))! >= 2 ? true : undefined));
    clock.advance(600_000);
    expect(await gauge('gridcase_webhook_deliveries_oldest_pending_age_seconds', 'queued')).toBeGreaterThanOrEqual(600);
    const held = hanging.filter((res) => res.req.url === path);
    for (const res of held) {
      hanging.splice(hanging.indexOf(res), 1);
      res.statusCode = 500;
      res.end();
    }
    // Failed once, both wait on the receiver now: retrying, the oldest as old as their events.
    await eventually('both retrying', async () => ((await gauge('gridcase_webhook_deliveries_pending', 'retrying'))! >= 2 ? true : undefined));
    expect(await gauge('gridcase_webhook_deliveries_oldest_pending_age_seconds', 'retrying')).toBeGreaterThanOrEqual(600);
  });
});
