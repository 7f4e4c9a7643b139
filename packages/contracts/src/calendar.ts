import { z } from 'zod';
import { CALENDAR_YEARS, Severity } from './common.ts';
import { fieldsCheck, withFieldsCheck } from './fields-check.ts';
import type { FieldIssue } from './http.ts';
import { text } from './text.ts';

// The working-day calendar and SLA budgets (CONTRACT.md, "Time: the working-day calendar").

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const isRealDate = (s: string): boolean => {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
};

/** A date of the Asia/Shanghai calendar, `YYYY-MM-DD`, that exists (no 2026-02-30). */
export const CalendarDate = z.string().regex(DATE, { message: 'must be a date YYYY-MM-DD', abort: true }).refine(isRealDate, 'is not a real date');

export const CalendarYear = z.coerce.number().int().min(CALENDAR_YEARS.first).max(CALENDAR_YEARS.last);

/**
 * The body of `PUT /v1/calendar/{year}` (admin): the whole year, replacing what was stored. It takes
 * the shape `GET` answers, so a year can be read, edited and sent back: `year`, when given, must be
 * the path's year (CalendarReplacement), and `updatedAt` is ignored (the server sets it).
 */
export const CalendarYearBody = z.strictObject({
  year: z.number().int().optional(),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
  /** Days off: every day of each holiday period. */
  holidays: z.array(CalendarDate).max(366),
  /** Weekend days that are working days (调休). */
  workdays: z.array(CalendarDate).max(366),
  /** Where the data comes from, e.g. the State Council notice. */
  source: text().min(1).max(500).optional(),
});
export type CalendarYearBody = z.infer<typeof CalendarYearBody>;

const weekend = (date: string): boolean => {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
};

/**
 * What makes a year's lists wrong, each naming the date (dates are not personal data): a date
 * outside the year, a date listed twice, a date in both lists, a weekday listed as a workday.
 * Entries that are not real dates are left to `CalendarDate` to name.
 */
export function calendarIssues(year: number, lists: { holidays: readonly string[]; workdays: readonly string[] }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const holidays = new Set(lists.holidays);
  for (const [field, dates] of [['holidays', lists.holidays], ['workdays', lists.workdays]] as const) {
    dates.forEach((date, i) => {
      if (!isRealDate(date)) return;
      const path = `${field}.${i}`;
      if (!date.startsWith(`${year}-`)) issues.push({ path, message: `${date} is not in ${year}` });
      if (dates.indexOf(date) !== i) issues.push({ path, message: `${date} is listed twice` });
      if (field === 'workdays' && holidays.has(date)) issues.push({ path, message: `${date} is in both holidays and workdays` });
      if (field === 'workdays' && !weekend(date)) {
        issues.push({ path, message: `${date} is a weekday; workdays lists only weekend days that are worked` });
      }
    });
  }
  return issues;
}

/** The strings of a list as sent, at their indices (anything else as ''), for calendarIssues to judge what it can. */
const datesAsSent = (list: unknown): string[] => (Array.isArray(list) ? list.map((d) => (typeof d === 'string' ? d : '')) : []);

/**
 * The check of `PUT /v1/calendar/{year}` across its parts (service-kit's config.acrossParts), named
 * beside the year's and the body's own problems, once the path's year parses: a body `year` other than
 * it, and calendarIssues over the dates that are real (a malformed date does not hide a date of another year).
 */
export const CalendarReplacement = fieldsCheck(z.object({ params: z.object({ year: CalendarYear }), body: z.unknown() }), ({ params, body }, ctx) => {
  const lists = body as { year?: unknown; holidays?: unknown; workdays?: unknown } | null | undefined;
  if (typeof lists?.year === 'number' && lists.year !== params.year) {
    ctx.addIssue({ code: 'custom', path: ['body', 'year'], message: `must be the year of the path, ${params.year}` });
  }
  for (const issue of calendarIssues(params.year, { holidays: datesAsSent(lists?.holidays), workdays: datesAsSent(lists?.workdays) })) {
    ctx.addIssue({ code: 'custom', path: ['body', ...issue.path.split('.')], message: issue.message });
  }
});

