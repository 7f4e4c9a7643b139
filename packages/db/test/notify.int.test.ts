import pg from 'pg';
import { pgSchema } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isolatedEnv } from '../../../infra/test/harness.ts';
import { createDb, createPool, type Db, outboxChannel, outboxTable, wakeOutboxRelays, writeOutbox } from '../src/index.ts';

const SCHEMA = 'notifytest';
const outbox = outboxTable(pgSchema(SCHEMA));
const message = (key: string) => ({
  topic: 'gridcase.cases' as const,
  key,
  // The outbox stores any envelope; its shape is not what this test is about.
  message: { id: key } as never,
});

describe('NOTIFY after the commit, against a real Postgres', () => {
  let pool: pg.Pool;
  let db: Db;
  let listener: pg.Client;
  /** For each notification heard: how many outbox rows a query saw right after it came. */
  const heard: number[] = [];
  const unsent = async () => Number((await pool.query(`select count(*) from ${SCHEMA}.outbox`)).rows[0].count);

  beforeAll(async () => {
    const url = (await isolatedEnv()).DATABASE_URL!;
    pool = createPool(url, { max: 6 });
    db = createDb(pool);
    await pool.query(`create schema ${SCHEMA};
      create table ${SCHEMA}.outbox (id bigserial primary key, topic text not null, key text not null, value jsonb not null,
        headers jsonb not null default '{}', created_at timestamptz not null default now(), sent_at timestamptz)`);
    listener = new pg.Client({ connectionString: url });
    await listener.connect();
    listener.on('notification', () => void unsent().then((n) => heard.push(n)));
    await listener.query(`listen ${outboxChannel(SCHEMA)}`);
  });

  afterAll(async () => {
    await listener?.end();
    await pool?.end();
  });

  it('wakes the relays once a transaction that wrote the outbox committed, and not when it rolled back', async () => {
    const before = heard.length;
    await db
      .transaction(async (tx) => {
        await writeOutbox(tx, outbox, SCHEMA, [message('rolled-back')]);
        throw new Error('changed my mind');
      })
      .catch(() => {});
    await db.transaction((tx) => writeOutbox(tx, outbox, SCHEMA, [message('k1')]));
    // The one NOTIFY is the committed transaction's, and whoever it wakes finds the row.
    await eventually('the wake-up', () => (heard.length > before ? true : undefined));
    expect(heard.slice(before)).toEqual([1]);
  });

  it('wakes them after the last of many concurrent commits', async () => {
    const before = heard.length;
    const rows = await unsent();
    await Promise.all(Array.from({ length: 40 }, (_, i) => db.transaction((tx) => writeOutbox(tx, outbox, SCHEMA, [message(`c${i}`)]))));
    // Coalesced, yet some NOTIFY left after the last commit: a wake-up sees all 40 rows.
    await eventually('a wake-up after every commit', () => (heard.slice(before).includes(rows + 40) ? true : undefined));
  });

  it('wakes them for rows committed by a statement of their own (wakeOutboxRelays)', async () => {
    const before = heard.length;
    await pool.query(`insert into ${SCHEMA}.outbox (topic, key, value) values ('gridcase.cases', 'plain', '{}')`);
    wakeOutboxRelays(pool, SCHEMA);
    const rows = await unsent();
    await eventually('the wake-up', () => (heard.slice(before).includes(rows) ? true : undefined));
  });

  it('refuses writeOutbox in a nested transaction (a savepoint), which nothing would wake for', async () => {
    await expect(
      db.transaction((tx) => tx.transaction((inner) => writeOutbox(inner, outbox, SCHEMA, [message('nested')]))),
    ).rejects.toThrow(/nested transaction is not supported/);
  });
});
