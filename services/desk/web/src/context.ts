import type { CommunityGrid, DeskCaseSummary, PoliceGrid, RuleCategory } from '@gridcase/contracts';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type Key, type Lang, t, word } from './i18n.ts';
import type { Me } from './session.ts';

/** What every part of the signed-in page needs: the language, the token, who it is, the station's names, the clock. */
export interface Desk {
  lang: Lang;
  token: string;
  me: Me;
  categories: ReadonlyMap<string, RuleCategory>;
  policeGrids: ReadonlyMap<string, PoliceGrid>;
  grids: ReadonlyMap<string, CommunityGrid>;
  /** Milliseconds, ticking so relative times stay true. */
  now: number;
  /** A message for the status line: its words in a language, so a switch of language says it again in the new one. */
  say(text: (lang: Lang) => string, kind?: 'ok' | 'error'): void;
}

export const DeskContext = createContext<Desk | null>(null);

export function useDesk(): Desk & { tr(key: Key, vars?: Record<string, string | number>): string } {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk outside the signed-in page');
  return { ...desk, tr: (key, vars) => t(desk.lang, key, vars) };
}

/** A category's name in the page's language, or its code when the catalogue does not know it. */
export const categoryName = (d: Pick<Desk, 'lang' | 'categories'>, code: string | null | undefined) => {
  if (!code) return '—';
  return d.categories.get(code)?.name[d.lang] ?? code;
};

export const policeGridName = (d: Pick<Desk, 'policeGrids'>, code: string | null | undefined) => {
  if (!code) return '—';
  const name = d.policeGrids.get(code)?.name;
  return name ? `${name}` : code;
};

export { gridName, locationText } from './place.ts';

/** `王彦军（警格员）、小李（网格员）`. */
export const ownersText = (d: Pick<Desk, 'lang'>, assignees: DeskCaseSummary['assignees']) =>
  assignees.length
    ? assignees
        .map((a) => (d.lang === 'zh' ? `${a.name ?? a.officerId}（${word('zh', 'officerRole', a.role)}）` : `${a.name ?? a.officerId} (${word('en', 'officerRole', a.role)})`))
        .join(d.lang === 'zh' ? '、' : ', ')
    : '—';
