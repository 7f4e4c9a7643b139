import type { CaseReporters, DeskCaseView, Officer, TimelineEntry } from '@gridcase/contracts';
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { categoryName, type Desk, gridName, locationText, ownersText, policeGridName, useDesk } from '../context.ts';
import { codes, eventName, type Lang, t, word } from '../i18n.ts';
import { type Loaded, useLoad } from '../load.ts';
import { dutyKey, rosterFor } from '../roster.ts';
import { bodyOf, type Fields, FORM, MULTILINE, reassignBody } from '../forms.ts';
import { routingReasonZh, unroutableText } from '../reasons.ts';
import { refusalText } from '../refusals.ts';
import { reporterLines } from '../reporter.ts';
import { staleFormText } from '../stale.ts';
import { COMMAND_KEYS, COMMAND_PATHS, offers, type PageCommand } from '../rules.ts';
import { formatTime } from '../time.ts';
import { Grade, Status, When } from './badges.tsx';
import { Loading, Problem } from './states.tsx';

interface Props {
  caseId: string;
  loaded: Loaded<DeskCaseView>;
  form: PageCommand | null;
  setForm(form: PageCommand | null): void;
  onClose(): void;
  /** A command took effect (or was sent): reload what shows the case. */
  onChanged(): void;
}

/** A command's name in the page's language (the i18n keys `action.<command>`). */
const wordOf = (lang: Lang, command: PageCommand) => t(lang, `action.${command}`);
/** The form fields a refusal may name. */
const FIELD_SET = { note: 1, reason: 1, until: 1, outcome: 1, result: 1, satisfaction: 1 } as const;

/** The station's local time for a datetime-local input (`2026-11-29T10:44`). */
const inputTime = (iso: string) => formatTime(iso).replace(' ', 'T');

/** The label of a form field, in a language. */
const fieldLabel = (lang: Lang, command: PageCommand, k: keyof Fields) =>
  t(
    lang,
    (
      {
        note: 'form.note',
        reason: 'form.reason',
        until: command === 'hold' ? 'form.holdUntil' : 'form.until',
        outcome: 'form.outcome',
        result: 'form.result',
        satisfaction: 'form.satisfaction',
      } as const
    )[k],
  );

/**
 * Sends a command with ?wait=true and says how it went, on the status line (in whichever language the
 * page is in when it is read) and in the form (its refusal, naming the fields by `fieldWord`).
 */
function useSend(command: PageCommand, c: DeskCaseView, onDone: () => void, fieldWord: (lang: Lang, path: string) => string | undefined) {
  const { token, say, lang } = useDesk();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | string | undefined>();
  // The server explains in English; the page says it in the desk's language, naming the form's own fields
  // and giving the server's reason for each (translated where the page knows it).
  const words = (l: Lang, f: ApiError | string) => (typeof f === 'string' ? f : refusalText(l, f, fieldWord));
  const send = async (body: Record<string, unknown>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      const res = await api<unknown>(token, `/v1/cases/${encodeURIComponent(c.caseId)}/${COMMAND_PATHS[command]}?wait=true`, { method: 'POST', body });
      say((l) => t(l, res.status === 200 ? 'action.done' : 'action.sent', { a: wordOf(l, command) }), 'ok');
      onDone();
    } catch (err) {
      const f = err instanceof ApiError ? err : String(err);
      setFailure(f);
      say((l) => t(l, 'action.failed', { a: wordOf(l, command), e: words(l, f) }), 'error');
    } finally {
      setBusy(false);
    }
  };
  return {
    busy,
    error: failure === undefined ? undefined : words(lang, failure),
    // The server's own account (problem+json detail, or the fields it named), shown on hover.
    detail: failure instanceof ApiError ? failure.message : undefined,
    setError: (text: string | undefined) => setFailure(text),
    send,
  };
}

/**
 * The form's end: the refusal, if any, and send / cancel. `stale`: the case changed under the form so
 * that its command cannot be issued now (what happened, in words); the form keeps what was typed, sends
 * nothing and offers to close.
 */
