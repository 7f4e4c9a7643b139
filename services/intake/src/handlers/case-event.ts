import type { Clock } from '@gridcase/service-kit';
import type { Logger } from 'pino';
import type { AnyMessage, CaseStatus, ReportStatus, Severity } from '@gridcase/contracts';
import { claimInbox, type Db, type Tx } from '@gridcase/db';
import { eq } from 'drizzle-orm';
import { cases, inbox, reports } from '../db/schema.ts';
import { applyCaseEvent, type CaseSummary, linkReport, nextReportStatus } from '../domain/case-summary.ts';
import { enqueueDeliveries } from '../webhooks/enqueue.ts';


export interface CaseProjectionDeps {
  db: Db;
  logger: Logger;
  /** The inbox group; the same suffix the consumer was started with. */
  groupId: string;
  clock: Clock;
  /** Called after a transaction that queued webhook deliveries commits. */
  onDeliveriesQueued?: () => void;
}

export type CaseMessage = Extract<AnyMessage, { type: `gridcase.case.${string}` }>;

const toSummary = (row: typeof cases.$inferSelect): CaseSummary => ({
  ...row,
  status: row.status as CaseStatus,
  severity: row.severity as Severity,
});

async function moveReport(tx: Tx, reportId: string, caseId: string, change: 'opened' | 'merged'): Promise<boolean> {
  const [row] = await tx
    .select({ status: reports.status, caseId: reports.caseId })
    .from(reports)
    .where(eq(reports.reportId, reportId))
    .for('update');
  // A case of a report another intake received (or a test's) has nothing here to move.
  if (!row) return false;
  const next = linkReport({ status: row.status as ReportStatus, caseId: row.caseId }, change, caseId);
  if (next.status === row.status && next.caseId === row.caseId) return false;
  await tx.update(reports).set({ ...next, updatedAt: new Date() }).where(eq(reports.reportId, reportId));
  return true;
}

/**
 * Keeps report status and the case summary current from gridcase.cases, inside the consumer's
 * transaction (one per event, or one for a run of a partition's events): inbox claim, case summary,
 * the reports it moves, and the webhook deliveries it queues. Returns what to do once committed.
 */
export async function handleCaseEvent(tx: Tx, deps: CaseProjectionDeps, message: CaseMessage, raw: string): Promise<() => void> {
  const caseId = message.data.caseId;
  if (!(await claimInbox(tx, inbox, deps.groupId, message.id))) return () => {};
  const [row] = await tx.select().from(cases).where(eq(cases.caseId, caseId)).for('update');
  const current = row ? toSummary(row) : undefined;
  const next = applyCaseEvent(current, message);
  if (next && next !== current) {
    const values = { ...next, updatedAt: new Date() };
    await tx.insert(cases).values(values).onConflictDoUpdate({ target: cases.caseId, set: values });
  }

  let logMove = () => {};
  if (message.type === 'gridcase.case.opened.v1' || message.type === 'gridcase.case.report-merged.v1') {
    const change = message.type === 'gridcase.case.opened.v1' ? 'opened' : 'merged';
    const moved = await moveReport(tx, message.data.reportId, caseId, change);
    const line = `report ${change === 'opened' ? 'triaged into a new' : 'merged into an existing'} case`;
    logMove = () => deps.logger.info({ caseId, reportId: message.data.reportId, moved }, line);
  } else if (message.type === 'gridcase.case.assigned.v1') {
    const linked = await tx.select({ reportId: reports.reportId, status: reports.status }).from(reports).where(eq(reports.caseId, caseId)).for('update');
    for (const r of linked) {
      const status = nextReportStatus(r.status as ReportStatus, 'assigned');
      if (status !== r.status) await tx.update(reports).set({ status, updatedAt: new Date() }).where(eq(reports.reportId, r.reportId));
    }
  }
  // After the report moves above, so the client of a report just triaged or merged hears of it too.
  const queued = await enqueueDeliveries(tx, { id: message.id, type: message.type, caseId, raw }, deps.clock.now());
  return () => {
    logMove();
    if (queued) deps.onDeliveriesQueued?.();
  };
}
