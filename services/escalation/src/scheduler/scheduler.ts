import { makeMessage, TOPICS } from '@gridcase/contracts';
import { type Db, writeOutbox } from '@gridcase/db';
import { childTraceparent, inSpanFrom, PollingLoop } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import { and, asc, count, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { outbox, timers } from '../db/schema.ts';
import { type DueTimer, lockPendingTimer, markFired, pendingWarningOf } from '../db/store.ts';
import type { Logger } from '../handlers/deps.ts';
import { factsTotal, pendingTimersGauge, timerFailuresTotal, timerLatenessSeconds } from '../metrics.ts';

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
  private lastMeasured = 0;

  constructor(options: SchedulerOptions) {
    this.o = { batchSize: 100, ...options };
    this.loop = new PollingLoop({
      name: 'escalation scheduler',
      pollMs: this.o.pollMs,
      batchSize: this.o.batchSize,
      logger: this.o.logger,
      pass: async () => {
        const handled = await this.pass();
        await this.measurePending();
        return handled;
      },
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

  /** One pass over due timers, each in its own transaction; returns how many it fired or deferred. */
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
   * Fires one due timer in one transaction; undefined when it is gone or held elsewhere. A passed
   * deadline whose warning is still pending (say, after an outage) sends the warning first, in the
   * same transaction, so the warning is never lost nor after the passed fact.
   */
  private async fireOne(id: string, now: Date): Promise<DueTimer[] | undefined> {
    const { db, source } = this.o;
    return db.transaction(async (tx) => {
      const timer = await lockPendingTimer(tx, id);
      if (!timer) return undefined;
      const warning = timer.fact === 'passed' ? await pendingWarningOf(tx, timer) : undefined;
      const firing = warning ? [warning, timer] : [timer];
      // In a span continuing the trace of the deadlines-set these timers mirror, which the facts then
      // carry (writeOutbox); without tracing, the stored traceparent's trace goes on by hand.
      const parent: Record<string, string> = timer.traceparent ? { traceparent: timer.traceparent } : {};
      const spec = {
        name: `fire ${FACT_TYPES[timer.fact]}`,
        attributes: { 'gridcase.case_id': timer.caseId, 'gridcase.deadline.kind': timer.kind, 'gridcase.deadline.version': timer.version },
      };
      await inSpanFrom(parent, spec, async () => {
        const headers = { traceparent: childTraceparent(timer.traceparent ?? undefined) };
        for (const t of firing) await markFired(tx, t.id, now);
        await writeOutbox(
          tx,
          outbox,
          'escalation',
          firing.map((t) => {
            const data = { caseId: t.caseId, kind: t.kind, dueAt: t.dueAt.toISOString(), version: t.version, at: now.toISOString() };
            const message = makeMessage(FACT_TYPES[t.fact], { source, subject: t.caseId, data, time: now });
            return { topic: TOPICS.cases, key: t.caseId, message, headers };
          }),
        );
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
        t.fact === 'warning' ? `${t.kind} deadline 75 % used: warning sent` : `${t.kind} deadline passed: fact sent`,
      );
    }
  }

  private async measurePending(): Promise<void> {
    // A count per pass would be wasteful at 500 ms; the gauge only needs to be roughly current.
    if (Date.now() - this.lastMeasured < 5000) return;
    this.lastMeasured = Date.now();
    const [row] = await this.o.db.select({ n: count() }).from(timers).where(eq(timers.status, 'pending'));
    pendingTimersGauge.set(row?.n ?? 0);
  }
}