function FormEnd({
  label,
  busy,
  error,
  detail,
  stale,
  onCancel,
}: { label: string; busy: boolean; error: string | undefined; detail: string | undefined; stale: string | undefined; onCancel(): void }) {
  const { tr } = useDesk();
  return (
    <>
      {stale ? (
        <p class="problem stale" role="alert" data-testid="form-stale">
          {stale}
        </p>
      ) : error ? (
        <p class="problem" role="alert" title={detail} data-testid="form-refusal">
          {error}
        </p>
      ) : null}
      <div class="buttons">
        {stale ? null : (
          <button type="submit" disabled={busy} data-testid="command-submit">
            {busy ? tr('action.sending') : `${tr('action.send')} · ${label}`}
          </button>
        )}
        <button type="button" class="secondary" onClick={onCancel} disabled={busy} data-testid="command-cancel">
          {stale ? tr('form.close') : tr('action.cancel')}
        </button>
      </div>
    </>
  );
}

/**
 * What a form says when its command has become impossible (someone else acted on the case), or undefined
 * while it is possible or being sent (then the answer says how it went). `since`: the case's newest entry
 * when the form opened.
 */
function useStale(possible: boolean, busy: boolean, c: DeskCaseView, command: PageCommand): string | undefined {
  const { lang } = useDesk();
  const [since] = useState(() => c.timeline.at(-1)?.eventId);
  return possible || busy ? undefined : staleFormText(lang, c, since, wordOf(lang, command));
}

/** The props of a command's form. `possible`: the case as it is now still allows the command. */
interface FormProps {
  command: PageCommand;
  c: DeskCaseView;
  possible: boolean;
  onDone(): void;
  onCancel(): void;
}

/** Ctrl+Enter (⌘+Enter) in a multi-line field sends the form; Enter alone starts a new line. */
const submitsOnCtrlEnter = (e: KeyboardEvent) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) (e.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
};

/** Esc in a form cancels it (and does not close the case). */
const escCancels = (onCancel: () => void) => (e: KeyboardEvent) => {
  if (e.key !== 'Escape') return;
  e.stopPropagation();
  onCancel();
};

function CommandForm({ command, c, possible, onDone, onCancel }: FormProps) {
  const desk = useDesk();
  const { tr, lang } = desk;
  const label = wordOf(lang, command);
  const dayAfter = c.resolveBy ? inputTime(new Date(Date.parse(c.resolveBy) + 24 * 3600_000).toISOString()) : '';
  const [f, setF] = useState<Fields>({
    note: '',
    reason: '',
    until: command === 'extension' ? dayAfter : '',
    outcome: '',
    result: '',
    satisfaction: '',
  });
  const { busy, error, detail, setError, send } = useSend(command, c, onDone, (l, path) => (path in FIELD_SET ? fieldLabel(l, command, path as keyof Fields) : undefined));
  const stale = useStale(possible, busy, c, command);
  const first = useRef<HTMLFormElement>(null);
  useEffect(() => {
    first.current?.querySelector<HTMLElement>('input,select,textarea')?.focus();
  }, [command]);
  const spec = FORM[command];
  const submit = async (e: Event) => {
    e.preventDefault();
    if (stale) return;
    const missing = spec.required.find((k) => !f[k].trim());
    if (missing) {
      setError(tr('form.required', { f: fieldLabel(lang, command, missing) }));
      return;
    }
    await send(bodyOf(command, f));
  };
  const input = (k: keyof Fields) => {
    const id = `form-${command}-${k}`;
    const set = (value: string) => setF({ ...f, [k]: value });
    const onChange = (e: Event) => set((e.currentTarget as HTMLInputElement).value);
    const choices = k === 'outcome' ? codes('outcome') : k === 'result' ? codes('verifyResult') : k === 'satisfaction' ? codes('satisfaction') : undefined;
    const set_ = k === 'outcome' ? 'outcome' : k === 'result' ? 'verifyResult' : 'satisfaction';
    return (
      <label key={k} for={id}>
        <span>
          {fieldLabel(lang, command, k)}
          {spec.required.includes(k) ? ' *' : ''}
        </span>
        {choices ? (
          <select id={id} name={k} value={f[k]} onChange={onChange} aria-required={spec.required.includes(k)}>
            {/* Nothing chosen until the person chooses (outcome, result and satisfaction are required). */}
            {f[k] === '' ? (
              <option value="" disabled>
                {tr('form.choose')}
              </option>
            ) : null}
            {choices.map((code) => (
              <option key={code} value={code}>
                {k === 'result' ? (code === 'passed' ? tr('form.passed') : tr('form.failed')) : word(lang, set_, code)}
              </option>
            ))}
          </select>
        ) : k === 'until' ? (
          <input id={id} name={k} type="datetime-local" value={f[k]} onInput={onChange} />
        ) : MULTILINE.has(k) ? (
          <textarea id={id} name={k} rows={3} value={f[k]} onInput={onChange} onKeyDown={submitsOnCtrlEnter} maxLength={4000} />
        ) : (
          <input id={id} name={k} type="text" value={f[k]} onInput={onChange} maxLength={k === 'reason' ? 1000 : 4000} autocomplete="off" />
        )}
      </label>
    );
  };
  return (
    <form class="command-form" ref={first} onSubmit={submit} data-command={command} onKeyDown={escCancels(onCancel)}>
      <h4>{label}</h4>
      {spec.fields.map(input)}
      <FormEnd label={label} busy={busy} error={error} detail={detail} stale={stale} onCancel={onCancel} />
    </form>
  );
}

