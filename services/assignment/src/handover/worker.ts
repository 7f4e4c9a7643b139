import type { CaseStatus } from '@gridcase/contracts';
import { type Db, writeOutbox } from '@gridcase/db';
import { PollingLoop } from '@gridcase/messaging';
import type { Clock, createLogger } from '@gridcase/service-kit';
import { eq } from 'drizzle-orm';
import { saveCase, toRecord } from '../db/cases.ts';
import { loadRoutingData } from '../db/reference.ts';
import { loadWhoData } from '../db/roster.ts';
import { cases, outbox } from '../db/schema.ts';
import { type AssignmentDeps, caseMessages, SCHEMA } from '../handlers/deps.ts';
import { handOverAny, handOverCase } from './handover.ts';

type Logger = ReturnType<typeof createLogger>;

export interface HandoverOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  source: string;
  pollMs: number;
}

/** A pass that has not succeeded for this long (wall time) means the worker is stuck. */
const STUCK_AFTER_MS = 60_000;

/**
 * Hands on unacknowledged cases whose owners went off duty or on leave: at level 0 post by post,
 * above it (escalated) when all their police owners are on leave, to the ladder's rung. A pass reads
 * the open cases and the roster, finds those whose owners should change, and hands each on in ONE
 * transaction of its own: the case row locked with SKIP LOCKED (a replica or the consumer holding it
 * wins; the next pass looks again), the decision taken again on the locked row, the record saved and
 * `case.assigned` (routedBy handover) written to the outbox.
 */
export class HandoverWorker {
  private readonly loop: PollingLoop;
  private readonly deps: AssignmentDeps;
  private readonly o: HandoverOptions;

  constructor(options: HandoverOptions) {
    const o = options;
    this.o = o;    this.deps = { db: o.db, clock: o.clock, logger: o.logger, source: o.source, groupId: 'handover' };
    this.loop = new PollingLoop({ name: 'handover', pollMs: o.pollMs, batchSize: Number.MAX_SAFE_INTEGER, logger: o.logger, pass: () => this.pass() });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  get failure(): string | undefined {
    return this.loop.stuckReason(Math.max(STUCK_AFTER_MS, this.o.pollMs * 3));
  }

  /** One pass; returns how many cases it handed on. */
  async pass(): Promise<number> {
    const { db } = this.o;
    const now = this.o.clock.now();
    const data = { ...(await loadRoutingData(db)), ...(await loadWhoData(db)) };
    // Every unacknowledged case: handOverAny decides which may move (at level 0 for any change of
    // duty; above it only when all its police owners are away).
    const open = await db
      .select({ caseId: cases.caseId, status: cases.status, level: cases.level, severity: cases.severity, assignees: cases.assignees, policeGridCode: cases.policeGridCode, gridCode: cases.gridCode })
      .from(cases)
      .where(eq(cases.status, 'open'));
    let handed = 0;
    for (const c of open) {
      if (!handOverAny({ ...c, status: c.status as CaseStatus }, data, now)) continue;
      if (await this.handOne(c.caseId, data, now)) handed++;
    }
    return handed;
  }

  private async handOne(caseId: string, data: Parameters<typeof handOverAny>[1], now: Date): Promise<boolean> {
    const done = await this.o.db.transaction(async (tx) => {
      const [row] = await tx.select().from(cases).where(eq(cases.caseId, caseId)).for('update', { skipLocked: true });
      if (!row) return undefined;
      const record = toRecord(row);
      // Decided again on the locked row: acknowledged, escalated or resolved meanwhile, it may no longer move.
      const handover = handOverAny(record, data, now);
      if (!handover) return undefined;
      const next = handOverCase(record, handover, now);
      await saveCase(tx, next.record);
      await writeOutbox(tx, outbox, SCHEMA, caseMessages(this.deps, next.events, now));
      return { record: next.record, handover };
    });
    if (!done) return false;
    const { record, handover } = done;
    this.o.logger.info(
      { caseId, assignees: record.assignees.map((a) => a.officerId), reason: handover.reason, fallback: handover.decision.fallback ?? undefined },
      `case ${record.caseNumber} ${handover.reason}`,
    );
    return true;
  }
}
