import { makeMessage, TOPICS } from '@gridcase/contracts';
import { type Db, type OutgoingMessage, writeOutbox } from '@gridcase/db';
import { childTraceparent, endSpan, injectSpan, inSpanFrom, PollingLoop, startSpanFrom } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { outbox, timers } from '../db/schema.ts';
import { type DueTimer, lockPendingTimer, lockPendingTimers, markAllFired, markFired, pendingWarningOf, pendingWarningsOf } from '../db/store.ts';
import type { Logger } from '../handlers/deps.ts';
import { factsTotal, timerFailuresTotal, timerLatenessSeconds } from '../metrics.ts';

export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  pollMs: number;
  source: string;
  /** Due timers looked at per pass (each fired in its own transaction). */
  batchSize?: number;
}

/** A pass that has not succeeded for this long (wall time) means the scheduler is stuck. */
const STUCK_AFTER_MS = 30_000;

/** A timer that failed to fire waits this long (doubling per failure, bounded) before its next try. */
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;

export const retryDelayMs = (attempts: number) => Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);

const FACT_TYPES = {
  warning: 'gridcase.case.deadline-warning.v1',
  passed: 'gridcase.case.deadline-passed.v1',
} as const;

/** The event a timer fires: a deadline's warning or passing, or a hold's end. */
const factType = (t: DueTimer) => (t.kind === 'hold' ? 'gridcase.case.hold-expired.v1' : FACT_TYPES[t.fact]);

/**
 * Fires due timers. Each timer is fired in ONE transaction of its own: it locks the timer together
 * with its case row (SKIP LOCKED, so replicas and the consumer never wait on each other or fire the
 * same timer twice), marks it fired and writes its fact to the outbox. A crash keeps all or none. A
 * timer whose transaction fails is put back with a later `retry_at`, logged and counted, so one bad
 * row never holds up the others. The scheduler decides nothing: what a fact means is assignment's.
 * Time comes from the injected clock; wall time is only used to notice a stuck loop.
 */
export class EscalationScheduler {
  private readonly o: Required<SchedulerOptions>;
  private readonly loop: PollingLoop;

