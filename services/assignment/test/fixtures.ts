import { PUBLISHED_CALENDARS, WorkingCalendar } from '@gridcase/calendar';
import type { DataOf } from '@gridcase/contracts';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import type { RoutingData } from '../src/domain/routing.ts';

/** Monday 2026-03-02, 09:00 Asia/Shanghai. */
export const T0 = new Date('2026-03-02T01:00:00Z');
export const minutes = (n: number, from = T0) => new Date(from.getTime() + n * 60_000);
export const calendar = WorkingCalendar.of(PUBLISHED_CALENDARS);
/** T0's Monday at 22:00 Asia/Shanghai: the demo's day-shift grid officers are off duty, its leads and desk on duty. */
export const NIGHT = minutes(13 * 60);

/** The demo station with its roster (shifts, leave, on call) as routing reads it from the database. */
export const DEMO_ROSTERED: RoutingData = {
  ...DEMO_STATION,
  duty: new Map((DEMO_STATION.rosters ?? []).map((r) => [r.officerId, { shifts: r.shifts, leave: r.leave, onCall: r.onCall }])),
};

type Opened = DataOf<'gridcase.case.opened.v1'>;

/** A yellow dispute in grid CG-01-01: respond in 2 h, resolve in 72 h, with a named reachable reporter. */
export const opened = (extra: Partial<Opened> = {}): Opened => ({
  caseId: 'case-1',
  caseNumber: 'CG-2026-000001',
  reportId: 'report-1',
  station: 'CG',
  kind: 'dispute',
  category: 'dispute.neighbour',
  severity: 'yellow',
  description: '邻居夫妻吵了一整夜',
  location: { gridCode: 'CG-01-01' },
  respondBy: minutes(120).toISOString(),
  resolveBy: minutes(72 * 60).toISOString(),
  rule: 'test',
  openedAt: T0.toISOString(),
  budgets: { respond: { minutes: 120 }, resolve: { workingDays: 5 } },
  reporter: { anonymous: false, hasContact: true },
  ...extra,
});
