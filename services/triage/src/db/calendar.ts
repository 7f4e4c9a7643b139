import { calendarKey, PUBLISHED_CALENDARS, WorkingCalendar } from '@gridcase/calendar';
import { type CalendarData, makeMessage, TOPICS } from '@gridcase/contracts';
import { type Db, type Tx, writeOutbox } from '@gridcase/db';
import { eq, inArray, sql } from 'drizzle-orm';
import { calendarYears, outbox } from './schema.ts';

const SOURCE = '/gridcase/triage';

type Row = typeof calendarYears.$inferSelect;

export const calendarView = (row: Row): CalendarData => ({
  year: row.year,
  holidays: row.holidays,
  workdays: row.workdays,
  source: row.source,
  updatedAt: row.updatedAt.toISOString(),
});

/** Each stored year goes out on the compacted reference topic, keyed by year, with the row's change. */
async function publish(tx: Tx, rows: Row[]): Promise<void> {
  await writeOutbox(
    tx,
    outbox,
    'triage',
    rows.map((row) => {
      const key = calendarKey(row.year);
      return { topic: TOPICS.reference, key, message: makeMessage('gridcase.calendar.updated.v1', { source: SOURCE, subject: key, data: calendarView(row) }) };
    }),
  );
}

/** The calendar as stored now: read at each decision, so every instance sees a PUT at once. */
export async function loadCalendar(db: Db | Tx): Promise<WorkingCalendar> {
  return WorkingCalendar.of((await db.select().from(calendarYears)).map(calendarView));
}

export async function findCalendarYear(db: Db | Tx, year: number): Promise<CalendarData | undefined> {
  const [row] = await db.select().from(calendarYears).where(eq(calendarYears.year, year));
  return row && calendarView(row);
}

/** Which of `years` have no data. */
export async function missingCalendarYears(db: Db, years: number[]): Promise<number[]> {
  const rows = await db.select({ year: calendarYears.year }).from(calendarYears).where(inArray(calendarYears.year, years));
  const known = new Set(rows.map((r) => r.year));
  return years.filter((y) => !known.has(y));
}

/** Replaces a year and publishes it, in the caller's transaction. */
export async function storeCalendarYear(tx: Tx, data: Omit<CalendarData, 'updatedAt'>): Promise<CalendarData> {
  const values = { ...data, holidays: [...data.holidays].sort(), workdays: [...data.workdays].sort() };
  // clock_timestamp() is read once the row is locked, so a year's versions are stamped in commit order.
  const [row] = await tx
    .insert(calendarYears)
    .values({ ...values, updatedAt: sql`clock_timestamp()` })
    .onConflictDoUpdate({ target: calendarYears.year, set: { ...values, updatedAt: sql`clock_timestamp()` } })
    .returning();
  if (!row) throw new Error(`calendar year ${data.year} was not stored`);
  await publish(tx, [row]);
  return calendarView(row);
}

/** A fresh install knows the published years; only the years it stores here are published. */
export async function seedCalendar(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx
      .insert(calendarYears)
      .values(PUBLISHED_CALENDARS.map((y) => ({ year: y.year, holidays: [...y.holidays], workdays: [...y.workdays], source: y.source ?? 'State Council' })))
      .onConflictDoNothing()
      .returning();
    await publish(tx, rows);
  });
}
