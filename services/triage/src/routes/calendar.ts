import { CalendarData, CalendarReplacement, CalendarYear, CalendarYearBody } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { ANY_ROLE, type App, auditedChange, notFound } from '@gridcase/service-kit';
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
      if (!year) throw notFound('no calendar for this year');
      return year;
    },
  );

  app.put(
    '/v1/calendar/:year',
    {
      // The dates are judged by the year of the path, beside the year's and the body's own problems.
      config: { roles: ['admin'], scope: 'install', acrossParts: CalendarReplacement },
      schema: {
        summary: 'Replace one year of the working-day calendar; published on gridcase.reference',
        params: Params,
        body: CalendarYearBody,
        response: { 200: CalendarData },
      },
    },
    async (req) => {
      const { year } = req.params;
      const source = req.body.source ?? `PUT /v1/calendar/${year}`;
      const { stored } = await auditedChange(
        db,
        audit,
        req,
        async (tx) => ({ before: await findCalendarYear(tx, year), stored: await storeCalendarYear(tx, { year, holidays: req.body.holidays, workdays: req.body.workdays, source }) }),
        (change) => ({ action: 'calendar.replaced', target: `calendar:${year}`, before: change.before ?? null, after: change.stored }),
      );
      return stored;
    },
  );
}
