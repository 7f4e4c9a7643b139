import type { CommunityGrid, DeskCaseLocation } from '@gridcase/contracts';
import { type Lang, t } from './i18n.ts';

/** The station's community grids by code (the page's Desk has them). */
type Grids = { grids: ReadonlyMap<string, Pick<CommunityGrid, 'name' | 'community'>> };

export const gridName = (d: Grids, code: string | null | undefined) => {
  if (!code) return '—';
  return d.grids.get(code)?.name ?? code;
};

/**
 * Where a case is, as its report gave it: the address, the grid and the community by name (their
 * code when the station does not know it), the point: `宝河苑3栋 · 宝河苑第一网格 · 宝河苑社区 · 坐标 38.26, 101.93`.
 */
export function locationText(d: Grids & { lang: Lang }, loc: DeskCaseLocation | null | undefined): string {
  if (!loc) return '—';
  const community = loc.communityCode ? ([...d.grids.values()].find((g) => g.community.code === loc.communityCode)?.community.name ?? loc.communityCode) : null;
  const point = loc.lat !== null && loc.lng !== null ? `${t(d.lang, 'case.point')} ${loc.lat}, ${loc.lng}` : null;
  const parts = [loc.address, loc.gridCode ? gridName(d, loc.gridCode) : null, community, point].filter((p): p is string => !!p);
  return parts.length ? parts.join(' · ') : '—';
}
