import { makeMessage, TOPICS } from '@gridcase/contracts';
import { type Db, writeOutbox } from '@gridcase/db';
import { childTraceparent, PollingLoop } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import type { Logger } from '../handlers/deps.ts';
import { and, asc, count, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { escalate } from '../domain/escalate.ts';
import type { LadderStep } from '../domain/ladder.ts';
import { cases, ladder, outbox, timers } from '../db/schema.ts';
import { applyChange, cancelTimers, lockCase, pendingTimers } from '../db/store.ts';
import { droppedTimersTotal, escalationsTotal, pendingTimersGauge, timerFailuresTotal } from '../metrics.ts';

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

type Fired =
  | { action: 'escalated'; caseId: string; fromLevel: number; level: number; reason: string; deadline: string }
  | { action: 'dropped'; caseId: string; kind: string; level: number; why: string };

/**
 * Fires due deadlines. Each timer is fired in ONE transaction of its own: it locks the timer
 * together with its case (SKIP LOCKED, so replicas and consumers never wait on each other or fire
 * the same timer twice), lets the pure `escalate` decide, and writes the fired timer, the
 * cancelled and new timers, the case's new level and the case.escalated outbox row. A crash keeps
 * all or none. A timer whose transaction fails is put back with a later `retry_at`, logged and
 * counted, so one bad row never holds up the others.
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

  /** One pass over due timers, each in its own transaction; returns how many it fired, dropped or deferred. */
  async pass(): Promise<number> {
    const { db, clock, batchSize } = this.o;
    const now = clock.now();
    // Candidates only: each is locked and checked again in its own transaction.
    const due = await db
      .select({ id: timers.id, caseId: timers.caseId, attempts: timers.attempts })
      .from(timers)
      .where(and(eq(timers.status, 'pending'), lte(timers.dueAt, now), or(isNull(timers.retryAt), lte(timers.retryAt, now))))
      .orderBy(asc(timers.dueAt), asc(timers.id))
      .limit(batchSize);
    if (due.length === 0) return 0;
    const steps: LadderStep[] = await db.select().from(ladder);
    let handled = 0;
    for (const timer of due) {
      try {
        const fired = await this.fireOne(timer.id, timer.caseId, steps, now);
        if (fired) {
          handled++;
          this.report(fired);
        }
      } catch (err) {
        await this.defer(timer, err, now);
        handled++;
      }
    }
    return handled;
  }

  /** Fires or drops one due timer in one transaction; undefined when it is gone or held elsewhere. */
  private async fireOne(id: string, caseId: string, steps: readonly LadderStep[], now: Date): Promise<Fired | undefined> {
    const { db, source } = this.o;
    return db.transaction(async (tx) => {
      // Locks the timer and its case; what a consumer or another replica holds is left for a later pass.
      const [locked] = await tx
        .select({ id: timers.id })
        .from(timers)
        .innerJoin(cases, eq(cases.caseId, timers.caseId))
        .where(and(eq(timers.id, id), eq(timers.status, 'pending')))
        .for('update', { skipLocked: true });
      if (!locked) return undefined;
      const state = await lockCase(tx, caseId);
      const pending = await pendingTimers(tx, caseId);
      const timer = pending.find((t) => t.id === id);
      if (!state || !timer) return undefined;
      const decision = escalate({ case: state, timer, pending, ladder: steps, now });
      if (decision.action === 'none') return undefined;
      if (decision.action === 'drop') {
        await cancelTimers(tx, decision.cancel, now);
        return { action: 'dropped', caseId, kind: timer.kind, level: timer.level, why: decision.why };
      }
      await tx.update(timers).set({ status: 'fired', firedAt: now }).where(eq(timers.id, decision.fire));
      await applyChange(tx, decision, now);
      const message = makeMessage('gridcase.case.escalated.v1', { source, subject: caseId, data: decision.event, time: now });
      await writeOutbox(tx, outbox, 'escalation', [
        { topic: TOPICS.cases, key: caseId, message, headers: { traceparent: childTraceparent(state.traceparent ?? undefined) } },
      ]);
      const { fromLevel, level, reason, deadline } = decision.event;
      return { action: 'escalated', caseId, fromLevel, level, reason, deadline };
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
  private report(fired: Fired): void {
    const { logger } = this.o;
    if (fired.action === 'dropped') {
      const { action: _, ...d } = fired;
      droppedTimersTotal.inc({ kind: d.kind });
      logger.info(d, 'due deadline no longer applies; cancelled');
      return;
    }
    const { action: _, ...e } = fired;
    escalationsTotal.inc({ reason: e.reason });
    logger.info(e, `case escalated from level ${e.fromLevel} to ${e.level}: ${e.reason}`);
  }

  private async measurePending(): Promise<void> {
    // A count per pass would be wasteful at 500 ms; the gauge only needs to be roughly current.
    if (Date.now() - this.lastMeasured < 5000) return;
    this.lastMeasured = Date.now();
    const [row] = await this.o.db.select({ n: count() }).from(timers).where(eq(timers.status, 'pending'));
    pendingTimersGauge.set(row?.n ?? 0);
  }
}
