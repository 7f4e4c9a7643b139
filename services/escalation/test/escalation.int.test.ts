import { makeMessage, type Message, type MessageType, newId, TOPICS } from '@gridcase/contracts';
import { ManualClock } from '@gridcase/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { start } from '../src/main.ts';
import { EscalationScheduler } from '../src/scheduler/scheduler.ts';

type Escalated = Message<'gridcase.case.escalated.v1'>['data'];
type TimerView = { caseId: string; kind: string; level: number; dueAt: string };

const MINUTE = 60_000;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('escalation against real Kafka and Postgres', () => {
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let cases: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;
  let dlq: Awaited<ReturnType<typeof readTopic>>;

  beforeAll(async () => {
    env = await isolatedEnv({ ESCALATION_PORT: '0', ESCALATION_POLL_MS: '50' });
    service = await start(env, clock);
    cases = await readTopic(env, TOPICS.cases);
    producer = await testProducer(env);
    dlq = await readTopic(env, TOPICS.dlq);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await cases?.close();
    await dlq?.close();
    await service?.rt.shutdown('test done');
  });

  const inMinutes = (n: number) => new Date(clock.now().getTime() + n * MINUTE).toISOString();

  const send = async <T extends MessageType>(
    type: T,
    caseId: string,
    data: Message<T>['data'],
    headers: Record<string, string> = {},
    time?: Date,
  ) => {
    const message = makeMessage(type, { source: '/test', subject: caseId, data, ...(time ? { time } : {}) });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(message), headers);
    return message;
  };

  const openCase = async (respondBy: string, resolveBy: string, headers: Record<string, string> = {}, caseId = newId()) => {
    const message = await send(
      'gridcase.case.opened.v1',
      caseId,
      {
        caseId,
        caseNumber: `CG-2026-${caseId.slice(-6)}`,
        reportId: newId(),
        station: 'CG',
        kind: 'dispute',
        category: 'dispute.neighbour',
        severity: 'yellow',
        description: '隔壁夫妻吵了一整夜',
        location: { gridCode: 'CG-01-01' },
        respondBy,
        resolveBy,
        rule: 'test',
        openedAt: clock.now().toISOString(),
      },
      headers,
    );
    return { caseId, message };
  };

  const by = { clientId: 'desk-1' };
  const acknowledge = (caseId: string) =>
    send('gridcase.case.acknowledged.v1', caseId, { caseId, commandId: newId(), by, at: clock.now().toISOString() });
  const resolve = (caseId: string) =>
    send('gridcase.case.resolved.v1', caseId, { caseId, commandId: newId(), outcome: 'mediated', note: '已调解', by, at: clock.now().toISOString() });
  const reopen = (caseId: string, time?: Date) =>
    send(
      'gridcase.case.reopened.v1',
      caseId,
      { caseId, commandId: newId(), reason: '当事人又吵起来了', by, respondBy: inMinutes(5), resolveBy: inMinutes(30), at: clock.now().toISOString() },
      {},
      time,
    );
  /** Once escalation's inbox holds the event, it has been handled (applied or found to change nothing). */
  const handled = (eventId: string) =>
    eventually(`event ${eventId} handled`, async () => {
      const { rowCount } = await service.rt.pool.query('select 1 from escalation.inbox where event_id = $1', [eventId]);
      return rowCount ? true : undefined;
    });

  const escalationsOf = (caseId: string) =>
    cases.records.filter((r) => r.key === caseId && r.message?.type === 'gridcase.case.escalated.v1');
  const waitForEscalations = async (caseId: string, count = 1) =>
    (await cases.waitFor(`${count} escalation(s) of ${caseId}`, (r) => r.key === caseId && r.message?.type === 'gridcase.case.escalated.v1', count)).map(
      (r) => r.message!.data as Escalated,
    );

  const timersOf = async (caseId: string): Promise<TimerView[]> => {
    const res = await service.app.inject({ method: 'GET', url: `/v1/timers?caseId=${caseId}`, headers: bearer() });
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: TimerView[] }).items;
  };
  const waitForTimers = (caseId: string, expected: (t: TimerView[]) => boolean) =>
    eventually(`timers of ${caseId}`, async () => {
      const list = await timersOf(caseId);
      return expected(list) ? list : undefined;
    });

  /** A case overdue as of now; once its escalation is out, every deadline due by now has been looked at. */
  const marker = async () => {
    const { caseId } = await openCase(new Date(clock.now().getTime() - 1000).toISOString(), inMinutes(600));
    await waitForEscalations(caseId);
  };

  it('escalates an overdue case exactly once, through redelivery and a restart', async () => {
    const respondBy = inMinutes(-1);
    const { caseId, message } = await openCase(respondBy, inMinutes(600), { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(message)); // redelivered

    const [escalated] = await waitForEscalations(caseId);
    expect(escalated).toEqual({
      caseId,
      fromLevel: 0,
      level: 1,
      reason: 'respond-overdue',
      deadline: new Date(respondBy).toISOString(),
      respondBy: inMinutes(30),
      resolveBy: inMinutes(240),
      at: clock.now().toISOString(),
    });
    expect(escalationsOf(caseId)[0]!.headers.traceparent).toContain(TRACE_ID);
    expect(await timersOf(caseId)).toEqual([
      { caseId, kind: 'respond', level: 1, dueAt: inMinutes(30) },
      { caseId, kind: 'resolve', level: 1, dueAt: inMinutes(240) },
    ]);

    // The database itself refuses a second set of deadlines for the same level and round.
    await expect(
      service.rt.pool.query(
        `insert into escalation.timers (id, case_id, kind, level, round, due_at) values ($1, $2, 'resolve', 1, 0, now())`,
        [newId(), caseId],
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'timers_deadline_key' });

    await service.rt.shutdown('restart');
    service = await start(env, clock);
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(message)); // and again after the restart
    await marker();
    expect(escalationsOf(caseId)).toHaveLength(1);
  });

  it('does not escalate an acknowledged case for its respond deadline, but does for its resolve deadline', async () => {
    const { caseId } = await openCase(inMinutes(10), inMinutes(60));
    await waitForTimers(caseId, (t) => t.length === 2);
    await acknowledge(caseId);
    const left = await waitForTimers(caseId, (t) => t.length === 1);
    expect(left).toEqual([{ caseId, kind: 'resolve', level: 0, dueAt: inMinutes(60) }]);

    clock.advance(15 * MINUTE); // past respondBy
    await marker();
    expect(escalationsOf(caseId)).toHaveLength(0);

    clock.advance(50 * MINUTE); // past resolveBy
    const [escalated] = await waitForEscalations(caseId);
    expect(escalated).toMatchObject({ fromLevel: 0, level: 1, reason: 'resolve-overdue', resolveBy: inMinutes(240) });
    expect(escalated).not.toHaveProperty('respondBy');
    expect(await timersOf(caseId)).toEqual([{ caseId, kind: 'resolve', level: 1, dueAt: inMinutes(240) }]);
  });

  it('cancels every deadline of a resolved case', async () => {
    const { caseId } = await openCase(inMinutes(10), inMinutes(60));
    await waitForTimers(caseId, (t) => t.length === 2);
    await resolve(caseId);
    await waitForTimers(caseId, (t) => t.length === 0);

    clock.advance(120 * MINUTE); // past both deadlines
    await marker();
    expect(escalationsOf(caseId)).toHaveLength(0);
  });

  it('gives a reopened case new deadlines at the level it reached', async () => {
    const { caseId } = await openCase(inMinutes(-1), inMinutes(600));
    await waitForEscalations(caseId);
    await resolve(caseId);
    await waitForTimers(caseId, (t) => t.length === 0);

    const respondBy = inMinutes(5);
    await send('gridcase.case.reopened.v1', caseId, {
      caseId,
      commandId: newId(),
      reason: '当事人又吵起来了',
      by,
      respondBy,
      resolveBy: inMinutes(30),
      at: clock.now().toISOString(),
    });
    expect(await waitForTimers(caseId, (t) => t.length === 2)).toEqual([
      { caseId, kind: 'respond', level: 1, dueAt: respondBy },
      { caseId, kind: 'resolve', level: 1, dueAt: inMinutes(30) },
    ]);

    clock.advance(6 * MINUTE);
    const escalations = await waitForEscalations(caseId, 2);
    expect(escalations[1]).toMatchObject({ fromLevel: 1, level: 2, reason: 'respond-overdue', deadline: respondBy });
  });

  it('keeps an event for a case it has not seen opened, and applies it when replayed after case.opened', async () => {
    const caseId = newId();
    const ack = await acknowledge(caseId); // case.opened is late (say, it went to the DLQ)
    const [dead] = await dlq.waitFor('the early acknowledgement dead-lettered', (r) => r.key === caseId);
    expect(dead!.message?.id).toBe(ack.id);

    await openCase(inMinutes(10), inMinutes(60), {}, caseId);
    await waitForTimers(caseId, (t) => t.length === 2);
    await producer.sendTo(TOPICS.cases, caseId, dead!.value!); // what a DLQ replay does
    expect(await waitForTimers(caseId, (t) => t.length === 1)).toEqual([{ caseId, kind: 'resolve', level: 0, dueAt: inMinutes(60) }]);
  });

  it('re-arms nothing when a replay brings older events after newer ones were applied', async () => {
    const { caseId, message: opened } = await openCase(inMinutes(10), inMinutes(60));
    await waitForTimers(caseId, (t) => t.length === 2);
    await resolve(caseId);
    await waitForTimers(caseId, (t) => t.length === 0);

    // A reopen made before the resolve, replayed from the DLQ only now, is stale.
    const stale = await reopen(caseId, new Date(Date.now() - MINUTE));
    await handled(stale.id);
    // So is a case.opened replayed under a fresh id (its inbox entry long gone).
    const again = await send('gridcase.case.opened.v1', caseId, opened.data);
    await handled(again.id);
    expect(await timersOf(caseId)).toEqual([]);
    const { rows } = await service.rt.pool.query('select status, round from escalation.cases where case_id = $1', [caseId]);
    expect(rows).toEqual([{ status: 'resolved', round: 0 }]);
  });

  it('fires the other timers when one cannot fire, and retries the bad one later, once', async () => {
    const bad = await openCase(inMinutes(5), inMinutes(600));
    const good = await Promise.all([openCase(inMinutes(5), inMinutes(600)), openCase(inMinutes(5), inMinutes(600))]);
    for (const { caseId } of [bad, ...good]) await waitForTimers(caseId, (t) => t.length === 2);
    // A leftover row that collides with the level-1 deadline its escalation would create.
    const blocker = newId();
    await service.rt.pool.query(
      `insert into escalation.timers (id, case_id, kind, level, round, due_at, status) values ($1, $2, 'resolve', 1, 0, now(), 'cancelled')`,
      [blocker, bad.caseId],
    );

    clock.advance(6 * MINUTE);
    for (const { caseId } of good) await waitForEscalations(caseId);
    const failed = await eventually('the bad timer deferred', async () => {
      const { rows } = await service.rt.pool.query(
        `select attempts, retry_at, last_error, status from escalation.timers where case_id = $1 and kind = 'respond' and level = 0`,
        [bad.caseId],
      );
      return rows[0]?.attempts >= 1 ? rows[0] : undefined;
    });
    expect(failed).toMatchObject({ status: 'pending', last_error: expect.stringContaining('timers') });
    expect(new Date(failed.retry_at).getTime()).toBeGreaterThan(clock.now().getTime());
    expect(escalationsOf(bad.caseId)).toHaveLength(0);
    expect((await service.app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/gridcase_escalation_timer_failures_total [1-9]/);

    await service.rt.pool.query('delete from escalation.timers where id = $1', [blocker]);
    clock.advance(5 * MINUTE); // past the longest retry delay
    await waitForEscalations(bad.caseId);
    await marker();
    expect(escalationsOf(bad.caseId)).toHaveLength(1);
  });

  it('never fires a timer twice when two schedulers run side by side', async () => {
    const replica = new EscalationScheduler({
      db: service.rt.db,
      clock,
      logger: service.rt.logger,
      pollMs: 10,
      source: '/gridcase/escalation',
    });
    replica.start();
    try {
      const opened = await Promise.all(Array.from({ length: 20 }, () => openCase(inMinutes(-1), inMinutes(600))));
      for (const { caseId } of opened) await waitForEscalations(caseId);
      await marker();
      expect(opened.map(({ caseId }) => escalationsOf(caseId).length)).toEqual(opened.map(() => 1));
    } finally {
      await replica.stop();
    }
  });

  it('lists pending deadlines soonest first, before a given instant', async () => {
    const a = await openCase(inMinutes(20), inMinutes(90));
    const b = await openCase(inMinutes(10), inMinutes(45));
    await waitForTimers(a.caseId, (t) => t.length === 2);
    await waitForTimers(b.caseId, (t) => t.length === 2);

    const res = await service.app.inject({ method: 'GET', url: `/v1/timers?dueBefore=${encodeURIComponent(inMinutes(60))}`, headers: bearer() });
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: TimerView[] }).items;
    const dueTimes = items.map((t) => t.dueAt);
    expect(dueTimes).toEqual([...dueTimes].sort());
    expect(dueTimes.every((d) => d < inMinutes(60))).toBe(true);
    expect(items.filter((t) => t.caseId === a.caseId || t.caseId === b.caseId)).toEqual([
      { caseId: b.caseId, kind: 'respond', level: 0, dueAt: inMinutes(10) },
      { caseId: a.caseId, kind: 'respond', level: 0, dueAt: inMinutes(20) },
      { caseId: b.caseId, kind: 'resolve', level: 0, dueAt: inMinutes(45) },
    ]);
  });

  it('guards the timer list: token, role and a valid instant', async () => {
    expect((await service.app.inject({ method: 'GET', url: '/v1/timers' })).statusCode).toBe(401);
    const reporter = service.rt.signer.issue({ clientId: 'r1', name: 'reporter', roles: ['reporter'] });
    expect((await service.app.inject({ method: 'GET', url: '/v1/timers', headers: bearer(reporter) })).statusCode).toBe(403);
    const officer = service.rt.signer.issue({ clientId: 'o1', name: 'officer', roles: ['officer'] });
    expect((await service.app.inject({ method: 'GET', url: '/v1/timers', headers: bearer(officer) })).statusCode).toBe(200);
    const bad = await service.app.inject({ method: 'GET', url: '/v1/timers?dueBefore=tomorrow', headers: bearer() });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'querystring.dueBefore' })]);
    const docs = await service.app.inject({ method: 'GET', url: '/docs', headers: bearer() });
    expect(Object.keys(docs.json().paths)).toEqual(expect.arrayContaining(['/v1/timers', '/v1/ladder', '/v1/ladder/{level}']));
  });

  it('serves the ladder and applies a changed budget to the next escalation', async () => {
    const ladder = await service.app.inject({ method: 'GET', url: '/v1/ladder', headers: bearer() });
    expect(ladder.json()).toEqual({
      top: 4,
      items: [
        { level: 1, role: 'lead', respondMinutes: 30, resolveMinutes: 240 },
        { level: 2, role: 'deskLeader', respondMinutes: 30, resolveMinutes: 240 },
        { level: 3, role: 'deputyChief', respondMinutes: 60, resolveMinutes: 480 },
        { level: 4, role: 'chief', respondMinutes: 60, resolveMinutes: 480 },
      ],
    });
    const officer = service.rt.signer.issue({ clientId: 'o1', name: 'officer', roles: ['officer'] });
    const body = { respondMinutes: 7, resolveMinutes: 70 };
    expect((await service.app.inject({ method: 'PUT', url: '/v1/ladder/1', headers: bearer(officer), payload: body })).statusCode).toBe(403);
    const outOfRange = await service.app.inject({ method: 'PUT', url: '/v1/ladder/9', headers: bearer(), payload: body });
    expect(outOfRange.statusCode).toBe(400);
    expect(outOfRange.json().errors[0].path).toBe('params.level');
    const inverted = await service.app.inject({ method: 'PUT', url: '/v1/ladder/1', headers: bearer(), payload: { respondMinutes: 70, resolveMinutes: 7 } });
    expect(inverted.statusCode).toBe(400);
    const put = await service.app.inject({ method: 'PUT', url: '/v1/ladder/1', headers: bearer(), payload: body });
    expect(put.json()).toEqual({ level: 1, role: 'lead', ...body });

    const { caseId } = await openCase(inMinutes(-1), inMinutes(600));
    const [escalated] = await waitForEscalations(caseId);
    expect(escalated).toMatchObject({ level: 1, respondBy: inMinutes(7), resolveBy: inMinutes(70) });
  });

  it('counts escalations by reason in /metrics', async () => {
    const res = await service.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/gridcase_escalations_total\{reason="respond-overdue"\} [1-9]/);
    expect(res.body).toMatch(/gridcase_escalations_total\{reason="resolve-overdue"\} [1-9]/);
  });
});
