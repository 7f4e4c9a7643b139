import { readFileSync } from 'node:fs';
import { makeMessage, newId, TOPICS } from '@gridcase/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { eventually } from '../../../infra/test/poll.ts';
import { handleReportReceived } from '../src/handlers/report-received.ts';
import { start } from '../src/main.ts';
import { receivedReport } from './reports.ts';

/** A point `north` and `east` metres from (lat, lng). */
function offset(p: { lat: number; lng: number }, north: number, east: number) {
  const r = 6_371_008.8;
  return { lat: p.lat + (north / r) * (180 / Math.PI), lng: p.lng + (east / (r * Math.cos((p.lat * Math.PI) / 180))) * (180 / Math.PI) };
}

/** Each test at a place of its own, kilometres from the others, so their cases never meet. */
let nextPlace = 0;
const freshPlace = () => offset({ lat: 38.2, lng: 101.9 }, 5_000 * ++nextPlace, 0);

type Opened = { caseId: string; reportId: string; severity: string; rule: string; relapse?: boolean; relatedCaseIds?: string[] };

describe('duplicates and relapses against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let cases: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;

  beforeAll(async () => {
    env = await isolatedEnv({ TRIAGE_PORT: '0' });
    service = await start(env);
    cases = await readTopic(env, TOPICS.cases);
    producer = await testProducer(env);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await cases?.close();
    await service?.rt.shutdown('test done');
  });

  const at = (point: { lat: number; lng: number }) => ({ location: point });
  const send = (m: ReturnType<typeof receivedReport>) => producer.sendTo(TOPICS.reports, m.subject, JSON.stringify(m));
  const outcome = (reportId: string) =>
    cases.waitFor(`the case of report ${reportId}`, (r) => (r.message?.data as { reportId?: string } | undefined)?.reportId === reportId).then(([r]) => r!);
  const openedOf = async (reportId: string) => {
    const r = await outcome(reportId);
    expect(r.message?.type).toBe('gridcase.case.opened.v1');
    return r.message!.data as Opened;
  };

  /** The case of record resolves a case (as assignment would say on gridcase.cases), and the index learns it. */
  const resolve = async (caseId: string) => {
    const resolved = makeMessage('gridcase.case.resolved.v1', {
      source: '/test/assignment',
      subject: caseId,
      data: { caseId, commandId: newId(), outcome: 'resolved', note: '已修好', by: { clientId: 'desk' }, at: new Date().toISOString() },
    });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(resolved));
    await eventually('the index to know the case is resolved', async () => {
      const row = await service.rt.db.execute<{ status: string }>(sql`select status from triage.case_index where case_id = ${caseId}`);
      return row.rows[0]?.status === 'resolved' ? true : undefined;
    });
  };

  it('merges a reworded report 40 m away into the open case', async () => {
    const here = freshPlace();
    const first = receivedReport('3号楼门禁坏了，刷卡进不去', at(here));
    await send(first);
    const opened = await openedOf(first.data.reportId);
    // 3号楼 is an address, which similarity leaves out: the words of the trouble carry the rewording.
    const second = receivedReport('3号楼门禁坏掉了，住户刷卡进不去', at(offset(here, 24, 32)));
    await send(second);
    const merged = await outcome(second.data.reportId);
    expect(merged.message?.type).toBe('gridcase.case.report-merged.v1');
    expect(merged.key).toBe(opened.caseId);
  });

  it('opens a case of its own, related to the open one, for a red report that repeats an open yellow case', async () => {
    const location = { gridCode: 'CG-10-01', address: `金川路${newId()}号` };
    const first = receivedReport('楼上邻居两口子在吵架，声音很大', { location });
    await send(first);
    const quarrel = await openedOf(first.data.reportId);
    expect(quarrel.severity).toBe('yellow');

    const knife = receivedReport('楼上邻居两口子在吵架，男的拿刀了，声音很大', { location, reporter: { anonymous: true, hasContact: false, absent: true } });
    await send(knife);
    const red = await openedOf(knife.data.reportId);
    // It named nobody: case.opened does not call its reporter anonymous either.
    expect(red).not.toHaveProperty('reporter');
    expect(red.caseId).not.toBe(quarrel.caseId);
    expect(red).toMatchObject({ severity: 'red', relatedCaseIds: [quarrel.caseId] });
    expect(red.relapse).toBeUndefined();
    expect(red.rule).toContain(`repeats open case ${quarrel.caseId}`);

    // Graded the same as the open case: merged as before, with what it said and what its sender required.
    const respondBy = new Date(Date.now() + 10 * 60_000).toISOString();
    const again = receivedReport('楼上邻居两口子还在吵架，声音很大', { location, title: '吵架', respondBy, reporter: { anonymous: true, hasContact: false, absent: true } });
    await send(again);
    const merged = await outcome(again.data.reportId);
    expect(merged.message?.type).toBe('gridcase.case.report-merged.v1');
    expect(merged.key).toBe(quarrel.caseId);
    const data = merged.message!.data as Record<string, unknown>;
    expect(data).toMatchObject({ caseId: quarrel.caseId, title: '吵架', description: '楼上邻居两口子还在吵架，声音很大', respondBy });
    // It named nobody: not called anonymous.
    expect(data).not.toHaveProperty('reporter');

    // A red one more joins the red case, not the yellow one.
    const knifeAgain = receivedReport('楼上邻居两口子吵架，男的拿刀了', { location });
    await send(knifeAgain);
    const joined = await outcome(knifeAgain.data.reportId);
    expect(joined.message?.type).toBe('gridcase.case.report-merged.v1');
    expect(joined.key).toBe(red.caseId);
  });

  it('migration 0007 gives an open case indexed before grades were kept the grade of its case.opened in the outbox', async () => {
    const here = freshPlace();
    const first = receivedReport('3号楼门禁坏了，刷卡进不去', at(here));
    await send(first);
    const opened = await openedOf(first.data.reportId);
    // As a case indexed before the column existed: no grade.
    await service.rt.db.execute(sql`update triage.case_index set severity = null where case_id = ${opened.caseId}`);
    const backfill = readFileSync(new URL('../src/db/migrations/0007_case_index_severity.sql', import.meta.url), 'utf8').split('--> statement-breakpoint')[1]!;
    await service.rt.pool.query(backfill);
    const row = await service.rt.db.execute<{ severity: string | null }>(sql`select severity from triage.case_index where case_id = ${opened.caseId}`);
    expect(row.rows[0]?.severity).toBe(opened.severity);
  });

  it('makes no relapse of a settled case in the same community grid without the same address or a point near', async () => {
    const gridCode = `CG-77-${++nextPlace}`;
    const first = receivedReport('小区门口的路灯坏了好几天了', { location: { gridCode } });
    await send(first);
    const lamp = await openedOf(first.data.reportId);
    await resolve(lamp.caseId);
    const other = receivedReport('楼道灯坏了，晚上走路看不见', { location: { gridCode } });
    await send(other);
    const opened = await openedOf(other.data.reportId);
    expect(opened.caseId).not.toBe(lamp.caseId);
    expect(opened).toMatchObject({ severity: 'yellow' });
    expect(opened.relapse).toBeUndefined();
  });

  it('opens two cases for the same words 600 m apart', async () => {
    const here = freshPlace();
    const first = receivedReport('幸福路上井盖被偷了，路上有个大坑', at(here));
    const second = receivedReport('幸福路上井盖被偷了，路上有个大坑', at(offset(here, 0, 600)));
    await send(first);
    const a = await openedOf(first.data.reportId);
    await send(second);
    const b = await openedOf(second.data.reportId);
    expect(b.caseId).not.toBe(a.caseId);
  });

  it('opens one case for 20 matching reports handled at once', async () => {
    // Twenty consumers on different partitions, each with a wording of one trouble within 100 m, all graded orange
    // (a wording graded higher would open a case of its own).
    const deps = { db: service.rt.db, groupId: 'race', station: 'CG', source: '/test' };
    const here = freshPlace();
    const wordings = ['5单元楼道里堆满纸箱杂物，堵住了消防通道', '5单元楼道杂物纸箱堆满了，占用消防通道', '5单元楼道里有人堆放大量纸箱杂物，堵住消防通道'];
    const reports = Array.from({ length: 20 }, (_, i) => receivedReport(wordings[i % wordings.length]!, at(offset(here, (i % 5) * 20, Math.floor(i / 5) * 20))));
    await Promise.all(reports.map((m) => handleReportReceived(deps, m.id, m.data)));
    const rows = await service.rt.db.execute<{ case_id: string }>(
      sql`select distinct case_id from triage.report_cases where report_id in (${sql.join(reports.map((m) => sql`${m.data.reportId}`), sql`, `)})`,
    );
    expect(rows.rows).toHaveLength(1);
    const events = await service.rt.db.execute<{ type: string; n: number }>(
      sql`select value->>'type' as type, count(*)::int as n from triage.outbox where key = ${rows.rows[0]!.case_id} group by 1 order by 1`,
    );
    expect(events.rows).toEqual([
      { type: 'gridcase.case.opened.v1', n: 1 },
      { type: 'gridcase.case.report-merged.v1', n: 19 },
    ]);
  });

  it('opens a relapse, graded one step up, when the trouble comes back within 90 days of a resolved case', async () => {
    const here = freshPlace();
    const first = receivedReport('3号楼门禁坏了，刷卡进不去', at(here));
    await send(first);
    const earlier = await openedOf(first.data.reportId);
    expect(earlier.severity).toBe('yellow');

    await resolve(earlier.caseId);

    const again = receivedReport('门禁坏了，住户进不了楼', at(offset(here, 50, 40)));
    await send(again);
    const relapse = await openedOf(again.data.reportId);
    expect(relapse.caseId).not.toBe(earlier.caseId);
    expect(relapse).toMatchObject({ relapse: true, relatedCaseIds: [earlier.caseId], severity: 'orange' });
  });
});
