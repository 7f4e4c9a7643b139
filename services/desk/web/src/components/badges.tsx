import type { DeskCaseSummary } from '@gridcase/contracts';
import { useDesk } from '../context.ts';
import { dueClass, isOverdue, nextDeadline } from '../deadline.ts';
import { t, word } from '../i18n.ts';
import { formatTime, untilDeadline } from '../time.ts';

/** 红 / 橙 / 黄 on their colour. */
export function Grade({ severity }: { severity: string | null }) {
  const { lang } = useDesk();
  return <span class={`grade grade-${severity ?? 'none'}`}>{word(lang, 'severity', severity)}</span>;
}

export function Status({ status }: { status: string }) {
  const { lang } = useDesk();
  return <span class={`status status-${status}`}>{word(lang, 'status', status)}</span>;
}

/**
 * The list's next deadline on one line: `签收 剩25分`, red once passed or while the case is overdue, amber
 * when due soon (催办), behind an `已超时` badge when the case is overdue (its clock passed, or it missed
 * one and the next level's fresh clock runs). The full time and span are its title.
 */
export function Deadline({ c }: { c: DeskCaseSummary }) {
  const { lang, now } = useDesk();
  const next = nextDeadline(c);
  const badge = isOverdue(c, now) ? (
    <span class="badge overdue" data-testid="overdue">
      {t(lang, 'case.overdue')}
    </span>
  ) : null;
  if (!next) return badge ?? <span class="muted">—</span>;
  const rel = untilDeadline(lang, next.due, now, true);
  const kind = word(lang, 'deadline', next.kind);
  return (
    <span class="due-cell" title={`${kind} ${formatTime(next.due)} · ${untilDeadline(lang, next.due, now).text}`}>
      {badge}
      <span class={dueClass(rel, c.overdue)}>
        {kind} {rel.text}
      </span>
    </span>
  );
}

/** A deadline field in the case view: the time and, while its clock runs, how long is left. */
export function When({ at, running }: { at: string | null | undefined; running?: boolean }) {
  const { lang, now } = useDesk();
  if (!at) return <span class="muted">—</span>;
  const rel = running ? untilDeadline(lang, at, now) : undefined;
  return (
    <span>
      {formatTime(at)}
      {rel ? <span class={dueClass(rel)}> · {rel.text}</span> : null}
    </span>
  );
}
