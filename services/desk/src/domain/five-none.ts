import { type CaseFact, neededResolution } from './figures.ts';

/**
 * "五没有" (five nones): a grid earns the mark for a period when none of its cases of the period is
 * one of five kinds of trouble. The source article does not list them; the station's usual five are
 * no criminal case (刑事案件), no public-order case (治安案件), no fire (火灾), no mass incident
 * (群体性事件) and no drugs (毒品).
 *
 * gridcase does not file cases as criminal or public-order (立案 is the police's own system), so the
 * kinds are read from what triage recorded: the category code and the grading rules that decided the
 * severity. The mark claims an absence, so a case that may be the trouble counts against it. A case
 * whose standing outcome is `unfounded` or `duplicate` counts for nothing: nothing happened, or it
 * is counted once in the case it repeats.
 */
export const FIVE_NONE_KINDS = ['criminal', 'publicOrder', 'fire', 'massIncident', 'drugs'] as const;
export type FiveNoneKind = (typeof FIVE_NONE_KINDS)[number];

/**
 * Categories whose conduct is a crime by its nature (刑法): fraud 266, fundraising 176/192, pyramid selling 224-1, cults 300, and
 * crimes against a person (hostage-taking 239, rape 236, indecent assault 237, trafficking 240, explosives 114).
 */
const CRIMINAL_CATEGORIES = ['tip.fraud', 'tip.fundraising', 'tip.pyramid', 'tip.cult', 'tip.crime-against-person'];
/**
 * Public-order offences (治安管理处罚法): a fight (殴打他人) — criminal only with an injury assessment
 * (轻伤) the desk does not record — and gambling, prostitution and drug use (黄赌毒).
 */
const PUBLIC_ORDER_CATEGORIES = ['dispute.fight', 'tip.vice'];
/** A dispute or public-order report with a weapon, an injury or a threat to harm is at least a public-order case (arts. 42–43). */
const PUBLIC_ORDER_GRADING = ['red.weapon', 'red.injury', 'red.threat'];
/** 黄赌毒 is one category: a tip may be about drugs or not, and the code cannot say, so it counts. */
const DRUG_CATEGORIES = ['tip.vice'];

/**
 * Which of the five kinds of trouble a case is (possibly several, possibly none). The mapping:
 * - criminal: tip.fraud, tip.fundraising, tip.pyramid, tip.cult, tip.crime-against-person;
 * - publicOrder: dispute.fight, tip.vice, and any dispute or hazard.public-order case (有人拿刀在小区门口威胁要砍人)
 *   graded red by red.weapon, red.injury or red.threat;
 * - fire: graded red by red.fire-now (a fire, smoke or an explosion now; a fire risk, orange, is not a
 *   fire); a hazard.fire case graded red with no grading rule recorded counts too;
 * - massIncident: graded red by red.mass-incident (围堵, 堵路, 冲击, 集体上访…);
 * - drugs: tip.vice.
 */
export function troubleKinds(c: CaseFact): FiveNoneKind[] {
  if (!neededResolution(c)) return [];
  const category = c.category ?? '';
  const graded = (rule: string) => c.gradedBy.includes(rule);
  const kinds: FiveNoneKind[] = [];
  if (CRIMINAL_CATEGORIES.includes(category)) kinds.push('criminal');
  if (PUBLIC_ORDER_CATEGORIES.includes(category) || ((c.kind === 'dispute' || category === 'hazard.public-order') && PUBLIC_ORDER_GRADING.some(graded))) kinds.push('publicOrder');
  if (graded('red.fire-now') || (category === 'hazard.fire' && c.severity === 'red' && c.gradedBy.length === 0)) kinds.push('fire');
  if (graded('red.mass-incident')) kinds.push('massIncident');
  if (DRUG_CATEGORIES.includes(category)) kinds.push('drugs');
  return kinds;
}

export type FiveNoneCounts = Record<FiveNoneKind, number>;

export interface FiveNoneStatus {
  /** True when every count is 0. */
  earned: boolean;
  /** Cases of the period of each kind. */
  counts: FiveNoneCounts;
}

/** The mark for one grid's cases of a period. */
export function fiveNone(facts: readonly CaseFact[]): FiveNoneStatus {
  const counts: FiveNoneCounts = { criminal: 0, publicOrder: 0, fire: 0, massIncident: 0, drugs: 0 };
  for (const c of facts) for (const kind of troubleKinds(c)) counts[kind]++;
  return { earned: FIVE_NONE_KINDS.every((k) => counts[k] === 0), counts };
}

/**
 * The grading rule ids named in case.opened's `rule` line, e.g. `…; red by red.fire-now "着火"; deadlines: …`
 * → ['red.fire-now']. Grading rules are named by their grade; quoted cue words are never ids.
 */
export function gradingRulesOf(rule: string | null): string[] {
  if (!rule) return [];
  const ids = new Set<string>();
  for (const m of rule.matchAll(/(?:^|[\s;(])((?:red|orange|yellow)\.[a-z][a-z0-9-]*)/g)) ids.add(m[1] as string);
  return [...ids];
}
