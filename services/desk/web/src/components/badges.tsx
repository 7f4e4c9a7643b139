import type { DeskCaseSummary } from '@gridcase/contracts';
import { useDesk } from '../context.ts';
import { dueClass, nextDeadline } from '../deadline.ts';
import { word } from '../i18n.ts';
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

/** The next deadline: `签收 · 还剩 25 分钟`, red once passed or while the case is overdue, amber when due soon (催办). */
export function Deadline({ c }: { c: DeskCaseSummary }) {
  const { lang, now } = useDesk();
  const next = nextDeadline(c);
  if (!next) return <span class="muted">—</span>;
  const rel = untilDeadline(lang, next.due, now);
  return (
    <span class={dueClass(rel, c.overdue)} title={formatTime(next.due)}>
      {word(lang, 'deadline', next.kind)} · {rel.text}
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