/** A person of the roster in words: `王彦军 · 警格员 · CG-01`, and 不在岗 when off duty or 休假 on leave. */
const personText = (desk: Desk, o: Officer & { duty?: string }) => {
  const duty = dutyKey(o);
  return [o.name, word(desk.lang, 'officerRole', o.role), o.gridCode ? gridName(desk, o.gridCode) : o.policeGridCode ? `${o.policeGridCode} ${policeGridName(desk, o.policeGridCode)}` : t(desk.lang, 'form.stationWide')]
    .concat(duty ? [t(desk.lang, duty)] : [])
    .join(' · ');
};

/**
 * 改派: one or more people of the station's roster (GET /v1/officers, read when the form opens), the
 * case's own police grid, grid and the station's leaders listed first, anyone found by a search. The
 * case of record decides (a red case needs a police officer among them; a tip is not for grid workers):
 * a refusal names the people it concerns.
 */
function ReassignForm({ c, possible, onDone, onCancel }: FormProps) {
  const desk = useDesk();
  const { tr, lang, token } = desk;
  const label = wordOf(lang, 'reassign');
  const roster = useLoad((signal) => api<{ items: Officer[] }>(token, '/v1/officers', { signal }).then((r) => r.body.items), [token]);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const byId = new Map((roster.data ?? []).map((o) => [o.officerId, o]));
  const nameOf = (id: string) => byId.get(id)?.name ?? id;
  const { busy, error, detail, setError, send } = useSend('reassign', c, onDone, (l, path) => {
    const at = /^officerIds\.(\d+)$/.exec(path);
    if (at) return `${t(l, 'form.officers')} ${nameOf(chosen[Number(at[1])] ?? '')}`;
    if (path === 'reason') return t(l, 'form.reassignReason');
    return path === 'officerIds' ? t(l, 'form.officers') : undefined;
  });
  const stale = useStale(possible, busy, c, 'reassign');
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => search.current?.focus(), []);
  const listed = rosterFor(roster.data ?? [], c, query, (o) => `${gridName(desk, o.gridCode)} ${policeGridName(desk, o.policeGridCode)}`);
  const toggle = (id: string) => setChosen(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (stale) return;
    if (!chosen.length) {
      setError(tr('form.required', { f: tr('form.officers') }));
      return;
    }
    await send(reassignBody(chosen, reason));
  };
  const owners = new Set(c.assignees.map((a) => a.officerId));
  return (
    <form class="command-form reassign" onSubmit={submit} data-command="reassign" onKeyDown={escCancels(onCancel)}>
      <h4>{label}</h4>
      <p class="muted small">{tr('form.nowOwners', { o: ownersText(desk, c.assignees) })}</p>
      <label for="form-reassign-search">
        <span>{tr('form.officerSearch')}</span>
        <input id="form-reassign-search" ref={search} type="search" name="search" value={query} autocomplete="off" onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <fieldset class="roster" data-testid="roster">
        <legend>{tr('form.officers')} *</legend>
        {roster.error ? <Problem error={roster.error} /> : roster.loading ? <Loading text={tr('form.officersLoading')} /> : null}
        {roster.data && !listed.length ? <p class="muted small">{tr('form.officersNone')}</p> : null}
        {listed.map((o) => (
          <label key={o.officerId} class={`person${owners.has(o.officerId) ? ' owner' : ''}${o.onDuty === false ? ' off-duty' : ''}`}>
            <input type="checkbox" name="officerIds" value={o.officerId} checked={chosen.includes(o.officerId)} onChange={() => toggle(o.officerId)} />
            <span>{personText(desk, o)}</span>
          </label>
        ))}
      </fieldset>
      {chosen.length ? <p class="small" data-testid="reassign-chosen">{tr('form.chosen', { o: chosen.map(nameOf).join(lang === 'zh' ? '、' : ', ') })}</p> : null}
      <label for="form-reassign-reason">
        <span>{tr('form.reassignReason')}</span>
        <textarea
          id="form-reassign-reason"
          name="reason"
          rows={2}
          value={reason}
          maxLength={1000}
          onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
          onKeyDown={submitsOnCtrlEnter}
        />
      </label>
      <FormEnd label={label} busy={busy} error={error} detail={detail} stale={stale} onCancel={onCancel} />
    </form>
  );
}

