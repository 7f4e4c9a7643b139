import { fileURLToPath } from 'node:url';
import { migrateSchema } from '@gridcase/db';
import type pg from 'pg';

export const SERVICES = ['intake', 'triage', 'assignment', 'escalation', 'desk'] as const;

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Applies every service's migrations to its own schema, one after another, under the migration lock. */
export async function migrateAll(pool: pg.Pool): Promise<void> {
  for (const service of SERVICES) {
    await migrateSchema(pool, service, `${root}services/${service}/src/db/migrations`);
  }
}
