import { shanghaiYear } from '@gridcase/calendar';
import type { Db } from '@gridcase/db';
import type { Clock } from '@gridcase/service-kit';
import { Counter, Gauge } from 'prom-client';
import { missingCalendarYears } from './db/calendar.ts';

let watched: { db: Db; clock: Clock } | undefined;

/** The years a deadline made now could reach: this one and the next, in Asia/Shanghai. */
export const yearsAhead = (clock: Clock): number[] => {
  const year = shanghaiYear(clock.now());
  return [year, year + 1];
};

/**
 * 1 for this year or the next when triage has no calendar for it (deadlines then count plain
 * Monday–Friday), else 0. Read from the database at each scrape, so every instance sees a PUT.
 */
export const calendarMissingYear = new Gauge({
  name: 'gridcase_calendar_missing_year',
  help: 'Whether the working-day calendar lacks this year (1) or has it (0), for the current and next year',
  labelNames: ['year'] as const,
  async collect() {
    if (!watched) return;
    const years = yearsAhead(watched.clock);
    // A failed read keeps the last values; /readyz reports the database.
    const missing = await missingCalendarYears(watched.db, years).catch(() => undefined);
    if (!missing) return;
    this.reset();
    for (const year of years) this.set({ year: String(year) }, missing.includes(year) ? 1 : 0);
  },
});

export function watchCalendarYears(db: Db, clock: Clock): void {
  watched = { db, clock };
}

/**
 * Cases triage opened, by the grade they got and what decided: `decided_by` the category (sender, rule,
 * learned, kind-hint, none), `graded_by` the grade (the grading rules, the learned model where it changed
 * theirs, or a relapse that raised it a step). Counted once the case is committed. A report merged into
 * an open case is not counted here: it opens none. Every label has a handful of values.
 */
export const reportsGraded = new Counter({
  name: 'gridcase_reports_graded_total',
  help: 'Cases opened by triage, by severity, by what decided the category (decided_by) and what set the grade (graded_by)',
  labelNames: ['severity', 'decided_by', 'graded_by'] as const,
});
