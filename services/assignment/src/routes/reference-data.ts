import { type ClientRole, CommunityGrid, GazetteerAddress, OfficerView, PoliceGrid, ReferenceData, Station } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { ANY_ROLE, type App, type Clock, type createLogger, auditedChange, inScope, invalidRequest, notFound, requestScope } from '@gridcase/service-kit';
import { audit } from '../db/schema.ts';
import { z } from 'zod';
import {
  currentDocument,
  listGrids,
  listOfficers,
  listPoliceGrids,
  listVersions,
  lockReferenceData,
  loadGazetteer,
  referenceSummary,
  replaceReferenceData,
  stationInScope,
} from '../db/reference.ts';
import { loadDuty } from '../db/roster.ts';
import { importDocumentWith, referenceNotes } from '../domain/reference-validation.ts';
import { staffingNotes } from '../domain/staffing.ts';
import { officerAt } from '../domain/roster.ts';
import { rehomeOpenCases } from '../handlers/redraw.ts';
import { droppedLeaveNotes } from '../db/roster.ts';

type Logger = ReturnType<typeof createLogger>;

/** Events of re-homed cases come from assignment, as all case events do. */
const SOURCE = '/gridcase/assignment';

const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/**
 * The station's own people (admin may always): the roster names staff and shows who is on duty or on
 * leave now, which is for the station, not for the systems that send reports (the same roles as the
 * desk's forward of GET /v1/officers).
 */
const STAFF = ['desk', 'officer', 'supervisor', 'community'] as const satisfies readonly ClientRole[];

/**
 * Any authenticated token may read the reference data of the stations in its scope (one station per
 * deployment, so a token scoped elsewhere sees empty lists); a community token sees its own grids.
 * The roster only for the station's own roles (STAFF). Only an admin replaces it.
 */
