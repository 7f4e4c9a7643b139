import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migratedClient } from '../../../infra/test/plans.ts';

// A migration's backfill runs once, on the rows an install holds when it is deployed: these tests run
// its statement on such rows (the migration itself ran on an empty table when the database was made).

/** The statements of a migration after its schema change (drizzle's breakpoints), comments dropped. */
const backfillOf = (file: string) =>
  readFileSync(new URL(`../src/db/migrations/${file}`, import.meta.url), 'utf8')
    .split('--> statement-breakpoint')
    .slice(1)
    .map((s) => s.replace(/^--.*$/gm, '').trim())
    .filter(Boolean);

describe('migration 0022: which clients issued before it follow their grid worker', () => {
  const db = migratedClient();

  it('sets only community clients with an officerId and exactly one grid (what issuing them without grids stored)', async () => {
    const clients: [id: string, roles: string[], officerId: string | null, grids: string[] | null, follows: boolean][] = [
      ['worker-given-nothing', ['community'], 'gw-01', ['CG-G01'], true],
      ['desk-and-worker', ['desk', 'community'], 'gw-02', ['CG-G02'], true],
      ['worker-given-two', ['community'], 'gw-03', ['CG-G01', 'CG-G02'], false],
      ['community-no-person', ['community'], null, ['CG-G01'], false],
      ['officer-one-grid', ['officer'], 'officer-CG-01', ['CG-G01'], false],
      ['community-no-grids', ['community'], 'gw-04', null, false],
    ];
    await db().query('begin');
    try {
      for (const [id, roles, officerId, grids] of clients) {
        await db().query('insert into intake.clients (client_id, name, roles, officer_id, grids) values ($1, $1, $2, $3, $4)', [
          id,
          JSON.stringify(roles),
          officerId,
          grids && JSON.stringify(grids),
        ]);
      }
      const statements = backfillOf('0022_clients_grids_follow_officer.sql');
      expect(statements).toHaveLength(1);
      await db().query(statements[0]!);
      const { rows } = await db().query<{ client_id: string; grids_follow_officer: boolean }>('select client_id, grids_follow_officer from intake.clients');
      const follows = Object.fromEntries(rows.map((r) => [r.client_id, r.grids_follow_officer]));
      expect(follows).toEqual(Object.fromEntries(clients.map(([id, , , , f]) => [id, f])));
    } finally {
      await db().query('rollback');
    }
  });
});
