import type { PairingOwners, PairingRule } from '@gridcase/contracts';

/**
 * The built-in pairing rules, used when the reference data brings none. Tips are police work and
 * carry informants' details (CONTRACT.md "Scope and roles": never to a grid worker); fire and
 * public-order hazards need both the police and the community; general service requests (为民服务)
 * are the community's; everything else goes to the pair of dual-grid fusion.
 */
export const DEFAULT_PAIRING: readonly PairingRule[] = [
  { id: 'tip-police-only', categories: ['tip.*'], owners: 'police', note: 'tips go to the police only' },
  { id: 'hazard-both', categories: ['hazard.fire', 'hazard.public-order'], owners: 'pair', note: 'fire and public order: officer and grid worker' },
  // Lost property and missing persons stay with the pair: both are registered with the police.
  { id: 'service-worker', categories: ['service.general'], owners: 'worker', note: 'general service requests: the grid worker alone' },
  { id: 'default-pair', categories: ['*'], owners: 'pair', note: 'the pair of dual-grid fusion' },
];

/** Whether a pattern (`hazard.fire`, `tip.*`, `*`) matches a category code. */
export function categoryMatches(pattern: string, category: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return category.startsWith(pattern.slice(0, -1));
  return pattern === category;
}

export const isTip = (category: string | undefined) => category !== undefined && categoryMatches('tip.*', category);

/**
 * The grades whose case always has police among its owners: red is danger to life or public safety
 * now, orange a concrete risk (CONTRACT.md "Triage: categories and risk grades"). A civilian grid
 * worker must not face either alone, and the category may be wrong: a missing elder misfiled as
 * service.general is still graded orange or red.
 */
const POLICE_GRADES: ReadonlySet<string> = new Set(['red', 'orange']);
export const needsPolice = (severity: string | undefined) => severity !== undefined && POLICE_GRADES.has(severity);

/** The rule suffix (in the decision record) when the grade turned the grid worker alone into the pair. */
const RISK_NEEDS_OFFICER = 'risk-needs-officer';

/**
 * Who of the pair works a category: the first matching rule decides; no match (or no category) is
 * the pair. A tip is police work whatever the rules say: the contract forbids a grid worker on it.
 * A red or orange case the rules give the grid worker alone goes to the pair: the worker keeps it,
 * the grid officer joins.
 */
export function pairingFor(
  category: string | undefined,
  rules: readonly PairingRule[] = DEFAULT_PAIRING,
  severity?: string,
): { rule: string; owners: PairingOwners } {
  const rule = category === undefined ? undefined : rules.find((r) => r.categories.some((p) => categoryMatches(p, category)));
  const chosen = rule ? { rule: rule.id, owners: rule.owners } : { rule: 'default-pair', owners: 'pair' as const };
  if (isTip(category) && chosen.owners !== 'police') return { rule: `${chosen.rule}+tip-police-only`, owners: 'police' };
  if (needsPolice(severity) && chosen.owners === 'worker') return { rule: `${chosen.rule}+${RISK_NEEDS_OFFICER}`, owners: 'pair' };
  return chosen;
}
