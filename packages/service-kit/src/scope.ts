import type { ClientRole, Principal, Redaction } from '@gridcase/contracts';
import { type Column, type SQL, sql } from '@gridcase/db';
import { HttpProblem } from './problem.ts';

/**
 * What a token may see, decided here once for every route of every service (CONTRACT.md "Scope
 * and roles"). Routes never look at `stations` or `grids` themselves: they ask `scopeOf`.
 */
export interface Scope {
  /** Station codes the token is limited to; undefined: every station. */
  stations?: readonly string[];
  /** Community grid codes (a `community` token); undefined: no grid limit. */
  grids?: readonly string[];
  /** Withhold the reporter's personal data and the description of `tip.*` cases. */
  redact: boolean;
}

/** Roles that see beyond a community: a token holding one of them is not limited as `community`. */
const STATION_ROLES: readonly ClientRole[] = ['desk', 'officer', 'supervisor', 'admin'];

/** True for a token whose only view of cases is the `community` role. */
export const isCommunityOnly = (p: Principal): boolean =>
  p.roles.includes('community') && !p.roles.some((r) => STATION_ROLES.includes(r));

export function scopeOf(p: Principal): Scope {
  const stations = p.stations;
  if (!isCommunityOnly(p)) {
    // Only admin is station-wide without `stations`; any other such token sees no station's data.
    if (!stations && !p.roles.includes('admin')) return { stations: [], redact: false };
    return { ...(stations ? { stations } : {}), redact: false };
  }
  // A community token without grids sees nothing: intake resolves them when the token is issued.
  return { ...(stations ? { stations } : {}), grids: p.grids ?? [], redact: true };
}

/** Where a case (or a grid, a report) belongs; null where it is not known yet. */
export interface Place {
  station?: string | null | undefined;
  gridCode?: string | null | undefined;
}

/** Whether a token of this scope may see something at `place`. Unknown places are seen only unscoped. */
export function inScope(scope: Scope, place: Place): boolean {
  if (scope.stations && !(place.station && scope.stations.includes(place.station))) return false;
  if (scope.grids && !(place.gridCode && scope.grids.includes(place.gridCode))) return false;
  return true;
}

/** `inScope` as SQL over a table's station and grid columns (a `true` where nothing limits). */
export function scopeSql(scope: Scope, columns: { station: Column | SQL; gridCode?: Column | SQL }): SQL {
  const oneOf = (column: Column | SQL | undefined, values: readonly string[]) =>
    column && values.length ? sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})` : sql`false`;
  const parts: SQL[] = [];
  if (scope.stations) parts.push(oneOf(columns.station, scope.stations));
  if (scope.grids) parts.push(oneOf(columns.gridCode, scope.grids));
  return parts.length ? sql`(${sql.join(parts, sql` and `)})` : sql`true`;
}

/** The `redacted` list a community view carries, and what to withhold. */
export function redactions(scope: Scope, category: string | null | undefined): Redaction[] {
  if (!scope.redact) return [];
  return category?.startsWith('tip.') ? ['description', 'reporter'] : ['reporter'];
}

/** The principal of a request that passed auth (every non-public route). */
export function principalOf(req: { principal?: Principal | undefined }): Principal {
  if (!req.principal) throw new HttpProblem(401, 'Unauthorized', 'a bearer token is required');
  return req.principal;
}

/** `scopeOf` the request's principal. */
export const requestScope = (req: { principal?: Principal | undefined }): Scope => scopeOf(principalOf(req));
