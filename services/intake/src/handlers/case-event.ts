import type { Clock } from '@gridcase/service-kit';
import type { Logger } from 'pino';
import { type AnyMessage, newId, type ReportStatus } from '@gridcase/contracts';
import { clientOf, type Db, type Tx } from '@gridcase/db';
import { type ClientEnd, claimAndRead, type ReportLink, writeCaseEvent } from '../db/case-projection.ts';
import { applyCaseEvent, linkReport, nextReportStatus } from '../domain/case-summary.ts';
import { webhookPayload } from '../domain/webhook-payload.ts';
import { deliveriesDropped } from '../webhooks/metrics.ts';

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

/**
 * Keeps report status and the case summary current from gridcase.cases, inside the consumer's
 * transaction (one per event, or one for a run of a partition's events): inbox claim, case summary,
 * the reports it moves, and the webhook deliveries it queues. Returns what to do once committed.
 */
export async function handleCaseEvent(tx: Tx, deps: CaseProjectionDeps, message: CaseMessage, raw: string): Promise<() => void> {
  const caseId = message.data.caseId;
  const change = message.type === 'gridcase.case.opened.v1' ? 'opened' : message.type === 'gridcase.case.report-merged.v1' ? 'merged' : undefined;
  const reportId = change ? (message as Extract<CaseMessage, { data: { reportId: string } }>).data.reportId : undefined;
  const client = clientOf(tx);
  const now = deps.clock.now();
  const read = await claimAndRead(client, { groupId: deps.groupId, eventId: message.id }, caseId, { reportId, linked: message.type === 'gridcase.case.assigned.v1' }, now);
  if (!read) return () => {};
  const next = applyCaseEvent(read.summary, message);
  const updatedAt = new Date();

  const reports: { reportId: string; status: ReportStatus; caseId: string | null }[] = [];
  let logMove = () => {};
  if (change && reportId) {
    // A case of a report another intake received (or a test's) has nothing here to move.
    const moved = read.named ? moveReport(read.named, change, caseId) : undefined;
    if (moved) reports.push(moved);
    const line = `report ${change === 'opened' ? 'triaged into a new' : 'merged into an existing'} case`;
    logMove = () => deps.logger.info({ caseId, reportId, moved: moved !== undefined }, line);
  } else {
    for (const r of read.linked) {
      const status = nextReportStatus(r.status, 'assigned');
      if (status !== r.status) reports.push({ reportId: r.reportId, status, caseId: r.caseId });
    }
  }
  // Every client with a report on the case once the report moved, so the client of a report just
  // triaged or merged hears of it too.
  const owners = new Set(read.hooks.filter((h) => h.owner).map((h) => h.clientId));
  if (read.named && reports.some((r) => r.reportId === read.named?.reportId && r.caseId === caseId)) owners.add(read.named.clientId);
  const hearing = read.hooks.filter((h) => owners.has(h.clientId) && (!h.events || h.events.includes(message.type)));
  // A revoked or expired client hears nothing more: its webhooks get no delivery (audit9 #7).
  const silenced = hearing.filter((h) => h.ended);
  // The payload as each webhook's client may see it: the report a case.report-merged names is its own or another's.
  const payloads = new Map<boolean, string>();
  const payloadFor = (clientId: string) => {
    const ownReport = read.named?.clientId === clientId;
    if (!payloads.has(ownReport)) payloads.set(ownReport, webhookPayload(raw, { ownReport }));
    return payloads.get(ownReport)!;
  };
  const deliveries = hearing.filter((h) => !h.ended).map((h) => ({ deliveryId: newId(), webhookId: h.webhookId, payload: payloadFor(h.clientId) }));
  await writeCaseEvent(client, {
    summary: next && next !== read.summary ? next : undefined,
    reports,
    deliveries,
    event: { id: message.id, type: message.type, caseId },
    updatedAt,
    now,
  });
  const queued = deliveries.length;
  return () => {
    logMove();
    for (const h of silenced) {
      deliveriesDropped.inc({ reason: h.ended as ClientEnd });
      deps.logger.info({ caseId, eventType: message.type, webhookId: h.webhookId, clientId: h.clientId, reason: h.ended }, 'webhook delivery not queued: its client was revoked or its token expired');
    }
    if (queued) deps.onDeliveriesQueued?.();
  };
}

/** The report after case.opened or case.report-merged; undefined when that changes nothing. */
function moveReport(row: ReportLink, change: 'opened' | 'merged', caseId: string): { reportId: string; status: ReportStatus; caseId: string | null } | undefined {
  const next = linkReport({ status: row.status, caseId: row.caseId }, change, caseId);
  if (next.status === row.status && next.caseId === row.caseId) return undefined;
  return { reportId: row.reportId, ...next };
}