/** An `assigned` entry of routing sending the case to the duty desk (its `reason` is routing's, in English). */
const routedToDesk = (e: TimelineEntry) => eventName(e.type) === 'assigned' && (e.data as { routedBy?: unknown }).routedBy === 'desk';

/** The words of one timeline entry beyond its type: who, the note or reason, and what the event says. */
function entryDetails(desk: Desk, e: TimelineEntry): string[] {
  const { lang } = desk;
  const d = e.data as Record<string, unknown>;
  const parts: string[] = [];
  const name = eventName(e.type);
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (name) {
    case 'opened':
      parts.push(`${categoryName(desk, s(d.category))} · ${word(lang, 'severity', s(d.severity))}`);
      if (d.relapse) parts.push(lang === 'zh' ? '回潮' : 'relapse');
      break;
    case 'report-merged':
      // What the merged report said (null where withheld from a community token on a tip).
      if (s(d.title)) parts.push(s(d.title)!);
      if (s(d.description)) parts.push(`“${s(d.description)}”`);
      break;
    case 'assigned': {
      const assignees = Array.isArray(d.assignees) ? (d.assignees as DeskCaseView['assignees']) : [];
      parts.push(ownersText(desk, assignees));
      if (typeof d.level === 'number' && d.level > 0) parts.push(lang === 'zh' ? `第 ${d.level} 级` : `level ${d.level}`);
      if (s(d.routedBy)) parts.push(word(lang, 'routedBy', s(d.routedBy)));
      // Routing's reason for sending the case to the desk is English: said in Chinese (the English on hover).
      if (s(d.routedBy) === 'desk' && lang === 'zh' && e.reason) parts.push(routingReasonZh(e.reason).text);
      break;
    }
    case 'resolved':
      parts.push(word(lang, 'outcome', s(d.outcome)));
      break;
    case 'verified':
      parts.push(word(lang, 'verifyResult', s(d.result)));
      break;
    case 'followed-up':
      parts.push(word(lang, 'satisfaction', s(d.satisfaction)));
      break;
    case 'escalated': {
      // Deadlines missed at once escalate one level, every one of them named (alsoPassed).
      const also = Array.isArray(d.alsoPassed) ? d.alsoPassed.filter((k): k is string => typeof k === 'string').map((k) => `${k}-overdue`) : [];
      const reasons = [s(d.reason), ...also].map((r) => word(lang, 'escalation', r)).join(lang === 'zh' ? '、' : ', ');
      parts.push(`${reasons} → ${lang === 'zh' ? `第 ${d.level} 级` : `level ${d.level}`}`);
      break;
    }
    case 'extension-requested':
    case 'extension-approved':
      if (s(d.until)) parts.push(`${lang === 'zh' ? '延至' : 'until'} ${formatTime(s(d.until))}`);
      break;
    case 'held':
      if (s(d.until)) parts.push(`${lang === 'zh' ? '至' : 'until'} ${formatTime(s(d.until))}`);
      break;
    case 'hold-expired':
      parts.push(`${lang === 'zh' ? '挂账至' : 'held until'} ${formatTime(s(d.until))}`);
      break;
    case 'resumed':
      if (s(d.reason)) parts.push(word(lang, 'resumeReason', s(d.reason)));
      break;
    case 'deadline-warning':
    case 'deadline-passed':
      parts.push(`${word(lang, 'deadline', s(d.kind))} ${formatTime(s(d.dueAt))}`);
      break;
    case 'closed':
      parts.push(s(d.reason) === 'followed-up' ? (lang === 'zh' ? '回访后结案' : 'after follow-up') : lang === 'zh' ? '核查后结案' : 'after verification');
      break;
    case 'command-rejected':
      if (s(d.command)) parts.push(s(d.command)! in COMMAND_KEYS ? wordOf(lang, s(d.command) as PageCommand) : s(d.command)!);
      break;
  }
  // A closed, escalated or resumed event's reason is the code put in words above, not something a person said;
  // a rejected command's is the case of record's English account, said in words here by its code.
  if (name === 'command-rejected' && s(d.code)) parts.push(word(lang, 'refusal', { forbidden: '403', conflict: '409', invalid: '400' }[s(d.code)!] ?? s(d.code)));
  const ownWords = name === 'closed' || name === 'escalated' || name === 'resumed' || (lang === 'zh' && (name === 'command-rejected' || routedToDesk(e)));
  const said = ownWords ? e.note : (e.note ?? e.reason);
  if (said) parts.push(`“${said}”`);
  return parts;
}

