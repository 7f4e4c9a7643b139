import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';
import { createDb } from './client.ts';

/** One lock for every service's migrations, so concurrent starters never race. */
const MIGRATION_LOCK = 727_001;

/**
 * Applies a service's drizzle migrations to its own schema under an advisory lock.
 * The journal lives in the shared `drizzle` schema, one table per service.
 */
export async function migrateSchema(pool: pg.Pool, service: string, migrationsFolder: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(createDb(pool), {
        migrationsFolder,
        migrationsSchema: 'drizzle',
        migrationsTable: `migrations_${service}`,
      });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/** Creates the database named in `url` if it is missing (connecting to `postgres` to do it). */
export async function ensureDatabase(url: string, pgModule: typeof pg): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  // Bounded as the pool's connections are: a server that never answers fails this attempt (a starting
  // service tries again) rather than hang it for the kernel's TCP timeout.
  const client = new pgModule.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  // A server restart meanwhile fails the query in hand; it must not also crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } catch (err) {
    // Two starters may race to create it; the loser finds it there (42P04), or, when both passed
    // the check at once, loses on pg_database's unique index (23505).
    const code = (err as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw err;
  } finally {
    await client.end();
  }
}
