import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isolatedEnv } from '../harness.ts';
import { Stack } from '../stack.ts';
import { Station } from './station.ts';

const CASES = Number(process.env.RACE_TEST_CASES ?? 20);
/** Every fourth case is never resolved: its passed deadline must escalate, whatever was killed. */
const leftOpen = (i: number) => i % 4 === 3;

/** Waits until a wall-clock instant: the scenario fires actions at planned moments around the deadlines. */
const at = (instant: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, instant - Date.now())));

const ids = (assignees: { officerId: string }[]) => assignees.map((a) => a.officerId).sort();

describe(`a resolve crossing a passing deadline, ${CASES} cases at once, with kill -9 of escalation and assignment`, () => {
  let stack: Stack;
  let st: Station;

  beforeAll(async () => {
    stack = await Stack.start(isolatedEnv, { LOG_LEVEL: 'warn' });
    st = await Station.open(stack);
  });

  afterAll(async () => {
    await st?.close();
    await stack?.stop();
  });

  it('keeps level, owners and escalation counts in agreement, loses no deadline and doubles no escalation', { timeout: 360_000 }, async () => {
    // Deadlines fall within two seconds of each other, far enough ahead to route every report first.
    const base = Date.now() + 25_000;
    const deadlines = Array.from({ length: CASES }, (_, i) => base + (i % 5) * 500);
    const opened = await Promise.all(
      deadlines.map((d, i) =>
        st.openCase({ respondBy: new Date(d).toISOString(), description: `第${i}号竞态案件：楼道电动车充电，存在火灾隐患` }),
      ),
    );
    expect(Date.now(), 'every case routed before its deadline').toBeLessThan(base);

    const chaos = (async () => {
      // Escalation dies in the middle of the deadlines (the first ones fire, the last ones pass while it is down).
      await at(base + 1200);
      await stack.kill('escalation');
      await stack.startService('escalation');
      // Assignment dies after them, while resolves and facts are in flight.
      await at(base + 2200);
      await stack.kill('assignment');
      await stack.startService('assignment');
    })();
    const resolves = opened.map(async ({ caseId }, i) => {
      if (leftOpen(i)) return;
      // Spread each resolve over ±1 s around its case's deadline.
      await at(deadlines[i]! + ((i * 397) % 2000) - 1000);
      const res = await st.command(st.desk, caseId, 'resolve', { outcome: 'resolved', note: '现场已整改' }, false);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
    });
    await Promise.all([chaos, ...resolves]);

    const caseIds = opened.map((o) => o.caseId);
    await eventually(
      'every resolve applied and every left-open case escalated',
      () =>
        caseIds.every((caseId, i) => st.events(caseId, leftOpen(i) ? 'escalated' : 'resolved').length > 0) ? true : undefined,
      120_000,
    );

    // Then every service agrees on every case: the case of record (assignment), the desk, and the events.
    const agreed = await eventually(
      'assignment, desk and the case topic to agree on every case',
      async () => {
        const rows = [];
        for (const [i, caseId] of caseIds.entries()) {
          const record = (await stack.call('assignment', 'GET', `/v1/cases/${caseId}`, { token: st.desk.token })).body;
          const desk = (await st.deskCase(caseId)).body;
          const escalated = st.events(caseId, 'escalated');
          const mismatch =
            record?.level !== desk?.level ||
            JSON.stringify(ids(record?.assignees ?? [])) !== JSON.stringify(ids(desk?.assignees ?? [])) ||
            record?.status !== desk?.status ||
            desk?.escalations !== escalated.length ||
            record?.level !== escalated.length;
          if (mismatch) {
            throw new Error(
              `case ${i} ${caseId}: assignment ${record?.status}/L${record?.level} [${ids(record?.assignees ?? [])}], ` +
                `desk ${desk?.status}/L${desk?.level} [${ids(desk?.assignees ?? [])}] escalations=${desk?.escalations}, ` +
                `case.escalated events=${escalated.length}`,
            );
          }
          rows.push({ i, caseId, record, desk, escalated });
        }
        return rows;
      },
      120_000,
    );

    const crossed = agreed.filter(({ i, escalated }) => !leftOpen(i) && escalated.length > 0).length;
    const resolvedCount = agreed.filter(({ i }) => !leftOpen(i)).length;
    // Which side won each race, for whoever reads the run: both sides should appear in most runs.
    console.info(`deadline race: ${resolvedCount - crossed} resolves beat the deadline, ${crossed} came after an escalation`);
    for (const { i, caseId, record, escalated } of agreed) {
      // Nothing doubled: at most one case.escalated per case and level (distinct event ids).
      const levels = escalated.map((e) => e.data.level as number);
      expect(new Set(levels).size, `case ${i} ${caseId} escalated twice to one level: ${levels}`).toBe(levels.length);
      if (leftOpen(i)) {
        // Nothing lost: the passed respond deadline escalated this still-open case exactly once, to level 1.
        expect(record.status, `case ${i}`).toBe('open');
        expect(levels, `case ${i} ${caseId}`).toEqual([1]);
        expect(Date.parse(escalated[0]!.data.deadline)).toBe(deadlines[i]);
      } else {
        // Either the resolve came first (no escalation) or the deadline did (one, at level 1); never more.
        expect(record.status, `case ${i}`).toBe('resolved');
        expect(levels.length, `case ${i} ${caseId}`).toBeLessThanOrEqual(1);
      }
    }
  });
});
