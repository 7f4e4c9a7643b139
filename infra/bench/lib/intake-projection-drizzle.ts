// Intake's projection of case events as it was before issue 12's prepared statements (services/intake
// at b0d2cc6: handlers/case-event.ts and webhooks/enqueue.ts): drizzle's query builder, four to seven
// statements per event. Kept only so infra/bench/projection.ts --service intake can print the ratio of
// the service's projection to it, measured the same way in the same process.
// (drizzle's eq()/inArray() written as sql`` here: drizzle-orm is no dependency of infra/.)
import { type AnyMessage, type CaseStatus, isWebhookEventType, newId, parseMessage, type ReportStatus, type Severity } from '@gridcase/contracts';
import { claimInbox, type Db, sql, type Tx } from '@gridcase/db';
import type { TransactionalHandler } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import { cases, inbox, reports, webhookDeliveries, webhooks } from '../../../services/intake/src/db/schema.ts';
import { applyCaseEvent, type CaseSummary, linkReport, nextReportStatus } from '../../../services/intake/src/domain/case-summary.ts';

type CaseMessage = Extract<AnyMessage, { type: `gridcase.case.${string}` }>;

const toSummary = (row: typeof cases.$inferSelect): CaseSummary => ({ ...row, status: row.status as CaseStatus, severity: row.severity as Severity });

async function moveReport(tx: Tx, reportId: string, caseId: string, change: 'opened' | 'merged'): Promise<boolean> {
  const [row] = await tx.select({ status: reports.status, caseId: reports.caseId }).from(reports).where(sql`${reports.reportId} = ${reportId}`).for('update');
  if (!row) return false;
  const next = linkReport({ status: row.status as ReportStatus, caseId: row.caseId }, change, caseId);
  if (next.status === row.status && next.caseId === row.caseId) return false;
  await tx.update(reports).set({ ...next, updatedAt: new Date() }).where(sql`${reports.reportId} = ${reportId}`);
  return true;
}

async function enqueueDeliveries(tx: Tx, event: { id: string; type: string; caseId: string; raw: string }, now: Date): Promise<number> {
  const owners = tx.selectDistinct({ clientId: reports.clientId }).from(reports).where(sql`${reports.caseId} = ${event.caseId}`);
  const hooks = await tx.select({ webhookId: webhooks.webhookId, events: webhooks.events }).from(webhooks).where(sql`${webhooks.clientId} in ${owners}`);
  const rows = hooks
    .filter((h) => !h.events || h.events.includes(event.type))
    .map((h) => ({ deliveryId: newId(), webhookId: h.webhookId, caseId: event.caseId, eventId: event.id, eventType: event.type, payload: event.raw, nextAttemptAt: now, createdAt: now }));
  if (rows.length) await tx.insert(webhookDeliveries).values(rows).onConflictDoNothing();
  return rows.length;
}

async function handleCaseEvent(tx: Tx, groupId: string, clock: Clock, message: CaseMessage, raw: string): Promise<void> {
  const caseId = message.data.caseId;
  if (!(await claimInbox(tx, inbox, groupId, message.id))) return;
  const [row] = await tx.select().from(cases).where(sql`${cases.caseId} = ${caseId}`).for('update');
  const current = row ? toSummary(row) : undefined;
  const next = applyCaseEvent(current, message);
  if (next && next !== current) {
    const values = { ...next, updatedAt: new Date() };
    await tx.insert(cases).values(values).onConflictDoUpdate({ target: cases.caseId, set: values });
  }
  if (message.type === 'gridcase.case.opened.v1' || message.type === 'gridcase.case.report-merged.v1') {
    await moveReport(tx, message.data.reportId, caseId, message.type === 'gridcase.case.opened.v1' ? 'opened' : 'merged');
  } else if (message.type === 'gridcase.case.assigned.v1') {
    const linked = await tx.select({ reportId: reports.reportId, status: reports.status }).from(reports).where(sql`${reports.caseId} = ${caseId}`).for('update');
    for (const r of linked) {
      const status = nextReportStatus(r.status as ReportStatus, 'assigned');
      if (status !== r.status) await tx.update(reports).set({ status, updatedAt: new Date() }).where(sql`${reports.reportId} = ${r.reportId}`);
    }
  }
  await enqueueDeliveries(tx, { id: message.id, type: message.type, caseId, raw }, clock.now());
}

/** The old caseEventsHandler: drizzle transactions, the projection above. */
export function drizzleIntakeHandler(db: Db, groupId: string, clock: Clock): TransactionalHandler<Tx> {
  return {
    transaction: (work) => db.transaction(work),
    handle: async (tx, record) => {
      const message = parseMessage(record.value);
      if (!isWebhookEventType(message.type)) return;
      await handleCaseEvent(tx, groupId, clock, message as CaseMessage, record.value?.toString('utf8') ?? JSON.stringify(message));
      return undefined;
    },
  };
}
