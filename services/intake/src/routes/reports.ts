import {
  cursorParam,
  instantCursor,
  type Principal,
  ReportAccepted,
  ReporterView,
  ReportList,
  ReportView,
  reportBodyWith,
  text,
} from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { childTraceparent } from '@gridcase/messaging';
import { type App, conflict, HttpProblem, hasRole, inScope, notFound, recordAudit, scopeOf } from '@gridcase/service-kit';
import { z } from 'zod';
import { READ_ANY } from '../auth.ts';
import type { CatalogueFollower } from '../db/catalogue.ts';
import { inboundRejectionsOf } from '../db/inbound-rejections.ts';
import { type CaseRow, caseOwners, caseStationAndOwners, clientReports, findCase, findCases, findReport, type ReportRow, reporterOf } from '../db/queries.ts';
import { audit } from '../db/schema.ts';
import { maskReporter, reporterAccess } from '../domain/reporter.ts';
import { toReportView } from '../domain/report.ts';
import { type IntakeDeps, receiveReport, stationScopeRefusal } from '../handlers/receive-report.ts';

const ReportParams = z.object({ reportId: text().max(200) });

// A page ends at its last report's (receivedAt, reportId): the list's order, newest first.
/** A page of the client's own reports ends at (receivedAt, reportId). */
const reportsCursor = instantCursor('intake.reports');

const ReportsQuery = z.strictObject({
  externalId: text().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam(200, (c) => reportsCursor.decode(c)),
});

const reportLink = (reportId: string) => `/v1/reports/${reportId}`;

/**
 * A report and its case, for the client that posted it or a desk role whose station scope holds the
 * report's case; undefined for others, who learn nothing, not even that it exists (404 rather than 403).
 * For a desk role the case's category and owners come along, read with its station (reporterAccess).
 */
async function readableReport(db: Db, reportId: string, principal: Principal) {
  const row = await findReport(db, reportId);
  if (row && row.clientId === principal.clientId) return { row, isOwner: true, caseRow: undefined };
  if (row && hasRole(principal, READ_ANY)) {
    const caseRow = row.caseId ? await caseStationAndOwners(db, row.caseId) : undefined;
    if (inScope(scopeOf(principal), { station: caseRow?.station })) return { row, isOwner: false, caseRow };
  }
  return undefined;
}

const TIP_INFORMANT = "a tip's informant is shown only to the officers who own its case, the desk, supervisors and admin";

/**
 * A refused attempt at a reporter's personal data (a role that may not, a report out of the token's
 * scope or reach, or no such report) is audited as a read is: who, which report, the answer; nothing
 * of the person. A report id the schema would refuse (a 403 comes before validation) is not stored.
 */
async function auditRefusal(db: Db, req: { params: unknown; principal?: Principal | undefined }, status: number) {
  const params = ReportParams.safeParse(req.params);
  if (!params.success) return;
  await recordAudit(db, audit, req, { action: 'reporter.read', target: `report:${params.data.reportId}`, before: null, after: { outcome: 'refused', status } });
}

/** The view a caller gets of a report and its case: desk roles see the owners' names, a sender does not. */
const viewOf = (row: ReportRow, caseRow: CaseRow | undefined, principal: Principal): ReportView =>
  toReportView(row, caseRow, { staffNames: hasRole(principal, READ_ANY) });

/**
 * A hook that refuses, with 403 before the body is judged, a token scoped to stations this install
 * does not serve (audit9 #16): it may not post reports here. Shared with Open311's POST.
 */
export const refuseOtherStations = (deps: Pick<IntakeDeps, 'station'>) => async (req: { principal?: Principal | undefined }) => {
  const why = await stationScopeRefusal(deps, req.principal?.stations);
  if (why) throw new HttpProblem(403, 'Forbidden', why);
};

