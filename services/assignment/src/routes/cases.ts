import { Assignee, CaseStatus, Location } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, notFound } from '@gridcase/service-kit';
import { z } from 'zod';
import { findCase } from '../db/cases.ts';

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
      config: { roles: ['desk', 'officer', 'supervisor'] },
      schema: { summary: 'The case of record: status, level, owners and deadlines', params: z.object({ caseId: z.string() }), response: { 200: CaseOfRecord } },
    },
    async (req) => {
      const row = await findCase(db, req.params.caseId);
      if (!row) throw notFound(`case ${req.params.caseId}`);
      return {
        caseId: row.caseId,
        caseNumber: row.caseNumber,
        station: row.station,
        status: row.status as CaseStatus,
        level: row.level,
        category: row.category,
        severity: row.severity,
        title: opt(row.title),
        location: row.location,
        assignees: row.assignees,
        policeGridCode: opt(row.policeGridCode),
        gridCode: opt(row.gridCode),
        routedBy: row.routedBy,
        unroutableReason: opt(row.unroutableReason),
        respondBy: row.respondBy.toISOString(),
        resolveBy: row.resolveBy.toISOString(),
        openedAt: row.openedAt.toISOString(),
        acknowledgedAt: iso(row.acknowledgedAt),
        resolvedAt: iso(row.resolvedAt),
        outcome: opt(row.outcome),
        updatedAt: row.updatedAt.toISOString(),
      };
    },
  );
}
