import type { DeskCaseView, TimelineEntry } from '@gridcase/contracts';
import { eventName, type Lang, t, word } from './i18n.ts';
import { formatTime } from './time.ts';

/** Entries that change no command's chances: notes, refusals and the clocks' bookkeeping. */
const QUIET = new Set(['note-added', 'command-rejected', 'deadlines-set', 'deadline-warning', 'report-merged']);

/**
 * What an open form says when the case changed under it so that its command can no longer be issued
 * (someone else acknowledged it meanwhile): `签收已不能执行：已由 督导 签收（2026-11-30 20:01）`. It names
 * the newest entry since the form opened (after the entry `since`, its newest when opened) and who did
 * it where the event says; otherwise only that the case changed.
 */
export function staleFormText(lang: Lang, c: Pick<DeskCaseView, 'timeline'>, since: string | undefined, action: string): string {
  const at = since ? c.timeline.findIndex((e) => e.eventId === since) : -1;
  const after: TimelineEntry[] = c.timeline.slice(at + 1);
  const moved = after.filter((e) => !QUIET.has(eventName(e.type))).at(-1);
  if (!moved) return t(lang, 'form.stale', { a: action });
  const ev = word(lang, 'event', eventName(moved.type));
  const when = formatTime(moved.at ?? moved.time);
  const who = moved.actor ? (moved.actor.name ?? word(lang, 'actor', moved.actor.clientId)) : undefined;
  return who ? t(lang, 'form.staleBy', { a: action, who, ev, t: when }) : t(lang, 'form.staleEvent', { a: action, ev, t: when });
}
