import { pgSchema } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../../infra/test/harness.ts';
import { auditedChange, auditTable, createDb, createPool, type Db, type Tx } from '../src/index.ts';

const SCHEMA = 'audittest';
const audit = auditTable(pgSchema(SCHEMA));

describe('auditedChange against a real Postgres', () => {
  let pool: pg.Pool;
  let db: Db;
  const things = async () => (await pool.query<{ name: string }>(`select name from ${SCHEMA}.things order by name`)).rows.map((r) => r.name);
  const entries = async () => (await pool.query<{ action: string; target: string }>(`select action, target from ${SCHEMA}.audit order by id`)).rows;
  const addThing = (name: string) => (tx: Tx) => tx.execute(`insert into ${SCHEMA}.things (name) values ('${name}')`);

  beforeAll(async () => {
    pool = createPool((await isolatedEnv()).DATABASE_URL!, { max: 2 });
    db = createDb(pool);
    await pool.query(`create schema ${SCHEMA};
      create table ${SCHEMA}.things (name text primary key);
      create table ${SCHEMA}.audit (id bigserial primary key, at timestamptz not null default now(), actor text not null,
        action text not null, target text not null, before jsonb, after jsonb)`);
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('keeps the change and its entry together', async () => {
    await auditedChange(db, audit, 'admin', addThing('kept'), () => ({ action: 'thing.added', target: 'thing:kept' }));
    expect(await things()).toEqual(['kept']);
    expect(await entries()).toEqual([{ action: 'thing.added', target: 'thing:kept' }]);
  });

  it('keeps neither when the entry cannot be written', async () => {
    // A BigInt has no JSON form: the audit insert fails after the change was made in the transaction.
    const failing = auditedChange(db, audit, 'admin', addThing('orphan'), () => ({ action: 'thing.added', target: 'thing:orphan', after: { n: 1n } }));
    await expect(failing).rejects.toThrow(/BigInt/);
    expect(await things()).toEqual(['kept']);
    expect(await entries()).toHaveLength(1);
  });

  it('writes no entry for a change that failed', async () => {
    const failing = auditedChange(db, audit, 'admin', addThing('kept'), () => ({ action: 'thing.added', target: 'thing:again' }));
    await expect(failing).rejects.toThrow(/insert into audittest.things/);
    expect(await entries()).toHaveLength(1);
  });
});