  constructor(options: SchedulerOptions) {
    this.o = { batchSize: 100, ...options };
    this.loop = new PollingLoop({
      name: 'escalation scheduler',
      pollMs: this.o.pollMs,
      batchSize: this.o.batchSize,
      logger: this.o.logger,
      pass: () => this.pass(),
    });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Why the scheduler is unhealthy: no successful pass for a while. */
  get failure(): string | undefined {
    const idleMs = Date.now() - this.loop.lastSuccess;
    if (idleMs <= Math.max(STUCK_AFTER_MS, this.o.pollMs * 3)) return undefined;
    return `no successful pass for ${Math.round(idleMs / 1000)} s${this.loop.lastError ? `; last error: ${this.loop.lastError}` : ''}`;
  }

  /**
   * One pass over due timers: all of them in one transaction, or, should that fail, each in its own
   * (so one bad timer is deferred alone); returns how many it fired or deferred.
   */
  async pass(): Promise<number> {
    const { db, clock, batchSize } = this.o;
    const now = clock.now();
    // Candidates only: each is locked and checked again in its own transaction. Of one deadline the
    // warning sorts first, so it is fired first even when both are long due.
    const due = await db
      .select({ id: timers.id, caseId: timers.caseId, attempts: timers.attempts })
      .from(timers)
      .where(and(eq(timers.status, 'pending'), lte(timers.fireAt, now), or(isNull(timers.retryAt), lte(timers.retryAt, now))))
      .orderBy(asc(timers.fireAt), sql`${timers.fact} = 'passed'`, asc(timers.id))
      .limit(batchSize);
    if (due.length === 0) return 0;
    // Deadlines cluster (a working-day budget ends at 18:00): one commit for the batch keeps a burst
    // of them from queueing behind a commit each.
    const fired = await this.fireBatch(due.map((t) => t.id), now).catch((err: unknown) => {
      this.o.logger.warn({ timers: due.length, err }, 'firing a batch of timers failed; firing them one by one');
      return undefined;
    });
    if (fired) {
      for (const f of fired) this.report(f, now);
      return fired.length;
    }
    let handled = 0;
    for (const timer of due) {
      try {
        const fired = await this.fireOne(timer.id, now);
        if (fired) {
          handled++;
          this.report(fired, now);
        }
      } catch (err) {
        await this.defer(timer, err, now);
        handled++;
      }
    }
    return handled;
  }

  /**
   * Fires due timers in one transaction, as fireOne does each (locks, the pending warning first,
   * marked fired), with their facts written to the outbox in one insert; timers gone or held
   * elsewhere are skipped. Each fire has its span, continuing the trace its deadlines-set carried;
   * the spans end with the commit.
   */
  private async fireBatch(ids: readonly string[], now: Date): Promise<DueTimer[][]> {
    const spans: ReturnType<typeof startSpanFrom>[] = [];
    try {
      const fired = await this.o.db.transaction(async (tx) => {
        // Set-wise: a few statements for the whole batch, not a few for each timer.
        const locked = new Map((await lockPendingTimers(tx, ids)).map((t) => [t.id, t]));
        const warnings = await pendingWarningsOf(tx, [...locked.values()].filter((t) => t.fact === 'passed'));
        const warningOf = (t: DueTimer) => warnings.find((w) => w.caseId === t.caseId && w.kind === t.kind && w.version === t.version);
        const firings: DueTimer[][] = [];
        const facts: OutgoingMessage[] = [];
        const firing = new Set<string>();
        // In the candidates' order (a deadline's warning sorts before its passed fact), each once.
        for (const id of ids) {
          const timer = locked.get(id);
          if (!timer || firing.has(id)) continue;
          const warning = timer.fact === 'passed' ? warningOf(timer) : undefined;
          const these = warning && !firing.has(warning.id) ? [warning, timer] : [timer];
          for (const t of these) firing.add(t.id);
          const span = startSpanFrom(timer.traceparent ? { traceparent: timer.traceparent } : {}, this.fireSpan(timer));
          spans.push(span);
          // Without tracing the span writes nothing and the stored traceparent's trace goes on by hand.
          const headers = { traceparent: childTraceparent(timer.traceparent ?? undefined) };
          injectSpan(span, headers);
          facts.push(...these.map((t) => this.fact(t, now, headers)));
          firings.push(these);
        }
        const marked = await markAllFired(tx, [...firing], now);
        // Locked above and held since, so nothing can have fired them meanwhile.
        if (marked.size !== firing.size) throw new Error(`marked ${marked.size} of ${firing.size} timers fired`);
        await writeOutbox(tx, outbox, 'escalation', facts);
        return firings;
      });
      for (const span of spans) endSpan(span);
      return fired;
    } catch (err) {
      for (const span of spans) endSpan(span, err);
      throw err;
    }
  }

  private fireSpan(timer: DueTimer) {
    return {
      name: `fire ${factType(timer)}`,
      attributes: { 'gridcase.case_id': timer.caseId, 'gridcase.deadline.kind': timer.kind, 'gridcase.deadline.version': timer.version },
    };
  }

  /** A timer's fact, bound for gridcase.cases keyed by its case. */
  private fact(t: DueTimer, now: Date, headers: Record<string, string>): OutgoingMessage {
    const fields = { source: this.o.source, subject: t.caseId, time: now };
    const [dueAt, at] = [t.dueAt.toISOString(), now.toISOString()];
    const message =
      t.kind === 'hold'
        ? makeMessage('gridcase.case.hold-expired.v1', { ...fields, data: { caseId: t.caseId, until: dueAt, version: t.version, at } })
        : makeMessage(FACT_TYPES[t.fact], { ...fields, data: { caseId: t.caseId, kind: t.kind, dueAt, version: t.version, at } });
    return { topic: TOPICS.cases, key: t.caseId, message, headers };
  }

  /**
   * Fires one due timer in one transaction; undefined when it is gone or held elsewhere. A passed
   * deadline whose warning is still pending (say, after an outage) sends the warning first, in the
   * same transaction, so the warning is never lost nor after the passed fact.
   */
  private async fireOne(id: string, now: Date): Promise<DueTimer[] | undefined> {
    return this.o.db.transaction(async (tx) => {
      const timer = await lockPendingTimer(tx, id);
      if (!timer) return undefined;
      const warning = timer.fact === 'passed' ? await pendingWarningOf(tx, timer) : undefined;
      const firing = warning ? [warning, timer] : [timer];
      // In a span continuing the trace of the deadlines-set these timers mirror, which the facts then
      // carry (writeOutbox); without tracing, the stored traceparent's trace goes on by hand.
      const parent: Record<string, string> = timer.traceparent ? { traceparent: timer.traceparent } : {};
      await inSpanFrom(parent, this.fireSpan(timer), async () => {
        const headers = { traceparent: childTraceparent(timer.traceparent ?? undefined) };
        for (const t of firing) await markFired(tx, t.id, now);
        await writeOutbox(tx, outbox, 'escalation', firing.map((t) => this.fact(t, now, headers)));
      });
      return firing;
    });
  }

  /**
   * Puts a timer that failed back for a later try. Only a still-pending timer is touched, so a
   * timer another replica fired meanwhile stays fired. If even this fails (the database is down),
   * the pass fails and the loop backs off.
   */
  private async defer(timer: { id: string; caseId: string; attempts: number }, err: unknown, now: Date): Promise<void> {
    const attempts = timer.attempts + 1;
    const retryAt = new Date(now.getTime() + retryDelayMs(attempts));
    const error = err instanceof Error ? err.message : String(err);
    await this.o.db
      .update(timers)
      .set({ attempts: sql`${timers.attempts} + 1`, retryAt, lastError: error.slice(0, 1000) })
      .where(and(eq(timers.id, timer.id), eq(timers.status, 'pending')));
    timerFailuresTotal.inc();
    this.o.logger.error({ timerId: timer.id, caseId: timer.caseId, attempts, retryAt, err }, 'deadline timer failed to fire; will retry later');
  }

  /** Logged and counted only once the timer's transaction committed. */
  private report(fired: readonly DueTimer[], now: Date): void {
    for (const t of fired) {
      const latenessS = Math.max(0, now.getTime() - t.fireAt.getTime()) / 1000;
      factsTotal.inc({ fact: t.fact, kind: t.kind });
      timerLatenessSeconds.observe({ fact: t.fact }, latenessS);
      this.o.logger.info(
        { caseId: t.caseId, kind: t.kind, version: t.version, dueAt: t.dueAt, latenessS },
        t.kind === 'hold' ? 'hold until passed: fact sent' : t.fact === 'warning' ? `${t.kind} deadline 75 % used: warning sent` : `${t.kind} deadline passed: fact sent`,
      );
    }
  }
}
