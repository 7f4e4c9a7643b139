import { CalendarData, CalendarYear, CalendarYearBody, calendarIssues } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { ANY_ROLE, type App, HttpProblem, notFound, recordAudit } from '@gridcase/service-kit';
import { audit } from '../db/schema.ts';
import { z } from 'zod';
import { findCalendarYear, storeCalendarYear } from '../db/calendar.ts';

const Params = z.object({ year: CalendarYear });

export function calendarRoutes(app: App, db: Db) {
  app.get(
    '/v1/calendar/:year',
    {
      config: { roles: ANY_ROLE, scope: 'none' },
      schema: {
        summary: 'One year of the working-day calendar: holidays and weekend days that are worked (调休); 404 when the year has no data (it then counts as plain Monday–Friday)',
        params: Params,
        response: { 200: CalendarData },
      },
    },
    async (req) => {
      const year = await findCalendarYear(db, req.params.year);
      if (!year) throw notFound(`calendar year ${req.params.year}`);
      return year;
    },
  );

  app.put(
    '/v1/calendar/:year',
    {
      config: { roles: ['admin'], scope: 'none' },
      schema: {
        summary: 'Replace one year of the working-day calendar; published on gridcase.reference',
        params: Params,
        body: CalendarYearBody,
        response: { 200: CalendarData },
      },
    },
    async (req) => {
      const { year } = req.params;
      const issues = calendarIssues(year, req.body);
      if (issues.length) {
        const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
        throw new HttpProblem(400, 'Bad Request', `${issues.slice(0, 5).map((i) => i.message).join('; ')}${more}`, { errors: issues });
      }
      const source = req.body.source ?? `PUT /v1/calendar/${year}`;
      const before = await findCalendarYear(db, year);
      const stored = await storeCalendarYear(db, { year, holidays: req.body.holidays, workdays: req.body.workdays, source });
      await recordAudit(db, audit, req, { action: 'calendar.replaced', target: `calendar:${year}`, before: before ?? null, after: stored });
      return stored;
    },
  );
}
