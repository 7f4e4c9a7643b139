import { DeskMap } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, type Clock, requestScope, scopeSql } from '@gridcase/service-kit';
import { loadMap } from '../db/map.ts';
import { cases } from '../db/schema.ts';
import { DESK_READERS } from './roles.ts';

export function mapRoutes(app: App, db: Db, clock: Clock) {
  app.get(
    '/v1/map',
    {
      config: { roles: DESK_READERS, scope: 'station' },
      schema: {
        summary: 'Every case not closed, newest first (at most 2000), with the point its first report gave (null when it gave none): the desk map',
        response: { 200: DeskMap },
      },
    },
    async (req) => loadMap(db, clock.now(), scopeSql(requestScope(req), { station: cases.station, gridCode: cases.gridCode })),
  );
}
