import type { DeskCaseLocation, Redaction } from '@gridcase/contracts';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The case's place from its case.opened data (`location`, as the first report gave it), or null when
 * the desk has no case.opened. Where the description is withheld (a tip, to a community token) the
 * address and the point go with it: they say where the informant pointed, as telling as the text;
 * the grid and community codes stay (the token sees the case by its grid anyway).
 */
export function locationOf(openedData: unknown, withheld: readonly Redaction[]): DeskCaseLocation | null {
  if (typeof openedData !== 'object' || openedData === null) return null;
  const loc = (openedData as { location?: unknown }).location;
  if (typeof loc !== 'object' || loc === null) return null;
  const l = loc as Record<string, unknown>;
  const hide = withheld.includes('description');
  const lat = num(l.lat);
  const lng = num(l.lng);
  const point = !hide && lat !== null && lng !== null;
  return {
    address: hide ? null : str(l.address),
    gridCode: str(l.gridCode),
    communityCode: str(l.communityCode),
    lat: point ? lat : null,
    lng: point ? lng : null,
  };
}

/** A LIKE pattern's literal start: `%`, `_` and `\` matched as themselves. */
export const likePrefix = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