/**
 * The reporter's contact, for the 回访 call: fetched only when asked (intake audits every read), kept
 * only while this case is open on the page. Not offered where the case's reporter is withheld.
 */
function Reporters({ caseId }: { caseId: string }) {
  const { tr, token, lang } = useDesk();
  const [shown, setShown] = useState<CaseReporters['items'] | undefined>();
  // In the page's language at each render; a report with nothing this reader may see has no entry.
  const entries = shown?.map((r) => ({ reportId: r.reportId, lines: reporterLines(lang, r) })).filter((r) => r.lines.length > 0);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const show = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setShown((await api<CaseReporters>(token, `/v1/cases/${encodeURIComponent(caseId)}/reporters`)).body.items);
    } catch (err) {
      setError(err instanceof ApiError ? (err.status === 0 ? tr('error.network') : err.message) : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="reporters" aria-labelledby="reporters-title" data-testid="reporters">
      <h3 id="reporters-title">{tr('reporter.title')}</h3>
      {entries === undefined ? (
        <button type="button" class="secondary" onClick={show} disabled={busy} data-testid="reporters-show">
          {tr('reporter.show')}
        </button>
      ) : entries.length === 0 ? (
        <p class="muted">{tr('reporter.none')}</p>
      ) : (
        <ul>
          {entries.map(({ reportId, lines }) => (
            <li key={reportId}>
              {lines.map((line) => (
                <p key={line.key} class={line.key === 'contact' ? undefined : 'small'} data-testid={`reporter-${line.key}`}>
                  {line.label ? <span class="muted">{line.label}</span> : null}
                  {line.parts.map((part, i) => (
                    <Fragment key={i}>
                      {i > 0 ? ' · ' : ''}
                      {part.href ? (
                        <a href={part.href} {...(line.key === 'attachments' ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
                          {part.text}
                        </a>
                      ) : (
                        part.text
                      )}
                    </Fragment>
                  ))}
                </p>
              ))}
            </li>
          ))}
        </ul>
      )}
      {error ? (
        <p class="problem" role="alert">
          {error}
        </p>
      ) : null}
      <p class="muted small">{tr('reporter.audited')}</p>
    </section>
  );
}

function Timeline({ c }: { c: DeskCaseView }) {
  const desk = useDesk();
  const { tr, lang } = desk;
  const [all, setAll] = useState(false);
  // deadlines-set is bookkeeping of the clocks; the deadlines show above. Shown on request.
  const entries = c.timeline.filter((e) => all || eventName(e.type) !== 'deadlines-set').slice().reverse();
  return (
    <section aria-labelledby="timeline-title">
      <h3 id="timeline-title">
        {tr('case.timeline')}
        <label class="small muted toggle">
          <input type="checkbox" checked={all} onChange={() => setAll(!all)} /> {lang === 'zh' ? '显示时限更新' : 'show clock changes'}
        </label>
      </h3>
      <ol class="timeline" data-testid="timeline">
        {entries.map((e) => (
          <li key={e.eventId} data-type={eventName(e.type)}>
            <span class="when">{formatTime(e.at ?? e.time)}</span>
            <b class={`ev ev-${eventName(e.type)}`}>{word(lang, 'event', eventName(e.type))}</b>
            <span class="who">{e.actor ? (e.actor.name ?? word(lang, 'actor', e.actor.clientId)) : ''}</span>
            <span class="what" title={lang === 'zh' && routedToDesk(e) && e.reason ? e.reason : undefined}>
              {entryDetails(desk, e).join(' · ')}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function CaseView({ caseId, loaded, form, setForm, onClose, onChanged }: Props) {
  const desk = useDesk();
  const { tr, lang, me } = desk;
  const c = loaded.data?.caseId === caseId ? loaded.data : undefined;
  // A narrow screen stacks the panel under the list (or map): a case opened there is scrolled into view,
  // where a tap seemed to do nothing (audit 7). Side by side, the page stays where it is. Once the case
  // is shown: the short loading panel at the page's end cannot be scrolled to the top.
  const panel = useRef<HTMLElement>(null);
  const shown = c?.caseId;
  useEffect(() => {
    const el = panel.current;
    const above = el?.previousElementSibling;
    if (shown && el && above && el.getBoundingClientRect().top >= above.getBoundingClientRect().bottom - 1) el.scrollIntoView({ block: 'start' });
  }, [shown]);
  if (!c) {
    return (
      <aside class="case-view" aria-label={tr('list.case')} ref={panel}>
        <button type="button" class="close secondary" onClick={onClose} aria-label={tr('case.close')}>
          ×
        </button>
        {loaded.error ? (
          <Problem error={loaded.error} {...(loaded.error.status === 404 ? { text: tr('case.notFound') } : {})} />
        ) : (
          <Loading text={tr('case.loading')} />
        )}
      </aside>
    );
  }
  const actor = { clientId: me.clientId, ...(me.officerId ? { officerId: me.officerId } : {}), roles: me.roles };
  const available = offers(c, actor);
  // Why a command shown disabled is not this person's to do, said in words under the buttons (a touch screen has no hover).
  const blocked = available.filter((o) => o.blocked);
  const running = (statuses: string[]) => statuses.includes(c.status);
  const redacted = (c as DeskCaseView & { redacted?: string[] }).redacted ?? [];
  // Routing found no grid and sent the case to the desk (the newest routing says why).
  const toDesk = c.gridCode === null ? c.timeline.filter(routedToDesk).at(-1) : undefined;
  const rows: [string, preact.ComponentChildren][] = [
    [tr('case.location'), <span data-testid="location">{locationText(desk, c.location)}</span>],
    [
      tr('case.place'),
      toDesk ? (
        <span class="unroutable" data-testid="unroutable" title={toDesk.reason ?? undefined}>
          {unroutableText(lang, toDesk.reason)}
        </span>
      ) : (
        `${c.policeGridCode ?? '—'} ${policeGridName(desk, c.policeGridCode)} / ${gridName(desk, c.gridCode)}`
      ),
    ],
    [tr('case.owners'), <span data-testid="owners">{ownersText(desk, c.assignees)}</span>],
    ...(c.level ? [[tr('case.level'), tr('case.levelN', { n: c.level })] as [string, string]] : []),
    [tr('case.opened'), formatTime(c.openedAt)],
    [tr('case.respondBy'), <When at={c.respondBy} running={running(['open'])} />],
    [tr('case.resolveBy'), <When at={c.resolveBy} running={running(['open', 'acknowledged'])} />],
    ...(c.verifyBy ? [[tr('case.verifyBy'), <When at={c.verifyBy} running={running(['resolved'])} />] as [string, preact.ComponentChildren]] : []),
    ...(c.followUpBy ? [[tr('case.followUpBy'), <When at={c.followUpBy} running={running(['follow-up'])} />] as [string, preact.ComponentChildren]] : []),
    ...(c.acknowledgedAt ? [[tr('case.acknowledged'), formatTime(c.acknowledgedAt)] as [string, string]] : []),
    ...(c.resolvedAt ? [[tr('case.resolved'), `${formatTime(c.resolvedAt)} · ${word(lang, 'outcome', c.outcome)}`] as [string, string]] : []),
    ...(c.hold
      ? [
          [
            tr('case.hold'),
            tr('case.holdSince', { t: formatTime(c.hold.since), r: c.hold.reason ?? tr('case.withheld') }) + (c.hold.until ? tr('case.holdUntil', { t: formatTime(c.hold.until) }) : ''),
          ] as [string, string],
        ]
      : []),
    ...(c.extension
      ? [[tr('case.extension'), `${word(lang, 'extension', c.extension.status)} · ${formatTime(c.extension.until)} · ${c.extension.reason ?? tr('case.withheld')}`] as [string, string]]
      : []),
    ...(c.reworkCount ? [[tr('case.rework'), String(c.reworkCount)] as [string, string]] : []),
    ...(c.warnings ? [[tr('case.warnings'), String(c.warnings)] as [string, string]] : []),
    ...(c.escalations ? [[tr('case.escalations'), String(c.escalations)] as [string, string]] : []),
    ...(c.relapse ? [[tr('case.relapse'), tr('yes')] as [string, string]] : []),
    ...(c.relatedCaseIds.length ? [[tr('case.related'), c.relatedCaseIds.join(', ')] as [string, string]] : []),
    [tr('case.reports'), String(c.reports.length)],
  ];
  return (
    <aside class="case-view" aria-label={c.caseNumber ?? c.caseId} data-testid="case-view" data-status={c.status} ref={panel}>
      <button type="button" class="close secondary" onClick={onClose} aria-label={tr('case.close')} title="Esc">
        ×
      </button>
      <header>
        <h2>
          <span class="case-number">{c.caseNumber ?? c.caseId}</span> <Grade severity={c.severity} /> <Status status={c.status} />
          {c.overdue ? <span class="badge overdue">{tr('case.overdue')}</span> : null}
        </h2>
        <p class="category">
          {categoryName(desk, c.category)}
          {c.title ? ` · ${c.title}` : ''}
        </p>
      </header>
      <p class="description">
        {redacted.includes('description') || c.description === null ? <span class="muted">{tr('case.withheld')}</span> : c.description}
      </p>
      <dl class="fields">
        {rows.map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </Fragment>
        ))}
      </dl>
      {redacted.includes('reporter') || !me.roles.some((r) => r === 'desk' || r === 'officer' || r === 'supervisor' || r === 'admin') ? null : (
        <Reporters key={c.caseId} caseId={c.caseId} />
      )}
      <section class="actions" aria-labelledby="actions-title">
        <h3 id="actions-title">{tr('case.actions')}</h3>
        {available.length === 0 ? <p class="muted">{c.status === 'closed' ? tr('case.closedNote') : tr('case.noActions')}</p> : null}
        <div class="buttons" data-testid="actions">
          {available.map((o) => (
            <button
              key={o.command}
              type="button"
              class={form === o.command ? 'on' : o.command === 'note' || o.command.startsWith('extension-reject') ? 'secondary' : ''}
              disabled={!!o.blocked}
              title={o.blocked ? word(lang, 'blocked', o.command) : `${wordOf(lang, o.command)} (${COMMAND_KEYS[o.command]})`}
              data-command={o.command}
              aria-keyshortcuts={COMMAND_KEYS[o.command]}
              onClick={() => setForm(o.command)}
            >
              {wordOf(lang, o.command)} <kbd>{COMMAND_KEYS[o.command]}</kbd>
            </button>
          ))}
        </div>
        {blocked.length ? (
          <ul class="blocked small" data-testid="blocked">
            {blocked.map((o) => (
              <li key={o.command}>{tr('case.blocked', { a: wordOf(lang, o.command), r: word(lang, 'blocked', o.command) })}</li>
            ))}
          </ul>
        ) : null}
        {form
          ? (() => {
              // 改派 has a form of its own (the roster picker); every other command a form of fields. An open
              // form stays through live redraws of the case, and says so when its command became impossible.
              const Form = form === 'reassign' ? ReassignForm : CommandForm;
              return (
                <Form
                  key={form}
                  command={form}
                  c={c}
                  possible={available.some((o) => o.command === form && !o.blocked)}
                  onCancel={() => setForm(null)}
                  onDone={() => {
                    setForm(null);
                    onChanged();
                  }}
                />
              );
            })()
          : null}
        {c.status !== 'closed' && available.length ? <p class="muted small">{tr('case.closedNote')}</p> : null}
      </section>
      <Timeline c={c} />
    </aside>
  );
}
