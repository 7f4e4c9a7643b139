// node infra/bench/outbox-notify.ts [--concurrency 1,8,32 --seconds 5 --rounds 2]
// Issue 12: what a NOTIFY inside the writer's transaction costs. `concurrency` workers each commit,
// one after another, transactions that write one outbox row (writeOutbox, on a pool of that many
// connections and one spare), for `seconds`, in three ways, alternating, on a scratch database:
//   in-transaction: the row and `select pg_notify(...)` in the transaction, as writeOutbox did before;
//     at commit the NOTIFY takes a lock for the whole database held until the commit is flushed;
//   after-commit: writeOutbox as it is, the NOTIFY sent after the commit, one for many (notify.ts);
//   none: the row alone, nothing woken (the ceiling).
// Prints commits per second and how many notifications a LISTENer heard per commit. A script, never a test.
import { parseArgs } from 'node:util';
import { createDb, createPool, outboxChannel, sql, writeOutbox } from '@gridcase/db';
import pg from 'pg';
// Any service's outbox table will do (drizzle-orm is no dependency of infra/); created here, alone.
import { outbox } from '../../services/desk/src/db/schema.ts';
import { withDatabase } from '../test/template.ts';
import { fmt } from './lib/stats.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    concurrency: { type: 'string', default: '1,8,32' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
  },
});
const LEVELS = values.concurrency.split(',').map(Number);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const MODES = ['in-transaction', 'after-commit', 'none'] as const;
type Mode = (typeof MODES)[number];
const SCHEMA = 'desk';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = `gridcase_notify_${process.pid}`;
const url = withDatabase(databaseUrl, scratch);

const admin = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
await admin.connect();
await admin.query(`create database "${scratch}"`);
try {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(`create schema ${SCHEMA};
    create table ${SCHEMA}.outbox (id bigserial primary key, topic text not null, key text not null, value jsonb not null,
      headers jsonb not null default '{}', created_at timestamptz not null default now(), sent_at timestamptz)`);
  await setup.end();
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  let heard = 0;
  listener.on('notification', () => heard++);
  await listener.query(`listen ${outboxChannel(SCHEMA)}`);

  const settings = (await admin.query<{ name: string; setting: string }>(`select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'wal_sync_method')`)).rows;
  console.log(`postgres: ${settings.map((s) => `${s.name}=${s.setting}`).join(' ')}; ${SECONDS} s per mode, ${ROUNDS} rounds alternating`);
  const results = new Map<string, { commits: number; heard: number; seconds: number }>();

  for (let round = 0; round < ROUNDS; round++) {
    for (const concurrency of LEVELS) {
      for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
        const pool = createPool(url, { max: concurrency + 1, application: 'bench-outbox-notify' });
        const db = createDb(pool);
        const row = (key: string) => [{ topic: 'gridcase.cases' as const, key, message: { id: key } as never }];
        const commit: Record<Mode, (key: string) => Promise<unknown>> = {
          'in-transaction': (key) =>
            db.transaction(async (tx) => {
              await tx.insert(outbox).values({ topic: 'gridcase.cases', key, value: { id: key } });
              await tx.execute(sql`select pg_notify(${outboxChannel(SCHEMA)}, '')`);
            }),
          'after-commit': (key) => db.transaction((tx) => writeOutbox(tx, outbox, SCHEMA, row(key))),
          none: (key) => db.transaction((tx) => tx.insert(outbox).values({ topic: 'gridcase.cases', key, value: { id: key } })),
        };
        // Warm the pool's connections, then count.
        await Promise.all(Array.from({ length: concurrency }, (_, w) => commit[mode](`warm-${w}`)));
        await new Promise((r) => setTimeout(r, 200));
        heard = 0;
        let commits = 0;
        const started = performance.now();
        const until = started + SECONDS * 1000;
        await Promise.all(
          Array.from({ length: concurrency }, async (_, w) => {
            while (performance.now() < until) {
              await commit[mode](`w${w}-${commits}`);
              commits++;
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        await new Promise((r) => setTimeout(r, 200)); // the last NOTIFYs arrive
        const key = `${concurrency}|${mode}`;
        const sum = results.get(key) ?? { commits: 0, heard: 0, seconds: 0 };
        results.set(key, { commits: sum.commits + commits, heard: sum.heard + heard, seconds: sum.seconds + seconds });
        console.log(`round ${round + 1} concurrency ${concurrency} ${mode}: ${fmt(commits / seconds, 0)} commits/s, ${fmt(heard / commits, 3)} notifications per commit`);
        await pool.end();
      }
    }
  }
  console.log('\nconcurrency  in-transaction  after-commit  none   (commits/s, all rounds)  after/in  notifications per commit (after-commit)');
  for (const concurrency of LEVELS) {
    const rate = (mode: Mode) => {
      const r = results.get(`${concurrency}|${mode}`)!;
      return r.commits / r.seconds;
    };
    const after = results.get(`${concurrency}|after-commit`)!;
    console.log(
      `${String(concurrency).padStart(11)}  ${fmt(rate('in-transaction'), 0).padStart(14)}  ${fmt(rate('after-commit'), 0).padStart(12)}  ${fmt(rate('none'), 0).padStart(5)}  ${' '.repeat(24)}  ${fmt(rate('after-commit') / rate('in-transaction'), 2).padStart(8)}  ${fmt(after.heard / after.commits, 3)}`,
    );
  }
  await listener.end();
} finally {
  await admin.query(`drop database "${scratch}" with (force)`);
  await admin.end();
}
