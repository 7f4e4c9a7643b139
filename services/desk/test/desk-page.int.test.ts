import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CATEGORIES, type DataOf, type EventType, makeMessage, newId, type Officer, TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artefactDir, type Browser, ensureDeskPageBuilt, launchChromium, type Page } from '../../../infra/test/desk-page.ts';
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
  const ONE_OFFICER: Officer[] = [{ officerId: 'officer-PG-01', name: '王彦军', role: 'officer', policeGridCode: 'PG-01', onDuty: false, duty: 'on-leave', onCall: false } as Officer];
  /** The roster the stand-in answers GET /v1/officers with (the page test names more people). */
  let officers = ONE_OFFICER;
  /** A token the stand-in answers GET /v1/stations with no station for (as assignment does for a token scoped elsewhere). */
  let stationless = '';
  const upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (upstreamDown) return res.writeHead(503, { 'content-type': 'application/problem+json' }).end('{"detail":"down for the test"}');
    const body =
      req.url === '/v1/categories'
        ? { items: [{ code: 'dispute.neighbour', kind: 'dispute', name: { zh: '邻里纠纷', en: 'Neighbour dispute' }, defaultSeverity: 'yellow' }], severities: [], ruleVersion: 3 }
        : req.url === '/v1/stations'
          ? { items: req.headers.authorization === `Bearer ${stationless}` ? [] : [{ code: 'CG', name: '城关派出所' }] }
          : req.url === '/v1/police-grids'
          ? { items: [{ code: 'PG-01', name: '第一警务区', stationCode: 'CG', geometry: square(101.93, 38.26) }] }
          : req.url === '/v1/officers'
          ? { items: officers }
          : { items: [{ code: 'BHY-01', name: '宝河苑第一网格', policeGridCode: 'PG-01', community: { code: 'baoheyuan', name: '宝河苑社区' }, geometry: square(101.93, 38.26) }] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });

  beforeAll(async () => {
    // Desk reads the page's dist/ when it starts: built first when its sources are newer.
    ensureDeskPageBuilt();
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

  /**
   * The page itself in the machine's Chromium (playwright-core), against this desk: the case events
   * come from the test as the case of record would send them (another person acting meanwhile).
   */
  describe('the page in Chromium', () => {
    let browser: Browser;
    const me = { clientId: 'desk-page', name: '值班员甲', roles: ['desk' as const], stations: ['CG'] };
    const sv = { clientId: 'sv-1', name: '督导', roles: ['supervisor' as const] };
    const grid = { policeGridCode: 'PG-01', gridCode: 'BHY-01' };
    let base: string;

    beforeAll(async () => {
      browser = await launchChromium();
      base = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
      officers = [
        ...ONE_OFFICER,
        { officerId: 'o-zhao', name: '赵刚', role: 'lead', policeGridCode: 'PG-01', onDuty: true },
        { officerId: 'w-li', name: '小李', role: 'gridWorker', policeGridCode: 'PG-01', gridCode: 'BHY-01', onDuty: true },
        { officerId: 'w-wang', name: '小王', role: 'gridWorker', policeGridCode: 'PG-01', gridCode: 'BHY-02', onDuty: true },
      ] as Officer[];
    });
    afterAll(async () => {
      officers = ONE_OFFICER;
      await browser?.close();
    });

    /** A case of grid BHY-01, owned by 王彦军, opened a minute ago with its respond clock running. */
    async function caseAtGrid(): Promise<string> {
      const caseId = newId();
      await open(caseId, { gridCode: 'BHY-01' }, 59);
      await emit('gridcase.case.assigned.v1', {
        caseId,
        level: 0,
        assignees: [{ officerId: 'officer-PG-01', role: 'officer', name: '王彦军' }],
        ...grid,
        routedBy: 'gridCode',
        at: new Date().toISOString(),
      });
      return caseId;
    }

    async function signedIn(viewport = { width: 1600, height: 1000 }, token = service.rt.signer.issue(me)): Promise<Page> {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'America/New_York' });
      const page = await context.newPage();
      await page.goto(`${base}/`);
      await page.fill('#token', token);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('[data-testid="live"][data-state="live"]').waitFor();
      return page;
    }

    const openCaseOn = async (page: Page, caseId: string, status: string) => {
      const row = page.locator(`[data-testid="case-list"] tr[data-case-id="${caseId}"]`);
      await row.waitFor({ timeout: 30_000 });
      await row.locator('button.case-number').click();
      await page.locator(`[data-testid="case-view"][data-status="${status}"]`).waitFor({ timeout: 30_000 });
    };
    const text = async (page: Page, selector: string) => (await page.locator(selector).textContent()) ?? '';
    /** A new open case, shown on a signed-in page with a command's form open. */
    async function formOnNewCase(command: string) {
      const caseId = await caseAtGrid();
      const page = await signedIn();
      await openCaseOn(page, caseId, 'open');
      await page.locator(`[data-testid="actions"] [data-command="${command}"]`).click();
      return { caseId, page, form: page.locator(`form.command-form[data-command="${command}"]`) };
    }

    it('keeps an open form and its typed note when someone else acts on the case, and says who did what', async () => {
      const { caseId, page, form } = await formOnNewCase('acknowledge');
      await form.locator('textarea[name="note"]').fill('已电话联系报告人，正在赶往现场');
      // Meanwhile a supervisor acknowledges the case: the live update redraws it as acknowledged.
      await emit('gridcase.case.acknowledged.v1', { caseId, commandId: newId(), by: sv, note: '督导已签收', at: new Date().toISOString() });
      await page.locator('[data-testid="case-view"][data-status="acknowledged"]').waitFor({ timeout: 30_000 });
      await expect.poll(() => text(page, '[data-testid="form-stale"]')).toContain('已由 督导 签收');
      expect(await form.locator('textarea[name="note"]').inputValue()).toBe('已电话联系报告人，正在赶往现场');
      expect(await form.locator('[data-testid="command-submit"]').count()).toBe(0);
      await form.locator('[data-testid="command-cancel"]').click();
      await form.waitFor({ state: 'detached' });
      await page.context().close();
    });

    it('starts outcome and result unchosen and requires them; says in words why verify is not this person’s', async () => {
      const [mine, theirs] = [await caseAtGrid(), await caseAtGrid()];
      for (const caseId of [mine, theirs]) {
        await emit('gridcase.case.acknowledged.v1', { caseId, commandId: newId(), by: sv, at: new Date().toISOString() });
      }
      const page = await signedIn();
      await openCaseOn(page, mine, 'acknowledged');
      const posts: string[] = [];
      page.on('request', (r) => (r.method() === 'POST' ? posts.push(r.url()) : undefined));
      /** Opens a command's form, finds its select unchosen, sends it with a note alone: refused on the page, nothing sent. */
      const unchosen = async (command: string, select: string, says: string) => {
        await page.locator(`[data-testid="actions"] [data-command="${command}"]`).click();
        const form = page.locator(`form.command-form[data-command="${command}"]`);
        expect(await form.locator(`select[name="${select}"]`).inputValue()).toBe('');
        await form.locator('textarea[name="note"]').fill('已处理');
        await form.locator('[data-testid="command-submit"]').click();
        await expect.poll(() => text(page, 'form.command-form [role="alert"]')).toContain(says);
        expect(posts).toEqual([]);
        await form.locator('[data-testid="command-cancel"]').click();
      };
      await unchosen('resolve', 'outcome', '请填写办结结果');

      // Resolved by this desk token: verify is shown disabled, and why is written out under the buttons.
      await emit('gridcase.case.resolved.v1', { caseId: mine, commandId: newId(), outcome: 'mediated', note: '已调解', by: { clientId: me.clientId }, at: new Date().toISOString() });
      await page.locator('[data-testid="case-view"][data-status="resolved"]').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid="actions"] [data-command="verify"]').isDisabled()).toBe(true);
      expect(await text(page, '[data-testid="blocked"]')).toContain('核查不可用：核查须由办结人以外的人进行');

      // Resolved by someone else: verify's result starts unchosen and must be chosen.
      await emit('gridcase.case.resolved.v1', { caseId: theirs, commandId: newId(), outcome: 'mediated', note: '已调解', by: sv, at: new Date().toISOString() });
      await openCaseOn(page, theirs, 'resolved');
      await unchosen('verify', 'result', '请填写核查结果');
      await page.context().close();
    });

    it("offers in 改派 only grid workers of the case's grid, and shows the case of record's reason for a refusal", async () => {
      const { page, form } = await formOnNewCase('reassign');
      await form.locator('input[name="search"]').fill('小');
      await expect.poll(() => text(page, '[data-testid="roster"]')).toContain('小李');
      // 小王 is the grid worker of BHY-02: the case of record would always refuse him.
      expect(await text(page, '[data-testid="roster"]')).not.toContain('小王');
      await form.locator('input[value="w-li"]').check();
      // The answer the case of record gives when it refuses a person (as desk passes it on: problem+json).
      await page.route('**/reassign?wait=true', (route) =>
        route.fulfill({
          status: 400,
          contentType: 'application/problem+json',
          body: JSON.stringify({ title: 'Bad Request', status: 400, errors: [{ path: 'officerIds.0', message: 'a red or orange case needs a police officer among its owners: name at least one officer, lead or leader' }] }),
        }),
      );
      await form.locator('[data-testid="command-submit"]').click();
      await expect.poll(() => text(page, '[data-testid="form-refusal"]')).toContain('小李：红色、橙色案件须至少有一名民警');
      await page.context().close();
    });

    it('on a 390 px phone keeps 时限 on screen and brings an opened case into view', async () => {
      const caseId = await caseAtGrid();
      const page = await signedIn({ width: 390, height: 844 });
      const row = page.locator(`[data-testid="case-list"] tr[data-case-id="${caseId}"]`);
      await row.waitFor({ timeout: 30_000 });
      await page.screenshot({ path: `${artefactDir('desk-page-int')}narrow.png`, fullPage: true });
      const column = await page.locator('[data-testid="case-list"] thead th').evaluateAll((ths) => ths.findIndex((th) => th.textContent?.includes('时限')));
      const deadline = await row.locator(`td:nth-child(${column + 1})`).boundingBox();
      expect(deadline).not.toBeNull();
      expect(deadline!.x + deadline!.width).toBeLessThanOrEqual(390);
      await row.locator('button.case-number').tap().catch(() => row.locator('button.case-number').click());
      const panel = page.locator('[data-testid="case-view"]');
      await panel.waitFor({ timeout: 30_000 });
      // The panel is drawn under the list; the page scrolls to it (its heading near the top, not below the fold).
      await expect.poll(async () => (await panel.locator('h2').boundingBox())?.y ?? -1).toBeGreaterThanOrEqual(0);
      await expect.poll(async () => (await panel.locator('h2').boundingBox())?.y ?? 9999).toBeLessThan(844 / 2);
      await page.screenshot({ path: `${artefactDir('desk-page-int')}narrow-case.png` });
      await page.context().close();
    });

    it('counts in the queues the cases waiting for 核查 and 回访 and those on 挂账, not only the unresolved', async () => {
      // A police grid of its own, so the other tests' cases do not count here: one case to verify, two to follow up, three held.
      const [by, at] = [sv, () => new Date().toISOString()];
      const inGrid = async () => {
        const caseId = newId();
        await open(caseId, { gridCode: 'BHY-09' }, 59);
        await emit('gridcase.case.assigned.v1', { caseId, level: 0, assignees: [{ officerId: 'officer-PG-09', role: 'officer', name: '钱伟' }], policeGridCode: 'PG-09', gridCode: 'BHY-09', routedBy: 'gridCode', at: at() });
        await emit('gridcase.case.acknowledged.v1', { caseId, commandId: newId(), by, at: at() });
        return caseId;
      };
      const resolve = (caseId: string) => emit('gridcase.case.resolved.v1', { caseId, commandId: newId(), outcome: 'mediated', note: '已调解', by, at: at() });
      await resolve(await inGrid());
      for (let i = 0; i < 2; i++) {
        const caseId = await inGrid();
        await resolve(caseId);
        await emit('gridcase.case.verified.v1', { caseId, commandId: newId(), result: 'passed', note: '现场查看', status: 'follow-up', reworkCount: 0, by, at: at() });
      }
      for (let i = 0; i < 3; i++) {
        await emit('gridcase.case.held.v1', { caseId: await inGrid(), commandId: newId(), reason: '等待法院判决', fromStatus: 'acknowledged', by, at: at() });
      }
      await eventually('the six cases of PG-09 counted', async () => {
        const row = (await get('/v1/queues')).json().policeGrids.find((g: { policeGridCode: string }) => g.policeGridCode === 'PG-09');
        return row?.resolved + row?.followUp + row?.onHold === 6 ? row : undefined;
      });

      const page = await signedIn();
      const table = page.locator('[data-testid="queue-police-grids"]');
      const row = table.locator('tbody tr', { hasText: 'PG-09' });
      await row.waitFor({ timeout: 30_000 });
      const heads = (await table.locator('thead th').allTextContents()).map((h) => h.trim());
      const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
      const shown = Object.fromEntries(heads.slice(1).map((h, i) => [h, cells[i + 1]]));
      expect(shown).toMatchObject({ 待签收: '0', 已签收: '0', 核查: '1', 回访: '2', 挂账: '3' });
      await page.screenshot({ path: `${artefactDir('desk-page-int')}queues.png` });
      await page.context().close();
    });

    it('loads the list again after a reload failed in a network drop, with no further event to prompt it', async () => {
      const page = await signedIn();
      await page.locator('section.list').waitFor();
      // The drop: the list's reads fail while the stream stays up (it is another path).
      let refused = 0;
      const isList = (url: URL) => url.pathname === '/v1/cases';
      await page.route(isList, (route) => {
        refused++;
        return route.abort('internetdisconnected');
      });
      const caseId = await caseAtGrid();
      await expect.poll(() => refused).toBeGreaterThan(0);
      await page.locator('section.list .problem').waitFor();
      // The network is back; the case's events have all come, so only a retry can show it.
      await page.unroute(isList);
      await page.locator(`[data-testid="case-list"] tr[data-case-id="${caseId}"]`).waitFor({ timeout: 30_000 });
      expect(await page.locator('section.list .problem').count()).toBe(0);
      await page.context().close();
    });

    it("shows none of the previous filter's rows when the new filter's list fails to load (audit20 #3)", async () => {
      const caseId = await caseAtGrid();
      const page = await signedIn();
      await page.locator(`[data-testid="case-list"] tr[data-case-id="${caseId}"]`).waitFor({ timeout: 30_000 });
      // The desk refuses the overdue list (as it does while the revocation list is stale).
      await page.route(
        (url) => url.pathname === '/v1/cases' && url.searchParams.get('overdue') === 'true',
        (route) => route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Service Unavailable', status: 503, detail: 'the revocation list is stale' }) }),
      );
      await page.locator('.chips button', { hasText: '已超时' }).click();
      await page.locator('section.list .problem').waitFor();
      // The unresolved rows are not the answer to 已超时: nothing is listed under the failure.
      expect(await page.locator('[data-testid="case-list"]').count()).toBe(0);
      await page.screenshot({ path: `${artefactDir('desk-page-int')}filter-failed.png` });
      await page.context().close();
    });

    it("says an outage in Chinese, with the server's English detail on hover (audit20 #4)", async () => {
      const page = await signedIn();
      await page.locator('section.list').waitFor();
      const detail = 'http://127.0.0.1:3003 did not answer /v1/cases; the page shows it once it does';
      await page.route(
        (url) => url.pathname === '/v1/cases' && url.searchParams.get('status') === 'on-hold',
        (route) => route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Service Unavailable', status: 503, detail }) }),
      );
      await page.locator('.chips button', { hasText: '挂账' }).click();
      const problem = page.locator('section.list .problem');
      await expect.poll(() => problem.textContent()).toContain('服务暂时不可用，正在自动重试');
      expect(await problem.textContent()).not.toContain('did not answer');
      expect(await problem.getAttribute('title')).toBe(detail);
      await page.screenshot({ path: `${artefactDir('desk-page-int')}outage.png` });
      await page.context().close();
    });

    it('says so when the token belongs to no police station, rather than showing a calm, empty desk (audit20 #5)', async () => {
      stationless = service.rt.signer.issue({ clientId: 'desk-xx', name: '值班员乙', roles: ['desk'], stations: ['XX'] });
      const page = await signedIn(undefined, stationless);
      const notice = page.locator('[data-testid="no-station"]');
      await expect.poll(() => notice.count()).toBe(1);
      expect(await notice.textContent()).toContain('此令牌不属于任何派出所，看不到任何案件');
      expect(await page.title()).toBe('值班台');
      await page.screenshot({ path: `${artefactDir('desk-page-int')}no-station.png` });
      await page.context().close();
      // A token of the station has no such notice.
      const ours = await signedIn();
      await expect.poll(() => ours.title()).toBe('城关派出所 · 值班台');
      expect(await ours.locator('[data-testid="no-station"]').count()).toBe(0);
      await ours.context().close();
    });
  });
});
