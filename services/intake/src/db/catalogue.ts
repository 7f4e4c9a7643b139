import { CATEGORY_CATALOGUE_KEY, type CategoryCatalogue } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type Clock, systemClock } from '@gridcase/service-kit';
import { eq, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { ChangeListener } from './change-notices.ts';
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

/**
 * Keeps a CategoryHolder in step with the stored catalogue without a query per report: it reloads
 * when a trigger NOTIFYs a change (migration 0009, heard by ChangeNotices) and when a body names a
 * code the holder lacks (a catalogue stored a moment ago must not refuse its new codes). While the
 * LISTEN connection is down, or 30 s after the last load, it reads the version before each body as before.
 */
export class CatalogueFollower implements ChangeListener {
  readonly #db: Db;
  readonly #holder: CategoryHolder;
  readonly #isListening: () => boolean;
  readonly #logger: Pick<Logger, 'warn'>;
  readonly #clock: Clock;
  #loadedAt = 0;

  constructor(db: Db, holder: CategoryHolder, options: { isListening: () => boolean; logger: Pick<Logger, 'warn'>; clock?: Clock }) {
    this.#db = db;
    this.#holder = holder;
    this.#isListening = options.isListening;
    this.#logger = options.logger;
    this.#clock = options.clock ?? systemClock;
  }

  onChange(payload: string): void {
    if (payload === 'catalogue') this.#refreshInBackground();
  }

  onReset(): void {
    this.#refreshInBackground();
  }

  /** Before a body is validated against the holder: current enough for the category it names. */
  async beforeValidation(category: unknown): Promise<void> {
    const unknownCode = typeof category === 'string' && !this.#holder.has(category);
    if (unknownCode || !this.#isListening() || this.#clock.now().getTime() - this.#loadedAt > 30_000) await this.refresh();
  }

  async refresh(): Promise<void> {
    const startedAt = this.#clock.now().getTime();
    await refreshCatalogue(this.#db, this.#holder);
    this.#loadedAt = startedAt;
  }

  #refreshInBackground(): void {
    this.refresh().catch((err: Error) => this.#logger.warn({ reason: err.message }, 'could not reload the category catalogue; the next report will'));
  }
}
