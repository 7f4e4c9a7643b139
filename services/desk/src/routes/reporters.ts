import { CaseReporters } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, notFound, requestScope } from '@gridcase/service-kit';
import { caseReportIds } from '../db/queries.ts';
import { caseReporters, MAX_REPORTERS } from '../upstream.ts';
import { CaseParams } from './cases.ts';
import { DESK_ROLES } from './roles.ts';

/**
 * The reporters of a case, for the 回访 (follow-up) call: the desk holds no personal data, so it asks
 * intake for each of the case's reports with the caller's own token. Intake decides what this caller
 * may see (whole for the desk, supervisors and the case's own officers; masked for other officers and
 * for an anonymous reporter; left out for a tip's informant the caller need not know)
 * and writes each read to its audit log; the desk keeps nothing and logs no personal data.
 */
export function reporterRoutes(app: App, db: Db, intakeUrl: string) {
  app.get(
    '/v1/cases/:caseId/reporters',
    {
      config: {
        roles: DESK_ROLES,
        scope: 'station',
        problems: { 429: "over the client's requests per minute, here or at intake, where the reporters are read with the caller's token: retry after `Retry-After`" },
      },
      schema: {
        summary: "The reporters of a case's reports (personal data, from intake with the caller's token; every read is audited there)",
        params: CaseParams,
        response: { 200: CaseReporters },
      },
    },
    async (req, reply) => {
      const { caseId } = req.params;
      // The case's row alone: its scope and its reports, not its timeline.
      const reports = await caseReportIds(db, caseId, requestScope(req));
      if (!reports) throw notFound('no case with this id');
      // Intake leaves out a tip's informant this caller may not know and a report without reporter data;
      // a role it refuses reporters (403) sees none. A refused token (401) is the caller's answer.
      const items = await caseReporters(intakeUrl, reports, req.headers.authorization, [403]);
      req.log.info({ caseId, reports: reports.length, asked: Math.min(reports.length, MAX_REPORTERS), shown: items.length }, 'reporter data relayed from intake');
      // Personal data: no cache, shared or private, keeps it.
      reply.header('cache-control', 'no-store');
      return { caseId, items };
    },
  );
}
