/**
 * The authorization matrix (issue 9, CONTRACT.md "Scope and roles"): every route of every service,
 * read from the service itself (GET /v1/access lists fastify's route table as registered, so a new
 * route cannot be left out) × every role × own/other station (or community grid) × own/other client,
 * on the real stack. Each route needs a sample request below; a route without one fails the test.
 *
 * What each cell must answer, from the route's declared roles and scope:
 * - no token → 401; a role the route does not name (and not admin) → 403 naming the roles;
 * - a role it names, in scope → not refused (no 401, no role 403, no 404; a list shows the case);
 * - `station` scope, another station's (or grid's) token → 404 for an item, a list without the case;
 * - `own` scope, another client → 404 for an item, a list without the client's things.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../env.ts';
import { eventually, isolatedEnv } from '../harness.ts';
import { SERVICES, type ServiceName, Stack } from '../stack.ts';

type Role = 'reporter' | 'desk' | 'officer' | 'supervisor' | 'admin' | 'community';
const ROLES: Role[] = ['reporter', 'desk', 'officer', 'supervisor', 'admin', 'community'];

interface RouteAccess {
  method: string;
  url: string;
  auth: 'bearer' | 'route' | 'public';
  roles: Role[];
  scope: 'station' | 'own' | 'install' | 'none';
}

interface Fixture {
  station: string;
  gridCode: string;
  policeGridCode: string;
  caseId: string;
  reportId: string;
  commandCaseId: string;
  officerId: string;
  webhookId: string;
  categoryCode: string;
}

interface Sample {
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  /** Form-encoded body (Open311). */
  form?: Record<string, string>;
  /** For lists: whether the answer shows the fixture. Without it the route is an item (out of scope → 404). */
  sees?: (body: any, f: Fixture) => boolean;
  /** The route's scope ignores community grids (station-wide reference data): a token of another grid still sees it. */
  stationOnly?: boolean;
  /** Server-Sent Events: only the status is read. */
  stream?: boolean;
  /** The request names something that does not exist (so nothing is changed): an allowed caller may get 404. */
  absent?: boolean;
  /** Reference data of the station: every role of the station sees it (a reporter too), not only its owner. */
  reference?: boolean;
}

const FUTURE = '2031-01-01T00:00:00+08:00';
const has = (key: string, value: (f: Fixture) => string) => (body: any, f: Fixture) =>
  Array.isArray(body?.items) && body.items.some((i: Record<string, unknown>) => i[key] === value(f));
const nonEmpty = (body: any) => Array.isArray(body?.items) && body.items.length > 0;
const command = (path: string, body: (f: Fixture) => unknown): Sample => ({ path: (f) => `/v1/cases/${f.commandCaseId}/${path}`, body });

