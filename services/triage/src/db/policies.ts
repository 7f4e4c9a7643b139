import { and, eq } from 'drizzle-orm';
import type { Severity } from '@gridcase/contracts';
import type { Db, Tx } from '@gridcase/db';
import { budgetColumns, DEFAULT_POLICIES, policyOf, type SlaPolicy } from '../domain/deadlines.ts';
import { slaPolicies } from './schema.ts';

/** Every stored policy, as the domain reads it. */
export async function loadPolicies(db: Db | Tx): Promise<SlaPolicy[]> {
  const rows = await db.select().from(slaPolicies).orderBy(slaPolicies.category, slaPolicies.severity);
  return rows.map((r) => policyOf(r.category, r.severity as Severity, r));
}

/** Creates or replaces one policy. */
export async function storePolicy(db: Db | Tx, policy: SlaPolicy): Promise<void> {
  const row = { category: policy.category, severity: policy.severity, ...budgetColumns(policy), updatedAt: new Date() };
  await db.insert(slaPolicies).values(row).onConflictDoUpdate({ target: [slaPolicies.category, slaPolicies.severity], set: row });
}

/** Removes one policy; what it was, or undefined when there was none. */
export async function removePolicy(db: Db | Tx, category: string, severity: Severity): Promise<SlaPolicy | undefined> {
  const [row] = await db
    .delete(slaPolicies)
    .where(and(eq(slaPolicies.category, category), eq(slaPolicies.severity, severity)))
    .returning();
  return row ? policyOf(row.category, row.severity as Severity, row) : undefined;
}

/** A fresh install gets the default budgets. */
export async function seedDefaultPolicies(db: Db): Promise<void> {
  await db
    .insert(slaPolicies)
    .values(DEFAULT_POLICIES.map((p) => ({ category: p.category, severity: p.severity, ...budgetColumns(p) })))
    .onConflictDoNothing();
}
