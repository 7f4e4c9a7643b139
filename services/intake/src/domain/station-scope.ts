import type { ClientRole } from '@gridcase/contracts';

/**
 * Why a client may not post reports into this install, or undefined when it may. A client with no
 * `stations` is unscoped; one with `stations` posts only where they include the station this install
 * serves (CONTRACT "Scope and roles", audit9 #16). Before assignment has published a staff map (a
 * fresh install) the station is not known yet, and nobody is refused for it. The message names
 * neither the token's stations nor this install's: it is read by whoever holds the token.
 */
export function stationRefusal(clientStations: readonly string[] | null | undefined, installStation: string | undefined): string | undefined {
  if (!clientStations || installStation === undefined) return undefined;
  if (clientStations.includes(installStation)) return undefined;
  return "the token's stations do not include the station this install serves; post with a token scoped to it (or unscoped)";
}

/** Roles whose view of cases is the token's stations (service-kit's scopeOf); admin, the fourth, is station-wide without them. */
const STATION_ROLES: readonly ClientRole[] = ['desk', 'officer', 'supervisor'];

/**
 * Why a token about to be issued would see no station's data, or undefined when it would see some
 * (CONTRACT "Scope and roles", audit11 #10), by the rule service-kit's scopeOf applies on every route:
 * an empty `stations` list limits any token to nothing (and once the station is known a reporter's
 * posts are refused, stationRefusal), and without `stations` only an admin is station-wide, so a desk,
 * officer or supervisor token sees nothing. Reporter and community tokens need none (a reporter reads
 * its own reports, a community token its grids). Names this install's station, when known, to list.
 */
export function stationlessWarning(
  roles: readonly ClientRole[],
  stations: readonly string[] | undefined,
  installStation: string | undefined,
): { path: string; message: string } | undefined {
  const list = installStation ? `list this install's station (${installStation})` : "list this install's station";
  if (stations) return stations.length ? undefined : { path: 'stations', message: `is empty: the token sees no station's cases, reports or grids, and a reporter's posts are refused; ${list}` };
  const viewing = roles.filter((r) => STATION_ROLES.includes(r));
  if (!viewing.length || roles.includes('admin')) return undefined;
  return { path: 'stations', message: `none given: only an admin token is station-wide without stations, so this ${viewing.join(', ')} token sees no station's cases; ${list}` };
}

/**
 * Why `issuer` may not issue a token of these stations, or undefined when it may: a token limited to
 * stations (an admin token given them: it sees only their cases, reports, grids and stats) issues
 * tokens only within them, never a wider one, as a token without stations would be (audit18 #3).
 */
export function issuerRefusal(issuer: readonly string[] | undefined, stations: readonly string[] | undefined): string | undefined {
  if (!issuer) return undefined;
  if (stations?.every((code) => issuer.includes(code))) return undefined;
  return `this token is limited to stations ${issuer.join(', ')}: it issues tokens only within them (give stations, each one of its own)`;
}
