import { drizzle } from 'drizzle-orm/node-postgres';
import { describe, expect, it } from 'vitest';
import { keptPlan, migratedClient } from '../../../infra/test/plans.ts';
import { WRITE } from '../src/db/case-projection.ts';
import { clientReports } from '../src/db/queries.ts';
import { KEY_LOOKUP } from '../src/db/store-report.ts';

// A prepared statement keeps the plan it made while its tables were small: a service prepares its
// statements as it starts, on young tables that have no statistics (nor has any table where
// autovacuum is off), and nothing re-plans them as the tables grow but an ANALYZE. These tests ask
// for the plan such a statement keeps (a generic plan, on the freshly migrated database) and hold
// it to the index its hot path needs.

describe("intake's hot statements, as a young database plans them", () => {
  const db = migratedClient();

  it("moves a case's reports by the reports' key, never by reading every report", async () => {
    const types = ['text', 'text', 'text', 'text', 'integer', 'text', 'text', 'jsonb', 'timestamptz', 'timestamptz', 'timestamptz', 'boolean',
      'text[]', 'text[]', 'text[]', 'text', 'text', 'text[]', 'timestamptz', 'text[]', 'text[]'];
    const now = `'${new Date().toISOString()}'`;
    const values = [`'case-1'`, 'null', 'null', 'null', 'null', 'null', 'null', 'null', 'null', 'null', now, 'false',
      `'{report-1}'`, `'{triaged}'`, `'{case-1}'`, `'event-1'`, `'gridcase.case.opened.v1'`, `'{}'`, now, `'{}'`, `'{}'`];
    // However wide a report's row grows: a column more once tipped the restated join to a sequential scan.
    for (const columns of [0, 1, 4]) {
      const widen = Array.from({ length: columns }, (_, i) => `alter table intake.reports add column wider_${i} text`);
      const plan = await keptPlan(db(), WRITE, types, values, widen);
      // Joined on unnest alone, this was a hash join over a sequential scan of intake.reports, one per case event.
      expect(plan, `${columns} columns more`).toContain('"Index Name":"reports_pkey"');
      expect(plan, `${columns} columns more`).not.toMatch(/"Node Type":"Seq Scan"[^{}]*"Relation Name":"reports"/);
    }
  });

  it("finds a post's key by the unique key, never by reading the client's reports along the list's index", async () => {
    // The list's index (client_id, received_at, report_id) tied with it in a young table's kept plan: each post read every report of its client.
    const plan = await keptPlan(db(), { text: KEY_LOOKUP }, ['text', 'text'], [`'client-1'`, `'e-1'`]);
    expect(plan).toContain('"Index Name":"reports_idempotency_key"');
    expect(plan).not.toContain('reports_client_received_idx');
  });

  it("reads a page of a client's reports along its index, newest first, without sorting the client's reports", async () => {
    // Not a kept statement: planned as it runs, so against a table that has grown and been analysed.
    await db().query('begin');
    try {
      await db().query(
        `insert into intake.reports (report_id, client_id, external_id, body_hash, report, received_at)
         select 'r-' || i, 'client-' || (i % 20), 'e-' || i, 'x', '{}', now() - i * interval '1 minute' from generate_series(1, 20000) i`,
      );
      await db().query('analyze intake.reports');
      const after = { at: new Date(Date.now() - 60 * 60_000), key: 'r-60' };
      for (const page of [{ after: undefined }, { after }]) {
        const query = clientReports(drizzle({ client: db() }), 'client-7', { externalId: undefined, limit: 50, ...page }).toSQL();
        const { rows } = await db().query({ text: `explain (format json) ${query.sql}`, values: query.params });
        const plan = JSON.stringify(rows[0]['QUERY PLAN']);
        expect(plan).toContain('"Index Name":"reports_client_received_idx"');
        expect(plan).toContain('"Scan Direction":"Backward"');
        expect(plan).not.toContain('"Node Type":"Sort"');
        // A later page starts where the cursor points, rather than reading and dropping the pages before it.
        if (page.after) expect(plan).toMatch(/"Index Cond":"[^"]*ROW\(received_at, report_id\) < /);
      }
    } finally {
      await db().query('rollback');
    }
  });
});
