import type { Redaction } from '@gridcase/contracts';

/**
 * Event data as a community token may see it: a `tip.*` case's description withheld (null), with
 * what else a reporter wrote there (the `title` of a report, first or merged, which names as much)
 * and the address and point of its location, and
 * nothing about the reporter. The event names what was withheld in `redacted`.
 */
export function redactData(data: unknown, withheld: readonly Redaction[]): unknown {
  if (withheld.length === 0 || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  if (withheld.includes('description')) {
    if ('description' in out) out.description = null;
    if ('title' in out) out.title = null;
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
  if (withheld.includes('reporter')) delete out.reporter;
  return out;
}
