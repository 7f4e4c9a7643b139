import { TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATION_CODE } from '../env.ts';
import { eventually, isolatedEnv, readTopic } from '../harness.ts';
import { Stack } from '../stack.ts';

const REPORTS = Number(process.env.CRASH_TEST_REPORTS ?? 500);

describe(`kill -9 in the middle of ${REPORTS} reports`, () => {
  let stack: Stack;
  let reporterToken: string;
  let cases: Awaited<ReturnType<typeof readTopic>>;

  beforeAll(async () => {
    stack = await Stack.start(isolatedEnv, { LOG_LEVEL: 'warn' });
    const reporter = await stack.call('intake', 'POST', '/v1/clients', { body: { name: 'load', roles: ['reporter', 'desk'], stations: [STATION_CODE] } });
    reporterToken = reporter.body.token;
    cases = await readTopic(stack.env, TOPICS.cases);
  });

  afterAll(async () => {
    await cases?.close();
    await stack?.stop();
  });

  it('decides every report exactly once (a case of its own, or merged into one): none lost, none doubled', { timeout: 360_000 }, async () => {
    const grids: { code: string }[] = (await stack.call('assignment', 'GET', '/v1/grids', { token: reporterToken })).body.items;
    const reportIds: string[] = [];
    const postRange = async (from: number, to: number) => {
      const queue = Array.from({ length: to - from }, (_, i) => from + i);
      const workers = Array.from({ length: 8 }, async () => {
        for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
          const res = await stack.call('intake', 'POST', '/v1/reports', {
            token: reporterToken,
            body: {
              externalId: `crash-${n}`,
              description: `第${n}号报告：楼道堆放杂物，存在消防隐患`,
              location: { gridCode: grids[n % grids.length]!.code },
            },
          });
          expect(res.status, JSON.stringify(res.body)).toBe(202);
          reportIds.push(res.body.reportId);
        }
      });
      await Promise.all(workers);
    };

    await postRange(0, REPORTS * 0.3);
    // Triage dies mid-stream, while reports are still arriving.
    const triageDown = stack.kill('triage');
    await postRange(REPORTS * 0.3, REPORTS * 0.5);
    await triageDown;
    await stack.startService('triage');
    await postRange(REPORTS * 0.5, REPORTS * 0.7);
    // Then assignment, once it has some cases in hand.
    await cases.waitFor('some assignments', (r) => r.message?.type === 'gridcase.case.assigned.v1', 20, 60_000);
    await stack.kill('assignment');
    await postRange(REPORTS * 0.7, REPORTS);
    await stack.startService('assignment');

    expect(new Set(reportIds).size).toBe(REPORTS);
    // Many of these reports are the same trouble in the same grid, so triage merges them into open
    // cases (reworded repeats at one place). Every report must be decided exactly once: it opens a
    // case or joins one. Wait on the case topic (in memory) rather than polling 500 HTTP reads.
    type Rec = (typeof cases.records)[number];
    const ofType = (type: string) => (r: Rec) => r.message?.type === `gridcase.case.${type}.v1`;
    const field = (r: Rec, name: string) => (r.message!.data as Record<string, unknown>)[name];
    const level0 = (r: Rec) => ofType('assigned')(r) && field(r, 'level') === 0;
    const decided = () => {
      const ids = new Set<string>();
      for (const r of cases.records.filter(ofType('opened'))) ids.add(field(r, 'reportId') as string);
      for (const r of cases.records.filter(ofType('report-merged'))) ids.add(field(r, 'reportId') as string);
      return ids;
    };
    const openedCaseIds = () => new Set(cases.records.filter(ofType('opened')).map((r) => field(r, 'caseId') as string));
    await eventually(
      `all ${REPORTS} reports decided (opened or merged), every opened case assigned`,
      () => {
        if (!reportIds.every((id) => decided().has(id))) return undefined;
        const assigned = new Set(cases.records.filter(level0).map((r) => r.key));
        return [...openedCaseIds()].every((id) => assigned.has(id)) ? true : undefined;
      },
      240_000,
    );
    // Intake's view follows from the same events. Read as admin: the reporter's 500 posts already
    // used most of its rate limit (600 a minute), and a 429 here would hide the answer.
    const views = await eventually(`all ${REPORTS} reports shown as assigned or merged by intake`, async () => {
      const all = await Promise.all(reportIds.map((id) => stack.call('intake', 'GET', `/v1/reports/${id}`).then((r) => r.body)));
      return all.every((v) => v.status === 'assigned' || v.status === 'merged') ? all : undefined;
    }, 60_000);

    // None doubled: one case.opened per opening report (by event id), never both opened and merged,
    // every merge into a case that exists, and one level-0 assignment per case.
    const opened = cases.records.filter(ofType('opened'));
    const openedEvents = new Map(opened.map((r) => [r.message!.id, field(r, 'reportId') as string]));
    const openingReports = [...openedEvents.values()];
    expect(new Set(openingReports).size).toBe(openingReports.length);
    const merges = new Map(cases.records.filter(ofType('report-merged')).map((r) => [field(r, 'reportId') as string, field(r, 'caseId') as string]));
    expect(openingReports.filter((id) => merges.has(id))).toEqual([]);
    expect(openingReports.length + merges.size).toBe(REPORTS);
    const caseIds = openedCaseIds();
    expect([...merges.values()].filter((id) => !caseIds.has(id))).toEqual([]);
    expect(views.filter((v) => v.status === 'assigned').length).toBe(caseIds.size);
    const assignedEvents = new Map(cases.records.filter(level0).map((r) => [r.message!.id, r.key]));
    expect(assignedEvents.size).toBe(caseIds.size);
    expect(new Set(assignedEvents.values()).size).toBe(caseIds.size);
  });
});
