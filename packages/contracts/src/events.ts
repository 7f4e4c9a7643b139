import { z } from 'zod';
import { text } from './text.ts';
import { Assignee, Instant, Kind, Location, Outcome, Severity } from './common.ts';
import { Attachment } from './reports.ts';

/** Who issued a command: the API client, and a person's name when the client is a person. */
export const Actor = z.object({ clientId: text(), name: text().optional() });
export type Actor = z.infer<typeof Actor>;

/** A report as it travels after intake. Personal data stays in intake; only whether it exists travels. */
export const ReportReceived = z.object({
  reportId: text(),
  clientId: text(),
  externalId: text(),
  receivedAt: Instant,
  occurredAt: Instant,
  kind: Kind.optional(),
  category: text().optional(),
  title: text().optional(),
  description: text(),
  location: Location,
  respondBy: Instant.optional(),
  resolveBy: Instant.optional(),
  attachments: z.array(Attachment).default([]),
  reporter: z.object({ anonymous: z.boolean(), hasContact: z.boolean() }),
});

export const CaseOpened = z.object({
  caseId: text(),
  caseNumber: text(),
  reportId: text(),
  station: text(),
  kind: z.union([Kind, z.literal('unclassified')]),
  category: text(),
  severity: Severity,
  title: text().optional(),
  description: text(),
  location: Location,
  respondBy: Instant,
  resolveBy: Instant,
  /** Which rule decided category, severity and deadlines, for the duty desk and audits. */
  rule: text(),
  openedAt: Instant,
});

export const CaseReportMerged = z.object({
  caseId: text(),
  reportId: text(),
  reason: text(),
  mergedAt: Instant,
});

export const CaseAssigned = z.object({
  caseId: text(),
  level: z.number().int().min(0),
  assignees: z.array(Assignee),
  policeGridCode: text().optional(),
  gridCode: text().optional(),
  /** How the owners were found: by the report's grid, community, point, the ladder, or a person. */
  routedBy: z.enum(['gridCode', 'communityCode', 'point', 'desk', 'escalation', 'reassign']),
  /** Set when the case went to the duty desk because it could not be routed. */
  reason: text().optional(),
  commandId: text().optional(),
  at: Instant,
});

export const CaseAcknowledged = z.object({ caseId: text(), commandId: text(), by: Actor, at: Instant });
export const CaseResolved = z.object({
  caseId: text(),
  commandId: text(),
  outcome: Outcome,
  note: text(),
  by: Actor,
  at: Instant,
});
export const CaseReopened = z.object({
  caseId: text(),
  commandId: text(),
  reason: text(),
  by: Actor,
  respondBy: Instant,
  resolveBy: Instant,
  at: Instant,
});
export const CaseNoteAdded = z.object({ caseId: text(), commandId: text(), text: text(), by: Actor, at: Instant });
export const CaseCommandRejected = z.object({
  caseId: text(),
  commandId: text(),
  command: text(),
  reason: text(),
  at: Instant,
});
export const CaseEscalated = z.object({
  caseId: text(),
  fromLevel: z.number().int().min(0),
  level: z.number().int().min(1),
  reason: z.enum(['respond-overdue', 'resolve-overdue']),
  /** The deadline that passed. */
  deadline: Instant,
  /** The fresh budget the new level gets. */
  respondBy: Instant.optional(),
  resolveBy: Instant,
  at: Instant,
});

/** Every event type and the schema of its `data`. The one place an event is defined. */
export const EVENT_SCHEMAS = {
  'gridcase.report.received.v1': ReportReceived,
  'gridcase.case.opened.v1': CaseOpened,
  'gridcase.case.report-merged.v1': CaseReportMerged,
  'gridcase.case.assigned.v1': CaseAssigned,
  'gridcase.case.acknowledged.v1': CaseAcknowledged,
  'gridcase.case.resolved.v1': CaseResolved,
  'gridcase.case.reopened.v1': CaseReopened,
  'gridcase.case.note-added.v1': CaseNoteAdded,
  'gridcase.case.command-rejected.v1': CaseCommandRejected,
  'gridcase.case.escalated.v1': CaseEscalated,
} as const;
