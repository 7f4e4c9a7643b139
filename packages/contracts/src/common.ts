import { z } from 'zod';
import { withFieldsCheck } from './fields-check.ts';
import { namesSomething, text } from './text.ts';

/** What an Instant must be, said in the sender's terms rather than zod's "Invalid ISO datetime". */
// RFC 3339 §5.6 lets a specification require the T and Z in capitals, as this one does: say so, as
// 2026-12-02t10:00:00z is RFC 3339 all the same (audit18 #2).
export const INSTANT_EXPECTED = 'must be an RFC 3339 date-time with an offset and a capital T and Z, e.g. 2026-12-01T08:00:00+08:00';

/** RFC 3339 instant with an explicit offset (`Z` or `+08:00`). A missing one stays "required" (readableMessage). */
export const Instant = z.iso.datetime({
  offset: true,
  error: (issue) => (issue.code === 'invalid_format' || (issue.code === 'invalid_type' && issue.input !== undefined) ? INSTANT_EXPECTED : undefined),
});

/** The years the working calendar covers (`PUT /v1/calendar/{year}`), as Asia/Shanghai years. */
export const CALENDAR_YEARS = { first: 2000, last: 2100 } as const;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60_000;
const calendarStart = Date.UTC(CALENDAR_YEARS.first, 0, 1) - SHANGHAI_OFFSET_MS;
const calendarEnd = Date.UTC(CALENDAR_YEARS.last + 1, 0, 1) - SHANGHAI_OFFSET_MS;

/**
 * An Instant that deadlines are counted from or against: inside the calendar's years, so working days
 * can be counted and the answer stays a 4-digit RFC 3339 year. Events keep plain Instant (replay).
 */
export const CalendarInstant = Instant.refine(inCalendarYears, {
  message: `must be in the years ${CALENDAR_YEARS.first}–${CALENDAR_YEARS.last} (Asia/Shanghai), the years the working calendar covers`,
});

/** Whether an instant falls in the calendar's years (Asia/Shanghai); one that is no instant at all is Instant's to name, once. */
function inCalendarYears(at: string): boolean {
  const ms = Date.parse(at);
  return Number.isNaN(ms) || (ms >= calendarStart && ms < calendarEnd);
}

/** The instants both an RFC 3339 four-digit year (in UTC) and Postgres hold: 0001-01-01 to 9999-12-31, UTC. */
const REPRESENTABLE = { first: Date.parse('0001-01-01T00:00:00.000Z'), last: Date.parse('9999-12-31T23:59:59.999Z') } as const;

/**
 * An Instant in a query (a range's from/to, dueBefore, Open311's start_date/end_date). Any instant is
 * taken, as the contract has it; one whose UTC form leaves the four-digit years (0001-01-01T00:00+08:00
 * is year 0 in UTC, 9999-12-31T23:00-05:00 year 10000) is moved to the nearest one a query can hold,
 * which selects the same rows, rather than failing in Postgres.
 */
export const QueryInstant = Instant.transform((at) => {
  const ms = Date.parse(at);
  return ms === queryable(ms) ? at : new Date(queryable(ms)).toISOString();
});

/** An instant, in milliseconds, moved to the nearest one a query can hold. */
export const queryable = (ms: number): number => Math.min(Math.max(ms, REPRESENTABLE.first), REPRESENTABLE.last);

/** `now + window`, kept inside the instants a query can hold: a window of any length is a question with an answer. */
export function instantAfter(now: Date, windowMs: number): Date {
  return new Date(queryable(now.getTime() + windowMs));
}

/**
 * An Instant no earlier than the calendar's first year (2000-01-01 Asia/Shanghai): when something
 * happened. Earlier values are a sender's default dates (0001-01-01, 1900-01-01, 1970-01-01), not events
 * a station is asked to act on; the future is judged against the receipt (occurredAtProblem).
 */
export const SinceCalendarStart = Instant.refine(
  (at) => {
    const ms = Date.parse(at);
    return Number.isNaN(ms) || ms >= calendarStart;
  },
  { message: `is before ${CALENDAR_YEARS.first}-01-01 (Asia/Shanghai): a default date, not when something happened; leave occurredAt out when it is not known` },
);

export const Kind = z.enum(['dispute', 'hazard', 'service', 'tip']);
export type Kind = z.infer<typeof Kind>;

export const Severity = z.enum(['red', 'orange', 'yellow', 'service', 'statutory']);
export type Severity = z.infer<typeof Severity>;

export const Outcome = z.enum(['mediated', 'resolved', 'referred', 'unfounded', 'duplicate']);
export type Outcome = z.infer<typeof Outcome>;

export const VerifyResult = z.enum(['passed', 'failed']);
export type VerifyResult = z.infer<typeof VerifyResult>;

export const Satisfaction = z.enum(['satisfied', 'basically-satisfied', 'unsatisfied', 'unreachable']);
export type Satisfaction = z.infer<typeof Satisfaction>;

/** The clocks a case can have running: acknowledge, resolve, verify (核查), follow-up (回访). */
export const DeadlineKind = z.enum(['respond', 'resolve', 'verify', 'follow-up']);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

/** A time budget: calendar minutes, or working days (18:00 Asia/Shanghai on the Nth working day). */
export const Budget = z.union([
  z.strictObject({ minutes: z.number().int().min(1).max(525_600) }),
  z.strictObject({ workingDays: z.number().int().min(1).max(60) }),
]);
export type Budget = z.infer<typeof Budget>;

