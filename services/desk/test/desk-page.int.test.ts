import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CATEGORIES, type DataOf, type EventType, makeMessage, newId, TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, isolatedEnv, routesTakingUnknownQuery, testProducer } from '../../../infra/test/harness.ts';
import { start } from '../src/main.ts';

const square = (lng: number, lat: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [lng, lat],
      [lng + 0.01, lat],
      [lng + 0.01, lat + 0.01],
      [lng, lat + 0.01],
      [lng, lat],
    ],
  ],
});

/**
 * What the desk page reads beyond cases: the map (GET /v1/map, points from case.opened) and the
 * station's categories and grid areas, which desk forwards from triage and assignment with the
 * caller's token (here a stand-in for both that records what it was sent).
 */
describe('desk: the reads behind the page', () => {
  let service: Awaited<ReturnType<typeof start>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;
  let deskToken: string;
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  let upstreamDown = false;
  const upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (upstreamDown) return res.writeHead(503, { 'content-type': 'application/problem+json' }).end('{"detail":"down for the test"}');
    const body =
      req.url === '/v1/categories'
        ? { items: [{ code: 'dispute.neighbour', kind: 'dispute', name: { zh: '邻里纠纷', en: 'Neighbour dispute' }, defaultSeverity: 'yellow' }], severities: [], ruleVersion: 3 }
        : req.url === '/v1/stations'
          ? { items: [{ code: 'CG', name: '城关派出所' }] }
          : req.url === '/v1/police-grids'
          ? { items: [{ code: 'PG-01', name: '第一警务区', stationCode: 'CG', geometry: square(101.93, 38.26) }] }
          : req.url === '/v1/officers'
          ? { items: [{ officerId: 'officer-PG-01', name: '王彦军', role: 'officer', policeGridCode: 'PG-01', onDuty: false, duty: 'on-leave', onCall: false }] }
          : { items: [{ code: 'BHY-01', name: '宝河苑第一网格', policeGridCode: 'PG-01', community: { code: 'baoheyuan', name: '宝河苑社区' }, geometry: square(101.93, 38.26) }] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const env = await isolatedEnv({ DESK_PORT: '0', TRIAGE_URL: url, ASSIGNMENT_URL: url });
    service = await start(env);
    producer = await testProducer(env);
    deskToken = service.rt.signer.issue({ clientId: 'desk-map', name: '值班员', roles: ['desk'], stations: ['CG'] });
  });
  afterAll(async () => {
    await producer?.disconnect();
    await service?.rt.shutdown('test done');
    upstream.close();
  });

  const get = (url: string, headers: Record<string, string> = bearer(deskToken)) => service.app.inject({ method: 'GET', url, headers });

  async function emit<T extends EventType>(type: T, data: DataOf<T>) {
    const caseId = (data as { caseId: string }).caseId;
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(makeMessage(type, { source: '/test', subject: caseId, data })));
  }

  const open = (caseId: string, location: DataOf<'gridcase.case.opened.v1'>['location'], minutes: number) => {
    const at = new Date(Date.now() - (60 - minutes) * 60_000);
    return emit('gridcase.case.opened.v1', {
      caseId,
      caseNumber: `CG-2026-${caseId.slice(-6)}`,
      reportId: `r-${caseId}`,
      station: 'CG',
      kind: 'dispute',
      category: 'dispute.neighbour',
      severity: 'orange',
      description: '楼道堆放杂物',
      location,
      // Already past: the map marks it overdue.
      respondBy: new Date(at.getTime() + 60_000).toISOString(),
      resolveBy: new Date(at.getTime() + 86_400_000).toISOString(),
      rule: 'test',
      openedAt: at.toISOString(),
    });
  };

  it('maps every case not closed with the point of its first report, newest first', async () => {
    const [withPoint, gridOnly, closed] = [newId(), newId(), newId()];
    await open(withPoint, { lat: 38.265, lng: 101.935, address: '宝河苑3号楼' }, 1);
    await open(gridOnly, { gridCode: 'BHY-01' }, 2);
    await open(closed, { lat: 38.261, lng: 101.931 }, 3);
    await emit('gridcase.case.closed.v1', { caseId: closed, reason: 'verified', at: new Date().toISOString() });

    type MapAnswer = { truncated: boolean; items: { caseId: string; point: unknown; overdue: boolean; severity: string }[] };
    const map = await eventually('the map to show both open cases and leave out the closed one', async () => {
      const res = await get('/v1/map');
      const body = res.json() as MapAnswer;
      const ids = body.items.map((c) => c.caseId);
      const settled = ids.includes(withPoint) && ids.includes(gridOnly) && !ids.includes(closed);
      return settled && (await get(`/v1/cases/${closed}`)).json().status === 'closed' ? body : undefined;
    });
    const { items } = map;
    expect(map.truncated).toBe(false);
    expect(items.findIndex((c) => c.caseId === gridOnly)).toBeLessThan(items.findIndex((c) => c.caseId === withPoint));
    expect(items.find((c) => c.caseId === withPoint)).toMatchObject({ point: { lat: 38.265, lng: 101.935 }, overdue: true, severity: 'orange' });
    expect(items.find((c) => c.caseId === gridOnly)).toMatchObject({ point: null });
    expect((await get('/v1/map', {})).statusCode).toBe(401);
  });

  it('refuses a misspelt or unknown query parameter on every route, naming it; the page and the stream take what browsers add', async () => {
    for (const [url, name] of [
      ['/v1/map?sevrity=red', 'sevrity'],
      ['/v1/queues?foo=1', 'foo'],
      ['/v1/cases?sevrity=red', 'sevrity'],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors, url).toEqual([{ path: `querystring.${name}`, message: 'unknown field' }]);
    }
    expect(await routesTakingUnknownQuery(service.app)).toEqual([]);
    // The page reads no query, so a link's own parameters change nothing.
    expect((await get('/?utm_source=mail', {})).statusCode).toBe((await get('/', {})).statusCode);
    expect((await get('/assets/none.js?v=1', {})).statusCode).toBe(404);
    // An EventSource polyfill resumes with ?lastEventId=: the token is what is judged.
    expect((await get('/v1/stream?access_token=not-a-token&lastEventId=1', {})).statusCode).toBe(401);
  });

  it("forwards the station's name, categories and grid areas from their owners with the caller's token", async () => {
    seen.length = 0;
    const categories = await get('/v1/categories');
    expect(categories.statusCode).toBe(200);
    expect(categories.json()).toEqual({ items: [expect.objectContaining({ code: 'dispute.neighbour', name: { zh: '邻里纠纷', en: 'Neighbour dispute' } })], source: 'triage' });
    // The page's title names the token's station.
    expect((await get('/v1/stations')).json()).toEqual({ items: [{ code: 'CG', name: '城关派出所' }] });
    const policeGrids = await get('/v1/police-grids');
    expect(policeGrids.json().items[0]).toMatchObject({ code: 'PG-01', geometry: { type: 'Polygon' } });
    const grids = await get('/v1/grids');
    expect(grids.json().items[0]).toMatchObject({ code: 'BHY-01', policeGridCode: 'PG-01', community: { name: '宝河苑社区' } });
    // The roster, for the page's reassign (改派) picker, with duty by the rosters as assignment has it.
    expect((await get('/v1/officers')).json()).toEqual({
      items: [{ officerId: 'officer-PG-01', name: '王彦军', role: 'officer', policeGridCode: 'PG-01', onDuty: false, duty: 'on-leave', onCall: false }],
    });
    expect(seen.map((s) => s.url)).toEqual(['/v1/categories', '/v1/stations', '/v1/police-grids', '/v1/grids', '/v1/officers']);
    expect(seen.every((s) => s.headers.authorization === `Bearer ${deskToken}`)).toBe(true);
  });

  it('falls back to the built-in catalogue when triage does not answer, and says when the grids cannot be had', async () => {
    upstreamDown = true;
    try {
      const categories = await get('/v1/categories');
      expect(categories.statusCode).toBe(200);
      expect(categories.json().source).toBe('built-in');
      expect(categories.json().items.map((c: { code: string }) => c.code)).toEqual(CATEGORIES.map((c) => c.code));
      const grids = await get('/v1/grids');
      expect(grids.statusCode).toBe(503);
      expect(grids.headers['content-type']).toContain('application/problem+json');
      expect(grids.json().detail).toContain('503');
    } finally {
      upstreamDown = false;
    }
  });
});
