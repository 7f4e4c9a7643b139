import { type Severity, TOPICS } from '@gridcase/contracts';
import type { Tx } from '@gridcase/db';
import type { InboundRecord, TransactionalHandler } from '@gridcase/messaging';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../../infra/test/harness.ts';
import { storePolicy } from '../src/db/policies.ts';
import { triageHandler } from '../src/handlers/index.ts';
import { start } from '../src/main.ts';
import { receivedReport } from './reports.ts';

/** A point `north` metres from (lat, lng). */
const north = (p: { lat: number; lng: number }, metres: number) => ({ lat: p.lat + (metres / 6_371_008.8) * (180 / Math.PI), lng: p.lng });

/** Each test at places of its own, kilometres from the others. */
let nextPlace = 0;
const freshPlace = () => north({ lat: 36.1, lng: 103.7 }, 5_000 * ++nextPlace);

type Report = ReturnType<typeof receivedReport>;
type Event = { id: number; type: string; key: string; data: { caseId: string; caseNumber?: string; reportId: string; respondBy?: string; severity?: string } };

describe('triage handles a run of reports in one transaction, against real Postgres', () => {
  let service: Awaited<ReturnType<typeof start>>;
  let handler: TransactionalHandler<Tx>;
  let offset = 0;

  beforeAll(async () => {
    service = await start(await isolatedEnv({ TRIAGE_PORT: '0' }));
    handler = triageHandler({ db: service.rt.db, groupId: 'runs', station: 'CG', source: '/test' });
  });
  afterAll(async () => {
    await service?.rt.shutdown('test done');
  });

  const record = (m: Report): InboundRecord => ({
    topic: TOPICS.reports,
    partition: 0,
    offset: String(offset++),
    key: m.subject,
    value: Buffer.from(JSON.stringify(m)),
    headers: {},
  });
  /** What the consumer does with a run: one transaction, the records in order. */
  const run = (records: InboundRecord[]) =>
    handler.transaction(async (tx) => {
      for (const r of records) await handler.handle(tx, r);
    });
  /** The events triage wrote for these reports, in the order it wrote them. */
  const eventsOf = async (reports: Report[]) => {
    const ids = reports.map((r) => r.data.reportId);
    const { rows } = await service.rt.db.execute<{ id: string; value: { type: string; data: Event['data'] }; key: string }>(
      sql`select id, value, key from triage.outbox where value->'data'->>'reportId' = any(${sql.param(ids)}::text[]) order by id`,
    );
    return rows.map((r): Event => ({ id: Number(r.id), type: r.value.type, key: r.key, data: r.value.data }));
  };
  const number = (caseNumber: string | undefined) => Number(caseNumber?.split('-').at(-1));

  it('numbers the cases of a run in order, merges a repeat of a case the run itself opened, and changes nothing when the run comes again', async () => {
    const here = freshPlace();
    const first = receivedReport('3号楼门禁坏了，刷卡进不去', { location: here });
    const elsewhere = receivedReport('幸福路上井盖被偷了，路上有个大坑', { location: north(here, 2_000) });
    // A rewording in the trouble's words (similarity leaves the address, 3号楼, out).
    const repeat = receivedReport('3号楼门禁坏掉了，住户刷卡进不去', { location: north(here, 30) });
    const records = [first, elsewhere, repeat].map(record);
    // The same event twice in one run is handled once.
    await run([...records, records[0]!]);

    const events = await eventsOf([first, elsewhere, repeat]);
    expect(events.map((e) => [e.type, e.data.reportId])).toEqual([
      ['gridcase.case.opened.v1', first.data.reportId],
      ['gridcase.case.opened.v1', elsewhere.data.reportId],
      ['gridcase.case.report-merged.v1', repeat.data.reportId],
    ]);
    const [a, b, merged] = events as [Event, Event, Event];
    expect(merged.key).toBe(a.data.caseId);
    expect(number(b.data.caseNumber)).toBe(number(a.data.caseNumber) + 1);
    const { rows } = await service.rt.db.execute<{ case_id: string; case_number: string }>(
      sql`select case_id, case_number from triage.case_index where case_id in (${a.data.caseId}, ${b.data.caseId}) order by case_number`,
    );
    expect(rows).toEqual([
      { case_id: a.data.caseId, case_number: a.data.caseNumber },
      { case_id: b.data.caseId, case_number: b.data.caseNumber },
    ]);

    await run(records);
    expect(await eventsOf([first, elsewhere, repeat])).toEqual(events);
  });

  it('keeps a merge window running from a report merged earlier in the same run, for a case in the index and a case the run opened', async () => {
    const start = Date.now() - 300 * 3_600_000;
    const hours = (h: number) => new Date(start + h * 3_600_000).toISOString();
    const at = (description: string, place: { lat: number; lng: number }, h: number) => receivedReport(description, { location: place, receivedAt: hours(h), occurredAt: hours(h) });
    const indexed = freshPlace();
    const opened = freshPlace();
    const door = '3号楼门禁坏了，刷卡进不去';
    const lamp = '小区门口的路灯坏了好几天了';
    await run([record(at(door, indexed, 0))]);
    // Each report is within three days (a hazard's merge window) of the one before it, never of its case's
    // first: each merges only if the run sees the merge before it.
    const later = [at(door, north(indexed, 20), 50), at(door, north(indexed, 40), 100), at(lamp, opened, 101), at(lamp, north(opened, 20), 151), at(lamp, north(opened, 40), 201)];
    await run(later.map(record));

    const events = await eventsOf(later);
    expect(events.map((e) => e.type)).toEqual([
      'gridcase.case.report-merged.v1',
      'gridcase.case.report-merged.v1',
      'gridcase.case.opened.v1',
      'gridcase.case.report-merged.v1',
      'gridcase.case.report-merged.v1',
    ]);
    const [first, , own] = events as [Event, Event, Event];
    const { rows } = await service.rt.db.execute<{ case_id: string; last_report_at: Date }>(
      sql`select case_id, last_report_at from triage.case_index where case_id in (${first.key}, ${own.data.caseId})`,
    );
    const lastReport = new Map(rows.map((r) => [r.case_id, new Date(r.last_report_at).toISOString()]));
    expect(lastReport.get(first.key)).toBe(hours(100));
    expect(lastReport.get(own.data.caseId)).toBe(hours(201));
  });

  it('keeps nothing of a run that fails, not even a case waiting for its number', async () => {
    const report = receivedReport('小区门口的路灯坏了好几天了', { location: freshPlace() });
    const poison: InboundRecord = { ...record(report), value: Buffer.from('{"not":"an event"}') };
    await expect(run([record(report), poison])).rejects.toThrow();
    const unnumbered = await service.rt.db.execute(sql`select 1 from triage.case_index where case_number = ''`);
    expect(unnumbered.rows).toHaveLength(0);
    expect(await eventsOf([report])).toHaveLength(0);

    // Handled again (as the consumer does, one by one), the report opens its case.
    await run([record(report)]);
    expect((await eventsOf([report])).map((e) => e.type)).toEqual(['gridcase.case.opened.v1']);
  });

  it('applies a changed SLA policy from the next run on', async () => {
    // The same words at two places, graded alike.
    const received = () => receivedReport('两家因为车位发生纠纷，吵了起来', { location: freshPlace(), category: 'dispute.general' });
    const before = received();
    await run([record(before)]);
    const [opened] = await eventsOf([before]);
    const severity = opened!.data.severity as Severity;
    await storePolicy(service.rt.db, { category: 'dispute.general', severity, respond: { minutes: 7 }, resolve: { minutes: 70 } });

    const after = received();
    await run([record(after)]);
    const [next] = await eventsOf([after]);
    expect(next!.data.severity).toBe(severity);
    expect(new Date(next!.data.respondBy!).getTime() - new Date(after.data.receivedAt).getTime()).toBe(7 * 60_000);
  });
});
