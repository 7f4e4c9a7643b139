/**
 * What of a case event's data stays inside the station: who acted (`by`: a staff member's client, token
 * name and officer id) and what staff wrote (`note`, `text`, and the `reason` a person gave for a reopen,
 * an extension asked for or refused, a hold), where a name or a phone number of the reporter may stand
 * (a 回访 note: "电话回访李女士（139…），表示满意"). Other `reason`s are the system's own codes (an
 * escalation's `respond-overdue`, a close's `verified`) and are sent.
 */
const STAFF_FIELDS = ['by', 'note', 'text'];
const STAFF_REASON = new Set([
  'gridcase.case.reopened.v1',
  'gridcase.case.extension-requested.v1',
  'gridcase.case.extension-rejected.v1',
  'gridcase.case.held.v1',
]);

/**
 * A case event as a sender's webhook receives it: the CloudEvent as published, without what stays
 * inside the station (above), those fields named in `data.redacted` as the desk names what a
 * community token may not see. Events with none of them are sent byte for byte as published.
 */
export function webhookPayload(raw: string): string {
  const event = JSON.parse(raw) as { type?: unknown; data?: unknown };
  if (typeof event.data !== 'object' || event.data === null) return raw;
  const data = { ...(event.data as Record<string, unknown>) };
  const withheld = [...STAFF_FIELDS, ...(STAFF_REASON.has(String(event.type)) ? ['reason'] : [])].filter((field) => field in data);
  if (!withheld.length) return raw;
  for (const field of withheld) delete data[field];
  return JSON.stringify({ ...event, data: { ...data, redacted: withheld } });
}
