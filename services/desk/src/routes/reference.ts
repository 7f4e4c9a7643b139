import type { App } from '@gridcase/service-kit';
import { CategoryList, CommunityGridList, PoliceGridList, type ReferenceClient, StationList } from '../reference-client.ts';
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
  app.get(
    '/v1/stations',
    {
      config: { roles: DESK_READERS, scope: 'station' },
      schema: { summary: 'The police station(s) this token sees, with their names, as assignment holds them for this token', response: { 200: StationList } },
    },
    async (req) => reference.stations(req.headers.authorization),
  );
  app.get(
    '/v1/police-grids',
    {
      config: { roles: DESK_READERS, scope: 'station' },
      schema: { summary: 'Police grids (警格) with their GeoJSON areas, as assignment holds them for this token', response: { 200: PoliceGridList } },
    },
    async (req) => reference.policeGrids(req.headers.authorization),
  );
  app.get(
    '/v1/grids',
    {
      config: { roles: DESK_READERS, scope: 'station' },
      schema: { summary: 'Community grids (网格) with their GeoJSON areas, as assignment holds them for this token', response: { 200: CommunityGridList } },
    },
    async (req) => reference.grids(req.headers.authorization),
  );
}