/**
 * The life of a case (CONTRACT.md "The life of a case"): open → acknowledged → resolved (awaiting
 * verification, 核查) → follow-up (awaiting the call to the reporter, 回访) → closed; on-hold (挂账)
 * from any active status, back to it on resume.
 */
export const CaseStatus = z.enum(['open', 'acknowledged', 'resolved', 'follow-up', 'closed', 'on-hold']);
export type CaseStatus = z.infer<typeof CaseStatus>;

/** The ladder of people who own a case, lowest first. */
export const OfficerRole = z.enum(['gridWorker', 'officer', 'lead', 'deskLeader', 'deputyChief', 'chief']);
export type OfficerRole = z.infer<typeof OfficerRole>;

export const Assignee = z.object({
  officerId: text(),
  role: OfficerRole,
  name: text().optional(),
});
export type Assignee = z.infer<typeof Assignee>;

/**
 * Roles of API clients (people and systems holding tokens). `community` is for grid workers and
 * community staff: their own community grids only, without reporters' personal data or tip details.
 */
export const ClientRole = z.enum(['reporter', 'desk', 'officer', 'supervisor', 'admin', 'community']);
export type ClientRole = z.infer<typeof ClientRole>;

const LocationFields = z.object({
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  gridCode: text().min(1).max(64).optional(),
  communityCode: text().min(1).max(64).optional(),
  address: text().min(1).max(500).optional(),
});

/** What a location without a place is told; other front doors (Open311) say it in their own fields' names. */
const LOCATION_PLACES = 'lat+lng, gridCode, communityCode, address';
export const LOCATION_NEEDED = `location needs at least one of: ${LOCATION_PLACES}`;
export const LAT_LNG_TOGETHER = 'lat and lng must be given together';
/**
 * Why a sender's lat 0, lng 0 ("Null Island", in the Gulf of Guinea) as its only place is refused: it is
 * what a sending system writes when its GPS gave nothing, so it places the report nowhere (audit17 #2).
 * Beside a grid, community or address it is taken (a WGS 84 point, as the contract has it); triage
 * compares no such point as a place.
 */
export const GPS_DEFAULT = 'lat 0, lng 0 is a GPS default, not a place; leave lat and lng out when not known';
/** Why a text field of a location does not count as one (its issue ends naming LOCATION_NEEDED's fields). */
export const SAYS_NOTHING = 'says nothing (no letter or digit: only white space, punctuation, symbols or invisible characters)';

/** The location fields a sender writes as text. */
const TEXT_PLACES = ['gridCode', 'communityCode', 'address'] as const;

/**
 * Where a report is: a point, a grid, a community or an address. The pair check runs whenever lat and
 * lng parse, beside a problem with the other fields; "at least one" when all of them parse (a field
 * sent wrong was meant to be given, so it is named alone). With `asSent` (a sender's body), a
 * text field of white space, punctuation or invisible characters only (`"   "`, `"."`) does not count as
 * one: when it was all the location gave, each such field is named (audit11 #4); and lat 0, lng 0 as
 * the only place is refused, named `location` (GPS_DEFAULT). Events keep the looser reading, so one published before
 * this stays readable on replay.
 */
const locationOf = <F extends typeof LocationFields>(fields: F, { asSent }: { asSent: boolean }) =>
  withFieldsCheck(
    withFieldsCheck(
      withFieldsCheck(fields, ['lat', 'lng'], (loc, ctx) => {
        if ((loc.lat === undefined) !== (loc.lng === undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: [loc.lat === undefined ? 'lat' : 'lng'],
            message: LAT_LNG_TOGETHER,
          });
        }
      }),
      // What places the report, in a plain object: an unknown key beside them does not stop the check.
      z.object(LocationFields.pick({ lat: true, lng: true, gridCode: true, communityCode: true, address: true }).shape),
      (loc, ctx) => {
        const placedOtherwise = TEXT_PLACES.some((key) => namesSomething(loc[key] ?? ''));
        if (asSent && loc.lat === 0 && loc.lng === 0 && !placedOtherwise) ctx.addIssue({ code: 'custom', path: [], message: GPS_DEFAULT });
      },
    ),
    LocationFields,
    (loc, ctx) => {
      const hasPoint = loc.lat !== undefined && loc.lng !== undefined;
      const says = (value: string | undefined) => Boolean(value) && (!asSent || namesSomething(value ?? ''));
      if (hasPoint || TEXT_PLACES.some((key) => says(loc[key]))) return;
      const blank = TEXT_PLACES.filter((key) => loc[key] !== undefined);
      for (const key of blank) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${SAYS_NOTHING}, so it gives no location: location needs at least one of ${LOCATION_PLACES} that does`,
        });
      }
      if (blank.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: LOCATION_NEEDED,
        });
      }
    },
  );

/** A location as events and answers carry it: read loosely, so a field added later does not stop an older reader. */
export const Location = locationOf(LocationFields, { asSent: false });
/**
 * A location as a sender sends it (a report's body, an inbound record): a key it does not know is refused, named
 * `location.<key>`, a text field that says nothing does not count as the location it needs, and lat 0, lng 0
 * is refused (GPS_DEFAULT).
 */
export const ReportLocation = locationOf(LocationFields.strict(), { asSent: true });
export type Location = z.infer<typeof Location>;