/** A request per route, keyed `<service> <METHOD> <url as registered>`. */
const SAMPLES: Record<string, Sample> = {
  // Every service
  ...Object.fromEntries(
    SERVICES.flatMap((s) => [
      [`${s} GET /docs`, { path: () => '/docs' }],
      [`${s} GET /v1/access`, { path: () => '/v1/access' }],
      [`${s} GET /v1/audit`, { path: () => '/v1/audit' }],
    ]),
  ),
  // intake
  'intake POST /v1/clients': { path: () => '/v1/clients', body: () => ({}) },
  'intake GET /v1/clients': { path: () => '/v1/clients' },
  'intake GET /v1/clients/revoked': { path: () => '/v1/clients/revoked' },
  'intake DELETE /v1/clients/:clientId': { path: () => '/v1/clients/no-such-client', absent: true },
  'intake PATCH /v1/clients/:clientId': { path: () => '/v1/clients/no-such-client', body: () => ({ ratePerMinute: 60 }), absent: true },
  'intake POST /v1/reports': { path: () => '/v1/reports', body: () => ({}) },
  'intake GET /v1/reports': { path: () => '/v1/reports', sees: has('reportId', (f) => f.reportId) },
  'intake GET /v1/reports/:reportId': { path: (f) => `/v1/reports/${f.reportId}` },
  'intake GET /v1/reports/:reportId/reporter': { path: (f) => `/v1/reports/${f.reportId}/reporter` },
  'intake GET /v1/reporters': { path: (f) => `/v1/reporters?reportIds=${f.reportId}`, sees: has('reportId', (f) => f.reportId) },
  'intake POST /v1/webhooks': { path: () => '/v1/webhooks', body: () => ({}) },
  'intake GET /v1/webhooks': { path: () => '/v1/webhooks', sees: has('webhookId', (f) => f.webhookId) },
  'intake GET /v1/webhooks/:webhookId/deliveries': { path: (f) => `/v1/webhooks/${f.webhookId}/deliveries` },
  'intake DELETE /v1/webhooks/:webhookId': { path: () => '/v1/webhooks/no-such-webhook', absent: true },
  'intake GET /open311/v2/services.json': { path: () => '/open311/v2/services.json' },
  'intake GET /open311/v2/services/:file': { path: (f) => `/open311/v2/services/${f.categoryCode}.json` },
  'intake POST /open311/v2/requests.json': { path: () => '/open311/v2/requests.json', form: {} },
  'intake GET /open311/v2/requests.json': {
    path: () => '/open311/v2/requests.json',
    sees: (body, f) => Array.isArray(body) && body.some((r: { service_request_id: string }) => r.service_request_id === f.reportId),
  },
  'intake GET /open311/v2/requests/:file': { path: (f) => `/open311/v2/requests/${f.reportId}.json` },
  'intake GET /open311/v2/tokens/:file': { path: (f) => `/open311/v2/tokens/${f.reportId}.json` },
  // Whatever else is under Open311's prefix: 404 in Open311's own error body.
  ...Object.fromEntries(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => [`intake ${m} /open311/v2/*`, { path: () => '/open311/v2/services.xml', absent: true }])),
  // triage
  'triage GET /v1/categories': { path: () => '/v1/categories' },
  'triage GET /v1/rules': { path: () => '/v1/rules' },
  'triage GET /v1/rules/:version': { path: () => '/v1/rules/1' },
  'triage PUT /v1/rules': { path: () => '/v1/rules', body: () => ({}) },
  'triage GET /v1/calendar/:year': { path: () => '/v1/calendar/2026', absent: true },
  'triage PUT /v1/calendar/:year': { path: () => '/v1/calendar/2026', body: () => ({}) },
  'triage GET /v1/sla-policies': { path: () => '/v1/sla-policies' },
  'triage PUT /v1/sla-policies/:category/:severity': { path: () => '/v1/sla-policies/*/red', body: () => ({}) },
  'triage DELETE /v1/sla-policies/:category/:severity': { path: (f) => `/v1/sla-policies/${f.categoryCode}/statutory`, absent: true },
  'triage POST /v1/triage/explain': { path: () => '/v1/triage/explain', body: () => ({}) },
  // assignment
  'assignment GET /v1/stations': { path: () => '/v1/stations', sees: nonEmpty, stationOnly: true, reference: true },
  'assignment GET /v1/police-grids': { path: () => '/v1/police-grids', sees: nonEmpty, stationOnly: true, reference: true },
  'assignment GET /v1/grids': { path: () => '/v1/grids', sees: has('code', (f) => f.gridCode), reference: true },
  // The roster is for the station's roles only (a reporter gets 403, as on the desk's forward): not `reference`.
  'assignment GET /v1/officers': { path: () => '/v1/officers', sees: nonEmpty, stationOnly: true },
  'assignment GET /v1/addresses': { path: () => '/v1/addresses', sees: nonEmpty, reference: true },
  'assignment GET /v1/reference-data/versions': { path: () => '/v1/reference-data/versions' },
  'assignment PUT /v1/reference-data': { path: () => '/v1/reference-data', body: () => ({}) },
  'assignment GET /v1/reference-data': { path: () => '/v1/reference-data' },
  'assignment GET /v1/cases/:caseId': { path: (f) => `/v1/cases/${f.caseId}` },
  'assignment GET /v1/ladder': { path: () => '/v1/ladder' },
  'assignment PUT /v1/ladder/:level': { path: () => '/v1/ladder/1', body: () => ({}) },
  'assignment GET /v1/rosters': { path: () => '/v1/rosters', sees: nonEmpty, stationOnly: true },
  'assignment GET /v1/officers/:officerId/leave': { path: (f) => `/v1/officers/${f.officerId}/leave`, stationOnly: true },
  'assignment POST /v1/officers/:officerId/leave': {
    path: (f) => `/v1/officers/${f.officerId}/leave`,
    body: () => ({ from: FUTURE, until: '2031-01-02T00:00:00+08:00', reason: 'matrix' }),
    stationOnly: true,
  },
  // escalation
  'escalation GET /v1/timers': { path: () => '/v1/timers', sees: has('caseId', (f) => f.caseId) },
  // desk
  'desk GET /v1/cases': { path: () => '/v1/cases', sees: has('caseId', (f) => f.caseId) },
  'desk GET /v1/cases/:caseId': { path: (f) => `/v1/cases/${f.caseId}` },
  'desk GET /v1/cases/:caseId/reporters': { path: (f) => `/v1/cases/${f.caseId}/reporters` },
  'desk GET /v1/queues': {
    path: () => '/v1/queues',
    sees: (body, f) => Array.isArray(body?.policeGrids) && body.policeGrids.some((q: { policeGridCode: string }) => q.policeGridCode === f.policeGridCode),
  },
  'desk GET /v1/stream': { path: () => '/v1/stream', stream: true },
  'desk GET /v1/stats': { path: () => '/v1/stats', sees: (body) => body?.overall?.cases > 0 },
  'desk GET /v1/stats/export': { path: () => '/v1/stats/export?format=csv', sees: (body, f) => String(body).includes(f.policeGridCode) },
  'desk GET /v1/cases/export': { path: () => '/v1/cases/export?format=csv', sees: (body, f) => typeof body === 'string' && body.includes(f.caseId) },
  'desk GET /v1/map': { path: () => '/v1/map', sees: (body, f) => JSON.stringify(body ?? '').includes(f.caseId) },
  'desk GET /v1/categories': { path: () => '/v1/categories' },
  'desk GET /v1/stations': { path: () => '/v1/stations', sees: nonEmpty, stationOnly: true },
  'desk GET /v1/police-grids': { path: () => '/v1/police-grids', sees: nonEmpty, stationOnly: true },
  'desk GET /v1/grids': { path: () => '/v1/grids', sees: has('code', (f) => f.gridCode) },
  'desk GET /v1/officers': { path: () => '/v1/officers', sees: nonEmpty, stationOnly: true },
  'desk POST /v1/cases/:caseId/acknowledge': command('acknowledge', () => ({})),
  'desk POST /v1/cases/:caseId/resolve': command('resolve', () => ({ outcome: 'mediated', note: 'matrix' })),
  'desk POST /v1/cases/:caseId/reassign': command('reassign', (f) => ({ officerIds: [f.officerId] })),
  'desk POST /v1/cases/:caseId/notes': command('notes', () => ({ text: 'matrix' })),
  'desk POST /v1/cases/:caseId/reopen': command('reopen', () => ({ reason: 'matrix' })),
  'desk POST /v1/cases/:caseId/verify': command('verify', () => ({ result: 'passed', note: 'matrix' })),
  'desk POST /v1/cases/:caseId/follow-up': command('follow-up', () => ({ satisfaction: 'satisfied', note: 'matrix' })),
  'desk POST /v1/cases/:caseId/extension': command('extension', () => ({ until: FUTURE, reason: 'matrix' })),
  'desk POST /v1/cases/:caseId/extension/approve': command('extension/approve', () => ({})),
  'desk POST /v1/cases/:caseId/extension/reject': command('extension/reject', () => ({ reason: 'matrix' })),
  'desk POST /v1/cases/:caseId/hold': command('hold', () => ({ reason: 'matrix' })),
  'desk POST /v1/cases/:caseId/resume': command('resume', () => ({})),
};

