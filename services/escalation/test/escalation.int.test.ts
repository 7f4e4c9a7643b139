import { type DeadlineKind, makeMessage, type Message, type MessageType, newId, TOPICS } from '@gridcase/contracts';
import { ManualClock } from '@gridcase/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, isolatedEnv, type ReadRecord, readTopic, routesTakingUnknownQuery, testProducer } from '../../../infra/test/harness.ts';
import { openapiGaps } from '../../../infra/test/openapi.ts';
import { APPLY } from '../src/db/store.ts';
import { start } from '../src/main.ts';
import { EscalationScheduler } from '../src/scheduler/scheduler.ts';

type DeadlineView = { caseId: string; kind: string; level: number; dueAt: string; version: number; warningAt: string; warned: boolean };
type Fact = { fact: 'warning' | 'passed'; caseId: string; kind: string; dueAt: string; version: number; at: string };

const MINUTE = 60_000;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const FACTS: Record<string, Fact['fact']> = {
  'gridcase.case.deadline-warning.v1': 'warning',
  'gridcase.case.deadline-passed.v1': 'passed',
};

describe('escalation (deadline timers) against real Kafka and Postgres', () => {
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let cases: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;

  beforeAll(async () => {
    env = await isolatedEnv({ ESCALATION_PORT: '0', ESCALATION_POLL_MS: '50' });
    service = await start(env, clock);
    cases = await readTopic(env, TOPICS.cases);
    producer = await testProducer(env);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await cases?.close();
    await service?.rt.shutdown('test done');
  });

  const inMinutes = (n: number) => new Date(clock.now().getTime() + n * MINUTE).toISOString();

  const send = async <T extends MessageType>(type: T, caseId: string, data: Message<T>['data'], headers: Record<string, string> = {}) => {
    const message = makeMessage(type, { source: '/test', subject: caseId, data });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(message), headers);
    return message;
  };

  /** A running deadline started `from` minutes from now and due `to` minutes from now. */
  const clockOf = (kind: DeadlineKind, from: number, to: number) => ({ kind, startedAt: inMinutes(from), dueAt: inMinutes(to) });

  const setDeadlines = (
    caseId: string,
    version: number,
    running: (ReturnType<typeof clockOf> & { warnAt?: string })[],
    opts: { level?: number; headers?: Record<string, string>; holdUntil?: string } = {},
  ) =>
    send(
      'gridcase.case.deadlines-set.v1',
      caseId,
      { caseId, version, level: opts.level ?? 0, running, at: clock.now().toISOString(), ...(opts.holdUntil ? { holdUntil: opts.holdUntil } : {}) },
      opts.headers,
    );

  /** Once escalation's case row shows `version`, the set has been mirrored. */
  const mirrored = (caseId: string, version: number) =>
    eventually(`version ${version} of ${caseId} mirrored`, async () => {
      const { rows } = await service.rt.pool.query('select version from escalation.cases where case_id = $1', [caseId]);
      return rows[0]?.version === version ? true : undefined;
    });

  const asFact = (r: ReadRecord): Fact => ({ fact: FACTS[r.message!.type]!, ...(r.message!.data as Omit<Fact, 'fact'>) });
  const isFactOf = (caseId: string) => (r: ReadRecord) => r.key === caseId && !!r.message && r.message.type in FACTS;
  const factsOf = (caseId: string) => cases.records.filter(isFactOf(caseId)).map(asFact);
  const waitForFacts = async (caseId: string, count: number) =>
    (await cases.waitFor(`${count} fact(s) of ${caseId}`, isFactOf(caseId), count)).map(asFact);

  const deadlinesOf = async (caseId: string): Promise<DeadlineView[]> => {
    const res = await service.app.inject({ method: 'GET', url: `/v1/timers?caseId=${caseId}`, headers: bearer() });
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: DeadlineView[] }).items;
  };

  /**
   * A case whose deadline passed a moment ago; once its passed fact is out, every timer due by now
   * that was not held elsewhere has been fired, so a fact that did not come by then is not coming.
   */
  const marker = async () => {
    const caseId = newId();
    await setDeadlines(caseId, 1, [clockOf('respond', -2, -0.01)]);
    await cases.waitFor(`marker ${caseId} passed`, (r) => isFactOf(caseId)(r) && r.message!.type === 'gridcase.case.deadline-passed.v1');
  };

  it('refuses a misspelt or unknown query parameter on every route, naming it', async () => {
    const timers = await service.app.inject({ method: 'GET', url: '/v1/timers?caseID=x', headers: bearer() });
    expect(timers.json().errors).toEqual([{ path: 'querystring.caseID', message: 'unknown field' }]);
    expect(await routesTakingUnknownQuery(service.app)).toEqual([]);
  });

  it('warns at 75 % of a budget and reports the passed deadline, each exactly once, through redelivery and a restart', async () => {
    const caseId = newId();
    const respond = clockOf('respond', 0, 40);
    const set = await setDeadlines(caseId, 1, [respond, clockOf('resolve', 0, 24 * 60)], {
      level: 1,
      headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
    });
    await mirrored(caseId, 1);
    expect(await deadlinesOf(caseId)).toEqual([
      { caseId, kind: 'respond', level: 1, dueAt: respond.dueAt, version: 1, warningAt: inMinutes(30), warned: false },
      { caseId, kind: 'resolve', level: 1, dueAt: inMinutes(24 * 60), version: 1, warningAt: inMinutes(18 * 60), warned: false },
    ]);

    clock.advance(29 * MINUTE);
    await marker();
    expect(factsOf(caseId)).toEqual([]);

    clock.advance(1 * MINUTE); // the 75 % point of respond
    const [warning] = await waitForFacts(caseId, 1);
    expect(warning).toEqual({ fact: 'warning', caseId, kind: 'respond', dueAt: respond.dueAt, version: 1, at: clock.now().toISOString() });
    expect(cases.records.find(isFactOf(caseId))!.headers.traceparent).toContain(TRACE_ID);
    expect((await deadlinesOf(caseId))[0]).toMatchObject({ kind: 'respond', warned: true });

    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(set)); // redelivered
    await service.rt.shutdown('restart');
    service = await start(env, clock);
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(set)); // and again after the restart

    clock.advance(10 * MINUTE); // respondBy
    const facts = await waitForFacts(caseId, 2);
    expect(facts[1]).toEqual({ fact: 'passed', caseId, kind: 'respond', dueAt: respond.dueAt, version: 1, at: clock.now().toISOString() });
    await marker();
    expect(factsOf(caseId).map((f) => `${f.fact} ${f.kind}`)).toEqual(['warning respond', 'passed respond']);
    expect(await deadlinesOf(caseId)).toEqual([expect.objectContaining({ kind: 'resolve', warned: false })]);

    // The database itself refuses a second timer for a fact.
    await expect(
      service.rt.pool.query(
        `insert into escalation.timers (id, case_id, kind, fact, version, level, due_at, fire_at) values ($1, $2, 'respond', 'passed', 1, 1, now(), now())`,
        [newId(), caseId],
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'timers_fact_key' });
  });

  it('lets a newer version replace the timers of older ones, and ignores an equal or older version arriving late', async () => {
    const caseId = newId();
    const resolve = clockOf('resolve', 0, 100);
    await setDeadlines(caseId, 2, [resolve]); // out of order: version 1 comes later
    await mirrored(caseId, 2);
    expect(await deadlinesOf(caseId)).toEqual([
      { caseId, kind: 'resolve', level: 0, dueAt: resolve.dueAt, version: 2, warningAt: inMinutes(75), warned: false },
    ]);

    await setDeadlines(caseId, 1, [clockOf('respond', 0, 10), clockOf('resolve', 0, 60)]); // overtaken
    await setDeadlines(caseId, 2, [clockOf('verify', 0, 5)]); // same version again
    const next = clockOf('resolve', 0, 200);
    await setDeadlines(caseId, 3, [next]); // same key, so handled after the two above
    await mirrored(caseId, 3);
    const { rows } = await service.rt.pool.query(
      'select kind, fact, version, status from escalation.timers where case_id = $1 order by version, fact',
      [caseId],
    );
    expect(rows).toEqual([
      { kind: 'resolve', fact: 'passed', version: 2, status: 'cancelled' },
      { kind: 'resolve', fact: 'warning', version: 2, status: 'cancelled' },
      { kind: 'resolve', fact: 'passed', version: 3, status: 'pending' },
      { kind: 'resolve', fact: 'warning', version: 3, status: 'pending' },
    ]);

    clock.advance(201 * MINUTE); // past every deadline of every version
    await waitForFacts(caseId, 2);
    await marker();
    expect(factsOf(caseId).map((f) => `${f.fact} ${f.kind} v${f.version}`)).toEqual(['warning resolve v3', 'passed resolve v3']);
  });

  it('cancels everything when nothing runs (on hold)', async () => {
    const caseId = newId();
    await setDeadlines(caseId, 1, [clockOf('respond', 0, 10), clockOf('resolve', 0, 60)]);
    await mirrored(caseId, 1);
    await setDeadlines(caseId, 2, []);
    await mirrored(caseId, 2);
    expect(await deadlinesOf(caseId)).toEqual([]);

    clock.advance(120 * MINUTE);
    await marker();
    expect(factsOf(caseId)).toEqual([]);
  });

  it('warns once per deadline: a hold and a resume that shift it do not warn again', async () => {
    const caseId = newId();
    await setDeadlines(caseId, 1, [clockOf('resolve', 0, 40)]);
    await mirrored(caseId, 1);
    clock.advance(31 * MINUTE);
    await waitForFacts(caseId, 1); // warned at 30
    await setDeadlines(caseId, 2, []); // on hold
    await mirrored(caseId, 2);
    clock.advance(20 * MINUTE);
    const resumed = clockOf('resolve', -31, 9); // every deadline moved later by the 20 minutes held
    await setDeadlines(caseId, 3, [resumed]);
    await mirrored(caseId, 3);
    expect(await deadlinesOf(caseId)).toEqual([expect.objectContaining({ version: 3, dueAt: resumed.dueAt, warned: true })]);

    clock.advance(9 * MINUTE);
    await waitForFacts(caseId, 2);
    await marker();
    expect(factsOf(caseId).map((f) => `${f.fact} v${f.version}`)).toEqual(['warning v1', 'passed v3']);
  });

  it('warns a working-day clock at the warnAt the case of record sent, once: a resume that moves it whole does not warn again (audit 22 #2)', async () => {
    const caseId = newId();
    // 75 % of the clock time would be at 300; the working time's 75 % falls at 100.
    await setDeadlines(caseId, 1, [{ ...clockOf('verify', 0, 400), warnAt: inMinutes(100) }]);
    await mirrored(caseId, 1);
    expect(await deadlinesOf(caseId)).toEqual([expect.objectContaining({ version: 1, warningAt: inMinutes(100), warned: false })]);
    clock.advance(101 * MINUTE);
    expect(await waitForFacts(caseId, 1)).toEqual([expect.objectContaining({ fact: 'warning', kind: 'verify', version: 1 })]);
    await setDeadlines(caseId, 2, []); // on hold
    await mirrored(caseId, 2);
    clock.advance(20 * MINUTE);
    // Resumed: start, deadline and warning moved later by the 20 minutes held.
    const resumed = { ...clockOf('verify', -101, 299), warnAt: inMinutes(-1) };
    await setDeadlines(caseId, 3, [resumed]);
    await mirrored(caseId, 3);
    expect(await deadlinesOf(caseId)).toEqual([expect.objectContaining({ version: 3, dueAt: resumed.dueAt, warningAt: resumed.warnAt, warned: true })]);

    clock.advance(299 * MINUTE);
    await waitForFacts(caseId, 2);
    await marker();
    expect(factsOf(caseId).map((f) => `${f.fact} v${f.version}`)).toEqual(['warning v1', 'passed v3']);
  });

  const HOLD_EXPIRED = 'gridcase.case.hold-expired.v1';
  const holdFactsOf = (caseId: string) => cases.records.filter((r) => r.key === caseId && r.message?.type === HOLD_EXPIRED).map((r) => r.message!.data);
  const holdTimersOf = async (caseId: string) =>
    (await service.rt.pool.query("select fact, version, status from escalation.timers where case_id = $1 and kind = 'hold' order by version", [caseId])).rows;

  it("times a hold's end: one hold-expired fact of the newest version, no warning, not listed; the resume after it warns nothing again", async () => {
    const caseId = newId();
    await setDeadlines(caseId, 1, [clockOf('resolve', 0, 40)]);
    await mirrored(caseId, 1);
    clock.advance(31 * MINUTE);
    await waitForFacts(caseId, 1); // warned at 30
    await setDeadlines(caseId, 2, [], { holdUntil: inMinutes(60) }); // held until 60 minutes from now
    await setDeadlines(caseId, 3, [], { holdUntil: inMinutes(20) }); // a newer version, another until
    await mirrored(caseId, 3);
    expect(await deadlinesOf(caseId)).toEqual([]);
    expect(await holdTimersOf(caseId)).toEqual([
      { fact: 'passed', version: 2, status: 'cancelled' },
      { fact: 'passed', version: 3, status: 'pending' },
    ]);

    const until = inMinutes(20);
    clock.advance(20 * MINUTE);
    const [expired] = await cases.waitFor(`hold of ${caseId} expired`, (r) => r.key === caseId && r.message?.type === HOLD_EXPIRED);
    expect(expired!.message!.data).toEqual({ caseId, until, version: 3, at: clock.now().toISOString() });

    // Assignment resumes: the resolve clock moved later by the 20 minutes held. Its warning was sent before the hold.
    const resumed = clockOf('resolve', -31, 9);
    await setDeadlines(caseId, 4, [resumed]);
    await mirrored(caseId, 4);
    expect(await deadlinesOf(caseId)).toEqual([expect.objectContaining({ version: 4, dueAt: resumed.dueAt, warned: true })]);
    clock.advance(60 * MINUTE);
    await waitForFacts(caseId, 2);
    await marker();
    expect(factsOf(caseId).map((f) => `${f.fact} v${f.version}`)).toEqual(['warning v1', 'passed v4']);
    expect(holdFactsOf(caseId)).toHaveLength(1);
  });

  it("cancels a hold's end when the case is resumed first: no fact", async () => {
    const caseId = newId();
    await setDeadlines(caseId, 1, [], { holdUntil: inMinutes(10) });
    await mirrored(caseId, 1);
    await setDeadlines(caseId, 2, [clockOf('resolve', 0, 600)]); // resumed by hand
    await mirrored(caseId, 2);
    expect(await holdTimersOf(caseId)).toEqual([{ fact: 'passed', version: 1, status: 'cancelled' }]);
    clock.advance(15 * MINUTE);
    await marker();
    expect(holdFactsOf(caseId)).toEqual([]);
  });

  it('after an outage sends a deadline both warning and passed, warning first, once each', async () => {
    const caseId = newId();
    await setDeadlines(caseId, 1, [clockOf('verify', -100, -1)]);
    const facts = await waitForFacts(caseId, 2);
    expect(facts.map((f) => f.fact)).toEqual(['warning', 'passed']);
    await marker();
    expect(factsOf(caseId)).toHaveLength(2);
  });

  it('sends a warning that is waiting for a retry together with, and before, the passed fact', async () => {
    const caseId = newId();
    await setDeadlines(caseId, 1, [clockOf('resolve', 0, 10)]);
    await mirrored(caseId, 1);
    // As if its last attempt had failed: the warning alone would not be tried again for an hour.
    await service.rt.pool.query(
      `update escalation.timers set attempts = 1, retry_at = $2 where case_id = $1 and fact = 'warning'`,
      [caseId, inMinutes(60)],
    );
    clock.advance(10 * MINUTE);
    const facts = await waitForFacts(caseId, 2);
    expect(facts.map((f) => f.fact)).toEqual(['warning', 'passed']);
  });

  it('fires nothing twice when restarted in the middle of a burst of due timers', async () => {
    const ids = Array.from({ length: 15 }, () => newId());
    for (const caseId of ids) await setDeadlines(caseId, 1, [clockOf('follow-up', 0, 10)]);
    for (const caseId of ids) await mirrored(caseId, 1);

    clock.advance(11 * MINUTE);
    await cases.waitFor('the burst under way', (r) => ids.includes(r.key ?? '') && !!r.message && r.message.type in FACTS);
    await service.rt.shutdown('restart mid-burst');
    service = await start(env, clock);

    for (const caseId of ids) await waitForFacts(caseId, 2);
    await marker();
    expect(ids.map((caseId) => factsOf(caseId).map((f) => f.fact))).toEqual(ids.map(() => ['warning', 'passed']));
  });

  it('fires each fact once when two schedulers run side by side', async () => {
    const replica = new EscalationScheduler({ db: service.rt.db, clock, logger: service.rt.logger, pollMs: 10, source: '/gridcase/escalation' });
    replica.start();
    try {
      const ids = Array.from({ length: 20 }, () => newId());
      for (const caseId of ids) await setDeadlines(caseId, 1, [clockOf('respond', -10, -1), clockOf('resolve', -10, 0)]);
      for (const caseId of ids) await waitForFacts(caseId, 4);
      await marker();
      for (const caseId of ids) {
        const facts = factsOf(caseId).map((f) => `${f.fact} ${f.kind}`);
        expect(facts.toSorted()).toEqual(['passed resolve', 'passed respond', 'warning resolve', 'warning respond']);
        // Of each deadline the warning comes first.
        for (const kind of ['respond', 'resolve']) expect(facts.indexOf(`warning ${kind}`)).toBeLessThan(facts.indexOf(`passed ${kind}`));
      }
    } finally {
      await replica.stop();
    }
  });

  it('fires the other timers when one cannot fire, and retries the bad one later, once', async () => {
    const bad = newId();
    const good = [newId(), newId()];
    for (const caseId of [bad, ...good]) await setDeadlines(caseId, 1, [clockOf('resolve', 0, 5)]);
    for (const caseId of [bad, ...good]) await mirrored(caseId, 1);
    // A fact with version 0 breaks the contract, so its message cannot be built.
    await service.rt.pool.query('update escalation.timers set version = 0 where case_id = $1', [bad]);

    clock.advance(6 * MINUTE);
    for (const caseId of good) await waitForFacts(caseId, 2);
    const failed = await eventually('the bad timer deferred', async () => {
      const { rows } = await service.rt.pool.query(
        `select attempts, retry_at, last_error, status from escalation.timers where case_id = $1 and fact = 'warning'`,
        [bad],
      );
      return rows[0]?.attempts >= 1 ? rows[0] : undefined;
    });
    expect(failed).toMatchObject({ status: 'pending', last_error: expect.stringContaining('version') });
    expect(new Date(failed.retry_at).getTime()).toBeGreaterThan(clock.now().getTime());
    expect(factsOf(bad)).toEqual([]);
    // Counted once the deferral's update has committed, so a moment after the row shows it.
    const failures = await eventually('the failure counted', async () => {
      const body = (await service.app.inject({ method: 'GET', url: '/metrics' })).body;
      return /gridcase_escalation_timer_failures_total [1-9]/.test(body) ? body : undefined;
    });
    expect(failures).toMatch(/gridcase_escalation_timer_failures_total [1-9]/);

    await service.rt.pool.query('update escalation.timers set version = 1 where case_id = $1', [bad]);
    clock.advance(5 * MINUTE); // past the longest retry delay
    await waitForFacts(bad, 2);
    await marker();
    expect(factsOf(bad).map((f) => f.fact)).toEqual(['warning', 'passed']);
  });

  it('ignores every case event other than deadlines-set', async () => {
    const caseId = newId();
    const by = { clientId: 'desk-1' };
    await send('gridcase.case.acknowledged.v1', caseId, { caseId, commandId: newId(), by, at: clock.now().toISOString() });
    await send('gridcase.case.escalated.v1', caseId, {
      caseId,
      fromLevel: 0,
      level: 1,
      reason: 'respond-overdue',
      deadline: inMinutes(-1),
      resolveBy: inMinutes(60),
      at: clock.now().toISOString(),
    });
    // Same key, so once this is mirrored the two before it have been handled.
    await setDeadlines(caseId, 1, []);
    await mirrored(caseId, 1);
    const { rows } = await service.rt.pool.query('select count(*)::int as n from escalation.timers where case_id = $1', [caseId]);
    expect(rows[0].n).toBe(0);
  });

  it("cancels a case's older timers reading only that case's pending timers, however many others are pending", async () => {
    // A young table has no statistics (nor has any table where autovacuum is off): the planner once
    // ANDed the pending-fire index with the case index here, reading every pending timer per set.
    const client = await service.rt.pool.connect();
    try {
      await client.query('begin');
      await client.query(`insert into escalation.cases (case_id, version) select 'plan-' || i, 1 from generate_series(1, 2000) i`);
      await client.query(
        `insert into escalation.timers (id, case_id, kind, fact, version, level, due_at, fire_at)
         select 'plan-' || i || '-' || f, 'plan-' || i, 'respond', f, 1, 0, now() + interval '30 days', now() + interval '20 days'
           from generate_series(1, 2000) i, unnest(array['warning', 'passed']) f`,
      );
      const caseId = 'plan-7';
      const armed = JSON.stringify([{ id: newId(), kind: 'respond', fact: 'passed', level: 0, dueAt: inMinutes(60), fireAt: inMinutes(60), status: 'pending' }]);
      const { rows } = await client.query({ text: `explain (format json) ${APPLY.text}`, values: [caseId, 2, null, clock.now(), null, armed] });
      const indexes = JSON.stringify(rows[0]['QUERY PLAN']).match(/"Index Name":"[a-z_]+"/g) ?? [];
      expect(indexes).toContain('"Index Name":"timers_pending_case_idx"');
      expect(indexes).not.toContain('"Index Name":"timers_pending_fire_idx"');
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('lists pending deadlines soonest first, before a given instant', async () => {
    const a = newId();
    const b = newId();
    await setDeadlines(a, 1, [clockOf('respond', 0, 20), clockOf('resolve', 0, 90)]);
    await setDeadlines(b, 1, [clockOf('respond', 0, 10), clockOf('resolve', 0, 45)]);
    await mirrored(a, 1);
    await mirrored(b, 1);

    const res = await service.app.inject({ method: 'GET', url: `/v1/timers?dueBefore=${encodeURIComponent(inMinutes(60))}`, headers: bearer() });
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: DeadlineView[] }).items;
    const dueTimes = items.map((t) => t.dueAt);
    expect(dueTimes).toEqual([...dueTimes].sort());
    expect(dueTimes.every((d) => d < inMinutes(60))).toBe(true);
    expect(items.filter((t) => t.caseId === a || t.caseId === b).map(({ caseId, kind, dueAt }) => ({ caseId, kind, dueAt }))).toEqual([
      { caseId: b, kind: 'respond', dueAt: inMinutes(10) },
      { caseId: a, kind: 'respond', dueAt: inMinutes(20) },
      { caseId: b, kind: 'resolve', dueAt: inMinutes(45) },
    ]);
  });

  it('pages pending deadlines with nextCursor, deadlines due at the same instant included, and refuses a cursor it never gave out', async () => {
    const c = newId();
    const [startedAt, dueAt] = [inMinutes(0), inMinutes(30)];
    await setDeadlines(c, 1, ['respond', 'resolve', 'verify'].map((kind) => ({ kind: kind as DeadlineKind, startedAt, dueAt })));
    await mirrored(c, 1);
    const page = async (query: string) => {
      const res = await service.app.inject({ method: 'GET', url: `/v1/timers?caseId=${c}&limit=2${query}`, headers: bearer() });
      expect(res.statusCode).toBe(200);
      return res.json() as { items: DeadlineView[]; nextCursor: string | null };
    };
    const first = await page('');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await page(`&cursor=${first.nextCursor}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((t) => t.kind).sort()).toEqual(['resolve', 'respond', 'verify']);

    const bad = await service.app.inject({ method: 'GET', url: '/v1/timers?cursor=bm9wZQ', headers: bearer() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: 'querystring.cursor', message: expect.stringContaining('not a cursor') }]);
  });

  it('guards the timer list: token, role and a valid instant; the ladder is no longer here', async () => {
    expect((await service.app.inject({ method: 'GET', url: '/v1/timers' })).statusCode).toBe(401);
    const reporter = service.rt.signer.issue({ clientId: 'r1', name: 'reporter', roles: ['reporter'] });
    expect((await service.app.inject({ method: 'GET', url: '/v1/timers', headers: bearer(reporter) })).statusCode).toBe(403);
    const officer = service.rt.signer.issue({ clientId: 'o1', name: 'officer', roles: ['officer'], stations: ['CG'] });
    expect((await service.app.inject({ method: 'GET', url: '/v1/timers', headers: bearer(officer) })).statusCode).toBe(200);
    const bad = await service.app.inject({ method: 'GET', url: '/v1/timers?dueBefore=tomorrow', headers: bearer() });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'querystring.dueBefore' })]);
    // Any instant bounds the list; one whose UTC year leaves 0001–9999 is moved to the nearest, not a 500.
    const timers = async (dueBefore: string) => {
      const res = await service.app.inject({ method: 'GET', url: `/v1/timers?dueBefore=${encodeURIComponent(dueBefore)}`, headers: bearer() });
      expect(res.statusCode, dueBefore).toBe(200);
      return res.json().items;
    };
    expect(await timers('9999-12-31T23:00:00-05:00')).toEqual(await timers('9999-12-31T23:59:59Z'));
    expect(await timers('0001-01-01T00:00:00+08:00')).toEqual([]);
    const twice = await service.app.inject({ method: 'GET', url: `/v1/timers?caseId=${newId()}&caseId=${newId()}`, headers: bearer() });
    expect(twice.json().errors).toEqual([{ path: 'querystring.caseId', message: 'given more than once; give it once' }]);
    // A mistyped case id is named, not answered as a case without deadlines (audit22 #6).
    const mistyped = await service.app.inject({ method: 'GET', url: '/v1/timers?caseId=nope', headers: bearer() });
    expect(mistyped.statusCode).toBe(400);
    expect(mistyped.json().errors).toEqual([{ path: 'querystring.caseId', message: 'is not a case id (a UUID, as gridcase issues them)' }]);
    const audit = await service.app.inject({ method: 'GET', url: `/v1/audit?to=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`, headers: bearer() });
    expect(audit.statusCode).toBe(200);
    const docs = await service.app.inject({ method: 'GET', url: '/docs', headers: bearer() });
    expect(Object.keys(docs.json().paths)).toContain('/v1/timers');
    expect(Object.keys(docs.json().paths)).not.toContain('/v1/ladder');
    // Every operation's errors as problem+json (audit12 #4).
    expect(openapiGaps(docs.json())).toEqual([]);
  });

  it('reports facts by kind, lateness of fired timers and pending timers in /metrics', async () => {
    const body = (await service.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(body).toMatch(/gridcase_escalation_facts_total\{fact="warning",kind="respond"\} [1-9]/);
    expect(body).toMatch(/gridcase_escalation_facts_total\{fact="passed",kind="follow-up"\} [1-9]/);
    expect(body).toMatch(/gridcase_escalation_timer_lateness_seconds_count\{fact="passed"\} [1-9]/);
    expect(body).toMatch(/gridcase_escalation_pending_timers \d+/);
  });
});