/** One year of the calendar: the answer of `GET /v1/calendar/{year}` and the data of `gridcase.calendar.updated.v1`. */
export const CalendarData = z
  .object({
    year: z.number().int().min(CALENDAR_YEARS.first).max(CALENDAR_YEARS.last),
    holidays: z.array(CalendarDate),
    workdays: z.array(CalendarDate),
    source: text().max(500),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .superRefine((data, ctx) => {
    for (const issue of calendarIssues(data.year, data)) ctx.addIssue({ code: 'custom', path: issue.path.split('.'), message: issue.message });
  });
export type CalendarData = z.infer<typeof CalendarData>;

/** Budgets: minutes of calendar time, or working days (due 18:00 Asia/Shanghai on the Nth working day). */
export const BudgetMinutes = z.number().int().positive().max(525_600);
export const BudgetWorkingDays = z.number().int().positive().max(60);

const PAIRS = [
  ['respondMinutes', 'respondWorkingDays'],
  ['resolveMinutes', 'resolveWorkingDays'],
] as const;

const budgetFields = {
  respondMinutes: BudgetMinutes.optional(),
  respondWorkingDays: BudgetWorkingDays.optional(),
  resolveMinutes: BudgetMinutes.optional(),
  resolveWorkingDays: BudgetWorkingDays.optional(),
};

type BudgetFields = { [K in keyof typeof budgetFields]?: unknown };

const exactlyOneOfEachPair = (body: BudgetFields, ctx: z.RefinementCtx): void => {
  for (const [minutes, workingDays] of PAIRS) {
    const given = [minutes, workingDays].filter((k) => body[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [minutes], message: `give exactly one of ${minutes} and ${workingDays}` });
    }
  }
};

/**
 * The body of `PUT /v1/sla-policies/{category}/{severity}`: exactly one of each pair. A budget sent with
 * the wrong type counts as given, so the pair is judged beside that problem. It takes the shape `GET`
 * shows a policy in, so a policy can be read, edited and sent back: `category` and `severity`, when
 * given, must be the path's (SlaPolicyReplacement).
 */
export const SlaPolicyBody = withFieldsCheck(
  z.strictObject({ category: text().optional(), severity: text().optional(), ...budgetFields }),
  // Whether each budget was sent at all, whatever its type.
  z.object({ respondMinutes: z.unknown().optional(), respondWorkingDays: z.unknown().optional(), resolveMinutes: z.unknown().optional(), resolveWorkingDays: z.unknown().optional() }),
  exactlyOneOfEachPair,
);
export type SlaPolicyBody = z.infer<typeof SlaPolicyBody>;

/** The check of `PUT /v1/sla-policies/{category}/{severity}` across its parts: a body's category and severity are the path's. */
export const SlaPolicyReplacement = fieldsCheck(
  z.object({ params: z.object({ category: z.string(), severity: z.string() }), body: z.unknown() }),
  ({ params, body }, ctx) => {
    const sent = body as { category?: unknown; severity?: unknown } | null | undefined;
    for (const part of ['category', 'severity'] as const) {
      if (sent?.[part] !== undefined && sent[part] !== params[part]) {
        ctx.addIssue({ code: 'custom', path: ['body', part], message: `must be the ${part} of the path, or left out` });
      }
    }
  },
);

/** The budgets as numbers, each optional: what a check comparing them reads (withFieldsCheck's view). */
export const SlaBudgets = z.object(budgetFields);

/** A policy as `GET /v1/sla-policies` shows it; category `*` applies to every category. */
export const SlaPolicyView = z
  .object({ category: text(), severity: Severity, ...budgetFields })
  .superRefine(exactlyOneOfEachPair);
export type SlaPolicyView = z.infer<typeof SlaPolicyView>;
