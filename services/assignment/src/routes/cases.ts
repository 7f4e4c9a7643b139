import { Assignee, CaseStatus, DeadlineKind, Location } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, inScope, notFound, requestScope } from '@gridcase/service-kit';
import { z } from 'zod';
import { findCase, toRecord } from '../db/cases.ts';
import { runningClocks } from '../domain/deadlines.ts';

/** The case of record as assignment holds it; an extension for debugging (the desk serves the full view). */
const CaseOfRecord = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  station: z.string(),
  status: CaseStatus,
  level: z.number().int(),
  category: z.string(),
  severity: z.string(),
  title: z.string().optional(),
  location: Location,
  assignees: z.array(Assignee),
  policeGridCode: z.string().optional(),
  gridCode: z.string().optional(),
  routedBy: z.string(),
  unroutableReason: z.string().optional(),
  respondBy: z.string(),
  resolveBy: z.string(),
  verifyBy: z.string().optional(),
  followUpBy: z.string().optional(),
  /** The clocks running now and the version escalation's timers must match. */
  running: z.array(z.object({ kind: DeadlineKind, startedAt: z.string(), dueAt: z.string() })),
  deadlineVersion: z.number().int(),
  reworkCount: z.number().int(),
  relapse: z.boolean(),
  relatedCaseIds: z.array(z.string()),
  hold: z.object({ since: z.string(), reason: z.string(), until: z.string().optional(), fromStatus: CaseStatus }).nullable(),
  extension: z.object({ until: z.string(), reason: z.string(), status: z.enum(['pending', 'approved', 'rejected']) }).nullable(),
  extensionsApproved: z.number().int(),
  openedAt: z.string(),
  acknowledgedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  outcome: z.string().optional(),
  updatedAt: z.string(),
});

const iso = (d: Date | null) => d?.toISOString();
const opt = <T>(v: T | null) => v ?? undefined;

export function caseRoutes(app: App, db: Db) {
  app.get(
    '/v1/cases/:caseId',
    {
      config: { roles: ['desk', 'officer', 'supervisor'], scope: 'station' },
      schema: { summary: 'The case of record: status, level, owners and deadlines', params: z.object({ caseId: z.string() }), response: { 200: CaseOfRecord } },
    },
    async (req) => {
      const row = await findCase(db, req.params.caseId);
      // Another station's case is not there, as far as this token can tell.
      if (!row || !inScope(requestScope(req), { station: row.station, gridCode: row.gridCode })) throw notFound('no case with this id');
      const c = toRecord(row);
      const d = c.deadlines;
      return {
        caseId: c.caseId,
        caseNumber: c.caseNumber,
        station: c.station,
        status: c.status,
        level: c.level,
        category: c.category,
        severity: c.severity,
        title: opt(row.title),
        location: row.location,
        assignees: c.assignees,
        policeGridCode: opt(c.policeGridCode),
        gridCode: opt(c.gridCode),
        routedBy: c.routedBy,
        unroutableReason: opt(c.unroutableReason),
        respondBy: d.respond.dueAt.toISOString(),
        resolveBy: d.resolve.dueAt.toISOString(),
        verifyBy: d.verify?.dueAt.toISOString(),
        followUpBy: d['follow-up']?.dueAt.toISOString(),
        running: runningClocks(c.status, d).map((r) => ({ kind: r.kind, startedAt: r.startedAt.toISOString(), dueAt: r.dueAt.toISOString() })),
        deadlineVersion: c.deadlineVersion,
        reworkCount: c.reworkCount,
        relapse: c.relapse,
        relatedCaseIds: c.relatedCaseIds,
        hold: c.hold && { since: c.hold.since.toISOString(), reason: c.hold.reason, until: iso(c.hold.until), fromStatus: c.hold.fromStatus },
        extension: c.extension && { until: c.extension.until.toISOString(), reason: c.extension.reason, status: c.extension.status },
        extensionsApproved: c.extensionsApproved,
        openedAt: c.openedAt.toISOString(),
        acknowledgedAt: iso(c.acknowledgedAt),
        resolvedAt: iso(c.resolvedAt),
        outcome: opt(c.outcome),
        updatedAt: c.updatedAt.toISOString(),
      };
    },
  );
}
