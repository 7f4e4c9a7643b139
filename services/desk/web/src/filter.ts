import { DUE_SOON_PARAM } from './time.ts';

/** The quick views of the list, each a query of GET /v1/cases. */
export const QUICK = ['unresolved', 'dueSoon', 'overdue', 'escalated', 'onHold', 'toVerify', 'toFollowUp', 'closed', 'all'] as const;
export type Quick = (typeof QUICK)[number];

export interface Filter {
  quick: Quick;
  policeGrid?: string | undefined;
  grid?: string | undefined;
  assignee?: string | undefined;
  category?: string | undefined;
  severity?: string | undefined;
  /** A case number (or its start), a case id or a report id: the search box. */
  q?: string | undefined;
}

/**
 * GET /v1/cases?policeGrid=none: the cases no police grid took (the queues' "not routed" row).
 * The contract's NO_POLICE_GRID; spelt here so the page does not bundle the contracts' schemas.
 */
export const NO_POLICE_GRID = 'none';

/** The police grid filter a queue row stands for: its code, or NO_POLICE_GRID for the row of cases no police grid took. */
export const policeGridFilterOf = (policeGridCode: string | null): string => policeGridCode ?? NO_POLICE_GRID;

export const PAGE_SIZE = 50;
/** The escalated view reads this many cases in work and keeps those above level 0 (the API filters one level at a time). */
export const ESCALATED_SCAN = 200;

/** The query string of GET /v1/cases for a filter. */
export function caseQuery(f: Filter, limit = PAGE_SIZE): URLSearchParams {
  const q = new URLSearchParams();
  switch (f.quick) {
    case 'unresolved':
      q.set('status', 'open,acknowledged');
      break;
    case 'dueSoon':
      q.set('dueWithin', DUE_SOON_PARAM);
      break;
    case 'overdue':
      q.set('overdue', 'true');
      break;
    case 'escalated':
      // Every status a clock runs in, as the queues' escalated count (a late 核查 or 回访 goes up the ladder too).
      q.set('status', 'open,acknowledged,resolved,follow-up');
      break;
    case 'onHold':
      q.set('status', 'on-hold');
      break;
    case 'toVerify':
      q.set('status', 'resolved');
      break;
    case 'toFollowUp':
      q.set('status', 'follow-up');
      break;
    case 'closed':
      q.set('status', 'closed');
      break;
    case 'all':
      break;
  }
  for (const key of ['policeGrid', 'grid', 'assignee', 'category', 'severity', 'q'] as const) {
    const value = f[key];
    if (value) q.set(key, value);
  }
  q.set('limit', String(f.quick === 'escalated' ? ESCALATED_SCAN : limit));
  return q;
}

/** What the search box asks for: a number as typed, without the spaces around it; nothing for a blank. */
export const searchTerm = (typed: string): string | undefined => typed.trim() || undefined;

/** What the query alone cannot say: the escalated view keeps cases above level 0. */
export const keepCase = (f: Filter, c: { level: number }) => f.quick !== 'escalated' || c.level > 0;

/** The views of cases still being worked, shown most urgent first (overdue and red, then the nearest deadline); the closed and all views stay newest first. */
export const urgentFirst = (f: Filter) => f.quick !== 'closed' && f.quick !== 'all';

/** A token that sees only its community grids (community, with no station-wide role beside it). */
export const gridScoped = (roles: readonly string[]) => roles.includes('community') && !roles.some((r) => r === 'desk' || r === 'officer' || r === 'supervisor' || r === 'admin');

/**
 * The police grids the filter offers: all the token's station has, or for a grid-scoped token those
 * of the grids it sees (assignment lists every police grid of the station to any token of it).
 */
export function policeGridChoices<P extends { code: string }>(policeGrids: readonly P[], grids: readonly { policeGridCode: string }[], roles: readonly string[]): P[] {
  if (!gridScoped(roles)) return [...policeGrids];
  const seen = new Set(grids.map((g) => g.policeGridCode));
  return policeGrids.filter((p) => seen.has(p.code));
}
