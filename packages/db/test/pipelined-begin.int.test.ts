import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../../infra/test/harness.ts';
import { clientOf, createDb, createPool, type Db, type Tx } from '../src/index.ts';

const SCHEMA = 'pipelinedbegin';

describe("a transaction's BEGIN sent with its first statement, against a real Postgres", () => {
  let pool: pg.Pool;
  let db: Db;
  const names = async () => (await pool.query<{ name: string }>(`select name from ${SCHEMA}.things order by name`)).rows.map((r) => r.name);
  const insert = (tx: Tx, name: string) => clientOf(tx).query(`insert into ${SCHEMA}.things (name) values ($1)`, [name]);

  /** The pool's one connection (max 1), whose answers are counted. */
  let connection: { on(e: string, f: () => void): void; off(e: string, f: () => void): void };

  /** Runs `work` in a transaction, counting the round trips it made (one ReadyForQuery each). */
  async function roundTrips<T>(work: (tx: Tx) => Promise<T>): Promise<{ result: T; trips: number }> {
    let trips = 0;
    const count = () => trips++;
    connection.on('readyForQuery', count);
    try {
      return { result: await db.transaction(work), trips };
    } finally {
      connection.off('readyForQuery', count);
    }
  }

  beforeAll(async () => {
    pool = createPool((await isolatedEnv()).DATABASE_URL!, { max: 1 });
    db = createDb(pool);
    await pool.query(`create schema ${SCHEMA}; create table ${SCHEMA}.things (name text primary key)`);
    const client = await pool.connect();
    connection = (client as unknown as { connection: typeof connection }).connection;
    client.release();
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('sends BEGIN and the first statement in one round trip, then commits both with the rest', async () => {
    const { trips } = await roundTrips(async (tx) => {
      await insert(tx, 'a');
      await insert(tx, 'b');
    });
    // BEGIN + first insert, second insert, COMMIT: three, where a BEGIN of its own made four.
    expect(trips).toBe(3);
    expect(await names()).toEqual(['a', 'b']);
  });

  it('runs the statements in one transaction: the same now(), and a rollback undoes the first', async () => {
    const { result } = await roundTrips(async (tx) => {
      const first = await clientOf(tx).query<{ t: string }>('select now()::text as t, $1::int as n', [1]);
      await new Promise((r) => setTimeout(r, 5));
      const second = await clientOf(tx).query<{ t: string }>('select now()::text as t');
      return [first.rows[0]!.t, second.rows[0]!.t];
    });
    expect(result[0]).toBe(result[1]);

    await expect(
      db.transaction(async (tx) => {
        await insert(tx, 'undone');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await names()).not.toContain('undone');
  });

  it('gives the first statement its own error, leaves nothing behind and the connection usable', async () => {
    await expect(db.transaction((tx) => insert(tx, 'a').then(() => undefined))).rejects.toThrow(/duplicate key/);
    // The one connection (max 1) serves the next transaction, outside any aborted one.
    await db.transaction((tx) => insert(tx, 'c').then(() => undefined));
    expect(await names()).toEqual(['a', 'b', 'c']);
    const { rows } = await pool.query<{ idle: boolean }>(`select count(*) = 0 as idle from pg_stat_activity where pid = pg_backend_pid() and state like '%transaction%'`);
    expect(rows[0]!.idle).toBe(true);
  });

  it('parses a named statement again when its first Parse failed', async () => {
    const named = { name: 'pipelined_begin_late_table', text: `insert into ${SCHEMA}.later (name) values ($1)` };
    await expect(db.transaction((tx) => clientOf(tx).query({ ...named, values: ['x'] }).then(() => undefined))).rejects.toThrow(/does not exist/);
    await pool.query(`create table ${SCHEMA}.later (name text)`);
    await db.transaction((tx) => clientOf(tx).query({ ...named, values: ['x'] }).then(() => undefined));
    expect((await pool.query(`select name from ${SCHEMA}.later`)).rows).toEqual([{ name: 'x' }]);
  });

  it('sends nothing for a transaction with no statement, and BEGIN first before a simple-protocol statement', async () => {
    expect((await roundTrips(async () => 'nothing')).trips).toBe(0);
    const { result, trips } = await roundTrips(async (tx) => {
      await tx.execute(sql.raw(`insert into ${SCHEMA}.things (name) values ('d')`));
      return (await clientOf(tx).query<{ n: string }>(`select count(*)::text as n from ${SCHEMA}.things where name = $1`, ['d'])).rows[0]!.n;
    });
    expect(result).toBe('1');
    // BEGIN, the simple insert, the select, COMMIT.
    expect(trips).toBe(4);
    expect(await names()).toContain('d');
  });
});
