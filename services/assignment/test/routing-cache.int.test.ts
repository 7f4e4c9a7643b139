import type { ReferenceData } from '@gridcase/contracts';
import { createDb, createPool, type Db } from '@gridcase/db';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../../infra/test/harness.ts';
import { replaceReferenceData, seedIfEmpty } from '../src/db/reference.ts';
import { recordLeave } from '../src/db/roster.ts';
import { RoutingCache } from '../src/db/routing-cache.ts';
import { DEMO_STATION } from '../src/domain/demo-station.ts';

/** A one-grid station whose grid and people are named after `tag`. */
const pilot = (tag: string): ReferenceData => ({
  station: { code: 'CG', name: '城关派出所' },
  policeGrids: [{ code: `${tag}-01`, name: '试点警务区', stationCode: 'CG' }],
  grids: [
    {
      code: `${tag}-01-01`,
      name: '试点网格',
      policeGridCode: `${tag}-01`,
      community: { code: `${tag}-pilot`, name: '试点社区' },
      geometry: { type: 'Polygon', coordinates: [[[101, 38], [102, 38], [102, 39], [101, 39], [101, 38]]] },
    },
  ],
  officers: [
    { officerId: `${tag}-officer`, name: '试点警格员', role: 'officer', policeGridCode: `${tag}-01`, onDuty: true },
    { officerId: `${tag}-worker`, name: '小试', role: 'gridWorker', gridCode: `${tag}-01-01`, onDuty: true },
  ],
});
const importMeta = () => ({ source: 'import' as const, importedAt: new Date() });

describe('RoutingCache against a real Postgres', () => {
  let pool: pg.Pool;
  let db: Db;

  beforeAll(async () => {
    pool = createPool((await isolatedEnv()).DATABASE_URL!, { max: 2 });
    db = createDb(pool);
    await seedIfEmpty(db, DEMO_STATION);
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('reads a version once and reuses it until a new version is committed', async () => {
    const cache = new RoutingCache();
    const first = await db.transaction((tx) => cache.current(tx));
    expect(first.referenceVersion).toBe(1);
    expect(first.grids).toHaveLength(DEMO_STATION.grids.length);
    expect(await db.transaction((tx) => cache.current(tx))).toBe(first);

    await db.transaction((tx) => replaceReferenceData(tx, pilot('A'), importMeta()));
    const second = await db.transaction((tx) => cache.current(tx));
    expect(second.referenceVersion).toBe(2);
    expect(second.grids.map((g) => g.code)).toEqual(['A-01-01']);
    expect(await db.transaction((tx) => cache.current(tx))).toBe(second);
  });

  it('never reuses a version a rolled-back replacement showed its own transaction', async () => {
    const cache = new RoutingCache();
    const { referenceVersion } = await db.transaction((tx) => cache.current(tx));
    const rolledBack = new Error('rolled back');
    await expect(
      db.transaction(async (tx) => {
        await replaceReferenceData(tx, pilot('B'), importMeta());
        expect((await cache.current(tx)).grids.map((g) => g.code)).toEqual(['B-01-01']);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    // The same version number, written by another transaction.
    await db.transaction((tx) => replaceReferenceData(tx, pilot('C'), importMeta()));
    const now = await db.transaction((tx) => cache.current(tx));
    expect(now.referenceVersion).toBe(referenceVersion! + 1);
    expect(now.grids.map((g) => g.code)).toEqual(['C-01-01']);
  });

  it('reads leave per case: recorded leave counts at once, ended leave does not', async () => {
    await db.transaction((tx) => replaceReferenceData(tx, pilot('D'), importMeta()));
    const cache = new RoutingCache();
    const at = new Date('2026-06-01T01:00:00Z');
    const place = { gridCode: 'D-01-01' };
    const before = await db.transaction((tx) => cache.routingData(tx, place, at));
    expect(before.duty?.get('D-worker')).toBeUndefined();
    expect(before.openCases).toEqual(new Map([['D-officer', 0], ['D-worker', 0]]));

    await recordLeave(db, 'D-worker', { from: '2026-05-31T00:00:00Z', until: '2026-06-01T00:00:00Z', reason: '病假' }, null, at);
    await recordLeave(db, 'D-worker', { from: '2026-06-01T00:00:00Z', until: '2026-06-02T00:00:00Z', reason: '病假' }, null, at);
    const after = await db.transaction((tx) => cache.routingData(tx, place, at));
    expect(after.duty?.get('D-worker')).toEqual({ shifts: [], onCall: false, leave: [{ from: '2026-06-01T00:00:00.000Z', until: '2026-06-02T00:00:00.000Z' }] });
  });
});
