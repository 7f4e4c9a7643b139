/**
 * What of a case event's data stays inside the station: who acted (`by`: a staff member's client, token
 * name and officer id) and what staff wrote (`note`, `text`, and the `reason` a person gave for a reopen,
 * an extension asked for or refused, a hold, a reassign), where a name or a phone number of the reporter
 * may stand (a 回访 note: "电话回访李女士（139…），表示满意"). Other `reason`s are the system's own codes
 * (an escalation's `respond-overdue`, a close's `verified`, why routing found no grid) and are sent.
 */
const STAFF_FIELDS = ['by', 'note', 'text'];
const STAFF_REASON = new Set([
  'gridcase.case.reopened.v1',
  'gridcase.case.extension-requested.v1',
  'gridcase.case.extension-rejected.v1',
  'gridcase.case.held.v1',
]);

/**
 * The station's internals, by event type: how triage decided (the rule, which may quote the words it
 * matched, its version, the learned model, the policy's budgets, other cases at the place) and how
 * routing chose the owners (`decision`: every candidate with their workload and duty status, the
 * reference version; `reason`: a handover's "officer off-duty → …"). A sender needs what became of
 * its report (status, level, category, severity, deadlines, owners by id and role), not why.
 * `reporter` says whether a report names a reachable person: the sender knows its own, and a merged
 * report may be another sender's; so may what a merged report said (`title`, `description`, free text
 * that may name people) and the deadlines its sender required.
 */
const INTERNAL_FIELDS: Record<string, readonly string[]> = {
  'gridcase.case.opened.v1': ['rule', 'ruleVersion', 'decidedBy', 'budgets', 'relatedCaseIds', 'relapse', 'reporter'],
  'gridcase.case.report-merged.v1': ['reporter', 'title', 'description', 'respondBy', 'resolveBy'],
  'gridcase.case.assigned.v1': ['decision', 'reason'],
};

/**
 * What a sender hears only of its own report: on case.report-merged, which report joined the case
 * (`reportId`) and why triage merged it (`reason`: "same kind and place as open case …, words 93%
 * alike"). Of another sender's report, that it joined is enough (audit15 #12): the other's id and how
 * alike its words were tell who else reported the same trouble.
 */
const OWN_REPORT_FIELDS: Record<string, readonly string[]> = {
  'gridcase.case.report-merged.v1': ['reportId', 'reason'],
};

/** Who the payload is for, as far as it changes what is sent. */
export interface Audience {
  /** Whether the report the event names (case.report-merged's) is the receiving client's own. */
  ownReport: boolean;
}

/** The owners as a sender sees them: by id and role, without the staff member's name. */
const ASSIGNEE_NAME = 'assignees.name';
const withoutNames = (assignees: unknown): unknown[] | undefined => {
  if (!Array.isArray(assignees) || !assignees.some((a) => typeof a === 'object' && a !== null && 'name' in a)) return undefined;
  return assignees.map((a) => {
    if (typeof a !== 'object' || a === null) return a;
    const { name: _name, ...rest } = a as Record<string, unknown>;
    return rest;
  });
};

/**
 * A case event as a sender's webhook receives it: the CloudEvent as published, without what stays
 * inside the station (above) nor, unless the report it names is the sender's own, what only that
 * report's sender hears of it, those fields named in `data.redacted` (`assignees.name` for the owners'
 * names) as the desk names what a community token may not see. Events with none of them are sent
 * byte for byte as published. Without an audience, the report is taken to be another's.
 */
export function webhookPayload(raw: string, audience: Audience = { ownReport: false }): string {
  const event = JSON.parse(raw) as { type?: unknown; data?: unknown };
  if (typeof event.data !== 'object' || event.data === null) return raw;
  const type = String(event.type);
  const data = { ...(event.data as Record<string, unknown>) };
  const withheld = [
    ...STAFF_FIELDS,
    ...(STAFF_REASON.has(type) ? ['reason'] : []),
    ...(INTERNAL_FIELDS[type] ?? []),
    ...(audience.ownReport ? [] : (OWN_REPORT_FIELDS[type] ?? [])),
  ].filter((field) => field in data);
  for (const field of withheld) delete data[field];
  const assignees = withoutNames(data.assignees);
  if (assignees) data.assignees = assignees;
  const redacted = [...withheld, ...(assignees ? [ASSIGNEE_NAME] : [])].sort();
  if (!redacted.length) return raw;
  return JSON.stringify({ ...event, data: { ...data, redacted } });
}
