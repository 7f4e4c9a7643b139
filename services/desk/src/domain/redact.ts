import { CaseClosed, CaseEscalated, CaseResumed, type DeskCaseSummary, maskCommandText, maskNumbersInText, type Redaction } from '@gridcase/contracts';

/**
 * Reasons that are codes the system sets (escalated: respond-overdue…, closed: verified…), not words a
 * person wrote: they say nothing of the tip and stay.
 */
const REASON_CODES: ReadonlySet<unknown> = new Set<unknown>([
  ...CaseEscalated.shape.reason.options,
  ...CaseClosed.shape.reason.options,
  ...CaseResumed.shape.reason.unwrap().options,
]);

/**
 * Free text that goes with a `tip.*` case's description when it is withheld (a community token): the
 * title the informant gave, and every note, note text and reason staff wrote on the case (they
 * routinely name the informant). Withheld fields are null, as the description is.
 */
const TIP_TEXT = ['title', 'note', 'text'] as const;

/**
 * Event data as a community token may see it: a `tip.*` case's description withheld (null), with
 * what else a reporter wrote there (the `title` of a report, first or merged, which names as much),
 * the staff's notes and written reasons, the address and point of its location, and
 * nothing about the reporter (and the numbers in the notes and reasons it does show masked). The event
 * names what was withheld in `redacted`.
 */
export function redactData(data: unknown, withheld: readonly Redaction[]): unknown {
  if (withheld.length === 0 || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  if (withheld.includes('description')) {
    if ('description' in out) out.description = null;
    for (const k of TIP_TEXT) if (k in out) out[k] = null;
    if (typeof out.reason === 'string' && !REASON_CODES.has(out.reason)) out.reason = null;
    // The rule line quotes the words triage matched (非法集资, 高额回报…): as telling as the text itself.
    if ('rule' in out) out.rule = null;
    if ('rules' in out) out.rules = null;
    // Where the informant pointed (case.opened's address and point) goes with the text; the grid codes stay.
    if (typeof out.location === 'object' && out.location !== null) {
      const place: Record<string, unknown> = { ...(out.location as Record<string, unknown>) };
      for (const k of ['address', 'lat', 'lng']) delete place[k];
      out.location = place;
    }
  }
  if (withheld.includes('reporter')) {
    delete out.reporter;
    // The desk masks the numbers in notes and reasons before it sends a command; written before it did,
    // they are masked here, so a token that is never shown the reporter does not read their phone in a note.
    return maskCommandText(out);
  }
  return out;
}

/**
 * A case in a list, on the map or in its view as a community token may see it: where the
 * description is withheld (a tip) the title and the hold's and extension's reasons go with it
 * (null); elsewhere the numbers in those reasons are masked. Names what was withheld in `redacted`;
 * unchanged for an unlimited token.
 */
export function redactSummary<S extends DeskCaseSummary>(summary: S, withheld: readonly Redaction[]): S {
  if (withheld.length === 0) return summary;
  if (!withheld.includes('description')) {
    // As redactData masks a note: the reasons staff wrote before the desk masked them as they were sent.
    const masked = <T extends { reason: string | null }>(r: T | null) => (r?.reason ? { ...r, reason: maskNumbersInText(r.reason) } : r);
    return { ...summary, hold: masked(summary.hold), extension: masked(summary.extension), redacted: [...withheld] };
  }
  return {
    ...summary,
    title: null,
    hold: summary.hold ? { ...summary.hold, reason: null } : null,
    extension: summary.extension ? { ...summary.extension, reason: null } : null,
    redacted: [...withheld],
  };
}
