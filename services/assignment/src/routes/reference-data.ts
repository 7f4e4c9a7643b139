import { CommunityGrid, Officer, PoliceGrid, ReferenceData, Station } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import type { App, createLogger } from '@gridcase/service-kit';
import { z } from 'zod';
import { listGrids, listOfficers, listPoliceGrids, listStations, replaceReferenceData } from '../db/reference.ts';

type Logger = ReturnType<typeof createLogger>;

const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** Any authenticated token may read the station's reference data; only an admin replaces it. */
export function referenceDataRoutes(app: App, db: Db, logger: Logger) {
  app.get(
    '/v1/stations',
    { schema: { summary: 'The police station(s) this deployment serves', response: { 200: items(Station) } } },
    async () => ({ items: await listStations(db) }),
  );
  app.get(
    '/v1/police-grids',
    { schema: { summary: 'Police grids (警格), in code order', response: { 200: items(PoliceGrid) } } },
    async () => ({ items: await listPoliceGrids(db) }),
  );
  app.get(
    '/v1/grids',
    { schema: { summary: 'Community grids (网格) with their police grid, community and GeoJSON area', response: { 200: items(CommunityGrid) } } },
    async () => ({ items: await listGrids(db) }),
  );
  app.get(
    '/v1/officers',
    { schema: { summary: 'The roster: grid officers, grid workers, leads, desk leader, deputy chief, chief', response: { 200: items(Officer) } } },
    async () => ({ items: await listOfficers(db) }),
  );
  app.put(
    '/v1/reference-data',
    {
      config: { roles: ['admin'] },
      // Real grid boundaries carry many vertices; a whole station can outgrow the 1 MiB default.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        summary: "Replaces the station's police grids, community grids and roster in one transaction",
        body: ReferenceData,
        response: { 200: z.object({ station: z.string(), policeGrids: z.number(), grids: z.number(), officers: z.number() }) },
      },
    },
    async (req) => {
      const doc = req.body;
      await replaceReferenceData(db, doc);
      const counts = { station: doc.station.code, policeGrids: doc.policeGrids.length, grids: doc.grids.length, officers: doc.officers.length };
      logger.info({ ...counts, by: req.principal?.clientId }, `reference data replaced: ${counts.policeGrids} police grids, ${counts.grids} grids, ${counts.officers} officers`);
      return counts;
    },
  );
}
