import { TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isolatedEnv, readTopic } from '../harness.ts';
import { Stack } from '../stack.ts';

const REPORTS = Number(process.env.CRASH_TEST_REPORTS ?? 500);

describe(`kill -9 in the middle of ${REPORTS} reports`, () => {
  let stack: Stack;
  let reporterToken: string;
  let cases: Awaited<ReturnType<typeof readTopic>>;

  beforeAll(async () => {
    stack = await Stack.start(isolatedEnv, { LOG_LEVEL: 'warn' });
    const reporter = await stack.call('intake', 'POST', '/v1/clients', { body: { name: 'load', roles: ['reporter', 'desk'] } });
    reporterToken = reporter.body.token;
    cases = await readTopic(stack.env, TOPICS.cases);
  });

  afterAll(async () => {
    await cases?.close();
    await stack?.stop();
  });

  it('turns every report into exactly one case: none lost, none doubled', { timeout: 360_000 }, async () => {
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
    // Wait on the case topic (in memory) rather than polling 500 HTTP reads, which would starve the pipeline.
    const level0 = (r: (typeof cases.records)[number]) =>
      r.message?.type === 'gridcase.case.assigned.v1' && (r.message.data as { level: number }).level === 0;
    await eventually(
      `all ${REPORTS} cases assigned`,
      () => (new Set(cases.records.filter(level0).map((r) => r.key)).size >= REPORTS ? true : undefined),
      240_000,
    );
    // Intake's view follows from the same events. Read as admin: the reporter's 500 posts already
    // used most of its rate limit (600 a minute), and a 429 here would hide the answer.
    const views = await eventually(`all ${REPORTS} reports shown as assigned by intake`, async () => {
      const all = await Promise.all(reportIds.map((id) => stack.call('intake', 'GET', `/v1/reports/${id}`).then((r) => r.body)));
      return all.every((v) => v.status === 'assigned') ? all : undefined;
    }, 60_000);

    // One case per report, and the case topic holds exactly one case.opened per case (by event id).
    const caseIds = new Set(views.map((v) => v.caseId));
    expect(caseIds.size).toBe(REPORTS);
    const opened = cases.records.filter((r) => r.message?.type === 'gridcase.case.opened.v1');
    const openedEvents = new Map(opened.map((r) => [r.message!.id, (r.message!.data as { reportId: string }).reportId]));
    expect(openedEvents.size).toBe(REPORTS);
    expect(new Set(openedEvents.values()).size).toBe(REPORTS);
    // Assignment applied each case once: one level-0 assignment event per case.
    const assignedEvents = new Map(
      cases.records
        .filter((r) => r.message?.type === 'gridcase.case.assigned.v1' && (r.message.data as { level: number }).level === 0)
        .map((r) => [r.message!.id, r.key]),
    );
    expect(assignedEvents.size).toBe(REPORTS);
    expect(new Set(assignedEvents.values()).size).toBe(REPORTS);
  });
});
