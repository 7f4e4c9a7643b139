import { makeMessage, TOPICS } from '@gridcase/contracts';
import { type Db, writeOutbox } from '@gridcase/db';
import { childTraceparent, PollingLoop } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import type { Logger } from '../handlers/deps.ts';
import { and, asc, count, eq, lte } from 'drizzle-orm';
import { escalate } from '../domain/escalate.ts';
import type { LadderStep } from '../domain/ladder.ts';
import { cases, ladder, outbox, timers } from '../db/schema.ts';
import { applyChange, cancelTimers, lockCase, pendingTimers } from '../db/store.ts';
import { droppedTimersTotal, escalationsTotal, pendingTimersGauge } from '../metrics.ts';

export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  pollMs: number;
  source: string;
  /** Due timers handled per transaction. */
  batchSize?: number;
}

/** A pass that has not succeeded for this long (wall time) means the scheduler is stuck. */
const STUCK_AFTER_MS = 30_000;

/**
 * Fires due deadlines. Each pass is ONE transaction: it locks due pending timers together with
 * their cases (SKIP LOCKED, so replicas and consumers never wait on each other or fire the same
 * timer twice), lets the pure `escalate` decide, and writes the fired timer, the cancelled and
 * new timers, the case's new level and the case.escalated outbox row. A crash keeps all or none.
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

  /** One pass over due timers in one transaction; returns how many due timers it took. */
  async pass(): Promise<number> {
    const { db, clock, logger, source, batchSize } = this.o;
    const now = clock.now();
    const escalated: { caseId: string; fromLevel: number; level: number; reason: string; deadline: string }[] = [];
    const dropped: { caseId: string; kind: string; level: number; why: string }[] = [];
    const taken = await db.transaction(async (tx) => {
      // Locks the timer and its case; anything a consumer or another replica holds is skipped this pass.
      const due = await tx
        .select({ id: timers.id, caseId: timers.caseId })
        .from(timers)
        .innerJoin(cases, eq(cases.caseId, timers.caseId))
        .where(and(eq(timers.status, 'pending'), lte(timers.dueAt, now)))
        .orderBy(asc(timers.dueAt), asc(timers.id))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (due.length === 0) return 0;
      const steps: LadderStep[] = await tx.select().from(ladder);

      for (const { id, caseId } of due) {
        // Re-read per timer: an earlier timer of this pass may have moved the same case on.
        const state = await lockCase(tx, caseId);
        const pending = await pendingTimers(tx, caseId);
        const timer = pending.find((t) => t.id === id);
        if (!state || !timer) continue;
        const decision = escalate({ case: state, timer, pending, ladder: steps, now });
        if (decision.action === 'none') continue;
        if (decision.action === 'drop') {
          await cancelTimers(tx, decision.cancel, now);
          dropped.push({ caseId, kind: timer.kind, level: timer.level, why: decision.why });
          continue;
        }
        await tx.update(timers).set({ status: 'fired', firedAt: now }).where(eq(timers.id, decision.fire));
        await applyChange(tx, decision, now);
        const message = makeMessage('gridcase.case.escalated.v1', {
          source,
          subject: caseId,
          data: decision.event,
          time: now,
        });
        await writeOutbox(tx, outbox, 'escalation', [
          { topic: TOPICS.cases, key: caseId, message, headers: { traceparent: childTraceparent(state.traceparent ?? undefined) } },
        ]);
        const { fromLevel, level, reason, deadline } = decision.event;
        escalated.push({ caseId, fromLevel, level, reason, deadline });
      }
      return due.length;
    });
    // Logged and counted only once the transaction committed.
    for (const d of dropped) {
      droppedTimersTotal.inc({ kind: d.kind });
      logger.info(d, 'due deadline no longer applies; cancelled');
    }
    for (const e of escalated) {
      escalationsTotal.inc({ reason: e.reason });
      logger.info(e, `case escalated from level ${e.fromLevel} to ${e.level}: ${e.reason}`);
    }
    return taken;
  }

  private async measurePending(): Promise<void> {
    // A count per pass would be wasteful at 500 ms; the gauge only needs to be roughly current.
    if (Date.now() - this.lastMeasured < 5000) return;
    this.lastMeasured = Date.now();
    const [row] = await this.o.db.select({ n: count() }).from(timers).where(eq(timers.status, 'pending'));
    pendingTimersGauge.set(row?.n ?? 0);
  }
}
