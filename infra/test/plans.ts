import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { isolatedEnv } from './harness.ts';

/** The generic plan of a prepared statement, as JSON text. */
export async function keptPlan(client: pg.Client, statement: { text: string }, types: string[], values: string[], before: string[] = []): Promise<string> {
  await client.query('begin');
  try {
    for (const query of before) await client.query(query);
    await client.query('set local plan_cache_mode = force_generic_plan');
    await client.query(`prepare kept (${types.join(', ')}) as ${statement.text}`);
    const { rows } = await client.query(`explain (format json) execute kept (${values.join(', ')})`);
    return JSON.stringify(rows[0]['QUERY PLAN']);
  } finally {
    await client.query('rollback');
    await client.query('deallocate all');
  }
}

/** A client of a freshly migrated database of the test file's own, connected before its tests and closed after them. */
export function migratedClient(): () => pg.Client {
  let client: pg.Client | undefined;
  beforeAll(async () => {
    const env = await isolatedEnv();
    client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });
  return () => {
    if (!client) throw new Error('the client connects before the tests run');
    return client;
  };
}
