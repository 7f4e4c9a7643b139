import { TOPICS } from '@gridcase/contracts';
import { ManualClock } from '@gridcase/service-kit';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { documentedSuccess, openapiGaps } from '../../../infra/test/openapi.ts';
import { storePolicy } from '../src/db/policies.ts';
import { policyOf as policyOfBudgets } from '../src/domain/deadlines.ts';
import { start } from '../src/main.ts';
import { receivedReport } from './reports.ts';

const shanghai = (local: string) => new Date(`${local}+08:00`).toISOString();

describe('triage: the working-day calendar and SLA budgets, against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let reference: Awaited<ReturnType<typeof readTopic>>;
  let cases: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;
  let deskToken: string;
  // Mid-2026: the metric watches 2026 (seeded) and 2027 (not published yet).
  const clock = new ManualClock('2026-06-01T02:00:00Z');

  beforeAll(async () => {
    env = await isolatedEnv({ TRIAGE_PORT: '0' });
    service = await start(env, clock);
    reference = await readTopic(env, TOPICS.reference);
    cases = await readTopic(env, TOPICS.cases);
    producer = await testProducer(env);
    deskToken = service.rt.signer.issue({ clientId: 'desk-1', name: 'desk', roles: ['desk'] });
  });
  afterAll(async () => {
    await producer?.disconnect();
    await reference?.close();
    await cases?.close();
    await service?.rt.shutdown('test done');
  });

  const http = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown, token?: string) =>
    service.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  const calendarRecords = (year: number) => reference.records.filter((r) => r.key === `calendar:${year}`);

  it('knows 2025 and 2026 on a fresh install, shows them to any role, and publishes them on the compacted reference topic', async () => {
    const res = await http('GET', '/v1/calendar/2026', undefined, deskToken);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ year: 2026, source: expect.stringContaining('国务院办公厅关于2026年部分节假日安排的通知') });
    expect(body.holidays).toEqual(expect.arrayContaining(['2026-01-01', '2026-02-15', '2026-02-23', '2026-10-01', '2026-10-07']));
    expect(body.workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect((await http('GET', '/v1/calendar/2025')).json().workdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);

    for (const year of [2025, 2026]) {
      const [record] = await reference.waitFor(`calendar ${year} on the reference topic`, (r) => r.key === `calendar:${year}`);
      expect(record!.message).toMatchObject({ type: 'gridcase.calendar.updated.v1', subject: `calendar:${year}`, data: { year } });
    }
    expect((calendarRecords(2026)[0]!.message!.data as { workdays: string[] }).workdays).toEqual(body.workdays);

    const admin = new Kafka({ brokers: env.KAFKA_BROKERS!.split(','), clientId: 'test-admin', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const described = await admin.describeConfigs({
        resources: [{ type: 2 /* TOPIC */, name: `${env.KAFKA_TOPIC_PREFIX}${TOPICS.reference}`, configNames: ['cleanup.policy'] }],
        includeSynonyms: false,
      });
      expect(described.resources[0]!.configEntries.find((c) => c.configName === 'cleanup.policy')?.configValue).toBe('compact');
    } finally {
      await admin.disconnect();
    }
  });

  it('answers 404 for a year with no data, names it in a metric, and stays ready', async () => {
    const missing = await http('GET', '/v1/calendar/2027');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect((await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const metrics = (await service.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('gridcase_calendar_missing_year{year="2027"} 1');
    expect(metrics).toContain('gridcase_calendar_missing_year{year="2026"} 0');
  });

  it('refuses a PUT that lists a date twice over, a date outside the year, a weekday as a workday, or a non-admin', async () => {
    const both = await http('PUT', '/v1/calendar/2027', { holidays: ['2027-10-01', '2027-10-02'], workdays: ['2027-10-02'] });
    expect(both.statusCode).toBe(400);
    expect(both.json().detail).toContain('2027-10-02 is in both holidays and workdays');
    expect(both.json().errors).toEqual([{ path: 'workdays.0', message: expect.stringContaining('2027-10-02') }]);

    const outside = await http('PUT', '/v1/calendar/2027', { holidays: ['2026-12-31'], workdays: [] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().detail).toContain('2026-12-31 is not in 2027');

    const weekday = await http('PUT', '/v1/calendar/2027', { holidays: [], workdays: ['2027-10-08'] });
    expect(weekday.statusCode).toBe(400);
    expect(weekday.json().detail).toContain('2027-10-08 is a weekday');

    const badDate = await http('PUT', '/v1/calendar/2027', { holidays: ['2027-02-30'], workdays: [] });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().errors[0].path).toBe('holidays.0');

    // Every problem in one answer: a malformed date does not hide a date of another year or a weekday workday.
    const many = await http('PUT', '/v1/calendar/2027', { holidays: ['2027-02-30', '2026-12-31'], workdays: ['2027-10-08'] });
    expect(many.statusCode).toBe(400);
    expect(many.headers['content-type']).toContain('application/problem+json');
    expect(many.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['holidays.0', 'holidays.1', 'workdays.0']);
    // A bad year does not hide a bad body.
    const badYear = await http('PUT', '/v1/calendar/1999', { holidays: ['1999-13-01'], workdays: [] });
    expect(badYear.statusCode).toBe(400);
    expect(badYear.json().errors.map((e: { path: string }) => e.path)).toEqual(['params.year', 'holidays.0']);

    // A date of the wrong type, a date in both lists and an empty source: all in one 400.
    const mixed = await http('PUT', '/v1/calendar/2027', { holidays: ['2027-10-02', 5], workdays: ['2027-10-02'], source: '' });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().errors.map((e: { path: string }) => e.path)).toEqual(['holidays.1', 'source', 'workdays.0']);

    expect((await http('PUT', '/v1/calendar/2027', { holidays: [], workdays: [] }, deskToken)).statusCode).toBe(403);
    expect((await http('GET', '/v1/calendar/2027')).statusCode).toBe(404);
    expect(calendarRecords(2027)).toEqual([]);
  });

  it('replaces a year on PUT, publishes the new version, and the metric no longer names it', async () => {
    const put = await http('PUT', '/v1/calendar/2027', { holidays: ['2027-01-01', '2027-10-01'], workdays: ['2027-09-26'], source: 'test notice' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2027, holidays: ['2027-01-01', '2027-10-01'], workdays: ['2027-09-26'], source: 'test notice' });
    expect((await http('GET', '/v1/calendar/2027', undefined, deskToken)).json()).toEqual(put.json());
    const [record] = await reference.waitFor('calendar 2027 on the reference topic', (r) => r.key === 'calendar:2027');
    expect(record!.message!.data).toEqual(put.json());

    const again = await http('PUT', '/v1/calendar/2027', { holidays: ['2027-01-01'], workdays: [] });
    expect(again.statusCode).toBe(200);
    const versions = await reference.waitFor('second version of 2027', (r) => r.key === 'calendar:2027', 2);
    expect((versions[1]!.message!.data as { holidays: string[] }).holidays).toEqual(['2027-01-01']);
    expect((await service.app.inject({ method: 'GET', url: '/metrics' })).body).toContain('gridcase_calendar_missing_year{year="2027"} 0');
  });

  it('takes back what GET answered: the same year, its updatedAt ignored; another year in the body is named', async () => {
    const got = (await http('GET', '/v1/calendar/2026', undefined, deskToken)).json();
    const roundTrip = await http('PUT', '/v1/calendar/2026', got);
    expect(roundTrip.statusCode).toBe(200);
    expect(roundTrip.json()).toMatchObject({ year: 2026, holidays: got.holidays, workdays: got.workdays, source: got.source });
    // The server sets updatedAt, whatever the body says.
    const stale = await http('PUT', '/v1/calendar/2026', { ...got, updatedAt: '2001-01-01T00:00:00Z' });
    expect(stale.statusCode).toBe(200);
    expect(Date.parse(stale.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(got.updatedAt));

    const otherYear = await http('PUT', '/v1/calendar/2026', { ...got, year: 2025 });
    expect(otherYear.statusCode).toBe(400);
    expect(otherYear.headers['content-type']).toContain('application/problem+json');
    expect(otherYear.json().errors).toEqual([{ path: 'year', message: 'must be the year of the path, 2026' }]);
  });

  it('shows SLA budgets in minutes or working days with the contract defaults, and wants exactly one of each pair', async () => {
    const items = (await http('GET', '/v1/sla-policies', undefined, deskToken)).json().items as Record<string, unknown>[];
    const bySeverity = Object.fromEntries(items.filter((p) => p.category === '*').map(({ category: _c, ...p }) => [p.severity, p]));
    expect(bySeverity).toEqual({
      red: { severity: 'red', respondMinutes: 10, resolveMinutes: 1440 },
      orange: { severity: 'orange', respondMinutes: 30, resolveWorkingDays: 3 },
      yellow: { severity: 'yellow', respondMinutes: 120, resolveWorkingDays: 5 },
      service: { severity: 'service', respondWorkingDays: 1, resolveWorkingDays: 5 },
      statutory: { severity: 'statutory', respondWorkingDays: 1, resolveWorkingDays: 3 },
    });

    const both = await http('PUT', '/v1/sla-policies/dispute.general/yellow', { respondMinutes: 60, respondWorkingDays: 1, resolveWorkingDays: 2 });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors.map((e: { path: string }) => e.path)).toEqual(['respondMinutes']);
    const neither = await http('PUT', '/v1/sla-policies/dispute.general/yellow', { respondMinutes: 60 });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().errors.map((e: { path: string }) => e.path)).toEqual(['resolveMinutes']);

    // Every problem at once: an unknown category beside a bad body, and beside a resolve budget shorter than the respond one.
    const unknownAndPair = await http('PUT', '/v1/sla-policies/no.such/yellow', { respondMinutes: 60 });
    expect(unknownAndPair.statusCode).toBe(400);
    expect(unknownAndPair.json().errors.map((e: { path: string }) => e.path)).toEqual(['params.category', 'resolveMinutes']);
    const unknownAndShort = await http('PUT', '/v1/sla-policies/no.such/yellow', { respondMinutes: 120, resolveMinutes: 60 });
    expect(unknownAndShort.statusCode).toBe(400);
    expect(unknownAndShort.json().errors).toEqual([
      { path: 'params.category', message: expect.stringContaining('unknown category') },
      { path: 'resolveMinutes', message: 'must be at least the respond budget' },
    ]);

    // A budget of the wrong type does not hide a pair given twice, nor the unknown category.
    const typeAndPair = await http('PUT', '/v1/sla-policies/no.such/yellow', { respondMinutes: 'soon', resolveMinutes: 60, resolveWorkingDays: 2 });
    expect(typeAndPair.statusCode).toBe(400);
    expect(typeAndPair.json().errors.map((e: { path: string }) => e.path)).toEqual(['params.category', 'respondMinutes', 'resolveMinutes']);

    const put = await http('PUT', '/v1/sla-policies/dispute.general/yellow', { respondWorkingDays: 1, resolveWorkingDays: 2 });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ category: 'dispute.general', severity: 'yellow', respondWorkingDays: 1, resolveWorkingDays: 2 });
  });

  it('takes back a policy as GET shows it, and names an unknown field or a category or severity other than the path', async () => {
    const shown = ((await http('GET', '/v1/sla-policies', undefined, deskToken)).json().items as Record<string, unknown>[]).find(
      (p) => p.category === '*' && p.severity === 'orange',
    )!;
    const roundTrip = await http('PUT', '/v1/sla-policies/*/orange', shown);
    expect(roundTrip.statusCode).toBe(200);
    expect(roundTrip.json()).toEqual(shown);

    const typo = await http('PUT', '/v1/sla-policies/*/orange', { respondMinutes: 30, resolveWorkingDay: 3, resolveWorkingDays: 3 });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().errors).toEqual([{ path: 'resolveWorkingDay', message: 'unknown field' }]);

    const elsewhere = await http('PUT', '/v1/sla-policies/*/orange', { ...shown, severity: 'red' });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().errors).toEqual([{ path: 'severity', message: 'must be the severity of the path, or left out' }]);
  });

  it('opens a case with working-day deadlines on the calendar (National Day 2026)', async () => {
    const receivedAt = shanghai('2026-09-30T10:00:00');
    const report = receivedReport(`两家因为车位发生纠纷 ${receivedAt}`, { receivedAt, occurredAt: receivedAt, category: 'dispute.general' });
    const { reportId } = report.data;
    await producer.sendTo(TOPICS.reports, reportId, JSON.stringify(report));
    const [opened] = await cases.waitFor('case.opened', (r) => r.message?.type === 'gridcase.case.opened.v1' && (r.message.data as { reportId: string }).reportId === reportId);
    const data = opened!.message!.data as { severity: string; respondBy: string; resolveBy: string; budgets?: unknown };
    expect(data.severity).toBe('yellow');
    // The policy set above: 1 and 2 working days. 10-01…10-07 are holidays: 10-08 is day 1, 10-09 day 2.
    expect(data.respondBy).toBe(shanghai('2026-10-08T18:00:00'));
    expect(data.resolveBy).toBe(shanghai('2026-10-09T18:00:00'));
    expect(data.budgets).toEqual({ respond: { workingDays: 1 }, resolve: { workingDays: 2 } });
  });

  it('explains deadlines as of a given receivedAt', async () => {
    const res = await http('POST', '/v1/triage/explain', {
      description: '楼上漏水，物业不管',
      category: 'dispute.neighbour',
      location: { address: '宝河苑社区' },
      receivedAt: shanghai('2026-09-30T10:00:00'),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.policy).toEqual({ category: '*', respondMinutes: 120, resolveWorkingDays: 5 });
    expect(body.severity).toBe('yellow');
    // Default yellow: 120 minutes to respond; 5 working days to resolve, with Saturday 10-10 worked.
    expect(body.respondBy).toBe(shanghai('2026-09-30T12:00:00'));
    expect(body.resolveBy).toBe(shanghai('2026-10-13T18:00:00'));
    expect((await http('POST', '/v1/triage/explain', { description: 'x', location: { address: 'a' }, receivedAt: 'yesterday' })).statusCode).toBe(400);
    // Deadlines a report could not be posted with (intake refuses them alike).
    const crossed = await http('POST', '/v1/triage/explain', { description: 'x', location: { address: 'a' }, respondBy: shanghai('2026-10-02T10:00:00'), resolveBy: shanghai('2026-10-01T10:00:00') });
    expect(crossed.statusCode).toBe(400);
    expect(crossed.json().errors).toEqual([{ path: 'resolveBy', message: expect.stringMatching(/^is before respondBy/) }]);
  });

  it('refuses a resolve budget in minutes shorter than a respond budget in working days, a working day as 1440 minutes', async () => {
    const short = await http('PUT', '/v1/sla-policies/dispute.neighbour/orange', { respondWorkingDays: 3, resolveMinutes: 60 });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([{ path: 'resolveMinutes', message: 'must be at least the respond budget (a working day counted as 1440 minutes)' }]);
    const longRespond = await http('PUT', '/v1/sla-policies/dispute.neighbour/orange', { respondMinutes: 2000, resolveWorkingDays: 1 });
    expect(longRespond.statusCode).toBe(400);
    expect(longRespond.json().errors).toEqual([{ path: 'resolveWorkingDays', message: expect.stringContaining('at least the respond budget') }]);
    expect((await http('PUT', '/v1/sla-policies/dispute.neighbour/orange', { respondWorkingDays: 3, resolveMinutes: 4320 })).statusCode).toBe(200);
  });

  it('removes a category override, so the default applies again, audited; 404 when there is none, and the default stays', async () => {
    const policyOf = async (category: string, severity: string) =>
      ((await http('GET', '/v1/sla-policies', undefined, deskToken)).json().items as { category: string; severity: string }[]).find(
        (p) => p.category === category && p.severity === severity,
      );
    expect((await http('PUT', '/v1/sla-policies/dispute.neighbour/red', { respondMinutes: 5, resolveMinutes: 60 })).statusCode).toBe(200);
    expect((await http('DELETE', '/v1/sla-policies/dispute.neighbour/red', undefined, deskToken)).statusCode).toBe(403);

    const removed = await http('DELETE', '/v1/sla-policies/dispute.neighbour/red');
    expect(removed.statusCode).toBe(204);
    expect(await policyOf('dispute.neighbour', 'red')).toBeUndefined();

    const again = await http('DELETE', '/v1/sla-policies/dispute.neighbour/red');
    expect(again.statusCode).toBe(404);
    const star = await http('DELETE', '/v1/sla-policies/*/red');
    expect(star.statusCode).toBe(400);
    expect(star.json().errors).toEqual([{ path: 'params.category', message: expect.stringContaining('can be replaced but not removed') }]);
    expect(await policyOf('*', 'red')).toBeDefined();
    // A category the rules do not hold (any more) has no override to remove: 404, as any other without one.
    const unknown = await http('DELETE', '/v1/sla-policies/no.such/red');
    expect(unknown.statusCode).toBe(404);
    // An override left behind by rules that dropped its category is removed all the same, not refused as unknown (audit26 #5).
    await storePolicy(service.rt.db, policyOfBudgets('dropped.category', 'red', { respondMinutes: 5, resolveMinutes: 60 }));
    expect(await policyOf('dropped.category', 'red')).toBeDefined();
    expect((await http('DELETE', '/v1/sla-policies/dropped.category/red')).statusCode).toBe(204);
    expect(await policyOf('dropped.category', 'red')).toBeUndefined();

    const log = (await http('GET', '/v1/audit')).json().items as { action: string; target: string; before: unknown; after: unknown }[];
    expect(log).toContainEqual(
      expect.objectContaining({ action: 'sla-policy.removed', target: 'sla-policy:dispute.neighbour/red', before: { category: 'dispute.neighbour', severity: 'red', respondMinutes: 5, resolveMinutes: 60 }, after: null }),
    );
  });

  it('documents the calendar and budget routes in OpenAPI', async () => {
    const docs = await http('GET', '/docs');
    expect(docs.statusCode).toBe(200);
    const paths = docs.json().paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/v1/calendar/{year}', '/v1/sla-policies/{category}/{severity}']));
    expect(JSON.stringify(paths['/v1/sla-policies/{category}/{severity}'])).toContain('resolveWorkingDays');
    // Every operation's errors as problem+json (audit12 #4), and the success statuses the routes answer.
    expect(openapiGaps(docs.json())).toEqual([]);
    expect(documentedSuccess(docs.json(), 'DELETE /v1/sla-policies/{category}/{severity}')).toEqual(['204']);
    expect(documentedSuccess(docs.json(), 'PUT /v1/rules')).toEqual(['201']);
  });
});
