import { describe, expect, it } from 'vitest';
import { keptPlan, migratedClient } from '../../../infra/test/plans.ts';
import { CANDIDATES } from '../src/db/case-index.ts';

// As intake's query-plans test: the plan a prepared statement keeps (a generic plan), held to the indexes its
// hot path needs. On a young, empty case index every plan reads the table whole, and that costs nothing; the
// statement is planned again once autovacuum analyses the grown table, and that plan must take the indexes.

describe("triage's hot statements, as a grown and analysed case index plans them", () => {
  const db = migratedClient();

  it("reads a run's candidates by the index of each way of being near, never by reading the whole case index", async () => {
    const types = ['timestamptz', 'float8[]', 'float8[]', 'float8[]', 'float8[]', 'text[]', 'text[]', 'text[]'];
    const values = [`'${new Date().toISOString()}'`, `'{36.1}'`, `'{36.2}'`, `'{103.7}'`, `'{103.8}'`, `'{a}'`, `'{CG-01-01}'`, `'{}'`];
    const grown = [
      `insert into triage.case_index (case_id, case_number, kind, category, lat, lng, address_key, grid_code, community_code, text, status, opened_at, last_report_at, settled_at)
       select 'c-' || i, '', 'hazard', 'hazard.facility', 36 + random(), 103 + random(), 'addr-' || (i % 5000), 'G-' || (i % 300), 'C-' || (i % 40), 'text',
              case when i % 3 = 0 then 'open' else 'closed' end, now(), now(), now() - interval '100 days' from generate_series(1, 20000) i`,
      'analyze triage.case_index',
    ];
    const plan = await keptPlan(db(), CANDIDATES, types, values, grown);
    for (const index of ['case_index_point', 'case_index_address', 'case_index_grid', 'case_index_community']) expect(plan).toContain(`"Index Name":"${index}"`);
    // With the status filter outside a union of ids, the plan joined the ids to a sequential scan of the whole index.
    expect(plan).not.toMatch(/"Node Type":"Seq Scan"[^{}]*"Relation Name":"case_index"/);
  });
});