export function referenceDataRoutes(app: App, db: Db, logger: Logger, clock: Clock, stationCode: string) {
  const read = { roles: ANY_ROLE, scope: 'station' } as const;
  const stationSeen = (req: Parameters<typeof requestScope>[0]) => stationInScope(db, requestScope(req));
  app.get(
    '/v1/stations',
    { config: read, schema: { summary: 'The police station(s) this deployment serves', response: { 200: items(Station) } } },
    async (req) => {
      const station = await stationSeen(req);
      return { items: station ? [station] : [] };
    },
  );
  app.get(
    '/v1/police-grids',
    { config: read, schema: { summary: 'Police grids (警格), in code order', response: { 200: items(PoliceGrid) } } },
    async (req) => {
      const scope = requestScope(req);
      return { items: (await listPoliceGrids(db)).filter((p) => inScope({ ...scope, grids: undefined }, { station: p.stationCode })) };
    },
  );
  app.get(
    '/v1/grids',
    { config: read, schema: { summary: 'Community grids (网格) with their police grid, community and GeoJSON area', response: { 200: items(CommunityGrid) } } },
    async (req) => {
      const station = await stationSeen(req);
      const scope = requestScope(req);
      return { items: station ? (await listGrids(db)).filter((g) => inScope(scope, { station: station.code, gridCode: g.code })) : [] };
    },
  );
  app.get(
    '/v1/officers',
    {
      config: { roles: STAFF, scope: 'station' },
      schema: {
        summary: 'The roster: grid officers, grid workers, leads, desk leader, deputy chief, chief; onDuty, duty and onCall as the rosters have them now',
        response: { 200: items(OfficerView) },
      },
    },
    async (req) => {
      if (!(await stationSeen(req))) return { items: [] };
      const [staff, duty] = [await listOfficers(db), await loadDuty(db)];
      const now = clock.now();
      return { items: staff.map((o) => officerAt(o, duty.get(o.officerId), now)) };
    },
  );
  app.get(
    '/v1/addresses',
    { config: read, schema: { summary: "The station's gazetteer: building addresses (小区/楼栋/门牌) and their community grid", response: { 200: items(GazetteerAddress) } } },
    async (req) => {
      const station = await stationSeen(req);
      const scope = requestScope(req);
      if (!station) return { items: [] };
      return {
        items: (await loadGazetteer(db))
          .filter(({ gridCode }) => inScope(scope, { station: station.code, gridCode }))
          .map(({ address, gridCode }) => ({ address, gridCode })),
      };
    },
  );
  app.get(
    '/v1/reference-data/versions',
    {
      config: { roles: ANY_ROLE, scope: 'none' },
      schema: {
        summary: 'Every load of reference data, newest first: its version, effective time, import time and source (seed, import, baseline)',
        response: { 200: items(z.object({ version: z.number(), effectiveAt: z.string(), importedAt: z.string(), source: z.string() })) },
      },
    },
    async () => ({ items: await listVersions(db) }),
  );
  app.get(
    '/v1/reference-data',
    {
      config: { roles: ['admin'], scope: 'install' },
      schema: {
        summary:
          "The station's whole reference data as one document, in the shape PUT takes (rosters with every leave period, imported or recorded): read, edit, send back",
        response: { 200: ReferenceData },
      },
    },
    async () => {
      const doc = await currentDocument(db);
      if (!doc) throw notFound('no reference data loaded yet');
      return doc;
    },
  );
  app.put(
    '/v1/reference-data',
    {
      config: { roles: ['admin'], scope: 'install' },
      // Real grid boundaries carry many vertices; a whole station can outgrow the 1 MiB default.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        summary:
          "Replaces the station's police grids, community grids, roster and gazetteer as a new version (refused with every problem named when the geometry or references are wrong); open cases whose place moved or whose owner left are re-homed",
        body: importDocumentWith(() => clock.now()),
        response: {
          200: z.object({
            station: z.string(),
            policeGrids: z.number(),
            grids: z.number(),
            officers: z.number(),
            addresses: z.number(),
            version: z.number(),
            effectiveAt: z.string(),
            /** Warnings, the import having taken effect: what validation could not check (gaps where a police grid has no polygon), grids left without the people routing needs, leave dropped. */
            notes: z.array(z.string()),
            rehomed: z.array(z.object({ caseId: z.string(), reason: z.string() })),
          }),
        },
      },
    },
    async (req) => {
      const doc = req.body;
      // Cases are numbered and tokens scoped by STATION_CODE: another code would swap the station under them.
      if (doc.station.code !== stationCode) {
        throw invalidRequest([{ path: 'station.code', message: `this install's station is ${stationCode} (STATION_CODE): a document may replace its grids and roster, not its station code` }]);
      }
      const now = clock.now();
      const counts = { station: doc.station.code, policeGrids: doc.policeGrids.length, grids: doc.grids.length, officers: doc.officers.length, addresses: doc.addresses?.length ?? 0 };
      const { version } = await auditedChange(
        db,
        audit,
        req,
        async (tx) => {
          // Read under the reference lock: what this replace replaces, then what it wrote.
          await lockReferenceData(tx);
          const replaced = await referenceSummary(tx);
          const stored = await replaceReferenceData(tx, doc, { source: 'import', importedAt: now, importedBy: req.principal?.clientId });
          return { version: stored, before: replaced, after: await referenceSummary(tx) };
        },
        // Codes and counts only: the roster's names and the gazetteer's addresses stay out of the log.
        (r) => ({ action: 'reference-data.replaced', target: `reference-data:${doc.station.code}`, before: r.before, after: r.after }),
      );
      // The body's schema ran the geometry checks; only what they could not check is left to say, the
      // grids left without the people routing needs (audit11 #10), and leave in force the import dropped.
      const notes = [...referenceNotes(doc), ...staffingNotes(doc), ...droppedLeaveNotes(version.droppedLeave)];
      logger.info(
        { ...counts, version: version.version, notes, by: req.principal?.clientId },
        `reference data version ${version.version}: ${counts.policeGrids} police grids, ${counts.grids} grids, ${counts.officers} officers, ${counts.addresses} addresses`,
      );
      const { moved } = await rehomeOpenCases({ db, clock, logger, source: SOURCE });
      return { ...counts, version: version.version, effectiveAt: version.effectiveAt, notes, rehomed: moved };
    },
  );
}
