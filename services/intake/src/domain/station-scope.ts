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
