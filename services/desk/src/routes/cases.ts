import { DeskCaseList, DeskCaseQuery, DeskCaseView } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, type Clock, notFound, requestScope } from '@gridcase/service-kit';
import { z } from 'zod';
import { listCases, loadCase } from '../db/queries.ts';
import { decodeCursor } from '../domain/cursor.ts';
import { DESK_READERS } from './roles.ts';

export const CaseParams = z.object({ caseId: z.string().min(1).max(64) });

/** The list's filters, with a cursor the desk never issued named beside the other bad filters. */
const CaseListQuery = DeskCaseQuery.extend({
  cursor: DeskCaseQuery.shape.cursor
    .unwrap()
    .refine((c) => decodeCursor(c) !== undefined, 'not a cursor this service issued; use nextCursor from a previous page')
    .optional(),
});

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
      schema: { summary: 'One case with its reports and whole timeline, oldest first', params: CaseParams, response: { 200: DeskCaseView } },
    },
    async (req) => {
      const view = await loadCase(db, req.params.caseId, clock.now(), requestScope(req));
      if (!view) throw notFound('no case with this id');
      return view;
    },
  );
}
