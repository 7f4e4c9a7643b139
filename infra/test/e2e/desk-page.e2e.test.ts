import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artefactDir, ensureDeskPageBuilt, launchChromium } from '../desk-page.ts';
import { eventually, isolatedEnv } from '../harness.ts';
import { Stack } from '../stack.ts';
import { type Client, Station } from './station.ts';

/**
 * The duty desk page in a real browser (the machine's Chromium, driven by playwright-core) against
 * the five services: sign in with a desk token, see a reported case arrive live, take it through
 * its life with the grid officer in a second browser, find it on the map. Screenshots go to
 * test-results/desk-page/.
 */
describe('the duty desk page in Chromium', () => {
  let stack: Stack;
  let st: Station;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const shots = artefactDir('desk-page');
  /** Errors the pages logged (scripts, CSP, failed loads): there must be none. */
  const pageErrors: string[] = [];
  /**
   * While the test has desk stopped, cut and refused connections are what it expects, and while it starts
   * again, 503s (its port answers at once: /readyz and everything else 503 until it is ready).
   */
  let deskDown = false;

  beforeAll(async () => {
    ensureDeskPageBuilt();
    stack = await Stack.start(isolatedEnv);
    st = await Station.open(stack);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await st?.close();
    await stack?.stop();
  });

  /** A page in a browser whose own zone is New York: every time shown must still be Beijing time. */
  async function openPage(who: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', timezoneId: 'America/New_York' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${who}: ${err.message}`));
    page.on('console', (msg) => {
      // A response's status is recorded by its response (below), when it came: Chromium's console line for it
      // may come after the test has moved on.
      if (msg.type() !== 'error' || msg.text().includes('the server responded with a status of') || (deskDown && msg.text().includes('net::ERR_'))) return;
      pageErrors.push(`${who}: ${msg.text()}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400 && !(deskDown && res.status() === 503)) pageErrors.push(`${who}: ${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
    });
    await page.goto(stack.url('desk', '/'));
    return page;
  }

  async function signIn(page: Page, client: Client) {
    await page.fill('#token', client.token);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('[data-testid="live"][data-state="live"]').waitFor();
  }

  /** What a part of the page says (its text, without the layout's line breaks). */
  const text = async (l: Locator) => (await l.textContent()) ?? '';
  const shot = (page: Page, name: string) => page.screenshot({ path: `${shots}${name}.png`, fullPage: true });
  const caseView = (page: Page) => page.locator('[data-testid="case-view"]');
  const statusIs = (page: Page, status: string) => page.locator(`[data-testid="case-view"][data-status="${status}"]`).waitFor({ timeout: 30_000 });

  /** Opens a command's form with its key (or its button), fills it, sends it. */
  async function issue(page: Page, command: string, fill: Record<string, string> = {}, how: 'key' | 'click' = 'click') {
    if (how === 'key') {
      await page.locator('body').focus();
      await page.keyboard.press(await page.locator(`[data-testid="actions"] [data-command="${command}"]`).getAttribute('aria-keyshortcuts').then((k) => k!));
    } else {
      await page.locator(`[data-testid="actions"] [data-command="${command}"]`).click();
    }
    const form = page.locator(`form.command-form[data-command="${command}"]`);
    await form.waitFor();
    for (const [field, value] of Object.entries(fill)) {
      const input = form.locator(`[name="${field}"]`);
      if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(value);
      else await input.fill(value);
    }
    // Ctrl+Enter in a note (a multi-line field) sends the form, as Enter does in a one-line field (a select takes Enter for itself).
    if (how === 'key') {
      const note = form.locator('textarea');
      if (await note.count()) await note.last().press('Control+Enter');
      else await form.locator('input[type="text"]').last().press('Enter');
    }
    else await form.locator('[data-testid="command-submit"]').click();
    await form.waitFor({ state: 'detached', timeout: 30_000 });
  }

  it('signs in, shows a new case live, takes it from open to closed with the grid officer, and maps it', async () => {
    const grid = st.grids[0]! as (typeof st.grids)[number] & { geometry: { coordinates: number[][][] } };
    const officer = st.officerOf(grid, 'officer');
    const officerClient = await st.client(officer.name, ['officer'], officer.officerId);
    const ring = grid.geometry.coordinates[0]!;
    const lng = ring.slice(0, -1).reduce((s, p) => s + p[0]!, 0) / (ring.length - 1);
    const lat = ring.slice(0, -1).reduce((s, p) => s + p[1]!, 0) / (ring.length - 1);

    const desk = await openPage('desk');
    await showsSignIn(desk);
    await signIn(desk, st.desk);
    await expect.poll(() => text(desk.locator('[data-testid="me"]'))).toContain('值班台');
    // The title names the token's station, as assignment names it (not a name built into the page).
    const [station] = (await stack.call('assignment', 'GET', '/v1/stations', { token: st.desk.token })).body.items as { name: string }[];
    await expect.poll(() => desk.title()).toBe(`${station!.name} · 值班台`);
    await shot(desk, '02-signed-in');

    // A report arrives while the desk watches: its case appears without a reload.
    const { caseId } = await st.openCase({
      // The number written into the text is masked everywhere but the reporter's data (intake).
      description: '宝河苑3号楼楼道里有住户给电动车充电，邻居多次劝说无果，担心起火，联系电话13912345678',
      title: '楼道电动车充电',
      location: { lat, lng, address: '宝河苑3号楼' },
      reporter: { name: '李秀兰', phone: '13912345678' },
    });
    const row = desk.locator(`[data-testid="case-list"] tr[data-case-id="${caseId}"]`);
    await row.waitFor({ timeout: 30_000 });
    const rowText = await text(row);
    expect(rowText).toContain('新');
    expect(rowText).toMatch(/\d{2}-\d{2} \d{2}:\d{2}/);
    // The list's deadline is short, on one line (the full one is its title).
    expect(rowText).toMatch(/剩\d+(分|小时|天)/);
    expect(rowText).toContain('待签收');
    expect(rowText).not.toMatch(/\b(open|orange|yellow|red|hazard\.|dispute\.)/);
    await expect.poll(() => text(desk.locator('[data-testid="queue-police-grids"]'))).toContain(grid.policeGridCode);
    await shot(desk, '03-new-case-live');

    // The times are Beijing time although this browser lives in New York.
    const opened = (await st.deskCase(caseId)).body.openedAt as string;
    const beijing = new Date(Date.parse(opened) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(rowText).toContain(beijing.slice(5));
    expect(await row.locator('td.opened').getAttribute('title')).toBe(beijing);

    // By keyboard: j selects the first case of the list, a opens the acknowledge form, Enter sends it.
    await desk.locator('body').focus();
    await desk.keyboard.press('j');
    await statusIs(desk, 'open');
    // Where it is, as the report gave it (an address and a point, no grid): nothing of the reporter.
    const where = await text(caseView(desk).locator('[data-testid="location"]'));
    expect(where).toContain('宝河苑3号楼');
    expect(where).toContain(`坐标 ${lat}, ${lng}`);
    expect(await text(caseView(desk))).not.toMatch(/李秀兰|13912345678/);
    await issue(desk, 'acknowledge', { note: '已电话联系报告人，今天上门' }, 'key');
    await statusIs(desk, 'acknowledged');

    // The map shows the case, coloured by grade; a click on it opens it.
    await desk.keyboard.press('Escape');
    await caseView(desk).waitFor({ state: 'detached' });
    await desk.keyboard.press('2');
    const point = desk.locator(`[data-testid="map"] [data-case-id="${caseId}"]`);
    await point.waitFor({ timeout: 30_000 });
    expect(await desk.locator('[data-testid="map"] path.police-grid').count()).toBeGreaterThanOrEqual(19);
    expect(await desk.locator('[data-testid="map"] path.grid').count()).toBeGreaterThan(19);
    expect(await point.getAttribute('class')).toMatch(/grade-(red|orange|yellow)/);
    await point.click();
    await statusIs(desk, 'acknowledged');
    await shot(desk, '04-map');
    await desk.keyboard.press('1');

    // Hold (挂账) and resume, by keyboard.
    await issue(desk, 'hold', { reason: '等待物业出具整改方案' }, 'key');
    await statusIs(desk, 'on-hold');
    expect(await text(caseView(desk))).toContain('挂账');
    await shot(desk, '05-on-hold');
    await issue(desk, 'resume', { note: '物业方案已到' }, 'key');
    await statusIs(desk, 'acknowledged');

    // The grid officer, in a browser of their own, asks for more time; the desk sees it live and approves.
    const own = await openPage('officer');
    await signIn(own, officerClient);
    await own.locator(`[data-testid="case-list"] tr[data-case-id="${caseId}"]`).click();
    await statusIs(own, 'acknowledged');
    expect(await own.locator('[data-testid="actions"] [data-command="hold"]').count()).toBe(0);
    await issue(own, 'extension', { reason: '需等待消防部门联合检查' });
    await shot(own, '06-officer-asks-extension');
    const approve = desk.locator('[data-testid="actions"] [data-command="extension-approve"]');
    await approve.waitFor({ timeout: 30_000 });
    await issue(desk, 'extension-approve', { note: '同意延期' });
    await eventually('the extension approved on the desk page', async () => ((await text(caseView(desk))).includes('已批准') ? true : undefined));

    // The officer resolves; the desk, not the resolver, verifies; the follow-up call closes it.
    // A resolve needs a written note (so do verify and follow-up): without one the form says so and sends nothing.
    await own.locator('[data-testid="actions"] [data-command="resolve"]').click();
    const resolveForm = own.locator('form.command-form[data-command="resolve"]');
    await resolveForm.locator('[data-testid="command-submit"]').click();
    await expect.poll(() => text(resolveForm.locator('[role="alert"]'))).toContain('请填写');
    expect((await st.deskCase(caseId)).body.status).toBe('acknowledged');
    await resolveForm.locator('button.secondary').click();
    await resolveForm.waitFor({ state: 'detached' });
    await issue(own, 'resolve', { outcome: 'mediated', note: '住户已将电动车移至集中充电点' });
    await statusIs(own, 'resolved');
    await statusIs(desk, 'resolved');
    await issue(desk, 'verify', { result: 'passed', note: '现场查看，楼道已清空' }, 'key');
    await statusIs(desk, 'follow-up');
    // The number to call for the 回访, shown only when asked (intake audits the read).
    const reporters = desk.locator('[data-testid="reporters"]');
    expect(await text(reporters)).not.toContain('13912345678');
    await desk.locator('[data-testid="reporters-show"]').click();
    await expect.poll(() => text(reporters)).toContain('李秀兰 · 13912345678');
    expect(await text(reporters)).toContain('担心起火，联系电话13912345678');
    await shot(desk, '07a-reporter-contact');
    await issue(desk, 'follow-up', { satisfaction: 'satisfied', note: '电话回访李女士，表示满意' }, 'key');
    await statusIs(desk, 'closed');
    const closedText = await text(caseView(desk));
    for (const step of ['立案', '派单', '签收', '挂账', '恢复办理', '申请延期', '批准延期', '办结', '核查', '回访', '结案']) expect(closedText).toContain(step);
    await shot(desk, '07-closed');

    // The desk restarts: the page says so, reconnects by itself, and shows the next report live.
    deskDown = true;
    await stack.kill('desk');
    await desk.locator('[data-testid="live"]:not([data-state="live"])').waitFor({ timeout: 30_000 });
    await stack.startService('desk');
    await desk.locator('[data-testid="live"][data-state="live"]').waitFor({ timeout: 60_000 });
    await own.locator('[data-testid="live"][data-state="live"]').waitFor({ timeout: 60_000 });
    deskDown = false;
    const next = await st.openCase({ description: '宝河苑5号楼单元门禁坏了，报警器响了一整夜', location: { gridCode: grid.code } });
    await desk.locator(`[data-testid="case-list"] tr[data-case-id="${next.caseId}"]`).waitFor({ timeout: 30_000 });

    // Figures, and the English switch.
    await desk.keyboard.press('3');
    await desk.locator('[data-testid="stats-police-grids"]').waitFor();
    await desk.locator('[data-testid="five-none"]').waitFor();
    expect(await text(desk.locator('[data-testid="stats-police-grids"]'))).toContain(grid.policeGridCode);
    await shot(desk, '08-figures');
    // The monthly report's sheet, downloaded with the token in the header.
    const [sheet] = await Promise.all([desk.waitForEvent('download'), desk.getByRole('button', { name: '统计 Excel' }).click()]);
    expect(sheet.suggestedFilename()).toMatch(/\.xlsx$/);
    await desk.keyboard.press('1');
    await desk.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => text(caseView(desk))).toContain('Closed');
    expect(await text(desk.locator('[data-testid="title"]'))).toContain(`${station!.name} · Duty desk`);
    // The last command's message is said again in English, not left in Chinese.
    expect(await text(desk.locator('[data-testid="status-line"]'))).toBe('Follow up: done');
    await shot(desk, '09-english');

    expect(pageErrors).toEqual([]);
  });

  it('marks an overdue case and lists it first; reassigns (改派) a case from the roster, offering only whom the case of record may take', async () => {
    const before = pageErrors.length;
    const grid = st.grids[1]!;
    const { caseId } = await st.openCase({ description: '宝河苑7号楼住户反映楼下商铺油烟扰民', location: { gridCode: grid.code } });
    // The sender's deadline is kept as sent, past or not: this case is overdue from the start.
    const late = await st.openCase({ description: '宝河苑2号楼门口路灯坏了好几天', location: { gridCode: grid.code }, respondBy: new Date(Date.now() - 10 * 60_000).toISOString() });
    const page = await openPage('reassigning desk');
    await signIn(page, st.desk);
    const lateRow = page.locator(`[data-testid="case-list"] tr[data-case-id="${late.caseId}"]`);
    await lateRow.locator('[data-testid="overdue"]').waitFor({ timeout: 30_000 });
    expect(await text(lateRow.locator('[data-testid="overdue"]'))).toBe('已超时');
    // Overdue first (then red, then the nearest deadline), whatever order the cases were opened in.
    expect(await page.locator('[data-testid="case-list"] tbody tr').first().getAttribute('data-case-id')).toBe(late.caseId);
    expect(await page.locator(`[data-testid="case-list"] tr[data-case-id="${caseId}"] [data-testid="overdue"]`).count()).toBe(0);

    await page.locator(`[data-testid="case-list"] tr[data-case-id="${caseId}"]`).click();
    await statusIs(page, 'open');
    const before_ = (await st.deskCase(caseId)).body.assignees as { officerId: string }[];
    const elsewhere = st.officers.find((o) => o.role === 'gridWorker' && o.gridCode !== grid.code && o.policeGridCode !== grid.policeGridCode)!;
    const officer = st.officers.find((o) => o.role === 'officer' && o.policeGridCode !== grid.policeGridCode && !before_.some((a) => a.officerId === o.officerId))!;
    const form = page.locator('form.command-form[data-command="reassign"]');
    const pick = async (who: { officerId: string; name: string }) => {
      await form.locator('#form-reassign-search').fill(who.name);
      await form.locator(`input[name="officerIds"][value="${who.officerId}"]`).check();
      await form.locator('#form-reassign-search').fill('');
    };
    // By its key: g opens the picker. A grid worker of another grid, whom the case of record would always
    // refuse, is not offered (audit 7); the refusal the page shows when one comes is desk-page.int's.
    await page.locator('body').focus();
    await page.keyboard.press('g');
    await form.waitFor();
    const own = st.officers.find((o) => o.role === 'gridWorker' && o.gridCode === grid.code)!;
    const offered = (who: { officerId: string }) => form.locator(`input[name="officerIds"][value="${who.officerId}"]`);
    await form.locator('#form-reassign-search').fill(own.name);
    await offered(own).waitFor();
    await form.locator('#form-reassign-search').fill(elsewhere.name);
    await offered(own).waitFor({ state: 'detached' });
    expect(await offered(elsewhere).count()).toBe(0);
    await shot(page, '11-reassign-picker');
    // The grid officer of another police grid may take it.
    await pick(officer);
    expect(await text(form.locator('[data-testid="reassign-chosen"]'))).toBe(`已选：${officer.name}`);
    // The reason, written on more than one line, goes with the command and shows on the timeline.
    await form.locator('#form-reassign-reason').fill('原网格员借调\n由相邻警格接手');
    await form.locator('[data-testid="command-submit"]').click();
    await form.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => text(page.locator('[data-testid="status-line"]'))).toBe('改派：已完成');
    const owners = page.locator('[data-testid="case-view"] [data-testid="owners"]');
    await expect.poll(() => text(owners), { timeout: 30_000 }).toContain(officer.name);
    expect((await st.deskCase(caseId)).body.assignees.map((a: { officerId: string }) => a.officerId)).toEqual([officer.officerId]);
    await expect.poll(() => text(page.locator('[data-testid="timeline"] li[data-type="assigned"]').first())).toContain('原网格员借调\n由相邻警格接手');
    // At 1400 px with the case open, each deadline stays on one line.
    await page.setViewportSize({ width: 1400, height: 1000 });
    const lines = await page.locator('[data-testid="case-list"] .due-cell').evaluateAll((cells) => cells.map((c) => c.getClientRects().length));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((n) => n === 1)).toBe(true);
    await shot(page, '12-reassigned');
    // No request failed.
    expect(pageErrors.slice(before)).toEqual([]);
    pageErrors.splice(before);
  });

  it('finds a case by the number a caller quotes, and shows an unroutable case by its address with the reason in Chinese', async () => {
    const before = pageErrors.length;
    // An address the gazetteer does not have: routing sends the case to the duty desk leader.
    const { caseId } = await st.openCase({ description: '不存在的路99号有人摔倒在路边', location: { address: '不存在的路99号' } });
    const number = (await st.deskCase(caseId)).body.caseNumber as string;
    const page = await openPage('searching desk');
    await signIn(page, st.desk);
    await page.locator('#case-search').waitFor({ timeout: 30_000 });
    // Typed as a caller says it: lower case, spaces around; Enter opens the one case it matches.
    await page.locator('#case-search').fill(` ${number.toLowerCase()} `);
    await page.locator('#case-search').press('Enter');
    await statusIs(page, 'open');
    expect(await text(caseView(page).locator('.case-number'))).toBe(number);
    expect(await text(caseView(page).locator('[data-testid="location"]'))).toContain('不存在的路99号');
    const unroutable = caseView(page).locator('[data-testid="unroutable"]');
    expect(await text(unroutable)).toBe('无法定位网格，已转值班台：地址在地址库中找不到对应楼栋');
    expect(await unroutable.getAttribute('title')).toContain('gazetteer');
    await shot(page, '13-search-unroutable');
    // A number nobody has: the list is empty and the status line says so.
    await page.locator('#case-search').fill('CG-1999-9');
    await page.locator('#case-search').press('Enter');
    await expect.poll(() => text(page.locator('[data-testid="status-line"]'))).toBe('没有案件编号为“CG-1999-9”的案件');
    expect(pageErrors.slice(before)).toEqual([]);
  });

  it("shows what intake gives a reader of the reporter: an email alone, the title, address and attachments as written, as text", async () => {
    const before = pageErrors.length;
    const grid = st.grids[0]!;
    // Markup in the title is the sender's text: it must be shown, never run.
    const title = '<img src=x onerror="window.injected=1">楼道堆物 13912345678';
    const attachment = 'https://files.example.cn/13912345678.jpg?token=abc';
    const { caseId } = await st.openCase({
      title,
      description: '楼道里堆满杂物，堵住了消防通道',
      location: { gridCode: grid.code, address: '宝河苑5号楼 座机0931-8123456' },
      reporter: { email: 'li.xiulan@example.cn' },
      attachments: [{ url: attachment, mediaType: 'image/jpeg' }],
    });
    const number = (await st.deskCase(caseId)).body.caseNumber as string;

    /** Opens the case by its number and asks for its reporter. */
    const reporterOf = async (page: Page) => {
      await page.locator('#case-search').waitFor({ timeout: 30_000 });
      await page.locator('#case-search').fill(number);
      await page.locator('#case-search').press('Enter');
      await statusIs(page, 'open');
      await page.locator('[data-testid="reporters-show"]').click();
      const reporters = page.locator('[data-testid="reporters"]');
      await page.locator('[data-testid="reporter-contact"]').waitFor({ timeout: 30_000 });
      return reporters;
    };

    // The desk sees it whole: the email (the line was empty with no name or phone) and each field as written.
    const desk = await openPage('desk reading a reporter');
    await signIn(desk, st.desk);
    const whole = await reporterOf(desk);
    expect(await text(whole.locator('[data-testid="reporter-contact"]'))).toBe('li.xiulan@example.cn');
    expect(await text(whole.locator('[data-testid="reporter-title"]'))).toBe(`标题原文：${title}`);
    expect(await text(whole.locator('[data-testid="reporter-address"]'))).toBe('地址原文：宝河苑5号楼 座机0931-8123456');
    // The description had no number masked: no line for it.
    expect(await whole.locator('[data-testid="reporter-description"]').count()).toBe(0);
    expect(await whole.locator(`[data-testid="reporter-attachments"] a[href="${attachment}"]`).textContent()).toBe(attachment);
    expect(await whole.locator('img').count()).toBe(0);
    expect(await desk.evaluate(() => (globalThis as { injected?: number }).injected)).toBeUndefined();
    await shot(desk, '14-reporter-written');

    // An officer of another police grid reads it masked, as intake masks it: the page shows no more.
    const otherGrid = st.grids.find((g) => g.policeGridCode !== grid.policeGridCode)!;
    const other = st.officerOf(otherGrid, 'officer');
    const officer = await openPage('officer of another grid');
    await signIn(officer, await st.client(other.name, ['officer'], other.officerId));
    const masked = await reporterOf(officer);
    expect(await text(masked.locator('[data-testid="reporter-contact"]'))).toBe('l********@example.cn · （已遮挡）');
    expect(await masked.locator('[data-testid="reporter-contact"] a').count()).toBe(0);
    expect(await text(masked.locator('[data-testid="reporter-title"]'))).toContain('楼道堆物 139****5678');
    expect(await text(masked)).not.toMatch(/13912345678|li\.xiulan|0931-8123456/);
    expect(pageErrors.slice(before)).toEqual([]);
  });

  it('ends the session when its token is revoked: back to sign-in, saying so, not a frozen board', async () => {
    const before = pageErrors.length;
    const clerk = await st.client('值班员小赵', ['desk']);
    const page = await openPage('revoked clerk');
    await signIn(page, clerk);
    const revoked = await stack.call('intake', 'DELETE', `/v1/clients/${clerk.clientId}`, {});
    expect(revoked.status, JSON.stringify(revoked.body)).toBeLessThan(300);
    // Every service stops taking it within a minute (the revocation list's refresh): the stream or the next call meets 401.
    await page.locator('#token').waitFor({ timeout: 90_000 });
    expect(await text(page.locator('main'))).toContain('会话已结束');
    await shot(page, '10-session-ended');
    // What it met on the way out are the 401s; nothing else went wrong.
    expect(pageErrors.slice(before).filter((e) => !/ 401 /.test(e))).toEqual([]);
  });

  async function showsSignIn(page: Page) {
    await page.locator('#token').waitFor();
    expect(await text(page.locator('h1'))).toContain('值班台');
    await shot(page, '01-sign-in');
  }
});