interface Principal {
  label: string;
  role: Role | 'none';
  token: string | null;
  /** In the fixture's station (and, for community, its grid). */
  inStation: boolean;
  inGrid: boolean;
  /** The client that posted the fixture report and owns the webhook. */
  owner: boolean;
}

/** An open SSE stream and what it has sent so far, parsed as events. */
async function openStream(url: string) {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  const stream = { status: res.status, text: '', close: () => abort.abort() };
  void (async () => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) stream.text += r.value;
    } catch {
      // Closed by the test.
    }
  })();
  const events = () =>
    stream.text
      .split('\n\n')
      .map((frame) => frame.split('\n').find((l) => l.startsWith('data: '))?.slice(6))
      .filter((d): d is string => Boolean(d))
      .map((d) => JSON.parse(d) as { caseId: string; type: string; data: Record<string, unknown>; redacted?: string[] });
  return { ...stream, get text() { return stream.text; }, events, close: stream.close };
}

interface Cell {
  route: string;
  who: string;
  expected: string;
  status: number;
  ok: boolean;
}

describe('the authorization matrix: every route × every role × own/other station × own/other client', () => {
  let stack: Stack;
  let fx: Fixture;
  const principals: Principal[] = [];
  const routes: { service: ServiceName; access: RouteAccess }[] = [];

  const call = async (service: ServiceName, method: string, path: string, token: string | null, sample?: Sample, f?: Fixture) => {
    const body = sample?.body && f ? JSON.stringify(sample.body(f)) : sample?.form ? new URLSearchParams(sample.form).toString() : undefined;
    const abort = new AbortController();
    const res = await fetch(stack.url(service, path), {
      method,
      signal: abort.signal,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': sample?.form ? 'application/x-www-form-urlencoded' : 'application/json' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    if (sample?.stream && res.status === 200) {
      abort.abort();
      return { status: res.status, body: undefined };
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: res.status, body: parsed as any };
  };

  const client = async (name: string, roles: Role[], extra: Record<string, unknown> = {}) => {
    const res = await stack.call('intake', 'POST', '/v1/clients', { body: { name, roles, ...extra } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { clientId: string; token: string };
  };

  beforeAll(async () => {
    // A webhook to a local port nobody listens on: the subscription is what the matrix needs.
    stack = await Stack.start(isolatedEnv, { WEBHOOK_ALLOW_LOOPBACK: 'true' });
    const admin = { token: ADMIN_TOKEN };
    const grids = (await stack.call('assignment', 'GET', '/v1/grids', admin)).body.items as { code: string; policeGridCode: string }[];
    const [station] = (await stack.call('assignment', 'GET', '/v1/stations', admin)).body.items as { code: string }[];
    const officers = (await stack.call('assignment', 'GET', '/v1/officers', admin)).body.items as { officerId: string; role: string }[];
    const grid = grids[0]!;
    const OTHER = 'XX';

    const owner = await client('matrix reporter', ['reporter'], { stations: [station!.code] });
    const post = async (externalId: string, description: string, gridCode: string) => {
      const res = await stack.call('intake', 'POST', '/v1/reports', {
        token: owner.token,
        body: { externalId, description, location: { gridCode }, reporter: { name: '王芳', phone: '13800001111' } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const reportId = res.body.reportId as string;
      const caseId = await eventually(`report ${externalId} assigned`, async () => {
        const view = (await stack.call('intake', 'GET', `/v1/reports/${reportId}`, admin)).body;
        return view?.status === 'assigned' ? (view.caseId as string) : undefined;
      });
      // The desk and the timer service have seen it too.
      await eventually(`desk shows ${caseId}`, async () => (await stack.call('desk', 'GET', `/v1/cases/${caseId}`, admin)).status === 200 || undefined);
      await eventually(`timers of ${caseId}`, async () => {
        const timers = (await stack.call('escalation', 'GET', `/v1/timers?caseId=${caseId}`, admin)).body;
        return timers?.items?.length > 0 || undefined;
      });
      return { reportId, caseId };
    };
    const viewed = await post(`matrix-${Date.now()}-a`, '宝河苑5号楼两户邻居因楼道堆放杂物争吵', grid.code);
    // Other words in the same grid (so the community tokens' grid covers both): a case of its own, not a repeat.
    const commanded = await post(`matrix-${Date.now()}-b`, '金川路菜市场门口两个摊主因占道经营吵架', grid.code);
    const hook = await stack.call('intake', 'POST', '/v1/webhooks', { token: owner.token, body: { url: 'http://127.0.0.1:9/gridcase', secret: 'a-secret-of-enough-length-1234' } });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const categories = (await stack.call('triage', 'GET', '/v1/categories', admin)).body.items as { code: string }[];
    fx = {
      station: station!.code,
      gridCode: grid.code,
      policeGridCode: grid.policeGridCode,
      caseId: viewed.caseId,
      reportId: viewed.reportId,
      commandCaseId: commanded.caseId,
      officerId: officers.find((o) => o.role === 'officer')!.officerId,
      webhookId: hook.body.webhookId,
      categoryCode: categories[0]!.code,
    };

    principals.push({ label: 'no token', role: 'none', token: null, inStation: false, inGrid: false, owner: false });
    principals.push({ label: 'admin (ADMIN_TOKEN, every station)', role: 'admin', token: ADMIN_TOKEN, inStation: true, inGrid: true, owner: false });
    for (const role of ROLES) {
      for (const inStation of [true, false]) {
        const stations = [inStation ? fx.station : OTHER];
        const extra = role === 'community' ? { stations: [fx.station], grids: [inStation ? fx.gridCode : 'NO-SUCH-GRID'] } : { stations };
        const where = role === 'community' ? (inStation ? 'own grid' : 'other grid') : inStation ? 'own station' : 'other station';
        const made = await client(`matrix ${role} ${where}`, [role], extra);
        // For community the "other" token differs by grid only: it is still of the station.
        principals.push({ label: `${role}, ${where}`, role, token: made.token, inStation: role === 'community' ? true : inStation, inGrid: inStation, owner: false });
      }
    }
    // Only admin is station-wide without `stations`: a desk token without them sees no station's data.
    const unscopedDesk = await client('matrix desk without stations', ['desk']);
    principals.push({ label: 'desk, no stations', role: 'desk', token: unscopedDesk.token, inStation: false, inGrid: false, owner: false });
    // Own/other client: the poster of the report and owner of the webhook comes last, after the others tried.
    principals.push({ label: 'reporter, owner of the report', role: 'reporter', token: owner.token, inStation: true, inGrid: true, owner: true });

    for (const service of SERVICES) {
      const res = await stack.call(service, 'GET', '/v1/access', admin);
      expect(res.status, `${service} /v1/access: ${JSON.stringify(res.body)}`).toBe(200);
      for (const access of res.body.routes as RouteAccess[]) if (access.auth !== 'public') routes.push({ service, access });
    }
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** Posts a report as a new reporter client and waits for its case on the desk. */
  const openCase = async (description: string, gridCode: string, category?: string) => {
    const sender = await client('matrix sender', ['reporter']);
    const res = await stack.call('intake', 'POST', '/v1/reports', {
      token: sender.token,
      body: { externalId: `m-${Date.now()}-${Math.random()}`, description, location: { gridCode }, ...(category ? { category } : {}), reporter: { name: '王芳', phone: '13800001111' } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const caseId = await eventually(`case of ${res.body.reportId}`, async () => {
      const view = (await stack.call('intake', 'GET', `/v1/reports/${res.body.reportId}`)).body;
      return view?.status === 'assigned' ? (view.caseId as string) : undefined;
    });
    return { caseId, reportId: res.body.reportId as string };
  };

  it('shows a community token its own grid only, without the reporter or a tip\'s description, in answers and on the stream', async () => {
    const gridA = fx.gridCode;
    const grids = (await stack.call('assignment', 'GET', '/v1/grids')).body.items as { code: string }[];
    const gridB = grids.find((g) => g.code !== gridA)!.code;
    const a = await client('community A', ['community'], { grids: [gridA] });
    const b = await client('community B', ['community'], { grids: [gridB] });
    const streamA = await openStream(stack.url('desk', `/v1/stream?access_token=${encodeURIComponent(a.token)}`));
    const streamB = await openStream(stack.url('desk', `/v1/stream?access_token=${encodeURIComponent(b.token)}`));
    expect([streamA.status, streamB.status]).toEqual([200, 200]);
    try {
      const tip = await openCase('举报：宝河苑小区7号楼地下室经常有人聚集吸毒，晚上很吵', gridA, 'tip.vice');
      await eventually('A streams the tip case assigned', async () => streamA.events().some((e) => e.caseId === tip.caseId && e.type.endsWith('assigned.v1')) || undefined);
      // Committed after every event of the tip: once B streams it, B has passed over the tip's events.
      const other = await openCase('金川路口两辆电动车相撞后车主争执不下', gridB);
      await eventually('B streams its own case', async () => streamB.events().some((e) => e.caseId === other.caseId) || undefined);
      expect(streamB.events().filter((e) => e.caseId === tip.caseId)).toEqual([]);
      const opened = streamA.events().find((e) => e.caseId === tip.caseId && e.type.endsWith('opened.v1'))!;
      expect(opened.data.description).toBeNull();
      expect(opened.redacted).toEqual(['description', 'reporter']);
      expect(streamA.text).not.toContain('吸毒');

      const seen = await stack.call('desk', 'GET', `/v1/cases/${tip.caseId}`, { token: a.token });
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ description: null, redacted: ['description', 'reporter'] });
      expect(JSON.stringify(seen.body)).not.toContain('吸毒');
      expect((await stack.call('desk', 'GET', `/v1/cases/${tip.caseId}`, { token: b.token })).status).toBe(404);
      const listA = (await stack.call('desk', 'GET', '/v1/cases', { token: a.token })).body.items as { caseId: string; gridCode: string }[];
      expect(listA.every((c) => c.gridCode === gridA)).toBe(true);
      expect(listA.map((c) => c.caseId)).toContain(tip.caseId);
      // Reporter data lives at intake, which community tokens cannot read at all.
      expect((await stack.call('intake', 'GET', `/v1/reports/${tip.reportId}/reporter`, { token: a.token })).status).toBe(403);
    } finally {
      streamA.close();
      streamB.close();
    }
  }, 180_000);

  it('keeps an append-only audit log of admin changes and reads of personal data, with no personal data in it', async () => {
    const desk = await client('audit desk', ['desk'], { stations: [fx.station] });
    const read = await stack.call('intake', 'GET', `/v1/reports/${fx.reportId}/reporter`, { token: desk.token });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    const ladder = (await stack.call('assignment', 'GET', '/v1/ladder')).body.items as { level: number; respondMinutes: number; resolveMinutes: number }[];
    const rung = ladder.find((l) => l.level === 1)!;
    const set = await stack.call('assignment', 'PUT', '/v1/ladder/1', { body: { respondMinutes: rung.respondMinutes, resolveMinutes: rung.resolveMinutes } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);

    const intakeLog = (await stack.call('intake', 'GET', '/v1/audit?limit=500')).body.items as { actor: string; action: string; target: string; after: unknown }[];
    expect(intakeLog).toContainEqual(expect.objectContaining({ actor: desk.clientId, action: 'reporter.read', target: `report:${fx.reportId}` }));
    expect(intakeLog).toContainEqual(expect.objectContaining({ actor: 'admin', action: 'client.created', target: `client:${desk.clientId}` }));
    const ladderLog = (await stack.call('assignment', 'GET', '/v1/audit?actor=admin')).body.items as { action: string; before: unknown; after: unknown }[];
    expect(ladderLog).toContainEqual(expect.objectContaining({ action: 'ladder.set', before: expect.objectContaining({ level: 1 }), after: expect.objectContaining({ level: 1 }) }));
    for (const service of ['triage', 'escalation', 'desk'] as const) expect((await stack.call(service, 'GET', '/v1/audit')).status).toBe(200);
    expect(JSON.stringify(intakeLog)).not.toMatch(/王芳|13800001111/);

    const db = new pg.Client({ connectionString: stack.env.DATABASE_URL });
    await db.connect();
    try {
      await expect(db.query(`update intake.audit set actor = 'someone else'`)).rejects.toThrow(/append-only/);
      await expect(db.query('delete from intake.audit')).rejects.toThrow(/append-only/);
    } finally {
      await db.end();
    }
  }, 120_000);

  it('has a sample request for every route every service registers', () => {
    const missing = routes.map(({ service, access }) => `${service} ${access.method} ${access.url}`).filter((key) => !SAMPLES[key]);
    expect(missing, 'routes without a sample in SAMPLES (add one: the matrix must cover every route)').toEqual([]);
    expect(routes.length).toBeGreaterThan(50);
  });

  it('answers every cell as the route declares', async () => {
    const cells: Cell[] = [];
    for (const { service, access } of routes) {
      const key = `${service} ${access.method} ${access.url}`;
      const sample = SAMPLES[key];
      if (!sample) continue;
      for (const p of principals) {
        const path = sample.path(fx);
        const res = await call(service, access.method, path, p.token, sample, fx);
        const allowed = p.role !== 'none' && (p.role === 'admin' || access.roles.includes(p.role));
        const roleRefusal = res.status === 403 && /needs .*role/.test(String(res.body?.detail ?? JSON.stringify(res.body)));
        let expected: string;
        let ok: boolean;
        if (p.role === 'none') {
          expected = '401';
          ok = res.status === 401;
        } else if (!allowed) {
          expected = '403';
          ok = res.status === 403;
        } else {
          // A reporter sees its own things only, whatever the route's scope; the others by station and grid.
          const ownerOnly = access.scope === 'own' || (access.scope === 'station' && p.role === 'reporter' && !sample.reference);
          const namesOwnThing = Boolean(sample.sees) || path.includes(fx.webhookId) || path.includes(fx.reportId);
          const inScope = ownerOnly ? p.owner || !namesOwnThing : access.scope === 'station' ? p.inStation && (sample.stationOnly || p.inGrid) : true;
          if (access.scope === 'install' && !p.inStation) {
            // This install's own settings and records: a token limited to another station is told why, not shown a 404.
            expected = "403 (not this install's station)";
            ok = res.status === 403 && /do not include the station this install serves/.test(String(res.body?.detail));
          } else if (sample.stream) {
            // A stream opens for every allowed token; its scope applies to each event (desk's own tests show that).
            expected = 'stream opens';
            ok = res.status === 200;
          } else if (sample.absent && inScope) {
            expected = 'allowed (404: nothing there)';
            ok = res.status !== 401 && !roleRefusal && res.status < 500;
          } else if (inScope) {
            expected = sample.sees ? 'sees the case' : 'allowed';
            ok = ![401, 404].includes(res.status) && !roleRefusal && res.status < 500 && (!sample.sees || (res.status === 200 && sample.sees(res.body, fx)));
          } else {
            expected = sample.sees ? 'does not see it' : '404';
            ok = sample.sees ? res.status === 200 && !sample.sees(res.body, fx) : res.status === 404;
          }
        }
        cells.push({ route: key, who: p.label, expected, status: res.status, ok });
      }
    }
    // The matrix it checked, one line per route: the status each principal got.
    const byRoute = new Map<string, Cell[]>();
    for (const c of cells) byRoute.set(c.route, [...(byRoute.get(c.route) ?? []), c]);
    const lines = [...byRoute].map(([route, row]) => `${route.padEnd(58)} ${row.map((c) => `${c.status}${c.ok ? '' : '!'}`).join(' ')}`);
    const header = `authorization matrix: ${byRoute.size} routes × ${principals.length} principals = ${cells.length} cells; columns: ${principals.map((p) => p.label).join(' | ')}`;
    process.stdout.write(`${[header, ...lines].join('\n')}\n`);
    const wrong = cells.filter((c) => !c.ok).map((c) => `${c.route} as ${c.who}: expected ${c.expected}, got ${c.status}`);
    expect(wrong).toEqual([]);
  }, 300_000);
});
