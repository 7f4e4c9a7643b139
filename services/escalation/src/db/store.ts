import { newId } from '@gridcase/contracts';
import type { Tx } from '@gridcase/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { CaseChange, CaseState, Timer } from '../domain/timers.ts';
import { cases, timers } from './schema.ts';

/**
 * Reads a case and locks its row for the rest of the transaction. Every writer (consumer and
 * scheduler) takes this lock before touching the case's timers, so an acknowledgement and an
 * escalation of the same case never interleave.
 */
export async function lockCase(
  tx: Tx,
  caseId: string,
): Promise<(CaseState & { traceparent: string | null; lastEventAt: Date | null }) | undefined> {
  const [row] = await tx.select().from(cases).where(eq(cases.caseId, caseId)).for('update');
  if (!row) return undefined;
  const { caseId: id, status, level, round, respondBy, resolveBy, traceparent, lastEventAt } = row;
  return { caseId: id, status, level, round, respondBy, resolveBy, traceparent, lastEventAt };
}

export async function pendingTimers(tx: Tx, caseId: string): Promise<Timer[]> {
  return tx
    .select({
      id: timers.id,
      caseId: timers.caseId,
      kind: timers.kind,
      level: timers.level,
      round: timers.round,
      dueAt: timers.dueAt,
      status: timers.status,
    })
    .from(timers)
    .where(and(eq(timers.caseId, caseId), eq(timers.status, 'pending')));
}

export async function cancelTimers(tx: Tx, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(timers)
    .set({ status: 'cancelled', cancelledAt: now })
    .where(and(inArray(timers.id, [...ids]), eq(timers.status, 'pending')));
}

/** Writes a change to the case row and its timers (the caller holds the case lock). */
export async function applyChange(tx: Tx, change: CaseChange, now: Date, extra: { traceparent?: string; lastEventAt?: Date } = {}): Promise<void> {
  const { caseId, status, level, round, respondBy, resolveBy } = change.case;
  await tx
    .update(cases)
    .set({ status, level, round, respondBy, resolveBy, updatedAt: now, ...extra })
    .where(eq(cases.caseId, caseId));
  await cancelTimers(tx, change.cancel, now);
  if (change.create.length) await tx.insert(timers).values(change.create.map((t) => ({ ...t, id: newId() })));
}
