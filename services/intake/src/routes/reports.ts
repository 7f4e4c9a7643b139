import {
  cursorParam,
  instantCursor,
  type Principal,
  ReportAccepted,
  ReporterView,
  ReporterLookup,
  ReporterLookupQuery,
  ReportList,
  ReportView,
  reportBodyWith,
  text,
} from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { childTraceparent } from '@gridcase/messaging';
import { type App, conflict, HttpProblem, hasRole, inScope, notFound, recordAudit, scopeOf } from '@gridcase/service-kit';
import type { FastifyBaseLogger } from 'fastify';
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
 * of the person.
 */
async function auditRefusal(db: Db, req: { principal?: Principal | undefined }, reportId: string, status: number) {
  await recordAudit(db, audit, req, { action: 'reporter.read', target: `report:${reportId}`, before: null, after: { outcome: 'refused', status } });
}

/** The report ids a refused request named, as its schema reads them; none when it would refuse them (a 403 comes before validation), so nothing unchecked is stored. */
function namedReportIds(schema: z.ZodType<{ reportId: string } | { reportIds: string }>, input: unknown): string[] {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return [];
  return 'reportId' in parsed.data ? [parsed.data.reportId] : [...new Set(parsed.data.reportIds.split(','))];
}

type ReporterRead = { status: 200; view: ReporterView } | { status: 403 } | { status: 404; detail: string };

/**
 * The reporter of one report as this caller may see it: whole, masked, refused (a tip's informant the
 * caller does not own: 403) or none (404: no such report for this caller, or no reporter data). A read
 * and a 404 are audited here; a 403 by the route, which also audits a role's refusal.
 */
async function readReporter(db: Db, req: { principal?: Principal | undefined; log: FastifyBaseLogger }, reportId: string): Promise<ReporterRead> {
  const principal = req.principal as Principal;
  const readable = await readableReport(db, reportId, principal);
  const report = readable?.row;
  if (!report) {
    req.log.info({ reportId, clientId: principal.clientId }, "reporter data refused: not this token's to see");
    await auditRefusal(db, req, reportId, 404);
    return { status: 404, detail: 'no report with this id' };
  }
  // The posting client's own read did not fetch the case: only an officer's role needs it (is it theirs?).
  const ownedCase = readable.caseRow ?? (readable.isOwner && hasRole(principal, ['officer']) ? await caseOwners(db, report.caseId) : undefined);
  const access = reporterAccess(principal, ownedCase);
  if (access === 'refused') {
    req.log.info({ reportId, clientId: principal.clientId }, "reporter data refused: a tip's informant, and not an owner of its case");
    return { status: 403 };
  }
  return db.transaction(async (tx) => {
    const person = await reporterOf(tx, reportId);
    if (!person) return { status: 404, detail: 'no reporter data for this report' } as const;
    // A reporter who asked to stay anonymous is not known by name to the case's handlers either.
    const masked = access === 'masked' || person.anonymous;
    await recordAudit(tx, audit, req, { action: 'reporter.read', target: `report:${reportId}`, before: null, after: { outcome: 'read', masked } });
    req.log.info({ reportId, clientId: principal.clientId, masked }, 'reporter data read');
    return { status: 200, view: { reportId, ...(masked ? maskReporter(person) : person), masked } } as const;
  });
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
        if (err instanceof HttpProblem && err.status === 403) for (const id of namedReportIds(ReportParams, req.params)) await auditRefusal(db, req, id, 403);
      },
    },
    async (req) => {
      const read = await readReporter(db, req, req.params.reportId);
      if (read.status === 404) throw notFound(read.detail);
      // The token reads the report itself (GET /v1/reports/{id} answers it): say why, rather than pretend
      // there is no report. Audited by onError, as every 403 of this route.
      if (read.status === 403) throw new HttpProblem(403, 'Forbidden', TIP_INFORMANT);
      return read.view;
    },
  );

  app.get(
    '/v1/reporters',
    {
      config: { roles: ['reporter', ...READ_ANY], scope: 'station' },
      schema: {
        summary:
          "The reporters of up to 20 reports in one request (the desk's lookup for a case), each shown as GET /v1/reports/{reportId}/reporter shows it, in the order asked; a report this token may not see, without reporter data, or a tip's informant withheld from it is named in leftOut with that route's status; every read and refusal is audited",
        querystring: ReporterLookupQuery,
        response: { 200: ReporterLookup },
      },
      onError: async (req, _reply, err) => {
        if (err instanceof HttpProblem && err.status === 403) for (const id of namedReportIds(ReporterLookupQuery, req.query)) await auditRefusal(db, req, id, 403);
      },
    },
    async (req) => {
      const items: ReporterView[] = [];
      const leftOut: ReporterLookup['leftOut'] = [];
      // One after another: each is a read of personal data with its own audit entry, and there are at most 20.
      for (const reportId of new Set(req.query.reportIds.split(','))) {
        const read = await readReporter(db, req, reportId);
        if (read.status === 200) items.push(read.view);
        else {
          if (read.status === 403) await auditRefusal(db, req, reportId, 403);
          leftOut.push({ reportId, status: read.status });
        }
      }
      return { items, leftOut };
    },
  );
}
