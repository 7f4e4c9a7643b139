// The one migration step (compose's `migrate` job; services also migrate their own schema at start).
import { createPool, ensureDatabase } from '@gridcase/db';
import pg from 'pg';
import { migrateAll } from './migrate-all.ts';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gridcase';
await ensureDatabase(url, pg);
const pool = createPool(url, { max: 2, application: 'gridcase-migrate' });
try {
  await migrateAll(pool);
  console.warn('migrations applied');
} finally {
  await pool.end();
}
