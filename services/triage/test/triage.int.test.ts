import { DLQ_HEADERS, TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { sql } from 'drizzle-orm';
import { handleReportReceived, ReportRun } from '../src/handlers/report-received.ts';
import { start } from '../src/main.ts';
import { reportsGraded } from '../src/metrics.ts';
import { receivedReport } from './reports.ts';

describe('triage against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let cases: Awaited<ReturnType<typeof readTopic>>;
  let dlq: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;

  beforeAll(async () => {
    env = await isolatedEnv({ TRIAGE_PORT: '0', EXPLAIN_RATE_PER_MINUTE: '3' });
    service = await start(env);
    cases = await readTopic(env, TOPICS.cases);
    dlq = await readTopic(env, TOPICS.dlq);
    producer = await testProducer(env);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await cases?.close();
    await dlq?.close();
    await service?.rt.shutdown('test done');
  });

  const received = receivedReport;

  it('opens a case with category, severity and deadlines, once even when the event is redelivered', async () => {
    const report = received('宝河苑小区楼道里有人堆放杂物，还闻到煤气味', { respondBy: new Date(Date.now() + 60_000).toISOString() });
    const redByRules = async () =>
      (await reportsGraded.get()).values.find((v) => v.labels.severity === 'red' && v.labels.decided_by === 'rule' && v.labels.graded_by === 'rules')?.value ?? 0;
    const before = await redByRules();
    await producer.sendTo(TOPICS.reports, report.subject, JSON.stringify(report));
    await producer.sendTo(TOPICS.reports, report.subject, JSON.stringify(report));
    const [opened] = await cases.waitFor('case.opened', (r) => r.message?.type === 'gridcase.case.opened.v1' && (r.message.data as { reportId: string }).reportId === report.data.reportId);
    const data = opened!.message!.data as { category: string; severity: string; respondBy: string; caseNumber: string; rule: string };
    expect(data.category).toBe('hazard.fire');
    expect(data.severity).toBe('red');
    expect(data.caseNumber).toMatch(/^CG-\d{4}-\d{6}$/);
    expect(new Date(data.respondBy).getTime()).toBeLessThanOrEqual(new Date(report.data.respondBy!).getTime());
    expect(data.rule).toContain('煤气');
    // Whether a reachable reporter exists travels on (follow-up depends on it); who it is never does.
    expect((opened!.message!.data as { reporter?: unknown }).reporter).toEqual(report.data.reporter);
    // A later report on the same partition (the first one's key) proves the redelivered one was
    // consumed without a second case: a key of its own could put it on a partition handled first.
    const marker = received('另一件事：孩子的滑板车在广场丢了');
    await producer.sendTo(TOPICS.reports, report.subject, JSON.stringify(marker));
    await cases.waitFor('marker case', (r) => (r.message?.data as { reportId?: string })?.reportId === marker.data.reportId);
    expect(cases.records.filter((r) => (r.message?.data as { reportId?: string })?.reportId === report.data.reportId)).toHaveLength(1);
    // Counted once, as committed, by what graded it: the redelivery counts nothing.
    expect(await redByRules()).toBe(before + 1);
    expect((await service.app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/^gridcase_reports_graded_total\{severity="red",decided_by="rule",graded_by="rules"\} \d+$/m);
  });

  it('merges a repeat of an open case instead of opening another', async () => {
    const first = received('3号楼门禁坏了，报警器响了一整夜');
    const second = received('3号楼 门禁坏了，报警器响了一整夜！');
    await producer.sendTo(TOPICS.reports, first.subject, JSON.stringify(first));
    const [opened] = await cases.waitFor('first case', (r) => (r.message?.data as { reportId?: string })?.reportId === first.data.reportId);
    await producer.sendTo(TOPICS.reports, second.subject, JSON.stringify(second));
    const [merged] = await cases.waitFor('merge', (r) => r.message?.type === 'gridcase.case.report-merged.v1' && (r.message.data as { reportId: string }).reportId === second.data.reportId);
    expect(merged!.key).toBe((opened!.message!.data as { caseId: string }).caseId);
  });

  it('opens exactly one case when two matching reports are handled at the same moment', async () => {
    // Each pair plays two consumers on different partitions handling repeats of one report at once.
    const deps = { db: service.rt.db, groupId: 'race', station: 'CG', source: '/test' };
    // Each pair in a grid of its own: within one grid these reports would all be one trouble.
    const pairs = Array.from({ length: 20 }, (_, i) => {
      const location = { gridCode: `RACE-${i}` };
      return [received(`第${i}号楼下水道井盖丢了，有人掉进去的危险`, { location }), received(`第${i}号楼 下水道井盖丢了，有人掉进去的危险！`, { location })] as const;
    });
    await Promise.all(pairs.flatMap((pair) => pair.map((m) => handleReportReceived(deps, m.id, m.data))));
    for (const [a, b] of pairs) {
      const rows = await service.rt.db.execute<{ case_id: string }>(
        sql`select case_id from triage.report_cases where report_id in (${a.data.reportId}, ${b.data.reportId})`,
      );
      expect(rows.rows).toHaveLength(2);
      expect(rows.rows[0]!.case_id).toBe(rows.rows[1]!.case_id);
      const events = await service.rt.db.execute<{ type: string }>(
        sql`select value->>'type' as type from triage.outbox where key = ${rows.rows[0]!.case_id} order by id`,
      );
      expect(events.rows.map((r) => r.type).sort()).toEqual(['gridcase.case.opened.v1', 'gridcase.case.report-merged.v1']);
    }
  });

  it('stamps a case opened and a repeat merged into it in one run in the order they are written', async () => {
    const deps = { db: service.rt.db, groupId: 'one-run', station: 'CG', source: '/test' };
    const location = { gridCode: 'ONE-RUN-1' };
    const first = received('5号楼电梯困人了，里面有个老人', { location });
    const second = received('5号楼 电梯困人了，里面有个老人！', { location });
    const run = new ReportRun(deps);
    await service.rt.db.transaction(async (tx) => {
      run.add(first.id, first.data);
      run.add(second.id, second.data);
      await run.finish(tx);
    });
    const events = await service.rt.db.execute<{ type: string; time: string }>(
      sql`select value->>'type' as type, value->>'time' as time from triage.outbox where value->'data'->>'reportId' in (${first.data.reportId}, ${second.data.reportId}) order by id`,
    );
    expect(events.rows.map((r) => r.type)).toEqual(['gridcase.case.opened.v1', 'gridcase.case.report-merged.v1']);
    const [opened, merged] = events.rows.map((r) => Date.parse(r.time));
    expect(merged).toBeGreaterThanOrEqual(opened!);
  });

  it('dead-letters a message that breaks the contract, naming the reason and origin', async () => {
    await producer.sendTo(TOPICS.reports, 'bad', JSON.stringify({ specversion: '1.0', type: 'gridcase.report.received.v1' }));
    const [dead] = await dlq.waitFor('dead letter', (r) => r.key === 'bad');
    expect(dead!.headers[DLQ_HEADERS.topic]).toBe(TOPICS.reports);
    expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/envelope/);
    expect(dead!.headers[DLQ_HEADERS.group]).toContain('triage');
  });

  it('explains a decision over HTTP and requires a token', async () => {
    const denied = await service.app.inject({ method: 'POST', url: '/v1/triage/explain', payload: { description: 'x', location: { address: 'a' } } });
    expect(denied.statusCode).toBe(401);
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/triage/explain',
      headers: bearer(),
      payload: { description: '我被冒充客服的人诈骗了', location: { address: '永昌县城关镇' } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ruleVersion: 1, category: 'tip.fraud', severity: 'orange' });
    expect(res.json().rules).toContainEqual({ rule: 'tip.fraud', matched: expect.arrayContaining(['诈骗', '冒充客服']) });
    expect(res.json().decidedBy).toEqual({ by: 'rule', rule: 'tip.fraud' });
  });

  it("limits each client's explain calls a minute (429 with Retry-After), another client's and the admin's untouched", async () => {
    const explain = (token?: string) =>
      service.app.inject({ method: 'POST', url: '/v1/triage/explain', headers: bearer(token), payload: { description: '路灯不亮了', location: { gridCode: 'CG-01-01' } } });
    const looping = service.rt.signer.issue({ clientId: 'explain-loop', name: '循环', roles: ['reporter'], stations: ['CG'] });
    const other = service.rt.signer.issue({ clientId: 'explain-other', name: '另一个', roles: ['reporter'], stations: ['CG'] });
    for (let i = 0; i < 3; i++) expect((await explain(looping)).statusCode).toBe(200);
    const refused = await explain(looping);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ status: 429, detail: expect.stringMatching(/^over 3 requests per minute/) });
    expect((await explain(other)).statusCode).toBe(200);
    expect((await explain()).statusCode).toBe(200);
  });

  it('refuses to explain as of an instant outside the calendar years, naming receivedAt (no year-10000 deadline)', async () => {
    const body = { description: '我被冒充客服的人诈骗了', location: { address: '永昌县城关镇' } };
    for (const receivedAt of ['9999-12-31T10:00:00+08:00', '0001-01-01T00:00:00Z']) {
      const res = await service.app.inject({ method: 'POST', url: '/v1/triage/explain', headers: bearer(), payload: { ...body, receivedAt } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: 'receivedAt', message: expect.stringContaining('2000–2100') }]);
    }
  });

  it('lets the learned model decide what no rule reads: explain lists it with its words and score, case.opened names the model', async () => {
    const description = '有一伙人在小区里给人发书，说只有信他们的才能躲过大灾';
    const res = await service.app.inject({ method: 'POST', url: '/v1/triage/explain', headers: bearer(), payload: { description, location: { gridCode: 'CG-01-01' } } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ category: 'tip.cult', decidedBy: { by: 'learned', model: expect.stringMatching(/^nb-logistic-2@[0-9a-f]{12}$/) } });
    const learned = body.rules.find((r: { rule: string }) => r.rule === 'learned');
    expect(learned).toMatchObject({ category: 'tip.cult', score: body.decidedBy.score });
    expect(learned.matched.length).toBeGreaterThan(0);
    expect(body.rule).toContain('learned');

    const report = received(description);
    await producer.sendTo(TOPICS.reports, report.subject, JSON.stringify(report));
    const [opened] = await cases.waitFor('case.opened', (r) => r.message?.type === 'gridcase.case.opened.v1' && (r.message.data as { reportId: string }).reportId === report.data.reportId);
    expect(opened?.message?.data).toMatchObject({ category: 'tip.cult', ruleVersion: 1, decidedBy: body.decidedBy });
  });
});
