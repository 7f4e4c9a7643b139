import { type CategoryCatalogue, CATEGORY_CATALOGUE_KEY, makeMessage, RuleSet, TOPICS } from '@gridcase/contracts';
import { type Db, onePerDatabase, type Tx, writeOutbox } from '@gridcase/db';
import { desc, eq, sql } from 'drizzle-orm';
import { SEED_RULES } from '../domain/seed-rules.ts';
import { outbox, ruleSets } from './schema.ts';

const SOURCE = '/gridcase/triage';

/** One stored version of the rules. */
export interface StoredRuleSet {
  version: number;
  document: RuleSet;
  createdAt: string;
  createdBy: string;
  note?: string;
}

type Row = typeof ruleSets.$inferSelect;

const stored = (row: Row): StoredRuleSet => ({
  version: row.version,
  // Validated when it was written; parsing again fills the schema's defaults, should it gain any.
  document: RuleSet.parse(row.document),
  createdAt: row.createdAt.toISOString(),
  createdBy: row.createdBy,
  ...(row.note ? { note: row.note } : {}),
});

export const catalogueOf = (rules: StoredRuleSet): CategoryCatalogue => ({
  version: rules.version,
  categories: rules.document.categories,
  updatedAt: rules.createdAt,
});

/** The catalogue of each new version goes out on the compacted reference topic: intake keeps a copy. */
async function publishCatalogue(tx: Tx, rules: StoredRuleSet): Promise<void> {
  const message = makeMessage('gridcase.categories.updated.v1', { source: SOURCE, subject: CATEGORY_CATALOGUE_KEY, data: catalogueOf(rules) });
  await writeOutbox(tx, outbox, 'triage', [{ topic: TOPICS.reference, key: CATEGORY_CATALOGUE_KEY, message }]);
}

/** Versions are numbered n+1 under this lock, so two writers never pick the same number. */
const lockVersions = (tx: Tx) => tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('triage.rule_sets', 0))`);

async function insertVersion(tx: Tx, document: RuleSet, createdBy: string, note: string | undefined): Promise<StoredRuleSet> {
  const [row] = await tx
    .insert(ruleSets)
    .values({ version: sql`(select coalesce(max(version), 0) + 1 from ${ruleSets})`, document, createdBy, note })
    .returning();
  if (!row) throw new Error('rule set was not stored');
  const rules = stored(row);
  await publishCatalogue(tx, rules);
  return rules;
}

/** Stores `document` as the next version and publishes its catalogue, in the caller's transaction. */
export async function storeRuleSet(tx: Tx, document: RuleSet, by: { createdBy: string; note?: string | undefined }): Promise<StoredRuleSet> {
  await lockVersions(tx);
  return insertVersion(tx, document, by.createdBy, by.note);
}

/** A fresh install starts from the seed document as version 1; instances starting at once agree under the lock. */
export async function seedRuleSet(db: Db): Promise<StoredRuleSet | undefined> {
  return db.transaction(async (tx) => {
    await lockVersions(tx);
    const [any] = await tx.select({ version: ruleSets.version }).from(ruleSets).limit(1);
    if (any) return undefined;
    return insertVersion(tx, SEED_RULES, 'seed', 'seed rules of a fresh install');
  });
}

export async function findRuleSet(db: Db | Tx, version: number): Promise<StoredRuleSet | undefined> {
  const [row] = await db.select().from(ruleSets).where(eq(ruleSets.version, version));
  return row && stored(row);
}

async function latestRuleSet(db: Db | Tx): Promise<StoredRuleSet> {
  const [row] = await db.select().from(ruleSets).orderBy(desc(ruleSets.version)).limit(1);
  if (!row) throw new Error('no rule set stored: seedRuleSet runs at start');
  return stored(row);
}

/**
 * The current rules, cached per process and per database. Each read asks only for max(version) (an
 * index lookup) and loads the document when it changed, so every instance uses a new version from
 * its next report on, and a caller inside a transaction sees the version that transaction sees.
 */
export class RuleBook {
  #cached: StoredRuleSet | undefined;

  async current(db: Db | Tx): Promise<StoredRuleSet> {
    const [max] = await db.select({ version: sql<number | null>`max(${ruleSets.version})` }).from(ruleSets);
    if (this.#cached && this.#cached.version === max?.version) return this.#cached;
    const latest = await latestRuleSet(db);
    // A slower concurrent read must not replace a newer document with an older one.
    if (!this.#cached || latest.version >= this.#cached.version) this.#cached = latest;
    return latest;
  }

  /** Version `version`, from the cache when it is the one cached (the caller has just read the current version number). */
  async version(db: Db | Tx, version: number): Promise<StoredRuleSet> {
    if (this.#cached?.version === version) return this.#cached;
    const found = await findRuleSet(db, version);
    if (!found) throw new Error(`rule set version ${version} is not stored`);
    if (!this.#cached || found.version >= this.#cached.version) this.#cached = found;
    return found;
  }
}

/** The RuleBook of a database handle (one per service instance). */
export const ruleBook = onePerDatabase(() => new RuleBook());
