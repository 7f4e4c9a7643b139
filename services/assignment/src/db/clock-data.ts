import { WorkingCalendar } from '@gridcase/calendar';
import type { CalendarData } from '@gridcase/contracts';
import type { Db, Tx } from '@gridcase/db';
import { asc, sql } from 'drizzle-orm';
import { DEFAULT_LADDER, type LevelBudget } from '../domain/ladder.ts';
import { calendarYears, ladder } from './schema.ts';

/** The working-day calendar from the years triage published; a year with no row is plain Monday–Friday. */
export async function loadCalendar(tx: Tx | Db): Promise<WorkingCalendar> {
  const rows = await tx.select({ data: calendarYears.data }).from(calendarYears);
  return WorkingCalendar.of(rows.map((r) => r.data));
}

/**
 * Keeps a published year unless a newer version of it is already stored (the compacted topic is read
 * from the beginning, so an old record may come after a newer one). Returns whether it was stored.
 */
export async function storeCalendarYear(db: Db, data: CalendarData): Promise<boolean> {
  const updatedAt = new Date(data.updatedAt);
  const rows = await db
    .insert(calendarYears)
    .values({ year: data.year, data, updatedAt })
    .onConflictDoUpdate({ target: calendarYears.year, set: { data, updatedAt }, setWhere: sql`${calendarYears.updatedAt} <= ${updatedAt}` })
    .returning({ year: calendarYears.year });
  return rows.length === 1;
}

export async function loadLadder(tx: Tx | Db): Promise<LevelBudget[]> {
  return tx.select({ level: ladder.level, respondMinutes: ladder.respondMinutes, resolveMinutes: ladder.resolveMinutes }).from(ladder).orderBy(asc(ladder.level));
}

/** Sets one level's budgets; returns what the level was before (undefined for a level never set). */
export async function storeLadderLevel(tx: Tx, level: LevelBudget & { updatedAt: Date }): Promise<LevelBudget | undefined> {
  const before = (await loadLadder(tx)).find((r) => r.level === level.level);
  await tx.insert(ladder).values(level).onConflictDoUpdate({ target: ladder.level, set: level });
  return before;
}

/** A fresh install gets the default ladder; levels an operator changed stay as they are. */
export async function seedDefaultLadder(db: Db): Promise<void> {
  await db.insert(ladder).values([...DEFAULT_LADDER]).onConflictDoNothing();
}
