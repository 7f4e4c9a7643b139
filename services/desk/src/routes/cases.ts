import { DeskCaseList, DeskCaseQuery, DeskCaseView, NOT_THIS_LISTS_CURSOR, type Principal } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, type AuditRecord, type Clock, HttpProblem, notFound, recordAudit, requestScope } from '@gridcase/service-kit';
import { z } from 'zod';
import { listCases, loadCase } from '../db/queries.ts';
import { audit } from '../db/schema.ts';
import { decodeCursor } from '../domain/cursor.ts';
import { DESK_READERS } from './roles.ts';

export const CaseParams = z.object({ caseId: z.string().min(1).max(64) });

/** The list's filters, with a cursor the desk never issued named beside the other bad filters. */
const CaseListQuery = DeskCaseQuery.extend({
  cursor: DeskCaseQuery.shape.cursor
    .unwrap()
    .refine((c) => decodeCursor(c) !== undefined, NOT_THIS_LISTS_CURSOR)
    .optional(),
});

/**
 * One case's view carries its description and its timeline's notes, free text that often holds a
 * name or a phone number: each read is audited (`case.read`), and so is each refused one (a role that
 * may not, a case out of the token's scope, or no such case), as intake audits reporter reads: who,
 * which case, the answer; nothing of the case. Lists and the stream leave the description out or are
 * the desk's live feed, and are not audited. A case id the schema would refuse is not stored.
 */
async function auditCaseRead(db: Db, req: { params: unknown; principal?: Principal | undefined }, after: AuditRecord['after']) {
  const params = CaseParams.safeParse(req.params);
  if (!params.success) return;
  await recordAudit(db, audit, req, { action: 'case.read', target: `case:${params.data.caseId}`, before: null, after });
}

/** A case view about to be answered (GET /v1/cases/{id}, or a ?wait=true command's answer): audited as read, naming what was withheld. */
export const auditCaseView = (db: Db, req: { params: unknown; principal?: Principal | undefined }, view: DeskCaseView) =>
  auditCaseRead(db, req, { outcome: 'read', ...(view.redacted ? { withheld: view.redacted } : {}) });

export function caseRoutes(app: App, db: Db, clock: Clock) {
  app.get(
    '/v1/cases',
    {
      config: { roles: DESK_READERS, scope: 'station' },
      schema: {
        summary: 'Cases, newest first, filtered; overdue and dueWithin are judged at the time of the request',
        querystring: CaseListQuery,
        response: { 200: DeskCaseList },
      },
    },
    async (req) => {
      // The schema has refused a cursor that does not decode.
      const cursor = req.query.cursor ? decodeCursor(req.query.cursor) : undefined;
      return listCases(db, req.query, cursor, clock.now(), requestScope(req));
    },
  );

  app.get(
    '/v1/cases/:caseId',
    {
      config: { roles: DESK_READERS, scope: 'station' },
      schema: { summary: 'One case with its reports and whole timeline, oldest first (each read audited)', params: CaseParams, response: { 200: DeskCaseView } },
      // A token whose roles may not read cases is refused before the handler runs: audited here.
      onError: async (req, _reply, err) => {
        if (err instanceof HttpProblem && err.status === 403) await auditCaseRead(db, req, { outcome: 'refused', status: 403 });
      },
    },
    async (req) => {
      const view = await loadCase(db, req.params.caseId, clock.now(), requestScope(req));
      if (!view) {
        await auditCaseRead(db, req, { outcome: 'refused', status: 404 });
        throw notFound('no case with this id');
      }
      await auditCaseView(db, req, view);
      return view;
    },
  );
}
