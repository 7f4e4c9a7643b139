import type { DataOf, ReportBody, ReportStatus, ReportView } from '@gridcase/contracts';
import { reporterFlags } from './reporter.ts';

export type ReportReceivedData = DataOf<'gridcase.report.received.v1'>;

/** The report as it travels after intake: the body minus personal data, plus ids and times. */
export function toReportReceived(
  body: ReportBody,
  ids: { reportId: string; clientId: string },
  receivedAt: Date,
): ReportReceivedData {
  return {
    reportId: ids.reportId,
    clientId: ids.clientId,
    externalId: body.externalId,
    receivedAt: receivedAt.toISOString(),
    occurredAt: body.occurredAt ?? receivedAt.toISOString(),
    kind: body.kind,
    category: body.category,
    title: body.title,
    description: body.description,
    location: body.location,
    respondBy: body.respondBy,
    resolveBy: body.resolveBy,
    attachments: body.attachments ?? [],
    reporter: reporterFlags(body.reporter),
  };
}

type CaseSummaryView = NonNullable<ReportView['case']>;

export interface ReportRow {
  reportId: string;
  externalId: string;
  status: string;
  receivedAt: Date;
  caseId: string | null;
}

export interface CaseRow {
  caseNumber: string;
  status: string;
  level: number;
  category: string;
  severity: string;
  assignees: unknown[];
  respondBy: Date;
  resolveBy: Date;
}

/**
 * GET /v1/reports/{id}: the report's state and, once triage decided, its case. The owners' names are
 * the station's staff: shown to desk roles (`staffNames`), not to the sender, who sees owners by id and
 * role only, as its webhooks do (webhook-payload.ts).
 */
export function toReportView(report: ReportRow, caseRow: CaseRow | undefined, options: { staffNames: boolean }): ReportView {
  const assignees = caseRow?.assignees as CaseSummaryView['assignees'] | undefined;
  return {
    reportId: report.reportId,
    externalId: report.externalId,
    status: report.status as ReportStatus,
    receivedAt: report.receivedAt.toISOString(),
    ...(report.caseId ? { caseId: report.caseId } : {}),
    ...(caseRow
      ? {
          case: {
            caseNumber: caseRow.caseNumber,
            status: caseRow.status as CaseSummaryView['status'],
            level: caseRow.level,
            category: caseRow.category,
            severity: caseRow.severity as CaseSummaryView['severity'],
            assignees: options.staffNames ? (assignees ?? []) : (assignees ?? []).map(({ officerId, role }) => ({ officerId, role })),
            respondBy: caseRow.respondBy.toISOString(),
            resolveBy: caseRow.resolveBy.toISOString(),
          },
        }
      : {}),
  };
}
