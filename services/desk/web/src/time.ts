import { type Lang, t } from './i18n.ts';

/** The station's time zone: every time the page shows is Beijing time, whatever the browser's zone. */
export const STATION_ZONE = 'Asia/Shanghai';

const stationParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: STATION_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `2026-11-29 10:44` in Asia/Shanghai; `—` for no time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '—';
  const p = Object.fromEntries(stationParts.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span as the desk reads it: the two largest units, whole (`2 小时 5 分钟`, `3 天 4 小时`, `25 分钟`). */
export function formatSpan(lang: Lang, ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return t(lang, 'time.lessMinute');
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const parts: string[] = [];
  if (days) parts.push(t(lang, 'time.day', { n: days }), ...(hours ? [t(lang, 'time.hour', { n: hours })] : []));
  else if (hours) parts.push(t(lang, 'time.hour', { n: hours }), ...(minutes ? [t(lang, 'time.min', { n: minutes })] : []));
  else parts.push(t(lang, 'time.min', { n: minutes }));
  return parts.join(t(lang, 'time.sep'));
}

export interface DeadlineText {
  text: string;
  overdue: boolean;
  /** Due within DUE_SOON_MS: the desk should chase it (催办). */
  soon: boolean;
}

/** What the queues and lists call "due soon" (催办): a deadline within 30 minutes (GET /v1/cases?dueWithin=PT30M). */
export const DUE_SOON_MS = 30 * MINUTE;
export const DUE_SOON_PARAM = 'PT30M';

/** `还剩 25 分钟` before the deadline, `已超时 5 分钟` after it (a deadline equal to now has not passed). */
export function untilDeadline(lang: Lang, due: string, now: number): DeadlineText {
  const left = new Date(due).getTime() - now;
  if (left < 0) return { text: t(lang, 'time.over', { d: formatSpan(lang, -left) }), overdue: true, soon: false };
  return { text: t(lang, 'time.left', { d: formatSpan(lang, left) }), overdue: false, soon: left <= DUE_SOON_MS };
}

/** A duration in seconds (a median time to acknowledge), as a span. */
export const formatSeconds = (lang: Lang, seconds: number) => formatSpan(lang, seconds * 1000);
