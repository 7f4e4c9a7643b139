import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../../infra/test/harness.ts';
import { clientOf, createDb, createPool, type Db, sql } from '../src/index.ts';

describe('clientOf, against a real Postgres', () => {
  let pool: pg.Pool;
  let db: Db;

  beforeAll(async () => {
    pool = createPool((await isolatedEnv()).DATABASE_URL!, { max: 2 });
    db = createDb(pool);
    await pool.query('create table tx_client_probe (id int primary key)');
  });

  afterAll(async () => {
    await pool?.end();
  });

  it('is the connection of the drizzle transaction: what it writes commits or rolls back with the transaction', async () => {
    await db.transaction(async (tx) => {
      const client = clientOf(tx);
      const [mine] = (await tx.execute(sql`select txid_current() as id`)).rows;
      const { rows } = await client.query({ name: 'tx_client_probe_txid', text: 'select txid_current() as id' });
      expect(rows[0]!.id).toBe(mine!.id);
      await client.query('insert into tx_client_probe values (1)');
    });
    await expect(
      db.transaction(async (tx) => {
        await clientOf(tx).query('insert into tx_client_probe values (2)');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const { rows } = await pool.query('select id from tx_client_probe order by id');
    expect(rows.map((r) => r.id)).toEqual([1]);
  });

  it('refuses a handle that is not a node-postgres transaction', () => {
    expect(() => clientOf({ _: { session: {} } } as never)).toThrow('no pg client under this drizzle transaction');
    // The database handle itself: its statements would run outside any transaction.
    expect(() => clientOf(db as never)).toThrow('clientOf needs a transaction');
  });
});
