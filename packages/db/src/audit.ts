import { and, asc, eq, gt, gte, lt, type SQL } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';
import type { AuditTable } from './tables.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/** Appends entries to the audit log, inside the caller's transaction when it has one. */
export async function writeAudit(db: Db | Tx, table: AuditTable, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(table).values(entries.map((e) => ({ ...e, before: e.before ?? null, after: e.after ?? null })));
}

/**
 * Makes a change and writes its audit entry in one transaction: a crash or a failed audit write keeps
 * neither, so no change is ever left without its entry. `entry` describes the change from what
 * `change` returned.
 */
export function auditedChange<T>(db: Db, table: AuditTable, actor: string, change: (tx: Tx) => Promise<T>, entry: (result: T) => Omit<AuditEntry, 'actor'> | null): Promise<T> {
  return db.transaction(async (tx) => {
    const result = await change(tx);
    // null: the change found its result already there (a repeat), so nothing was changed to audit.
    const made = entry(result);
    if (made) await writeAudit(tx, table, [{ actor, ...made }]);
    return result;
  });
}

export interface AuditQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  actor?: string | undefined;
  /** The last id of the previous page. */
  afterId?: number | undefined;
  limit: number;
}

/** Audit rows in time order (id order is insertion order), one page. */
export async function readAudit(db: Db, table: AuditTable, q: AuditQuery) {
  const where: SQL[] = [];
  if (q.from) where.push(gte(table.at, q.from));
  if (q.to) where.push(lt(table.at, q.to));
  if (q.actor) where.push(eq(table.actor, q.actor));
  if (q.afterId !== undefined) where.push(gt(table.id, q.afterId));
  return db
    .select()
    .from(table)
    .where(and(...where))
    .orderBy(asc(table.id))
    .limit(q.limit);
}
