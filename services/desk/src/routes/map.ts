import { DeskMap } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, type Clock, requestScope } from '@gridcase/service-kit';
import { loadMap } from '../db/map.ts';
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
    async (req) => loadMap(db, clock.now(), requestScope(req)),
  );
}
