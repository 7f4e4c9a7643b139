import { CATEGORY_CATALOGUE_KEY, type CategoryCatalogue } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { eq, lt, sql } from 'drizzle-orm';
import type { CategoryHolder } from '../domain/categories.ts';
import { categoryCatalogue } from './schema.ts';

/** Stores a catalogue unless a newer one is already stored (records may be replayed); true when stored. */
export async function storeCatalogue(db: Db, catalogue: CategoryCatalogue): Promise<boolean> {
  const row = { key: CATEGORY_CATALOGUE_KEY, ...catalogue, updatedAt: new Date(catalogue.updatedAt) };
  const stored = await db
    .insert(categoryCatalogue)
    .values(row)
    .onConflictDoUpdate({ target: categoryCatalogue.key, set: row, setWhere: lt(categoryCatalogue.version, sql`excluded.version`) })
    .returning({ version: categoryCatalogue.version });
  return stored.length > 0;
}

/**
 * Brings the holder up to the stored catalogue. Asks only for the version (one row by key) and loads
 * the list when it changed, so every intake instance follows the row the consumer keeps.
 */
export async function refreshCatalogue(db: Db, holder: CategoryHolder): Promise<void> {
  const where = eq(categoryCatalogue.key, CATEGORY_CATALOGUE_KEY);
  const [head] = await db.select({ version: categoryCatalogue.version }).from(categoryCatalogue).where(where);
  if (!head || head.version <= holder.version) return;
  const [row] = await db.select().from(categoryCatalogue).where(where);
  if (row) holder.replace({ version: row.version, categories: row.categories, updatedAt: row.updatedAt.toISOString() });
}