export function reportRoutes(app: App, deps: IntakeDeps, catalogue: CatalogueFollower) {
  const { db } = deps;

  app.post(
    '/v1/reports',
    {
      config: { roles: ['reporter'], scope: 'own', problems: { 409: 'this externalId already holds a report of this client with a different body' } },
      preValidation: [
        refuseOtherStations(deps),
        // The body's category is checked against the catalogue as stored now (another instance may have stored it).
        async (req) => catalogue.beforeValidation((req.body as { category?: unknown } | undefined)?.category),
      ],
      schema: {
        summary: 'Post a report; (client, externalId) is the idempotency key',
        body: reportBodyWith(deps.categories.has, () => deps.clock.now()),
        response: { 200: ReportAccepted, 202: ReportAccepted },
      },
    },
    async (req, reply) => {
      const principal = req.principal as Principal;
      const result = await receiveReport(deps, {
        clientId: principal.clientId,
        body: req.body,
        traceparent: req.traceparent ?? childTraceparent(),
        via: 'http',
      });
      if (result.outcome === 'conflict') {
        throw conflict(
          `this externalId already holds report ${result.reportId} with a different body; send a changed report under a new externalId`,
        );
      }
      const self = reportLink(result.reportId);
      // A repeat answers what the report became since (triaged, assigned, merged), as GET shows it.
      const status = result.outcome === 'created' ? 'received' : result.status;
      return reply.status(result.outcome === 'created' ? 202 : 200).header('location', self).send({ reportId: result.reportId, status, links: { self } });
    },
  );

  app.get(
    '/v1/reports',
    {
      config: { roles: ['reporter'], scope: 'own' },
      schema: {
        summary: "The calling client's own reports, by externalId or newest first; pass nextCursor as cursor for the next page",
        querystring: ReportsQuery,
        response: { 200: ReportList },
      },
    },
    async (req) => {
      const principal = req.principal as Principal;
      const { externalId, limit, cursor } = req.query;
      // The schema has refused a cursor that does not decode.
      const rows = await clientReports(db, principal.clientId, { externalId, after: cursor ? reportsCursor.decode(cursor) : undefined, limit });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const nextCursor = rows.length > limit && last ? reportsCursor.encode({ at: last.receivedAt, key: last.reportId }) : null;
      const casesById = await findCases(db, page.flatMap((r) => (r.caseId ? [r.caseId] : [])));
      const items = page.map((r) => viewOf(r, r.caseId ? casesById.get(r.caseId) : undefined, principal));
      if (!externalId) return { items, nextCursor };
      // A record refused on gridcase.reports.inbound left no report: the sender learns why here.
      const rejected = await inboundRejectionsOf(db, principal.clientId, externalId);
      return { items, nextCursor, rejected: rejected.map((r) => ({ reason: r.reason, rejectedAt: r.rejectedAt.toISOString() })) };
    },
  );

  app.get(
    '/v1/reports/:reportId',
    {
      config: { roles: ['reporter', ...READ_ANY], scope: 'station' },
      schema: {
        summary: 'A report, its status and its case (the posting client or desk roles)',
        params: ReportParams,
        response: { 200: ReportView },
      },
    },
    async (req) => {
      const found = await readableReport(db, req.params.reportId, req.principal as Principal);
      if (!found) throw notFound('no report with this id');
      return viewOf(found.row, found.row.caseId ? await findCase(db, found.row.caseId) : undefined, req.principal as Principal);
    },
  );

  app.get(
    '/v1/reports/:reportId/reporter',
    {
      config: { roles: ['reporter', ...READ_ANY], scope: 'station' },
      schema: {
        summary:
          "The reporter's personal data, and the report's text as written where intake masked phone or ID numbers in it: whole for the desk, supervisors, admin and the officers who own the report's case; masked for other officers (403 for a tip's informant), for the posting client and for everyone when the reporter is anonymous; every read is audited",
        params: ReportParams,
        response: { 200: ReporterView },
      },
      // A token whose roles may not read reporters is refused before the handler runs: audited here.
      onError: async (req, _reply, err) => {
        if (err instanceof HttpProblem && err.status === 403) await auditRefusal(db, req, 403);
      },
    },
    async (req) => {
      const principal = req.principal as Principal;
      const { reportId } = req.params;
      const readable = await readableReport(db, reportId, principal);
      const report = readable?.row;
      if (!report) {
        req.log.info({ reportId, clientId: principal.clientId }, 'reporter data refused: not this token\'s to see');
        await auditRefusal(db, req, 404);
        throw notFound('no report with this id');
      }
      // The token reads the report itself (GET /v1/reports/{id} answers it): say why, rather than pretend
      // there is no report. Audited by onError, as every 403 of this route.
      // The posting client's own read did not fetch the case: only an officer's role needs it (is it theirs?).
      const ownedCase = readable.caseRow ?? (readable.isOwner && hasRole(principal, ['officer']) ? await caseOwners(db, report.caseId) : undefined);
      const access = reporterAccess(principal, ownedCase);
      if (access === 'refused') {
        req.log.info({ reportId, clientId: principal.clientId }, "reporter data refused: a tip's informant, and not an owner of its case");
        throw new HttpProblem(403, 'Forbidden', TIP_INFORMANT);
      }
      return db.transaction(async (tx) => {
        const person = await reporterOf(tx, reportId);
        if (!person) throw notFound('no reporter data for this report');
        // A reporter who asked to stay anonymous is not known by name to the case's handlers either.
        const masked = access === 'masked' || person.anonymous;
        await recordAudit(tx, audit, req, { action: 'reporter.read', target: `report:${reportId}`, before: null, after: { outcome: 'read', masked } });
        req.log.info({ reportId, clientId: principal.clientId, masked }, 'reporter data read');
        return { reportId, ...(masked ? maskReporter(person) : person), masked };
      });
    },
  );
}
