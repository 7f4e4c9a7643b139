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

const SPAN_WORDS = {
  long: { less: 'time.lessMinute', min: 'time.min', hour: 'time.hour', day: 'time.day', sep: 'time.sep' },
  short: { less: 'time.lessMinuteShort', min: 'time.minShort', hour: 'time.hourShort', day: 'time.dayShort', sep: undefined },
} as const;

/**
 * A span as the desk reads it: the two largest units, whole (`2 小时 5 分钟`, `3 天 4 小时`, `25 分钟`);
 * `short` for the list's narrow column (`2小时5分`, `2h 5m`).
 */
export function formatSpan(lang: Lang, ms: number, short = false): string {
  const w = SPAN_WORDS[short ? 'short' : 'long'];
  const abs = Math.abs(ms);
  if (abs < MINUTE) return t(lang, w.less);
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const parts: string[] = [];
  if (days) parts.push(t(lang, w.day, { n: days }), ...(hours ? [t(lang, w.hour, { n: hours })] : []));
  else if (hours) parts.push(t(lang, w.hour, { n: hours }), ...(minutes ? [t(lang, w.min, { n: minutes })] : []));
  else parts.push(t(lang, w.min, { n: minutes }));
  // Short Chinese units run together (`2小时5分`); English keeps a space (`2h 5m`).
  return parts.join(w.sep ? t(lang, w.sep) : lang === 'zh' ? '' : ' ');
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

/**
 * `还剩 25 分钟` before the deadline, `已超时 5 分钟` after it (a deadline equal to now has not passed);
 * `short`: `剩25分` / `超5分` for the list.
 */
export function untilDeadline(lang: Lang, due: string, now: number, short = false): DeadlineText {
  const left = new Date(due).getTime() - now;
  if (left < 0) return { text: t(lang, short ? 'time.overShort' : 'time.over', { d: formatSpan(lang, -left, short) }), overdue: true, soon: false };
  return { text: t(lang, short ? 'time.leftShort' : 'time.left', { d: formatSpan(lang, left, short) }), overdue: false, soon: left <= DUE_SOON_MS };
}

/** `11-29 10:44` (Asia/Shanghai) for a narrow column; the year when it is not the year of `now`. */
export function formatTimeShort(iso: string | null | undefined, now: number): string {
  const full = formatTime(iso);
  if (full === '—') return full;
  return full.slice(0, 4) === formatTime(new Date(now).toISOString()).slice(0, 4) ? full.slice(5) : full;
}

/**
 * A duration in seconds (a mean or median time to acknowledge), rounded to the nearest unit shown, not
 * down (118.7 s is `1 分钟 59 秒`, not `1 分钟`): minutes and seconds under an hour, the nearest minute
 * under a day, the nearest hour beyond.
 */
export function formatSeconds(lang: Lang, seconds: number): string {
  const whole = Math.round(Math.abs(seconds));
  const sep = t(lang, 'time.sep');
  if (whole < 60) return t(lang, 'time.sec', { n: whole });
  if (whole < 3600) {
    const [m, s] = [Math.floor(whole / 60), whole % 60];
    return [t(lang, 'time.min', { n: m }), ...(s ? [t(lang, 'time.sec', { n: s })] : [])].join(sep);
  }
  const ms = whole * 1000;
  const unit = ms >= DAY ? HOUR : MINUTE;
  return formatSpan(lang, Math.round(ms / unit) * unit);
}
