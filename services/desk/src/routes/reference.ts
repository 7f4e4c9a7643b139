import type { App } from '@gridcase/service-kit';
import { CategoryList, CommunityGridList, OfficerList, PoliceGridList, type ReferenceClient, StationList } from '../reference-client.ts';
import type { z } from 'zod';
import { DESK_READERS } from './roles.ts';

/**
 * The station's reference data the desk page shows, read from the services that own it with the
 * caller's token (see ReferenceClient): the same paths and shapes as on triage and assignment.
 */
export function referenceRoutes(app: App, reference: ReferenceClient) {
  app.get(
    '/v1/categories',
    {
      config: { roles: DESK_READERS, scope: 'none' },
      schema: {
        summary: "The category catalogue (names in Chinese and English), from triage's current rules; the built-in catalogue when triage does not answer",
        response: { 200: CategoryList },
      },
    },
    async (req) => reference.categories(req.headers.authorization),
  );
  // The station's reference data from assignment, as assignment holds it for this token.
  const fromAssignment = (path: string, summary: string, list: z.ZodType, read: (authorization: string | undefined) => Promise<unknown>) =>
    app.get(path, { config: { roles: DESK_READERS, scope: 'station' }, schema: { summary, response: { 200: list } } }, async (req) => read(req.headers.authorization));
  fromAssignment('/v1/stations', 'The police station(s) this token sees, with their names, as assignment holds them for this token', StationList, (a) => reference.stations(a));
  fromAssignment('/v1/police-grids', 'Police grids (警格) with their GeoJSON areas, as assignment holds them for this token', PoliceGridList, (a) => reference.policeGrids(a));
  fromAssignment('/v1/grids', 'Community grids (网格) with their GeoJSON areas, as assignment holds them for this token', CommunityGridList, (a) => reference.grids(a));
  fromAssignment(
    '/v1/officers',
    "The station's roster (name, post, police grid or grid, on duty), as assignment holds it for this token: whom the page offers for a reassign (改派)",
    OfficerList,
    (a) => reference.officers(a),
  );
}
