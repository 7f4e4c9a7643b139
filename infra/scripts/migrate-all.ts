import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrateSchema } from '@gridcase/db';
import type pg from 'pg';

export const SERVICES = ['intake', 'triage', 'assignment', 'escalation', 'desk'] as const;

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Applies every service's migrations to its own schema, one after another, under the migration lock. */
export async function migrateAll(pool: pg.Pool): Promise<void> {
  for (const service of SERVICES) {
    const folder = `${root}services/${service}/src/db/migrations`;
    // A service with no migrations yet has no schema to make.
    if (!existsSync(`${folder}/meta/_journal.json`)) continue;
    await migrateSchema(pool, service, folder);
  }
}
