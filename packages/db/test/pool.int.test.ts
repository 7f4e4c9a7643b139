import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isolatedEnv } from '../../../infra/test/harness.ts';
import { CONNECTION_LIFETIME_SECONDS, createPool, ensureDatabase, pruneInbox, serverWarning } from '../src/index.ts';

describe('pg pool against a real Postgres', () => {
  let url: string;
  beforeAll(async () => {
    url = (await isolatedEnv()).DATABASE_URL!;
  });

  it('runs without JIT from the first statement on, whatever options the URL carries (run 18)', async () => {
    // Options in the URL, as an operator may give them, replace a startup option: the SET on connect still holds.
    const withOptions = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c statement_timeout=60000')}`;
    for (const target of [url, withOptions]) {
      const pool = createPool(target, { max: 1 });
      try {
        expect((await pool.query<{ jit: string }>('show jit')).rows[0]?.jit, target).toBe('off');
        expect((await pool.query<{ statement_timeout: string }>('show statement_timeout')).rows[0]?.statement_timeout, target).toBe(target === url ? '0' : '1min');
      } finally {
        await pool.end();
      }
    }
  });

  describe('a busy process whose connections are terminated', () => {
    const application = `pooltest-${randomBytes(4).toString('hex')}`;
    let child: ChildProcess;
    let ok = 0;
    let exited: string | undefined;
    let stderr = '';

    beforeAll(() => {
      child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/busy-pool.ts', import.meta.url)), url, application], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        const last = /ok (\d+)\s*$/.exec(chunk.toString());
        if (last) ok = Number(last[1]);
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('exit', (code, signal) => {
        exited = `exited with ${code ?? signal}: ${stderr.slice(-2000)}`;
      });
    });

    afterAll(() => {
      if (!exited) child.kill();
    });

    it('survives pg_terminate_backend of its connections mid-transaction and keeps working', async () => {
      await eventually('the process at work', () => (ok >= 10 ? true : undefined));
      // Only this test's backends: the server is shared.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        for (let round = 0; round < 3; round++) {
          const before = ok;
          const { rows } = await admin.query<{ n: number }>(
            `select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1) t`,
            [application],
          );
          expect(rows[0]!.n).toBeGreaterThan(0);
          await eventually('work after the termination', () => {
            if (exited) throw new Error(exited);
            return ok > before + 5 ? true : undefined;
          });
        }
      } finally {
        await admin.end();
      }
      expect(exited).toBeUndefined();
      // Each new connection's SET is done before its first query: pg@9 refuses a query sent beside another.
      expect(stderr).not.toContain('DeprecationWarning');
    });
  });

  it('prunes inbox rows older than the retention, in batches, and keeps the recent ones', async () => {
    const pool = createPool(url, { max: 2 });
    try {
      await pool.query(`create schema prunetest;
        create table prunetest.inbox (consumer_group text not null, event_id text not null,
          processed_at timestamptz not null default now(), primary key (consumer_group, event_id))`);
      await pool.query(`insert into prunetest.inbox (consumer_group, event_id, processed_at)
        select 'g', 'old-' || n, now() - interval '8 days' from generate_series(1, 25) n
        union all select 'g', 'new-' || n, now() - interval '6 days' from generate_series(1, 5) n`);
      const deleted = await pruneInbox(pool, 'prunetest', { batchSize: 10 });
      expect(deleted).toBe(25);
      const { rows } = await pool.query<{ event_id: string }>('select event_id from prunetest.inbox order by event_id');
      expect(rows.map((r) => r.event_id)).toEqual(['new-1', 'new-2', 'new-3', 'new-4', 'new-5']);
    } finally {
      await pool.end();
    }
  });

  it('creates a missing database once when many starters race for it (two instances starting together)', async () => {
    // Name prefixed like test copies so the template's sweep drops it when this run is over.
    const name = `gridcase_t_${process.pid}_race${randomBytes(3).toString('hex')}`;
    const target = new URL(url);
    target.pathname = `/${name}`;
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => ensureDatabase(target.toString(), pg)));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
      expect(found.rowCount).toBe(1);
      await admin.query(`drop database "${name}"`);
    } finally {
      await admin.end();
    }
  });

  it('retires a connection after its lifetime, so a plan made while a table was empty is made again', async () => {
    const byDefault = createPool(url);
    expect(byDefault.options.maxLifetimeSeconds).toBe(CONNECTION_LIFETIME_SECONDS);
    await byDefault.end();
    // Generic plans always, as Postgres settles on for most statements after five runs.
    const generic = new URL(url);
    generic.searchParams.set('options', '-c plan_cache_mode=force_generic_plan');
    const pool = createPool(generic.toString(), { max: 1, maxLifetimeSeconds: 1 });
    const move: pg.QueryConfig = {
      name: 'plantest_move',
      text: 'update plantest.things t set v = u.v from unnest($1::text[], $2::int[]) u(id, v) where t.id = u.id',
      values: [['a'], [1]],
    };
    const planOfMove = async () => {
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain execute plantest_move('{a}', '{1}')`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    try {
      await pool.query('create schema plantest; create table plantest.things (id text primary key, v int)');
      // The plan the connection keeps for the statement, made on an empty table.
      await pool.query(move);
      const pid = (await pool.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await pool.query(`insert into plantest.things select 'id-' || n, n from generate_series(1, 20000) n`);
      expect(await planOfMove()).toMatch(/Seq Scan on things/);
      await eventually('a new connection', async () => {
        const { rows } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
        return rows[0]!.pid !== pid ? true : undefined;
      });
      await pool.query(move);
      expect(await planOfMove()).toMatch(/Index Scan using things_pkey/);
    } finally {
      await pool.query('drop schema if exists plantest cascade');
      await pool.end();
    }
  });

  it("warns at start when the server will let tables bloat: autovacuum off (as on CI's server), and not when it is on", async () => {
    const pool = createPool(url, { max: 1 });
    try {
      const { rows } = await pool.query<{ off: boolean }>(`select current_setting('autovacuum') = 'off' or current_setting('track_counts') = 'off' as off`);
      const warning = await serverWarning(pool);
      expect(warning !== undefined && / is off on this server: /.test(warning)).toBe(rows[0]!.off);
    } finally {
      await pool.end();
    }
  });
});
