import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DataOf, type EventType, makeMessage, newId, STREAM_RESET_EVENT, TOPICS } from '@gridcase/contracts';
import { SCRAPE_READ_EVERY_MS } from '@gridcase/messaging';
import { ManualClock } from '@gridcase/service-kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureDeskPageBuilt } from '../../../infra/test/desk-page.ts';
import { ADMIN_TOKEN, bearer, eventually, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { openapiGaps } from '../../../infra/test/openapi.ts';
import { start } from '../src/main.ts';
import { STREAM_REFUSALS, STREAM_RESETS } from '../src/metrics.ts';

const T0 = new Date('2026-03-01T08:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('desk against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;
  let commandTopic: Awaited<ReturnType<typeof readTopic>>;
  const clock = new ManualClock(T0);
  let deskToken: string;
  let reporterToken: string;

  // Stands in for intake's revoked-token list, so a test can revoke a token.
  const revoked = new Set<string>();
  // And for the grids of grid workers' community clients, which follow their worker's grid.
  const workerGrids: Record<string, string[]> = {};
  // Requests for reporter data intake had: the desk asks once per command or page, whatever the case's reports.
  const reporterLookups: string[][] = [];
  const revocationServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://intake');
    if (url.pathname !== '/v1/reporters') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ clientIds: [...revoked], workerGrids }));
      return;
    }
    // And for intake's reporter data, by report id: `tip-…` is a tip's informant the caller may not know (left out, 403).
    const ids = (url.searchParams.get('reportIds') ?? '').split(',');
    reporterLookups.push(ids);
    const problem = (status: number, detail: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/problem+json', ...headers }).end(JSON.stringify({ status, detail }));
    // `down-…`: intake cannot answer for now.
    if (ids.some((id) => id.startsWith('down-'))) problem(500, 'intake is down');
    // `unknown-…`: a token for a client intake does not hold.
    else if (ids.some((id) => id.startsWith('unknown-'))) problem(401, 'the token names an unknown client');
    // `busy-…`: the caller's rate at intake is spent.
    else if (ids.some((id) => id.startsWith('busy-'))) problem(429, 'rate limit of 600 requests a minute reached', { 'retry-after': '37' });
    // `gone-…`: an intake without the lookup route (an older one mid-deploy) answers 404 for all of it.
    else if (ids.some((id) => id.startsWith('gone-'))) problem(404, 'Route GET:/v1/reporters not found');
    else {
      const person = (reportId: string) => ({ reportId, name: '李秀兰', phone: '13912345678', idNumber: null, email: null, anonymous: false, masked: false });
      const items = ids.filter((id) => !id.startsWith('tip-')).map(person);
      const leftOut = ids.filter((id) => id.startsWith('tip-')).map((reportId) => ({ reportId, status: 403 }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items, leftOut }));
    }
  });

  beforeAll(async () => {
    // Desk reads the built page when it starts.
    ensureDeskPageBuilt();
    await new Promise<void>((resolve) => revocationServer.listen(0, '127.0.0.1', resolve));
    const intakeUrl = `http://127.0.0.1:${(revocationServer.address() as AddressInfo).port}`;
    env = await isolatedEnv({
      DESK_PORT: '0',
      INTAKE_URL: intakeUrl,
      DESK_SSE_MAX_STREAMS: '4',
      DESK_SSE_MAX_STREAMS_PER_CLIENT: '2',
      DESK_SSE_RECHECK_MS: '50',
      DESK_SSE_REPLAY_LIMIT: '5',
      // Above what any other test here issues with one token in a minute.
      DESK_COMMAND_RATE_PER_MINUTE: '40',
    });
    service = await start(env, clock);
    producer = await testProducer(env);
    commandTopic = await readTopic(env, TOPICS.caseCommands);
    deskToken = service.rt.signer.issue({ clientId: 'desk-1', name: '值班员张', roles: ['desk'], stations: ['CG'] });
    reporterToken = service.rt.signer.issue({ clientId: 'sys-12345', name: '12345 hotline', roles: ['reporter'] });
  });
  afterAll(async () => {
    await producer?.disconnect();
    await commandTopic?.close();
    await service?.rt.shutdown('test done');
    revocationServer.close();
  });

  /** Plays the case of record: one case event onto gridcase.cases, keyed by case id. */
  async function emit<T extends EventType>(type: T, data: DataOf<T>, extra: { id?: string; headers?: Record<string, string> } = {}) {
    const caseId = (data as { caseId: string }).caseId;
    const message = makeMessage(type, { source: '/test', subject: caseId, data, ...(extra.id ? { id: extra.id } : {}) });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(message), extra.headers);
    return message;
  }

  type CaseOptions = { policeGrid?: string | null; minutes?: number; severity?: 'red' | 'yellow'; category?: string; location?: DataOf<'gridcase.case.opened.v1'>['location'] };
  /** The case.opened of a test case, routing not yet decided. */
  const emitOpened = (caseId: string, o: CaseOptions = {}) =>
    emit('gridcase.case.opened.v1', {
      caseId,
      caseNumber: `CG-2026-${caseId.slice(-6)}`,
      reportId: `r-${caseId}`,
      station: 'CG',
      kind: 'dispute',
      category: o.category ?? 'dispute.neighbour',
      severity: o.severity ?? 'yellow',
      title: '邻居吵架',
      description: '隔壁夫妻吵了一整夜，联系电话 13800000000',
      location: o.location ?? { gridCode: 'BHY-01' },
      respondBy: at(30),
      resolveBy: at(600),
      rule: 'test',
      openedAt: at(o.minutes ?? 0),
    });
  const openCase = (
    caseId: string,
    // policeGrid null: no grid took the case, and the case of record routed it to the duty desk leader.
    o: CaseOptions = {},
  ) =>
    emitOpened(caseId, o).then(() =>
      emit(
        'gridcase.case.assigned.v1',
        o.policeGrid === null
          ? { caseId, level: 0, assignees: [{ officerId: 'd-1', role: 'deskLeader', name: '值班长' }], routedBy: 'desk', reason: 'no grid for the location', at: at(1) }
          : {
              caseId,
              level: 0,
              assignees: [
                { officerId: 'o-wang', role: 'officer', name: '王彦军' },
                { officerId: `w-${caseId.slice(-4)}`, role: 'gridWorker', name: '小李' },
              ],
              policeGridCode: o.policeGrid ?? 'PG-01',
              gridCode: 'BHY-01',
              routedBy: 'gridCode',
              at: at(1),
            },
      ),
    );

  const get = (url: string, token = deskToken) => service.app.inject({ method: 'GET', url, headers: bearer(token) });
  const post = (url: string, payload: unknown = {}, headers: Record<string, string> = {}) =>
    service.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: { ...bearer(deskToken), ...headers } });

  /** Waits until GET /v1/cases/:id answers and `ready` holds for the case. */
  const projected = (caseId: string, ready: (c: Record<string, any>) => boolean = () => true, token = deskToken) =>
    eventually(`case ${caseId} projected`, async () => {
      const res = await get(`/v1/cases/${caseId}`, token);
      const body = res.statusCode === 200 ? res.json() : undefined;
      return body && ready(body) ? body : undefined;
    });

  /** Opens /v1/stream on an app and collects what it sends, until closed by either side. */
  async function openStream(app: typeof service.app, token: string) {
    const { port } = app.server.address() as AddressInfo;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/v1/stream?access_token=${encodeURIComponent(token)}`, { signal: abort.signal });
    const stream = { res, text: '', ended: false, close: () => abort.abort() };
    if (res.ok) {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      void (async () => {
        try {
          for (let r = await reader.read(); !r.done; r = await reader.read()) stream.text += r.value;
        } catch {
          // aborted by the test
        }
        stream.ended = true;
      })();
    }
    return stream;
  }

  const ids = (res: { json(): any }) => (res.json().items as { caseId: string }[]).map((c) => c.caseId);

  /** The stream series of this process's /metrics: `open`, and each refusal and reset by its reason (undefined: no such series). */
  const streamMetrics = async () => {
    const text = (await service.app.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    return {
      open: value('gridcase_desk_streams_open'),
      refused: Object.fromEntries(STREAM_REFUSALS.map((r) => [r, value(`gridcase_desk_streams_refused_total{reason="${r}"}`)])),
      resets: Object.fromEntries(STREAM_RESETS.map((r) => [r, value(`gridcase_desk_stream_resets_total{reason="${r}"}`)])),
    };
  };

  it('projects case.opened + case.assigned into the list, with assignees and a timeline; redelivery changes nothing', async () => {
    const caseId = newId();
    await openCase(caseId);
    const view = await projected(caseId, (c) => c.assignees.length === 2);
    // The same opened event again (a redelivery) must not add a timeline entry.
    const first = view.timeline[0];
    await producer.sendTo(
      TOPICS.cases,
      caseId,
      JSON.stringify({ specversion: '1.0', datacontenttype: 'application/json', source: '/test', subject: caseId, id: first.eventId, type: first.type, time: first.time, data: first.data }),
    );
    await emit('gridcase.case.report-merged.v1', { caseId, reportId: 'r-merged', reason: 'same place', mergedAt: at(3) });
    const after = await projected(caseId, (c) => c.reports.length === 2);

    expect(after).toMatchObject({
      caseId,
      caseNumber: `CG-2026-${caseId.slice(-6)}`,
      status: 'open',
      level: 0,
      category: 'dispute.neighbour',
      severity: 'yellow',
      policeGridCode: 'PG-01',
      respondBy: at(30),
      resolveBy: at(600),
      reports: [`r-${caseId}`, 'r-merged'],
    });
    expect(after.assignees).toEqual([
      { officerId: 'o-wang', role: 'officer', name: '王彦军' },
      { officerId: `w-${caseId.slice(-4)}`, role: 'gridWorker', name: '小李' },
    ]);
    expect(after.timeline.map((e: { type: string }) => e.type)).toEqual([
      'gridcase.case.opened.v1',
      'gridcase.case.assigned.v1',
      'gridcase.case.report-merged.v1',
    ]);

    const list = await get('/v1/cases?policeGrid=PG-01&status=open');
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((c: { caseId: string }) => c.caseId === caseId);
    expect(item).toMatchObject({ caseId, status: 'open', assignees: after.assignees });
    // Lists carry no free text from the reporter.
    expect(JSON.stringify(list.json())).not.toContain('13800000000');
    expect(item).not.toHaveProperty('description');
  });

  it('filters by grid, assignee, category, severity, level, overdue and dueWithin, by the injected clock', async () => {
    const grid = `PG-F-${newId().slice(-4)}`;
    const red = newId();
    const yellow = newId();
    await openCase(red, { policeGrid: grid, severity: 'red' });
    await openCase(yellow, { policeGrid: grid, minutes: 1 });
    await projected(red, (c) => c.assignees.length === 2);
    await projected(yellow, (c) => c.assignees.length === 2);

    expect(ids(await get(`/v1/cases?policeGrid=${grid}`)).sort()).toEqual([red, yellow].sort());
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&severity=red`))).toEqual([red]);
    // A comma list means any of them, as status's does.
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&severity=red,yellow`)).sort()).toEqual([red, yellow].sort());
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&assignee=w-${yellow.slice(-4)}`))).toEqual([yellow]);
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&category=hazard.fire`))).toEqual([]);
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&category=hazard.fire,dispute.neighbour`)).sort()).toEqual([red, yellow].sort());
    const emptyCode = await get(`/v1/cases?policeGrid=${grid}&category=hazard.fire,`);
    expect(emptyCode.statusCode).toBe(400);
    expect(emptyCode.json().errors).toEqual([{ path: 'querystring.category', message: expect.stringContaining('comma-separated') }]);
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&level=1`))).toEqual([]);
    // Levels take a comma list too (audit19 #10), and a level out of the ladder's range is named.
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&level=0,1`)).sort()).toEqual([red, yellow].sort());
    for (const bad of ['1,', '101', '-1', '01', 'a']) {
      const res = await get(`/v1/cases?policeGrid=${grid}&level=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().errors, bad).toEqual([{ path: 'querystring.level', message: 'level must be one or more whole numbers from 0 to 100, comma-separated' }]);
    }
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&grid=BHY-01&status=open,acknowledged`))).toHaveLength(2);

    clock.set(T0);
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&overdue=true`))).toEqual([]);
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&dueWithin=PT30M`))).toHaveLength(2);
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&dueWithin=PT10M`))).toEqual([]);
    // Weeks are ISO 8601 durations too (audit6 #13).
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&dueWithin=P1W`))).toHaveLength(2);
    clock.set(at(31));
    const overdue = await get(`/v1/cases?policeGrid=${grid}&overdue=true`);
    expect(ids(overdue)).toHaveLength(2);
    expect(overdue.json().items.every((c: { overdue: boolean }) => c.overdue)).toBe(true);
    expect(ids(await get(`/v1/cases?policeGrid=${grid}&overdue=false`))).toEqual([]);
    clock.set(T0);
  });

  it('pages with an opaque cursor, newest first, without repeats', async () => {
    const grid = `PG-P-${newId().slice(-4)}`;
    const made = [newId(), newId(), newId()];
    for (const [i, caseId] of made.entries()) await openCase(caseId, { policeGrid: grid, minutes: i });
    for (const caseId of made) await projected(caseId, (c) => c.assignees.length === 2);
    const first = await get(`/v1/cases?policeGrid=${grid}&limit=2`);
    expect(ids(first)).toEqual([made[2], made[1]]);
    const cursor = first.json().nextCursor as string;
    expect(cursor).toBeTruthy();
    const second = await get(`/v1/cases?policeGrid=${grid}&limit=2&cursor=${cursor}`);
    expect(ids(second)).toEqual([made[0]]);
    expect(second.json().nextCursor).toBeNull();
  });

  it('answers bad filters with 400 naming the field, unknown cases with 404, and no token with 401', async () => {
    const bad = await get('/v1/cases?status=pending');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain('querystring.status');
    for (const [query, field] of [
      ['limit=500', 'querystring.limit'],
      ['dueWithin=30min', 'querystring.dueWithin'],
      ['overdue=yes', 'querystring.overdue'],
      ['cursor=garbage', 'querystring.cursor'],
    ] as const) {
      const res = await get(`/v1/cases?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().errors.map((e: { path: string }) => e.path), query).toContain(field);
    }
    // Every bad filter in one answer: a cursor the desk never issued beside the schema's problems.
    const all = await get('/v1/cases?status=pending&limit=500&cursor=garbage');
    expect(all.statusCode).toBe(400);
    expect(all.json().errors.map((e: { path: string }) => e.path)).toEqual(['querystring.status', 'querystring.limit', 'querystring.cursor']);
    // Messages a person can read, not zod's own (audit6 #13).
    expect((await get('/v1/cases?limit=1.5')).json().errors).toEqual([{ path: 'querystring.limit', message: 'must be an integer' }]);
    expect((await get('/v1/cases?overdue=yes')).json().errors).toEqual([{ path: 'querystring.overdue', message: 'must be one of: true, false' }]);
    expect((await get('/v1/cases?grid=A&grid=B')).json().errors).toEqual([{ path: 'querystring.grid', message: 'given more than once; give it once' }]);
    // A window reaching past year 9999 is a question with an answer (now + window is kept inside what a date holds).
    const longWindow = await get('/v1/cases?dueWithin=P99999999W');
    expect(longWindow.statusCode).toBe(200);
    expect(longWindow.json().items).toEqual((await get('/v1/cases?dueWithin=P520W')).json().items);
    // Any instant is a bound; one whose UTC year leaves 0001–9999 is moved to the nearest, not a 500.
    const farAudit = await get(`/v1/audit?from=${encodeURIComponent('0001-01-01T00:00:00+08:00')}&to=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`, ADMIN_TOKEN);
    expect(farAudit.statusCode).toBe(200);
    expect(farAudit.json().items.length).toBeGreaterThan(0);
    expect((await post(`/v1/cases/${newId()}/resolve`, { outcome: 'mediated' })).json().errors).toEqual([{ path: 'note', message: 'required' }]);
    expect((await post(`/v1/cases/${newId()}/reopen`, { reason: '' })).json().errors).toEqual([{ path: 'reason', message: 'must not be empty' }]);
    const missing = await get(`/v1/cases/${newId()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ status: 404, title: 'Not Found' });
    expect((await service.app.inject({ method: 'GET', url: '/v1/cases' })).statusCode).toBe(401);
    expect((await service.app.inject({ method: 'POST', url: `/v1/cases/${newId()}/acknowledge` })).statusCode).toBe(401);
    expect((await get('/v1/cases', reporterToken)).statusCode).toBe(403);
    expect((await service.app.inject({ method: 'GET', url: '/v1/stream' })).statusCode).toBe(401);
  });

  it('answers 429 with Retry-After to a client past its commands a minute, and counts each client apart, the admin token not at all (audit18 #7)', async () => {
    const flood = service.rt.signer.issue({ clientId: 'flood-1', name: 'flood', roles: ['desk'], stations: ['CG'] });
    const note = (token: string) => service.app.inject({ method: 'POST', url: `/v1/cases/${newId()}/notes`, payload: { text: '备注' }, headers: bearer(token) });
    for (let i = 0; i < 40; i++) expect((await note(flood)).statusCode).not.toBe(429);
    const refused = await note(flood);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ status: 429, detail: expect.stringMatching(/^over 40 requests per minute; retry in /) });
    expect((await note(deskToken)).statusCode).not.toBe(429);
    expect((await note(ADMIN_TOKEN)).statusCode).not.toBe(429);
  });

  it("audits each read of one case (its description may hold a name or a phone), and each refused read, with nothing of the case; lists are not audited", async () => {
    const caseId = newId();
    await openCase(caseId);
    await projected(caseId);
    const auditor = service.rt.signer.issue({ clientId: `auditor-${caseId}`, name: '审计', roles: ['desk'], stations: ['CG'] });
    const missing = newId();
    expect((await get(`/v1/cases/${caseId}`, auditor)).statusCode).toBe(200);
    expect((await get('/v1/cases', auditor)).statusCode).toBe(200);
    expect((await get(`/v1/cases/${missing}`, auditor)).statusCode).toBe(404);
    const outsider = service.rt.signer.issue({ clientId: `sys-${caseId}`, name: 'a sender', roles: ['reporter'] });
    expect((await get(`/v1/cases/${caseId}`, outsider)).statusCode).toBe(403);

    const entries = async (actor: string) => {
      const res = await get(`/v1/audit?actor=${actor}`, ADMIN_TOKEN);
      expect(res.statusCode).toBe(200);
      return res.json().items as { actor: string; action: string; target: string; before: unknown; after: unknown }[];
    };
    const read = await entries(`auditor-${caseId}`);
    expect(read.map(({ actor, action, target, before, after }) => ({ actor, action, target, before, after }))).toEqual([
      { actor: `auditor-${caseId}`, action: 'case.read', target: `case:${caseId}`, before: null, after: { outcome: 'read' } },
      { actor: `auditor-${caseId}`, action: 'case.read', target: `case:${missing}`, before: null, after: { outcome: 'refused', status: 404 } },
    ]);
    expect(JSON.stringify(read)).not.toContain('13800000000');
    expect(await entries(`sys-${caseId}`)).toEqual([
      expect.objectContaining({ action: 'case.read', target: `case:${caseId}`, after: { outcome: 'refused', status: 403 } }),
    ]);
  });

  it('shows where the case is, as its first report gave it; a tip withholds its address and point from a community token', async () => {
    const caseId = newId();
    const location = { address: '不存在的路99号', gridCode: 'BHY-01', communityCode: 'baoheyuan', lat: 38.26, lng: 101.93 };
    await openCase(caseId, { location });
    expect((await projected(caseId)).location).toEqual(location);
    // Only an address: the rest is null, and nothing of the reporter.
    const bare = newId();
    await openCase(bare, { location: { address: '宝河苑3栋' } });
    const view = await projected(bare);
    expect(view.location).toEqual({ address: '宝河苑3栋', gridCode: null, communityCode: null, lat: null, lng: null });
    expect(Object.keys(view)).not.toContain('reporter');

    const tip = newId();
    await openCase(tip, { category: 'tip.fraud', location });
    const worker = service.rt.signer.issue({ clientId: `grid-${tip}`, name: '小李', officerId: 'w-x', roles: ['community'], stations: ['CG'], grids: ['BHY-01'] });
    const seen = await projected(tip, () => true, worker);
    expect(seen.redacted).toContain('description');
    expect(seen.location).toEqual({ address: null, gridCode: 'BHY-01', communityCode: 'baoheyuan', lat: null, lng: null });
    const opened = seen.timeline.find((e: { type: string }) => e.type === 'gridcase.case.opened.v1');
    expect(opened.data.location).toEqual({ gridCode: 'BHY-01', communityCode: 'baoheyuan' });
    expect(JSON.stringify(seen)).not.toContain('不存在的路');
    // The same token sees an ordinary case's address.
    expect((await projected(caseId, () => true, worker)).location.address).toBe('不存在的路99号');

    // A report merged into the tip: its words show on the timeline entry for the desk, withheld from the
    // community token like the case's description.
    await emit('gridcase.case.report-merged.v1', {
      caseId: tip,
      reportId: `r2-${tip}`,
      reason: 'same kind and place',
      mergedAt: at(3),
      title: '举报王五在302室放贷',
      description: '王五又在302室收高利贷',
    });
    const mergedEntry = (view: { timeline: { type: string; data: Record<string, unknown> }[] }) =>
      view.timeline.find((e) => e.type === 'gridcase.case.report-merged.v1')!.data;
    const byDesk = await projected(tip, (c) => c.reports.length === 2);
    expect(mergedEntry(byDesk)).toMatchObject({ title: '举报王五在302室放贷', description: '王五又在302室收高利贷' });
    const byWorker = await projected(tip, (c) => c.reports.length === 2, worker);
    expect(mergedEntry(byWorker)).toMatchObject({ title: null, description: null });
    expect(JSON.stringify(byWorker)).not.toContain('王五');

    // A partial case (its case.opened lost) has no location.
    const partial = newId();
    await emit('gridcase.case.assigned.v1', { caseId: partial, level: 0, assignees: [], policeGridCode: 'PG-01', gridCode: 'BHY-01', routedBy: 'gridCode', at: at(1) });
    expect((await projected(partial, () => true, ADMIN_TOKEN)).location).toBeNull();
  });

  it("withholds a tip's title and every note and reason from a community token, in the view, the list, the map and the stream (audit6 #5)", async () => {
    const tip = newId();
    await openCase(tip, { category: 'tip.drugs', location: { gridCode: 'BHY-01', address: '宝河苑5栋302', lat: 38.26, lng: 101.93 } });
    await projected(tip, (c) => c.assignees.length === 2);
    const worker = service.rt.signer.issue({ clientId: `grid-${tip}`, name: '小李', officerId: 'w-x', roles: ['community'], stations: ['CG'], grids: ['BHY-01'] });
    const stream = await openStream(service.app, worker);
    expect(stream.res.status).toBe(200);
    try {
      const by = { clientId: 'c-wang', name: '王彦军', officerId: 'o-wang' };
      const events = [
        await emit('gridcase.case.note-added.v1', { caseId: tip, commandId: newId(), text: '线人赵六说302室晚上有人赌博', by, at: at(5) }),
        await emit('gridcase.case.acknowledged.v1', { caseId: tip, commandId: newId(), note: '已联系举报人赵六 13700003333', by, at: at(6) }),
        await emit('gridcase.case.extension-requested.v1', { caseId: tip, commandId: newId(), by, until: at(900), reason: '需约见举报人赵六', at: at(7) }),
        await emit('gridcase.case.held.v1', { caseId: tip, commandId: newId(), by, reason: '等待线人赵六回电', fromStatus: 'acknowledged', at: at(8) }),
      ];
      const secrets = ['赵六', '邻居吵架', '13800000000', '宝河苑'];
      const clean = (v: unknown) => {
        for (const s of secrets) expect(JSON.stringify(v)).not.toContain(s);
      };

      // The desk sees it all.
      const full = await projected(tip, (c) => c.hold !== null && c.extension !== null && c.timeline.length === 6);
      expect(full).toMatchObject({ title: '邻居吵架', hold: { reason: '等待线人赵六回电' }, extension: { reason: '需约见举报人赵六' } });
      expect(full.timeline.map((e: { note: string | null }) => e.note)).toContain('已联系举报人赵六 13700003333');

      const view = await projected(tip, (c) => c.timeline.length === 6, worker);
      clean(view);
      expect(view).toMatchObject({ title: null, description: null, redacted: ['description', 'reporter'], hold: { reason: null }, extension: { reason: null } });
      // Who did what, and when, stay.
      const ack = view.timeline.find((e: { type: string }) => e.type === 'gridcase.case.acknowledged.v1');
      expect(ack).toMatchObject({ note: null, reason: null, at: at(6), actor: { clientId: 'c-wang', officerId: 'o-wang' }, data: { note: null } });

      const listed = (await get('/v1/cases?grid=BHY-01&limit=200', worker)).json().items.find((c: { caseId: string }) => c.caseId === tip);
      clean(listed);
      expect(listed).toMatchObject({ title: null, redacted: ['description', 'reporter'] });

      const mapped = (await get('/v1/map', worker)).json().items.find((c: { caseId: string }) => c.caseId === tip);
      clean(mapped);
      expect(mapped).toMatchObject({ title: null, point: null, redacted: ['description', 'reporter'] });
      expect((await get('/v1/map')).json().items.find((c: { caseId: string }) => c.caseId === tip)).toMatchObject({ title: '邻居吵架', point: { lat: 38.26 } });

      const last = events.at(-1)!.id;
      await eventually('the tip events streamed', () => (stream.text.includes(`id: ${last}\n`) ? true : undefined));
      const frames = stream.text.split('\n\n').filter((f) => events.some((e) => f.includes(`id: ${e.id}\n`)));
      expect(frames).toHaveLength(events.length);
      for (const f of frames) {
        clean(f);
        expect(JSON.parse(/^data: (.*)$/m.exec(f)![1]!).redacted).toEqual(['description', 'reporter']);
      }
    } finally {
      stream.close();
    }
  });

  it("streams a case's opening to its grid's community token live, though case.opened named no grid; never another grid's (audit14 #5)", async () => {
    const mine = newId();
    const other = newId();
    const worker = service.rt.signer.issue({ clientId: `grid-${mine}`, name: '小李', officerId: 'w-x', roles: ['community'], stations: ['CG'], grids: ['BHY-01'] });
    const stream = await openStream(service.app, worker);
    expect(stream.res.status).toBe(200);
    try {
      await eventually('stream connected', () => (stream.text.includes(': connected') ? true : undefined));
      const opening = (caseId: string) => emitOpened(caseId, { location: { address: '宝河苑5栋', lat: 38.26, lng: 101.93 } });
      const routing = (caseId: string, gridCode: string) =>
        emit('gridcase.case.assigned.v1', {
          caseId,
          level: 0,
          assignees: [{ officerId: 'w-x', role: 'gridWorker', name: '小李' }],
          policeGridCode: 'PG-01',
          gridCode,
          routedBy: 'gridCode',
          at: at(1),
        });
      const opened = [await opening(mine), await opening(other)];
      // Projected (and so streamed) while neither case has a grid yet: routing comes later.
      await projected(mine);
      await projected(other);
      const routed = [await routing(other, 'XYZ-09'), await routing(mine, 'BHY-01')];
      const note = await emit('gridcase.case.note-added.v1', { caseId: mine, commandId: newId(), text: '已到现场', by: { clientId: 'c-1' }, at: at(2) });

      await eventually('the grid case streamed', () => (stream.text.includes(`id: ${note.id}\n`) ? true : undefined));
      const ours = new Set([...opened, ...routed, note].map((e) => e.id));
      const ids = [...stream.text.matchAll(/^id: (.*)$/gm)].map((m) => m[1]).filter((id) => ours.has(id!));
      expect(ids).toEqual([opened[0]!.id, routed[1]!.id, note.id]);
      expect(stream.text).not.toContain(other);
    } finally {
      stream.close();
    }
  });

  it('masks the numbers staff write in a note: on gridcase.case-commands, in the timeline, and for a community token (audit11 #2)', async () => {
    const caseId = newId();
    await openCase(caseId);
    await projected(caseId, (c) => c.assignees.length === 2);
    const res = await post(`/v1/cases/${caseId}/notes`, { text: '张三说还在吵，电话13800138000' });
    expect(res.statusCode).toBe(202);
    const [record] = await commandTopic.waitFor('note command', (r) => r.message?.id === res.json().commandId);
    expect(JSON.stringify(record!.message)).not.toContain('13800138000');
    expect(record!.message).toMatchObject({ type: 'gridcase.case-command.note.v1', data: { text: '张三说还在吵，电话138****8000' } });

    // Play assignment: the note as the command carries it. And a note written before the desk masked notes.
    const by = { clientId: 'desk-1', name: '值班员张' };
    const { text } = record!.message!.data as { text: string };
    await emit('gridcase.case.note-added.v1', { caseId, commandId: res.json().commandId, text, by, at: at(5) });
    await emit('gridcase.case.note-added.v1', { caseId, commandId: newId(), text: '旧记录：李四 13900001111', by, at: at(6) });
    const notes = (c: Record<string, any>) => c.timeline.filter((e: { type: string }) => e.type === 'gridcase.case.note-added.v1').map((e: { note: string }) => e.note);

    const view = await projected(caseId, (c) => notes(c).length === 2);
    expect(notes(view)).toEqual(['张三说还在吵，电话138****8000', '旧记录：李四 13900001111']);
    const worker = service.rt.signer.issue({ clientId: `grid-${caseId}`, name: '小李', officerId: 'w-x', roles: ['community'], stations: ['CG'], grids: ['BHY-01'] });
    const seen = await projected(caseId, (c) => notes(c).length === 2, worker);
    expect(notes(seen)).toEqual(['张三说还在吵，电话138****8000', '旧记录：李四 139****1111']);
    expect(JSON.stringify(seen.timeline)).not.toMatch(/13800138000|13900001111/);
  });

  it("masks the names of the case's reporters, read from intake, in a note: on gridcase.case-commands and in the timeline (audit13 #1)", async () => {
    const caseId = newId();
    await openCase(caseId);
    // A report whose informant this caller may not know (403, left out by intake): the first report's
    // reporter, 李秀兰, is still masked, and the command goes.
    await emit('gridcase.case.report-merged.v1', { caseId, reportId: `tip-${caseId}`, reason: 'same place', mergedAt: at(2) });
    await projected(caseId, (c) => c.assignees.length === 2 && c.reports.length === 2);
    const res = await post(`/v1/cases/${caseId}/notes`, { text: '已电话联系李秀兰 13912345678，李-秀-蘭说还在吵' });
    expect(res.statusCode, res.body).toBe(202);
    const [record] = await commandTopic.waitFor('note command', (r) => r.message?.id === res.json().commandId);
    expect(JSON.stringify(record!.message)).not.toMatch(/李秀兰|13912345678/);
    expect(record!.message).toMatchObject({ type: 'gridcase.case-command.note.v1', data: { text: '已电话联系李** 139****5678，李**说还在吵' } });

    // Play assignment: the note as the command carries it.
    const { text } = record!.message!.data as { text: string };
    await emit('gridcase.case.note-added.v1', { caseId, commandId: res.json().commandId, text, by: { clientId: 'desk-1', name: '值班员张' }, at: at(5) });
    const view = await projected(caseId, (c) => c.timeline.some((e: { type: string }) => e.type === 'gridcase.case.note-added.v1'));
    expect(view.timeline.find((e: { type: string }) => e.type === 'gridcase.case.note-added.v1').note).toBe('已电话联系李** 139****5678，李**说还在吵');

    // A token intake refuses (401: a client it does not hold) names no one; the command still goes, its numbers masked.
    const refused = newId();
    await openCase(refused);
    await emit('gridcase.case.report-merged.v1', { caseId: refused, reportId: `unknown-${refused}`, reason: 'same place', mergedAt: at(3) });
    await projected(refused, (c) => c.reports.length === 2);
    const goes = await post(`/v1/cases/${refused}/notes`, { text: '电话13912345678' });
    expect(goes.statusCode, goes.body).toBe(202);
  });

  it('answers 503 with Retry-After naming intake, and sends nothing, when intake cannot say whose names to mask in a note (audit13 #1)', async () => {
    const caseId = newId();
    await openCase(caseId);
    await emit('gridcase.case.report-merged.v1', { caseId, reportId: `down-${caseId}`, reason: 'same place', mergedAt: at(2) });
    await projected(caseId, (c) => c.assignees.length === 2 && c.reports.length === 2);
    const res = await post(`/v1/cases/${caseId}/notes`, { text: '已电话联系李秀兰' });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.json().detail).toMatch(/^intake did not answer/);
    expect(res.body).not.toContain('李秀兰');
    // A command without text needs no names: it goes.
    expect((await post(`/v1/cases/${caseId}/acknowledge`, {})).statusCode).toBe(202);

    // An intake that has no lookup route (404 for the whole of it) is not "no reporters": nothing is sent.
    const gone = newId();
    await openCase(gone);
    await emit('gridcase.case.report-merged.v1', { caseId: gone, reportId: `gone-${gone}`, reason: 'same place', mergedAt: at(2) });
    await projected(gone, (c) => c.reports.length === 2);
    const unread = await post(`/v1/cases/${gone}/notes`, { text: '已电话联系李秀兰' });
    expect(unread.statusCode, unread.body).toBe(503);
    expect(unread.json().detail).toMatch(/^intake did not answer/);
    expect((await get(`/v1/cases/${gone}/reporters`)).statusCode).toBe(503);
  });

  it("asks intake once per command for a case's reporters, whatever its reports, and passes on intake's 429 with its Retry-After (audit25 #1)", async () => {
    const caseId = newId();
    await openCase(caseId);
    for (let i = 0; i < 15; i++) await emit('gridcase.case.report-merged.v1', { caseId, reportId: `m${i}-${caseId}`, reason: 'same place', mergedAt: at(2) });
    await projected(caseId, (c) => c.reports.length === 16);
    const before = reporterLookups.length;
    const res = await post(`/v1/cases/${caseId}/notes`, { text: '已电话联系李秀兰' });
    expect(res.statusCode, res.body).toBe(202);
    expect(reporterLookups.slice(before)).toEqual([[`r-${caseId}`, ...Array.from({ length: 15 }, (_, i) => `m${i}-${caseId}`)]]);
    const reporters = await get(`/v1/cases/${caseId}/reporters`);
    expect(reporters.json().items).toHaveLength(16);
    expect(reporterLookups.length - before).toBe(2);

    const busy = newId();
    await openCase(busy);
    await emit('gridcase.case.report-merged.v1', { caseId: busy, reportId: `busy-${busy}`, reason: 'same place', mergedAt: at(2) });
    await projected(busy, (c) => c.reports.length === 2);
    const refused = await post(`/v1/cases/${busy}/notes`, { text: '已电话联系李秀兰' });
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.headers['retry-after']).toBe('37');
    expect(refused.json().detail).toBe(`/v1/reporters refused this token for now, its rate at http://127.0.0.1:${(revocationServer.address() as AddressInfo).port} spent: rate limit of 600 requests a minute reached`);
  });

  it("leaves out the reporter of a report whose informant intake refuses this caller (403), showing the others (audit6 #12)", async () => {
    const caseId = newId();
    await openCase(caseId);
    await emit('gridcase.case.report-merged.v1', { caseId, reportId: `tip-${caseId}`, reason: 'same place', mergedAt: at(3) });
    await projected(caseId, (c) => c.reports.length === 2);
    const res = await get(`/v1/cases/${caseId}/reporters`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ caseId, items: [expect.objectContaining({ reportId: `r-${caseId}`, name: '李秀兰' })] });
  });

  it('finds a case by its number (exact, any letter case) or by q: a case number start, a case id or a report id', async () => {
    const caseId = newId();
    await openCase(caseId);
    await projected(caseId);
    const number = `CG-2026-${caseId.slice(-6)}`;
    const ids = async (query: string) => {
      const res = await get(`/v1/cases?${query}&limit=200`);
      expect(res.statusCode).toBe(200);
      return res.json().items.map((c: { caseId: string }) => c.caseId);
    };
    expect(await ids(`caseNumber=${number.toLowerCase()}`)).toEqual([caseId]);
    expect(await ids(`caseNumber=${number.slice(0, -1)}`)).toEqual([]);
    expect(await ids(`q=${encodeURIComponent(number.slice(0, -1).toLowerCase())}`)).toContain(caseId);
    expect(await ids(`q=${encodeURIComponent(` ${number} `)}`)).toEqual([caseId]);
    expect(await ids(`q=${caseId}`)).toEqual([caseId]);
    expect(await ids(`q=r-${caseId}`)).toEqual([caseId]);
    // LIKE's wildcards are letters here, not patterns.
    expect(await ids('q=%25')).toEqual([]);
    expect(await ids('q=CG_2026')).toEqual([]);
    const bad = await get('/v1/cases?q=&caseNumber=');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['querystring.caseNumber', 'querystring.q']);
  });

  it('sends a command: 202 and the command on gridcase.case-commands keyed by case id, with the trace', async () => {
    const caseId = newId();
    await openCase(caseId);
    await projected(caseId, (c) => c.assignees.length === 2);
    const res = await post(`/v1/cases/${caseId}/acknowledge`, {}, { traceparent: TRACEPARENT });
    expect(res.statusCode).toBe(202);
    const { commandId } = res.json();
    const [record] = await commandTopic.waitFor('acknowledge command', (r) => r.message?.id === commandId);
    expect(record!.key).toBe(caseId);
    expect(record!.headers.traceparent).toBe(TRACEPARENT);
    expect(record!.message).toMatchObject({
      type: 'gridcase.case-command.acknowledge.v1',
      subject: caseId,
      data: { commandId, caseId, by: { clientId: 'desk-1', name: '值班员张' } },
    });

    const note = await post(`/v1/cases/${caseId}/notes`, { text: '已电话联系当事人' });
    expect(note.statusCode).toBe(202);
    const [noteRecord] = await commandTopic.waitFor('note command', (r) => r.message?.id === note.json().commandId);
    expect(noteRecord!.message).toMatchObject({ type: 'gridcase.case-command.note.v1', data: { text: '已电话联系当事人' } });

    const badBody = await post(`/v1/cases/${caseId}/resolve`, { outcome: 'fixed' });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().errors.map((e: { path: string }) => e.path)).toContain('outcome');
    // A bad case id, a bad wait and a bad body are named together, not the case id alone.
    const badAll = await post(`/v1/cases/${'x'.repeat(65)}/resolve?wait=maybe`, { outcome: 'fixed', note: 7 });
    expect(badAll.statusCode).toBe(400);
    expect(badAll.json().errors.map((e: { path: string }) => e.path)).toEqual(['params.caseId', 'querystring.wait', 'outcome', 'note']);
    expect((await post(`/v1/cases/${newId()}/acknowledge`)).statusCode).toBe(404);
  });

  it('takes a retried command under its Idempotency-Key as the same command: the same id, its outcome, nothing sent twice (audit14 #6)', async () => {
    const caseId = newId();
    await openCase(caseId);
    await projected(caseId, (c) => c.assignees.length === 2);
    const key = { 'idempotency-key': `ack-${caseId}` };
    // Two at once (a client that retried before the first answer came) and one after: one command.
    const [first, concurrent] = await Promise.all([post(`/v1/cases/${caseId}/acknowledge`, { note: '已联系' }, key), post(`/v1/cases/${caseId}/acknowledge`, { note: '已联系' }, key)]);
    expect([first.statusCode, concurrent.statusCode]).toEqual([202, 202]);
    const { commandId } = first.json();
    expect(concurrent.json()).toEqual({ commandId });
    // Play assignment: the case is acknowledged by that command.
    const [record] = await commandTopic.waitFor('keyed acknowledge', (r) => r.message?.id === commandId);
    const command = record!.message!.data as DataOf<'gridcase.case-command.acknowledge.v1'>;
    await emit('gridcase.case.acknowledged.v1', { caseId, commandId, by: command.by, at: at(5) });
    await projected(caseId, (c) => c.status === 'acknowledged');

    // The retry after it applied gets the first request's answer, not "already acknowledged"; with ?wait=true the case.
    const retry = await post(`/v1/cases/${caseId}/acknowledge`, { note: '已联系' }, key);
    expect(retry.statusCode, retry.body).toBe(202);
    expect(retry.json()).toEqual({ commandId });
    const waited = await post(`/v1/cases/${caseId}/acknowledge?wait=true`, { note: '已联系' }, key);
    expect(waited.statusCode, waited.body).toBe(200);
    expect(waited.json()).toMatchObject({ caseId, status: 'acknowledged' });
    // Without the key the same request is a new command, refused by the case's state.
    expect((await post(`/v1/cases/${caseId}/acknowledge`, { note: '已联系' })).statusCode).toBe(409);

    // The key sent with another request is refused, naming the command it holds.
    const other = await post(`/v1/cases/${caseId}/notes`, { text: '另一条' }, key);
    expect(other.statusCode).toBe(409);
    expect(other.json().detail).toContain(`this Idempotency-Key was used for another request (command ${commandId}`);
    // Keys are per client: another desk user's same key is its own.
    const colleague = service.rt.signer.issue({ clientId: `colleague-${caseId}`, name: '值班员李', roles: ['desk'], stations: ['CG'] });
    const theirs = await post(`/v1/cases/${caseId}/notes`, { text: '另一条' }, { ...bearer(colleague), ...key });
    expect(theirs.statusCode).toBe(202);
    expect(theirs.json().commandId).not.toBe(commandId);
    // A key that is no key: 400 naming the header.
    const bad = await post(`/v1/cases/${caseId}/notes`, { text: '另一条' }, { 'idempotency-key': 'has spaces in it' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: 'headers.idempotency-key', message: 'must be visible ASCII characters (e.g. a UUID)' }]);

    await commandTopic.waitFor('the colleague note', (r) => r.message?.id === theirs.json().commandId);
    const acks = commandTopic.records.filter((r) => r.key === caseId && r.message?.type === 'gridcase.case-command.acknowledge.v1');
    expect(acks.map((r) => r.message?.id)).toEqual([commandId]);
  });

  it('with ?wait=true answers 200 with the case once the case of record applies the command', async () => {
    const caseId = newId();
    await openCase(caseId);
    await projected(caseId, (c) => c.assignees.length === 2);
    // The answer carries the case with its description: audited as a read, for whoever sent the command.
    const waiter = service.rt.signer.issue({ clientId: `waiter-${caseId}`, name: '值班员', roles: ['desk'], stations: ['CG'] });
    const pending = post(`/v1/cases/${caseId}/acknowledge?wait=true`, {}, bearer(waiter));
    // Play assignment: take the command off the topic and answer with the event that carries its id.
    const [record] = await commandTopic.waitFor(
      'acknowledge command to play',
      (r) => r.key === caseId && r.message?.type === 'gridcase.case-command.acknowledge.v1',
    );
    const command = record!.message!.data as DataOf<'gridcase.case-command.acknowledge.v1'>;
    await emit('gridcase.case.acknowledged.v1', { caseId, commandId: command.commandId, by: command.by, at: at(5) });
    const res = await pending;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ caseId, status: 'acknowledged', acknowledgedAt: at(5) });
    expect(res.json().timeline.at(-1)).toMatchObject({ type: 'gridcase.case.acknowledged.v1', data: { commandId: command.commandId } });
    const audited = (await get(`/v1/audit?actor=waiter-${caseId}`, ADMIN_TOKEN)).json().items;
    expect(audited).toEqual([expect.objectContaining({ action: 'case.read', target: `case:${caseId}`, before: null, after: { outcome: 'read' } })]);

    // A second acknowledge is refused by the desk itself, naming the state; sent with no body at
    // all (acknowledge's body is optional), it still reaches that check rather than a 400.
    const again = await service.app.inject({ method: 'POST', url: `/v1/cases/${caseId}/acknowledge`, headers: bearer(deskToken) });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('acknowledged');
  });

  it('answers 409 with the reason when the case of record rejects a waited command', async () => {
    const caseId = newId();
    await openCase(caseId);
    await projected(caseId, (c) => c.assignees.length === 2);
    const pending = post(`/v1/cases/${caseId}/reassign?wait=true`, { officerIds: ['o-nobody'] });
    const [record] = await commandTopic.waitFor('reassign command', (r) => r.key === caseId && r.message?.type === 'gridcase.case-command.reassign.v1');
    const commandId = record!.message!.id;
    await emit('gridcase.case.command-rejected.v1', { caseId, commandId, command: 'reassign', reason: 'unknown officer o-nobody', at: at(6) });
    const res = await pending;
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('unknown officer o-nobody');
  });

  it('refuses to resolve a resolved case and to reopen an open one (409 naming the state)', async () => {
    const caseId = newId();
    await openCase(caseId);
    await emit('gridcase.case.resolved.v1', { caseId, commandId: newId(), outcome: 'mediated', note: '调解成功', by: { clientId: 'o-wang' }, at: at(20) });
    await projected(caseId, (c) => c.status === 'resolved');
    const res = await post(`/v1/cases/${caseId}/resolve`, { outcome: 'resolved', note: '再次办结' });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toContain('resolved');

    const open = newId();
    await openCase(open);
    await projected(open);
    const reopen = await post(`/v1/cases/${open}/reopen`, { reason: 'x' });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().detail).toContain('open');
  });

  describe('the life of a case', () => {
    const owner = { clientId: 'c-wang', name: '王彦军', officerId: 'o-wang', roles: ['officer' as const] };
    const supervisor = { clientId: 'sup-1', name: '所长', officerId: 'o-chief', roles: ['supervisor' as const] };
    const tokenOf = (p: typeof owner | typeof supervisor) => service.rt.signer.issue({ ...p, stations: ['CG'] });
    const postAs = (token: string, url: string, payload: unknown = {}) =>
      service.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: bearer(token) });
    type Kind = 'respond' | 'resolve' | 'verify' | 'follow-up';
    const deadlinesSet = (caseId: string, version: number, running: { kind: Kind; dueAt: string }[], cleared?: Kind[]) =>
      emit('gridcase.case.deadlines-set.v1', { caseId, version, level: 0, running: running.map((r) => ({ ...r, startedAt: at(0) })), cleared, at: at(version) });
    const commandsFor = async (caseId: string) =>
      Number((await service.rt.pool.query<{ n: string }>('select count(*) as n from desk.commands where case_id = $1', [caseId])).rows[0]!.n);

    it('projects verifyBy, followUpBy, hold, extension, rework, warnings and a timeline with actor and note', async () => {
      const caseId = newId();
      await openCase(caseId);
      await deadlinesSet(caseId, 1, [{ kind: 'respond', dueAt: at(30) }, { kind: 'resolve', dueAt: at(600) }]);
      await emit('gridcase.case.acknowledged.v1', { caseId, commandId: newId(), by: owner, note: '已到现场', at: at(5) });
      await deadlinesSet(caseId, 2, [{ kind: 'resolve', dueAt: at(600) }]);
      await emit('gridcase.case.deadline-warning.v1', { caseId, kind: 'resolve', dueAt: at(600), version: 2, at: at(450) });
      await emit('gridcase.case.extension-requested.v1', { caseId, commandId: newId(), by: owner, until: at(900), reason: '需协调物业', at: at(460) });
      await emit('gridcase.case.extension-approved.v1', { caseId, commandId: newId(), by: supervisor, until: at(900), at: at(470) });
      await deadlinesSet(caseId, 3, [{ kind: 'resolve', dueAt: at(900) }]);
      const extended = await projected(caseId, (c) => c.extension?.status === 'approved' && c.resolveBy === at(900));
      expect(extended.extension).toEqual({ until: at(900), reason: '需协调物业', status: 'approved' });
      // An older version arriving late changes nothing.
      await deadlinesSet(caseId, 2, [{ kind: 'resolve', dueAt: at(600) }]);
      await emit('gridcase.case.resolved.v1', { caseId, commandId: newId(), outcome: 'mediated', note: '调解成功', by: owner, at: at(500) });
      await deadlinesSet(caseId, 4, [{ kind: 'verify', dueAt: at(3000) }]);
      await emit('gridcase.case.verified.v1', { caseId, commandId: newId(), by: supervisor, result: 'failed', note: '未真正解决', status: 'acknowledged', reworkCount: 1, at: at(510) });
      // Rework ends the verify round: the case of record names the clock cleared.
      await deadlinesSet(caseId, 5, [{ kind: 'resolve', dueAt: at(2000) }], ['verify']);
      const view = await projected(caseId, (c) => c.timeline.length === 14);
      expect(view).toMatchObject({
        status: 'acknowledged',
        reworkCount: 1,
        warnings: 1,
        resolveBy: at(2000),
        verifyBy: null,
        followUpBy: null,
        hold: null,
        // The rework's new round has a fresh resolve budget: the last round's extension no longer applies.
        extension: null,
        relapse: false,
        relatedCaseIds: [],
        resolvedAt: null,
      });
      const ack = view.timeline.find((e: { type: string }) => e.type === 'gridcase.case.acknowledged.v1');
      expect(ack).toMatchObject({ at: at(5), actor: { clientId: 'c-wang', name: '王彦军', officerId: 'o-wang' }, note: '已到现场', reason: null });
      expect(ack.actor).not.toHaveProperty('roles');
      expect(view.timeline.find((e: { type: string }) => e.type === 'gridcase.case.extension-requested.v1')).toMatchObject({ reason: '需协调物业' });

      // 挂账: no clock runs, so the case is never overdue while held, even past every deadline.
      await emit('gridcase.case.held.v1', { caseId, commandId: newId(), by: supervisor, reason: '等待司法鉴定', fromStatus: 'acknowledged', at: at(520) });
      await deadlinesSet(caseId, 6, []);
      const held = await projected(caseId, (c) => c.status === 'on-hold' && c.timeline.length === 16);
      expect(held.hold).toEqual({ since: at(520), reason: '等待司法鉴定' });
      clock.set(at(5000));
      try {
        expect((await get(`/v1/cases/${caseId}`)).json().overdue).toBe(false);
        expect(ids(await get('/v1/cases?overdue=true&status=on-hold'))).not.toContain(caseId);
        await emit('gridcase.case.resumed.v1', { caseId, commandId: newId(), by: supervisor, status: 'acknowledged', heldMs: 60_000, at: at(521) });
        await projected(caseId, (c) => c.status === 'acknowledged' && c.hold === null);
        expect((await get(`/v1/cases/${caseId}`)).json().overdue).toBe(true);
        expect(ids(await get('/v1/cases?overdue=true&status=acknowledged'))).toContain(caseId);
      } finally {
        clock.set(T0);
      }
    });

    it('answers 403 for an actor who may not and 409 for a state that forbids, saying why, and sends nothing', async () => {
      const caseId = newId();
      await openCase(caseId);
      await projected(caseId, (c) => c.assignees.length === 2);
      const stranger = service.rt.signer.issue({ clientId: 'c-zhao', name: '赵', officerId: 'o-zhao', roles: ['officer'], stations: ['CG'] });
      const notOwner = await postAs(stranger, `/v1/cases/${caseId}/acknowledge`, { note: 'x' });
      expect(notOwner.statusCode).toBe(403);
      expect(notOwner.headers['content-type']).toContain('application/problem+json');
      expect(notOwner.json().detail).toContain('not an owner');
      const deskExtension = await post(`/v1/cases/${caseId}/extension`, { until: at(900), reason: 'r' });
      expect(deskExtension.statusCode).toBe(403);
      expect(deskExtension.json().detail).toContain('an owner');
      expect((await postAs(tokenOf(owner), `/v1/cases/${caseId}/hold`, { reason: 'r' })).statusCode).toBe(403);
      const early = await postAs(tokenOf(owner), `/v1/cases/${caseId}/extension`, { until: at(600), reason: 'r' });
      expect(early.statusCode).toBe(409);
      expect(early.json().detail).toContain('later than');
      // An until outside the calendar's years, or not after now (an overdue case's resolveBy is already past): 400 naming until.
      for (const [path, until] of [['hold', '9999-12-31T00:00:00Z'], ['extension', '1970-01-01T00:00:00Z']] as const) {
        const far = await postAs(tokenOf(path === 'hold' ? supervisor : owner), `/v1/cases/${caseId}/${path}`, { until, reason: 'r' });
        expect(far.statusCode, path).toBe(400);
        expect(far.json().errors, path).toEqual([{ path: 'until', message: expect.stringContaining('years 2000–2100') }]);
      }
      const past = await postAs(tokenOf(owner), `/v1/cases/${caseId}/extension`, { until: '2020-01-01T00:00:00Z', reason: 'r' });
      expect(past.json()).toMatchObject({ status: 400, errors: [{ path: 'until', message: 'until must be later than now, when the extension is asked for' }] });
      expect((await post(`/v1/cases/${caseId}/extension/approve`, {})).json()).toMatchObject({ status: 409, detail: expect.stringContaining('no pending') });
      expect((await post(`/v1/cases/${caseId}/resume`, {})).json()).toMatchObject({ status: 409, detail: expect.stringContaining('only a held case') });

      await emit('gridcase.case.extension-requested.v1', { caseId, commandId: newId(), by: supervisor, until: at(900), reason: '需协调', at: at(10) });
      await emit('gridcase.case.resolved.v1', { caseId, commandId: newId(), outcome: 'mediated', note: '', by: { clientId: 'desk-1', name: '值班员张' }, at: at(20) });
      await projected(caseId, (c) => c.status === 'resolved');
      const ownVerify = await post(`/v1/cases/${caseId}/verify`, { result: 'passed', note: '核查' });
      expect(ownVerify.statusCode).toBe(403);
      expect(ownVerify.json().detail).toContain('other than whoever resolved');
      expect((await postAs(tokenOf(owner), `/v1/cases/${caseId}/verify`, { result: 'passed', note: '核查' })).statusCode).toBe(403);
      const ownApproval = await postAs(tokenOf(supervisor), `/v1/cases/${caseId}/extension/approve`, {});
      expect(ownApproval.statusCode).toBe(403);
      expect(ownApproval.json().detail).toContain('requester');
      expect((await postAs(tokenOf(supervisor), `/v1/cases/${caseId}/follow-up`, { satisfaction: 'satisfied', note: '回访' })).json()).toMatchObject({
        status: 409,
        detail: expect.stringContaining('case is resolved'),
      });
      expect(await commandsFor(caseId)).toBe(0);
    });

    it('needs a note on resolve, verify and follow-up: 400 naming note, before anything about the case, and sends nothing', async () => {
      const caseId = newId();
      await openCase(caseId);
      await projected(caseId, (c) => c.assignees.length === 2);
      for (const [path, fields] of [
        ['resolve', { outcome: 'mediated' }],
        ['verify', { result: 'passed' }],
        ['follow-up', { satisfaction: 'unreachable' }],
      ] as const) {
        for (const body of [fields, { ...fields, note: '' }]) {
          const res = await post(`/v1/cases/${caseId}/${path}?wait=true`, body);
          expect(res.statusCode, `${path} ${JSON.stringify(body)}`).toBe(400);
          expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['note']);
        }
      }
      expect(await commandsFor(caseId)).toBe(0);
    });

    it('reassigns for the desk or an officer who owns the case, with its reason; refuses another officer and a grid worker (403 saying why)', async () => {
      const caseId = newId();
      await openCase(caseId, { severity: 'red' });
      await projected(caseId, (c) => c.assignees.length === 2);
      const stranger = service.rt.signer.issue({ clientId: 'c-zhao', name: '赵', officerId: 'o-zhao', roles: ['officer'], stations: ['CG'] });
      const taken = await postAs(stranger, `/v1/cases/${caseId}/reassign`, { officerIds: ['o-zhao'] });
      expect(taken.statusCode).toBe(403);
      expect(taken.headers['content-type']).toContain('application/problem+json');
      expect(taken.json().detail).toContain('reassign needs an officer who owns the case');
      expect(taken.json().detail).toContain('o-zhao, not an owner');
      const worker = service.rt.signer.issue({ clientId: 'grid-li', name: '小李', officerId: `w-${caseId.slice(-4)}`, roles: ['community'], stations: ['CG'], grids: ['BHY-01'] });
      expect((await postAs(worker, `/v1/cases/${caseId}/reassign`, { officerIds: ['o-wang'] })).json()).toMatchObject({
        status: 403,
        detail: expect.stringContaining('an owner but not an officer token'),
      });
      expect(await commandsFor(caseId)).toBe(0);
      // The grid worker who owns the case records its progress (audit4 #8); another grid worker may not.
      const note = await postAs(worker, `/v1/cases/${caseId}/notes`, { text: '已上门了解情况' });
      expect(note.statusCode).toBe(202);
      const otherWorker = service.rt.signer.issue({ clientId: 'grid-zhou', name: '周', officerId: 'w-other', roles: ['community'], stations: ['CG'], grids: ['BHY-01'] });
      expect((await postAs(otherWorker, `/v1/cases/${caseId}/notes`, { text: 'x' })).json()).toMatchObject({ status: 403, detail: expect.stringContaining('not an owner') });

      const own = await postAs(tokenOf(owner), `/v1/cases/${caseId}/reassign`, { officerIds: ['o-li'], reason: '本人明日休假，转李警官' });
      expect(own.statusCode).toBe(202);
      const [record] = await commandTopic.waitFor('reassign command', (r) => r.message?.id === own.json().commandId);
      expect(record!.message).toMatchObject({ type: 'gridcase.case-command.reassign.v1', data: { officerIds: ['o-li'], reason: '本人明日休假，转李警官' } });
      const bare = await post(`/v1/cases/${caseId}/reassign`, { officerIds: ['o-li'] });
      const [bareRecord] = await commandTopic.waitFor('reassign without reason', (r) => r.message?.id === bare.json().commandId);
      expect(bareRecord!.message!.data).not.toHaveProperty('reason');
      expect((await post(`/v1/cases/${caseId}/reassign`, { officerIds: ['o-li'], reason: 'x'.repeat(1001) })).json().errors).toEqual([{ path: 'reason', message: expect.any(String) }]);

      // The case of record's assigned event carries the reason; the timeline shows it as the entry's reason.
      await emit('gridcase.case.assigned.v1', {
        caseId,
        level: 0,
        assignees: [{ officerId: 'o-li', role: 'officer', name: '李' }],
        routedBy: 'reassign',
        reason: '本人明日休假，转李警官',
        commandId: own.json().commandId,
        by: owner,
        at: at(7),
      });
      const view = await projected(caseId, (c) => c.assignees[0]?.officerId === 'o-li');
      expect(view.timeline.at(-1)).toMatchObject({ type: 'gridcase.case.assigned.v1', reason: '本人明日休假，转李警官', actor: { clientId: 'c-wang' } });
    });

    it('sends the new commands with the actor from the token, and with ?wait=true maps a rejection to 403 (forbidden) or 409 (conflict)', async () => {
      const caseId = newId();
      await openCase(caseId);
      await emit('gridcase.case.resolved.v1', { caseId, commandId: newId(), outcome: 'mediated', note: '', by: owner, at: at(20) });
      await deadlinesSet(caseId, 1, [{ kind: 'verify', dueAt: at(100) }]);
      await projected(caseId, (c) => c.status === 'resolved' && c.verifyBy === at(100));
      // Awaiting verification past verifyBy is overdue (the running clock), whatever resolveBy says.
      clock.set(at(101));
      try {
        expect(ids(await get('/v1/cases?overdue=true&status=resolved'))).toContain(caseId);
      } finally {
        clock.set(T0);
      }

      const verify = postAs(tokenOf(supervisor), `/v1/cases/${caseId}/verify?wait=true`, { result: 'passed', note: '回看属实' });
      const [record] = await commandTopic.waitFor('verify command', (r) => r.key === caseId && r.message?.type === 'gridcase.case-command.verify.v1');
      expect(record!.message!.data).toMatchObject({ result: 'passed', note: '回看属实', by: { clientId: 'sup-1', name: '所长', officerId: 'o-chief', roles: ['supervisor'] } });
      await emit('gridcase.case.command-rejected.v1', { caseId, commandId: record!.message!.id, command: 'verify', code: 'forbidden', reason: 'o-chief resolved this case', at: at(21) });
      const refused = await verify;
      expect(refused.statusCode).toBe(403);
      expect(refused.json().detail).toContain('o-chief resolved this case');

      // A hold that would end before it begins is a bad request naming the field, answered up front (the
      // hold command taken below is the first on the topic: this one was never sent).
      const past = await post(`/v1/cases/${caseId}/hold`, { reason: '等待法院', until: '2020-01-01T00:00:00Z' });
      expect(past.statusCode).toBe(400);
      expect(past.json()).toMatchObject({ type: 'urn:gridcase:problem:validation', errors: [{ path: 'until', message: 'until must be later than now, when the hold begins' }] });
      expect((await post(`/v1/cases/${caseId}/hold?wait=true`, { reason: '等待法院', until: T0.toISOString() })).statusCode).toBe(400);

      const hold = post(`/v1/cases/${caseId}/hold?wait=true`, { reason: '等待鉴定', until: at(3000) });
      const [holdRecord] = await commandTopic.waitFor('hold command', (r) => r.key === caseId && r.message?.type === 'gridcase.case-command.hold.v1');
      expect(holdRecord!.message!.data).toMatchObject({ reason: '等待鉴定', until: at(3000), by: { clientId: 'desk-1', roles: ['desk'] } });
      await emit('gridcase.case.command-rejected.v1', { caseId, commandId: holdRecord!.message!.id, command: 'hold', code: 'conflict', reason: 'case was closed meanwhile', at: at(22) });
      const conflicted = await hold;
      expect(conflicted.statusCode).toBe(409);
      expect(conflicted.json().detail).toContain('case was closed meanwhile');

      const holdAgain = post(`/v1/cases/${caseId}/hold?wait=true`, { reason: '等待鉴定' });
      const [again] = await commandTopic.waitFor('second hold', (r) => r.key === caseId && r.message?.type === 'gridcase.case-command.hold.v1' && r.message.id !== holdRecord!.message!.id);
      await emit('gridcase.case.held.v1', { caseId, commandId: again!.message!.id, by: { clientId: 'desk-1' }, reason: '等待鉴定', fromStatus: 'resolved', at: at(23) });
      const applied = await holdAgain;
      expect(applied.statusCode).toBe(200);
      expect(applied.json()).toMatchObject({ status: 'on-hold', hold: { since: at(23), reason: '等待鉴定' } });
    });
  });

  it('answers a reassign to an officer the case of record does not know with 400 naming officerIds.N, not 409', async () => {
    const caseId = newId();
    await openCase(caseId);
    await projected(caseId, (c) => c.assignees.length === 2);
    const reassign = post(`/v1/cases/${caseId}/reassign?wait=true`, { officerIds: ['o-wang', 'nobody2'] });
    const [sent] = await commandTopic.waitFor('reassign command', (r) => r.key === caseId && r.message?.type === 'gridcase.case-command.reassign.v1');
    await emit('gridcase.case.command-rejected.v1', {
      caseId,
      commandId: sent!.message!.id,
      command: 'reassign',
      code: 'invalid',
      reason: 'unknown officer: nobody2',
      errors: [{ path: 'officerIds.1', message: 'no officer of the station has this id' }],
      by: { clientId: 'desk-1', name: '值班员张' },
      at: at(3),
    });
    const refused = await reassign;
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ type: 'urn:gridcase:problem:validation', errors: [{ path: 'officerIds.1', message: 'no officer of the station has this id' }] });
    expect(refused.body).not.toContain('nobody2');
    // The timeline keeps the rejection, with who sent it.
    const view = await projected(caseId, (c) => c.timeline.some((e: { type: string }) => e.type === 'gridcase.case.command-rejected.v1'));
    expect(view.timeline.find((e: { type: string }) => e.type === 'gridcase.case.command-rejected.v1')).toMatchObject({ actor: { clientId: 'desk-1' } });
  });

  it('projects a partial case when its case.opened never arrived', async () => {
    const caseId = newId();
    await emit('gridcase.case.assigned.v1', {
      caseId,
      level: 0,
      assignees: [{ officerId: 'd-1', role: 'deskLeader' }],
      routedBy: 'desk',
      reason: 'no grid for the location',
      at: at(1),
    });
    // Without its case.opened the case has no station yet: only admin sees it, not the desk of CG.
    const view = await projected(caseId, () => true, ADMIN_TOKEN);
    expect(view).toMatchObject({ caseId, caseNumber: null, status: 'open', assignees: [{ officerId: 'd-1', role: 'deskLeader' }] });
    expect((await get(`/v1/cases/${caseId}`)).statusCode).toBe(404);
  });

  it('counts queues per police grid and per officer, and computes stats', async () => {
    const grid = `PG-Q-${newId().slice(-4)}`;
    const [a, b, c] = [newId(), newId(), newId()];
    for (const caseId of [a, b, c]) await openCase(caseId, { policeGrid: grid });
    await emit('gridcase.case.acknowledged.v1', { caseId: b, commandId: newId(), by: { clientId: 'o-wang' }, at: at(10) });
    await emit('gridcase.case.escalated.v1', { caseId: c, fromLevel: 0, level: 1, reason: 'respond-overdue', deadline: at(30), respondBy: at(60), resolveBy: at(700), at: at(31) });
    await projected(b, (x) => x.status === 'acknowledged');
    await projected(c, (x) => x.level === 1);
    await emit('gridcase.case.resolved.v1', { caseId: a, commandId: newId(), outcome: 'mediated', note: '', by: { clientId: 'o-wang' }, at: at(40) });
    await projected(a, (x) => x.status === 'resolved');

    clock.set(at(45));
    const queues = (await get('/v1/queues')).json();
    // a resolved (waiting for verification: still in the queue, audit19 #11); b acknowledged (respondBy met); c escalated for its respondBy: overdue though the next level's respondBy is at +60.
    expect(queues.policeGrids.find((q: { policeGridCode: string }) => q.policeGridCode === grid)).toEqual({
      policeGridCode: grid,
      open: 1,
      acknowledged: 1,
      resolved: 1,
      followUp: 0,
      onHold: 0,
      overdue: 1,
      escalated: 1,
    });
    const worker = queues.officers.find((o: { officerId: string }) => o.officerId === `w-${b.slice(-4)}`);
    expect(worker).toEqual({ officerId: `w-${b.slice(-4)}`, name: '小李', open: 0, acknowledged: 1, resolved: 0, followUp: 0, onHold: 0, overdue: 0, escalated: 0 });
    // Held, the escalated case stays in its queues, counted as held; no clock runs while held, so it is neither overdue nor counted escalated.
    await emit('gridcase.case.held.v1', { caseId: c, commandId: newId(), by: { clientId: 'sup-1' }, reason: '等待鉴定', fromStatus: 'open', at: at(46) });
    await projected(c, (x) => x.status === 'on-hold');
    expect((await get('/v1/queues')).json().policeGrids.find((q: { policeGridCode: string }) => q.policeGridCode === grid)).toMatchObject({ open: 0, onHold: 1, overdue: 0, escalated: 0 });

    const stats = await get(`/v1/stats?from=${at(-1)}&to=${at(1)}`);
    expect(stats.statusCode).toBe(200);
    const figures = stats.json().policeGrids.find((g: { policeGridCode: string }) => g.policeGridCode === grid);
    // The contract's fields (new ones may follow).
    expect(figures).toMatchObject({
      policeGridCode: grid,
      cases: 3,
      resolved: 1,
      resolutionRate: 1 / 3,
      onTimeRate: 1,
      escalationRate: 1 / 3,
      medianSecondsToAcknowledge: 600,
      medianSecondsToResolve: 2400,
    });
    expect(stats.json().overall.cases).toBeGreaterThanOrEqual(3);
    expect((await get(`/v1/stats?from=${at(1)}&to=${at(-1)}`)).json().errors[0].path).toBe('querystring.from');
    clock.set(T0);
  });

  it('counts the cases no police grid took (routed to the duty desk) in a row of their own, policeGridCode null', async () => {
    // The row of cases no police grid took, first (before any police grid's); all zero while it is not there.
    const unrouted = async () => {
      const rows = (await get('/v1/queues')).json().policeGrids as { policeGridCode: string | null }[];
      expect(rows.findIndex((q) => q.policeGridCode === null)).toBeLessThanOrEqual(0);
      return { policeGridCode: null, open: 0, acknowledged: 0, resolved: 0, followUp: 0, onHold: 0, overdue: 0, escalated: 0, ...rows.find((q) => q.policeGridCode === null) };
    };
    clock.set(at(45));
    try {
      const before = await unrouted();
      const [a, b] = [newId(), newId()];
      for (const caseId of [a, b]) await openCase(caseId, { policeGrid: null, location: { gridCode: 'ZZ-99' } });
      await emit('gridcase.case.acknowledged.v1', { caseId: b, commandId: newId(), by: { clientId: 'd-1' }, at: at(10) });
      await projected(a, (x) => x.assignees.length === 1 && x.policeGridCode === null);
      await projected(b, (x) => x.status === 'acknowledged' && x.policeGridCode === null);
      // a missed its respondBy (+30); b was acknowledged in time.
      expect(await unrouted()).toEqual({ ...before, open: before.open + 1, acknowledged: before.acknowledged + 1, overdue: before.overdue + 1 });
    } finally {
      clock.set(T0);
    }
  });

  it('lists exactly the cases no police grid took with policeGrid=none (the queues\' null row), in the list and its export', async () => {
    const [unrouted, acknowledged, routed] = [newId(), newId(), newId()];
    for (const caseId of [unrouted, acknowledged]) await openCase(caseId, { policeGrid: null, location: { gridCode: 'ZZ-98' } });
    await openCase(routed, { policeGrid: `PG-N-${routed.slice(-4)}` });
    await emit('gridcase.case.acknowledged.v1', { caseId: acknowledged, commandId: newId(), by: { clientId: 'd-1' }, at: at(10) });
    await projected(unrouted, (c) => c.assignees.length === 1);
    await projected(acknowledged, (c) => c.status === 'acknowledged');
    await projected(routed, (c) => c.assignees.length === 2);

    const none = await get('/v1/cases?policeGrid=none&limit=200');
    expect(none.statusCode).toBe(200);
    const items = none.json().items as { caseId: string; policeGridCode: string | null }[];
    expect(items.map((c) => c.caseId)).toEqual(expect.arrayContaining([unrouted, acknowledged]));
    expect(items.map((c) => c.caseId)).not.toContain(routed);
    expect(items.every((c) => c.policeGridCode === null)).toBe(true);
    // It combines with the other filters as a police grid's code does.
    const open = ids(await get('/v1/cases?policeGrid=none&status=open&limit=200'));
    expect(open).toContain(unrouted);
    expect(open).not.toContain(acknowledged);
    // A comma list takes any of them, none among them; a list with an empty code names the field.
    const either = ids(await get(`/v1/cases?policeGrid=PG-N-${routed.slice(-4)},none&limit=200`));
    expect(either).toEqual(expect.arrayContaining([unrouted, acknowledged, routed]));
    expect(ids(await get(`/v1/cases?policeGrid=PG-N-${routed.slice(-4)},PG-nowhere&limit=200`))).toEqual([routed]);
    const malformed = await get('/v1/cases?policeGrid=none,');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors.map((e: { path: string }) => e.path)).toEqual(['querystring.policeGrid']);

    const csv = await get(`/v1/cases/export?format=csv&from=${at(-1)}&to=${at(5)}&policeGrid=none`);
    expect(csv.statusCode).toBe(200);
    for (const caseId of [unrouted, acknowledged]) expect(csv.body).toContain(`CG-2026-${caseId.slice(-6)}`);
    expect(csv.body).not.toContain(`CG-2026-${routed.slice(-6)}`);
  });

  it('shows a case escalated for a missed deadline as overdue, in the list, the case and the queues, until that step is done', async () => {
    const grid = `PG-M-${newId().slice(-4)}`;
    const caseId = newId();
    const owner = { clientId: 'o-wang', officerId: 'o-wang' };
    await openCase(caseId, { policeGrid: grid, severity: 'red' });
    // respondBy (+30) passed unacknowledged: the case of record escalates it and gives level 1 a fresh respondBy at +60.
    await emit('gridcase.case.deadline-passed.v1', { caseId, kind: 'respond', dueAt: at(30), version: 1, at: at(30) });
    await emit('gridcase.case.escalated.v1', { caseId, fromLevel: 0, level: 1, reason: 'respond-overdue', kind: 'respond', deadline: at(30), respondBy: at(60), resolveBy: at(700), at: at(31) });
    await projected(caseId, (c) => c.level === 1);
    const overdueIn = async () => ({
      case: (await get(`/v1/cases/${caseId}`)).json().overdue,
      list: ids(await get(`/v1/cases?overdue=true&policeGrid=${grid}`)).includes(caseId),
      notOverdue: ids(await get(`/v1/cases?overdue=false&policeGrid=${grid}`)).includes(caseId),
      dueSoon: ids(await get(`/v1/cases?dueWithin=PT30M&policeGrid=${grid}`)).includes(caseId),
      queue: (await get('/v1/queues')).json().policeGrids.find((q: { policeGridCode: string }) => q.policeGridCode === grid)?.overdue ?? 0,
    });
    clock.set(at(45));
    try {
      // The fresh respondBy is 15 minutes away, yet the case missed its deadline and nobody has acknowledged it:
      // overdue, and due soon too (missing the fresh deadline sends it another level up).
      expect(await overdueIn()).toEqual({ case: true, list: true, notOverdue: false, dueSoon: true, queue: 1 });
      clock.set(at(59));
      expect((await overdueIn()).dueSoon).toBe(true);
      clock.set(at(45));

      // 挂账: no clock runs while held, so it is not overdue then; resumed, the miss counts again.
      await emit('gridcase.case.held.v1', { caseId, commandId: newId(), by: owner, reason: '等待鉴定', fromStatus: 'open', at: at(40) });
      await projected(caseId, (c) => c.status === 'on-hold');
      expect((await overdueIn()).case).toBe(false);
      await emit('gridcase.case.resumed.v1', { caseId, commandId: newId(), by: owner, status: 'open', heldMs: 60_000, at: at(41) });
      await projected(caseId, (c) => c.status === 'open');
      expect(await overdueIn()).toMatchObject({ case: true, list: true, queue: 1 });

      // The gauges read the read model at most every SCRAPE_READ_EVERY_MS of monotonic time: step past it for a fresh read.
      const monotonic = performance.now.bind(performance);
      let skipped = 0;
      vi.spyOn(performance, 'now').mockImplementation(() => monotonic() + skipped);
      const redOverdue = async () => {
        skipped += SCRAPE_READ_EVERY_MS;
        return Number(/^gridcase_desk_cases_overdue\{severity="red"\} (\d+)$/m.exec((await get('/metrics')).body)?.[1]);
      };
      const before = await redOverdue();
      await emit('gridcase.case.acknowledged.v1', { caseId, commandId: newId(), by: owner, at: at(46) });
      await projected(caseId, (c) => c.status === 'acknowledged');
      expect(await overdueIn()).toEqual({ case: false, list: false, notOverdue: true, dueSoon: false, queue: 0 });
      expect(before - (await redOverdue())).toBe(1);
    } finally {
      vi.restoreAllMocks();
      clock.set(T0);
    }
  });

  it('counts a 核查 or 回访 escalated for its missed deadline as overdue and escalated in the queues, as the overdue list does (audit23 #3)', async () => {
    const grid = `PG-V-${newId().slice(-4)}`;
    const lead = `lead-${grid.slice(-4)}`;
    const [verify, followUp, held] = [newId(), newId(), newId()];
    const owner = { clientId: 'o-wang', officerId: 'o-wang' };
    for (const caseId of [verify, followUp, held]) {
      await openCase(caseId, { policeGrid: grid });
      await emit('gridcase.case.resolved.v1', { caseId, commandId: newId(), outcome: 'mediated', note: '', by: owner, at: at(20) });
    }
    await emit('gridcase.case.verified.v1', { caseId: followUp, commandId: newId(), by: { clientId: 'sup-1' }, result: 'passed', note: '属实', status: 'follow-up', reworkCount: 0, at: at(25) });
    // Each missed its verify / follow-up deadline: the ladder takes it to the police grid lead at level 1.
    for (const [caseId, kind] of [[verify, 'verify'], [followUp, 'follow-up'], [held, 'verify']] as const) {
      await emit('gridcase.case.escalated.v1', { caseId, fromLevel: 0, level: 1, reason: `${kind}-overdue`, kind, deadline: at(30), resolveBy: at(700), at: at(31) });
      await emit('gridcase.case.assigned.v1', { caseId, level: 1, assignees: [{ officerId: lead, role: 'lead', name: '所领导' }], policeGridCode: grid, routedBy: 'escalation', at: at(31) });
    }
    // 挂账: no clock runs while held, so the held one is neither overdue nor counted as escalated work.
    await emit('gridcase.case.held.v1', { caseId: held, commandId: newId(), by: owner, reason: '等待鉴定', fromStatus: 'resolved', at: at(40) });
    await projected(verify, (c) => c.level === 1 && c.assignees[0]?.officerId === lead);
    await projected(followUp, (c) => c.status === 'follow-up' && c.level === 1 && c.assignees[0]?.officerId === lead);
    await projected(held, (c) => c.status === 'on-hold' && c.assignees[0]?.officerId === lead);
    clock.set(at(45));
    try {
      const overdue = ids(await get(`/v1/cases?overdue=true&policeGrid=${grid}`));
      expect(overdue.sort()).toEqual([verify, followUp].sort());
      const queues = (await get('/v1/queues')).json();
      const counts = { open: 0, acknowledged: 0, resolved: 1, followUp: 1, onHold: 1, overdue: overdue.length, escalated: 2 };
      expect(queues.policeGrids.find((q: { policeGridCode: string }) => q.policeGridCode === grid)).toEqual({ policeGridCode: grid, ...counts });
      expect(queues.officers.find((o: { officerId: string }) => o.officerId === lead)).toEqual({ officerId: lead, name: '所领导', ...counts });
    } finally {
      clock.set(T0);
    }
  });

  it('migration 0006 marks the cases projected before it that were escalated for a deadline they have not met since', async () => {
    const [missed, acked, extended, closed] = [newId(), newId(), newId(), newId()];
    const escalate = (caseId: string, reason: 'respond-overdue' | 'resolve-overdue', level = 1) =>
      emit('gridcase.case.escalated.v1', { caseId, fromLevel: level - 1, level, reason, deadline: at(30), respondBy: at(60), resolveBy: at(700), at: at(31) });
    for (const caseId of [missed, acked, extended, closed]) await openCase(caseId);
    await escalate(missed, 'respond-overdue');
    await escalate(acked, 'respond-overdue');
    await emit('gridcase.case.acknowledged.v1', { caseId: acked, commandId: newId(), by: { clientId: 'o-wang' }, at: at(40) });
    await escalate(acked, 'resolve-overdue', 2);
    await escalate(extended, 'resolve-overdue');
    await emit('gridcase.case.extension-approved.v1', { caseId: extended, commandId: newId(), by: { clientId: 'sup-1' }, until: at(900), at: at(40) });
    await escalate(closed, 'respond-overdue');
    await emit('gridcase.case.closed.v1', { caseId: closed, reason: 'verified', at: at(50) });
    await projected(acked, (c) => c.level === 2);
    await projected(extended, (c) => c.extension?.status === 'approved');
    await projected(closed, (c) => c.status === 'closed');
    await projected(missed, (c) => c.level === 1);
    const all = [missed, acked, extended, closed];
    const missedOf = async () => {
      const { rows } = await service.rt.pool.query<{ case_id: string; missed_deadlines: string[] }>('select case_id, missed_deadlines from desk.cases where case_id = any($1)', [all]);
      return Object.fromEntries(rows.map((r) => [r.case_id, r.missed_deadlines]));
    };
    const projectedNow = await missedOf();
    // As the column was for cases projected before the migration: empty. Its backfill (the statement after ADD COLUMN) fills it in.
    await service.rt.pool.query(`update desk.cases set missed_deadlines = '{}' where case_id = any($1)`, [all]);
    const backfill = readFileSync(new URL('../src/db/migrations/0006_case_missed_deadlines.sql', import.meta.url), 'utf8').split('--> statement-breakpoint')[1]!;
    await service.rt.pool.query(backfill);
    expect(await missedOf()).toEqual({ [missed]: ['respond'], [acked]: ['resolve'], [extended]: [], [closed]: [] });
    // The same answer the projection gives.
    expect(await missedOf()).toEqual(projectedNow);
  });

  it('streams each projected case event as SSE, and lets go of the client when it leaves', async () => {
    const caseId = newId();
    await openCase(caseId);
    await projected(caseId, (c) => c.assignees.length === 2);
    const { port } = service.app.server.address() as AddressInfo;
    const listenersBefore = service.feed.listenerCount;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/v1/stream?access_token=${encodeURIComponent(deskToken)}`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    await eventually('stream subscribed', () => (service.feed.listenerCount > listenersBefore ? true : undefined));

    const note = await emit('gridcase.case.note-added.v1', { caseId, commandId: newId(), text: '现场已处置', by: { clientId: 'o-wang' }, at: at(7) });
    let text = '';
    while (!text.includes(`id: ${note.id}\n`)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const block = text.slice(text.indexOf(`id: ${note.id}\n`)).split('\n\n')[0]!;
    expect(block).toContain('event: gridcase.case.note-added.v1');
    const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!);
    expect(data).toMatchObject({ eventId: note.id, caseId, type: 'gridcase.case.note-added.v1', data: { text: '现场已处置' } });

    abort.abort();
    await reader.cancel().catch(() => {});
    await eventually('stream listener removed', () => (service.feed.listenerCount === listenersBefore ? true : undefined));

    // A client that reconnects with Last-Event-ID gets what it missed, replayed from the timeline.
    const view = await projected(caseId, (c) => c.timeline.length === 3);
    const resumed = new AbortController();
    const again = await fetch(`http://127.0.0.1:${port}/v1/stream`, {
      headers: { authorization: `Bearer ${deskToken}`, 'last-event-id': view.timeline[0].eventId },
      signal: resumed.signal,
    });
    const replay = again.body!.pipeThrough(new TextDecoderStream()).getReader();
    let replayed = '';
    while (!replayed.includes(`id: ${note.id}\n`)) {
      const { value, done } = await replay.read();
      if (done) break;
      replayed += value;
    }
    const order = [view.timeline[1].eventId, note.id].map((id) => replayed.indexOf(`id: ${id}\n`));
    expect(order[0]).toBeGreaterThan(-1);
    expect(order[1]).toBeGreaterThan(order[0]!);
    expect(replayed).not.toContain(`id: ${view.timeline[0].eventId}\n`);
    resumed.abort();
    await replay.cancel().catch(() => {});
  });

  it('tells a resuming client to reload when what it missed cannot be replayed', async () => {
    const caseId = newId();
    await openCase(caseId);
    const [opened, assigned] = (await projected(caseId, (c) => c.timeline.length === 2)).timeline.map((e: { eventId: string }) => e.eventId);
    const note = (minute: number) => emit('gridcase.case.note-added.v1', { caseId, commandId: newId(), text: `第${minute}条`, by: { clientId: 'o-wang' }, at: at(minute) });
    /** Resumes after `lastEventId`, then reads until a note emitted once connected arrives: the replay and any reset come before it. */
    const resume = async (lastEventId: string) => {
      const { port } = service.app.server.address() as AddressInfo;
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/v1/stream`, { headers: { ...bearer(deskToken), 'last-event-id': lastEventId }, signal: abort.signal });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      const live = await note(30);
      let text = '';
      while (!text.includes(`id: ${live.id}\n`)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      abort.abort();
      await reader.cancel().catch(() => {});
      return text;
    };
    const reset = (reason: string) => `event: ${STREAM_RESET_EVENT}\ndata: ${JSON.stringify({ reason })}\n\n`;
    const resetsBefore = (await streamMetrics()).resets;

    // Within the replay limit (5 here): what was missed is replayed, and no reset.
    const replayed = await resume(opened);
    expect(replayed).toContain(`id: ${assigned}\n`);
    expect(replayed).not.toContain(STREAM_RESET_EVENT);

    // More than the limit missed: told to reload, before any event, and nothing replayed.
    for (let minute = 10; minute < 16; minute++) await note(minute);
    await projected(caseId, (c) => c.timeline.length === 9);
    const tooMany = await resume(opened);
    expect(tooMany).toContain(reset('too-many-missed'));
    expect(tooMany.slice(0, tooMany.indexOf(STREAM_RESET_EVENT))).not.toContain('id: ');
    expect(tooMany).not.toContain(`id: ${assigned}\n`);

    // An id this desk never had (pruned, or another deployment's): told to reload.
    const unknown = await resume(newId());
    expect(unknown).toContain(reset('unknown-last-event-id'));
    expect(unknown.slice(0, unknown.indexOf(STREAM_RESET_EVENT))).not.toContain('id: ');

    // The replay's query fails (its column renamed away for a moment, on the real database): told to reload.
    await service.rt.pool.query('alter table desk.timeline rename column seq to seq_away');
    try {
      const { port } = service.app.server.address() as AddressInfo;
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/v1/stream`, { headers: { ...bearer(deskToken), 'last-event-id': opened }, signal: abort.signal });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      // Without a reset nothing more comes but the heartbeat.
      while (!text.includes(STREAM_RESET_EVENT) && !text.includes(': heartbeat')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      abort.abort();
      await reader.cancel().catch(() => {});
      expect(text).toContain(reset('replay-failed'));
    } finally {
      await service.rt.pool.query('alter table desk.timeline rename column seq_away to seq');
    }
    // Each told to reload once, counted by its reason.
    expect((await streamMetrics()).resets).toEqual({
      ...resetsBefore,
      'too-many-missed': resetsBefore['too-many-missed']! + 1,
      'unknown-last-event-id': resetsBefore['unknown-last-event-id']! + 1,
      'replay-failed': resetsBefore['replay-failed']! + 1,
    });
  });

  it('streams on every instance the events any instance projected', async () => {
    // A second desk instance on the same database and broker: the two share the partitions.
    const other = await start({ ...env }, clock);
    try {
      const token = service.rt.signer.issue({ clientId: 'desk-two', name: '值班员李', roles: ['desk'], stations: ['CG'] });
      const streams = [await openStream(service.app, token), await openStream(other.app, token)];
      await eventually('both streams connected', () => (streams.every((s) => s.text.includes(': connected')) ? true : undefined));
      const caseIds = Array.from({ length: 12 }, () => newId());
      await Promise.all(caseIds.map((caseId) => openCase(caseId)));
      for (const caseId of caseIds) await projected(caseId, (c) => c.timeline.length === 2);
      const eventIds = (
        await service.rt.pool.query<{ event_id: string }>('select event_id from desk.timeline where case_id = any($1)', [caseIds])
      ).rows.map((r) => r.event_id);
      expect(eventIds).toHaveLength(24);
      await eventually('every event on both streams', () =>
        streams.every((s) => eventIds.every((id) => s.text.includes(`id: ${id}\n`))) ? true : undefined,
      );
      // Each event once per stream.
      for (const s of streams) for (const id of eventIds) expect(s.text.split(`id: ${id}\n`)).toHaveLength(2);
      // The other instance shuts down with its stream open: it ends the stream, and counts that.
      streams[0]!.close();
      const before = await streamMetrics();
      await other.rt.shutdown('test done');
      await eventually('the stream ended by the shutdown', () => (streams[1]!.ended ? true : undefined));
      expect((await streamMetrics()).resets).toEqual({ ...before.resets, shutdown: before.resets.shutdown! + 1 });
    } finally {
      await other.rt.shutdown('test done');
    }
  });

  it('caps open streams per client (429) and in total (503), with Retry-After; /metrics counts the open streams and each refusal by its reason', async () => {
    const listenersBefore = service.feed.listenerCount;
    const before = await streamMetrics();
    // Every reason is a series from the start, whether or not a stream was refused or reset for it yet.
    for (const counts of [before.refused, before.resets]) for (const [reason, n] of Object.entries(counts)) expect(n, reason).toBeGreaterThanOrEqual(0);
    const token = (clientId: string) => service.rt.signer.issue({ clientId, name: clientId, roles: ['desk'], stations: ['CG'] });
    const [a, b, c, d] = ['cap-a', 'cap-b', 'cap-c', 'cap-d'].map(token) as [string, string, string, string];
    const open = [await openStream(service.app, a), await openStream(service.app, a)];
    expect((await streamMetrics()).open).toBe(before.open! + 2);
    const third = await openStream(service.app, a);
    expect(third.res.status).toBe(429);
    expect(third.res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(third.res.headers.get('content-type')).toContain('application/problem+json');
    open.push(await openStream(service.app, b), await openStream(service.app, c));
    expect(open.map((s) => s.res.status)).toEqual([200, 200, 200, 200]);
    const beyond = await openStream(service.app, d);
    expect(beyond.res.status).toBe(503);
    expect(beyond.res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await beyond.res.json()) as { status: number }).status).toBe(503);
    // Refused for a token too: none, and one without a desk role.
    expect((await openStream(service.app, '')).res.status).toBe(401);
    expect((await openStream(service.app, reporterToken)).res.status).toBe(403);
    const during = await streamMetrics();
    expect(during.open).toBe(before.open! + 4);
    expect(during.refused).toEqual({
      ...before.refused,
      'client-limit': before.refused['client-limit']! + 1,
      'instance-limit': before.refused['instance-limit']! + 1,
      unauthorized: before.refused.unauthorized! + 1,
      forbidden: before.refused.forbidden! + 1,
    });
    // The client closing is not a reset.
    expect(during.resets).toEqual(before.resets);

    for (const s of open) s.close();
    await eventually('streams closed', () => (service.feed.listenerCount === listenersBefore ? true : undefined));
    expect(await streamMetrics()).toEqual({ ...during, open: before.open });
    const again = await openStream(service.app, d);
    expect(again.res.status).toBe(200);
    again.close();
    await eventually('stream closed', () => (service.feed.listenerCount === listenersBefore ? true : undefined));
  });

  it('ends an open stream once its token is revoked', async () => {
    const token = service.rt.signer.issue({ clientId: 'desk-leaving', name: '调走的值班员', roles: ['desk'], stations: ['CG'] });
    const kept = await openStream(service.app, deskToken);
    const stream = await openStream(service.app, token);
    expect(stream.res.status).toBe(200);
    const before = await streamMetrics();
    revoked.add('desk-leaving');
    await service.rt.revocations.refresh(); // what the periodic refresh does
    await eventually('revoked stream ended', () => (stream.ended ? true : undefined));
    expect(stream.text).toContain(': token revoked');
    expect((await streamMetrics()).resets).toEqual({ ...before.resets, 'token-refused': before.resets['token-refused']! + 1 });
    expect(kept.ended).toBe(false);
    expect((await openStream(service.app, token)).res.status).toBe(401);
    kept.close();
  });

  it("ends an open stream of a grid worker's community token once its worker has moved to another grid", async () => {
    const token = service.rt.signer.issue({ clientId: 'worker-moving', name: '网格员', roles: ['community'], officerId: 'worker-CG-01-01', grids: ['CG-01-01'] });
    const staying = service.rt.signer.issue({ clientId: 'worker-staying', name: '网格员', roles: ['community'], officerId: 'worker-CG-02-01', grids: ['CG-02-01'] });
    const stream = await openStream(service.app, token);
    const kept = await openStream(service.app, staying);
    expect(stream.res.status).toBe(200);
    const before = await streamMetrics();
    workerGrids['worker-moving'] = ['CG-01-02'];
    // A worker still in the grid its token names: its stream goes on.
    workerGrids['worker-staying'] = ['CG-02-01'];
    await service.rt.revocations.refresh(); // what the periodic refresh does
    await eventually('moved stream ended', () => (stream.ended ? true : undefined));
    expect((await streamMetrics()).resets).toEqual({ ...before.resets, 'grids-changed': before.resets['grids-changed']! + 1 });
    expect(stream.text).toContain(': grids changed');
    expect(stream.text).not.toContain(': token revoked');
    expect(kept.ended).toBe(false);
    // The client reconnects, to a stream of its new grid.
    const again = await openStream(service.app, token);
    expect(again.res.status).toBe(200);
    again.close();
    kept.close();
    delete workerGrids['worker-moving'];
    delete workerGrids['worker-staying'];
  });

  it('serves the built desk page with its assets, and OpenAPI', async () => {
    const page = await service.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = /<script type="module"[^>]*src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script, page.body).toBeDefined();
    const js = await service.app.inject({ method: 'GET', url: script! });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    // The statuses in Chinese and every command of the life of a case are in the page's bundle.
    for (const label of ['待签收', '已签收', '待核查', '待回访', '已结案', '挂账', '红', '橙', '黄']) expect(js.body).toContain(label);
    for (const path of ['verify', 'follow-up', 'extension/approve', 'extension/reject', 'hold', 'resume', 'notes', '/v1/stream', '/v1/map']) expect(js.body).toContain(path);
    const docs = await get('/docs');
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toEqual(
      expect.arrayContaining(['/v1/cases', '/v1/cases/{caseId}', '/v1/queues', '/v1/stats', '/v1/stream', '/v1/cases/{caseId}/verify', '/v1/cases/{caseId}/extension/approve', '/v1/map', '/v1/categories', '/v1/stations', '/v1/police-grids', '/v1/grids']),
    );
    // Every operation's errors as problem+json (audit12 #4), with what only some routes answer.
    expect(openapiGaps(docs.json())).toEqual([]);
    expect(Object.keys(docs.json().paths['/v1/cases/{caseId}/verify'].post.responses)).toEqual(['200', '202', '400', '401', '403', '404', '409', '413', '415', '429', '503']);
    expect(docs.json().paths['/v1/stream'].get.responses['429']).toBeDefined();
  });
});
