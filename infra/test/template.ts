import { createPool } from '@gridcase/db';
import pg from 'pg';
import { migrateAll } from '../scripts/migrate-all.ts';


export const withDatabase = (url: string, name: string): string => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs `fn` on a connection to the server's `postgres` database (to create or drop others). */
export async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Migrates every service's schema once into a template database; each test file then gets its
 * own copy in milliseconds with CREATE DATABASE … TEMPLATE (immich's approach).
 */
export async function createTemplateDatabase(url: string): Promise<string> {
  const name = `gridcase_template_${process.pid}`;
  await admin(url, async (c) => {
    // Templates left by runs that died.
    const stale = await c.query<{ datname: string }>(
      "select datname from pg_database where datname like 'gridcase_template_%' or datname like 'gridcase_t_%'",
    );
    for (const { datname } of stale.rows) {
      const owner = Number(/_(\d+)(?:_|$)/.exec(datname)?.[1]);
      if (owner && isAlive(owner)) continue;
      await c.query(`drop database if exists "${datname}" with (force)`);
    }
    await c.query(`create database "${name}"`);
  });
  const pool = createPool(withDatabase(url, name), { max: 2 });
  try {
    await migrateAll(pool);
  } finally {
    await pool.end();
  }
  return name;
}

/** A fresh database copied from the template; returns its URL. */
export async function copyTemplate(url: string, template: string): Promise<string> {
  const owner = template.replace('gridcase_template_', '');
  const name = `gridcase_t_${owner}_${Math.random().toString(36).slice(2, 8)}`;
  await admin(url, (c) => c.query(`create database "${name}" template "${template}"`));
  return withDatabase(url, name);
}
