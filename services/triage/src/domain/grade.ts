import type { Category, RuleSet, Severity } from '@gridcase/contracts';
import { type MatchContext, matchCues } from './rules.ts';

/** Lowest first; a grade only ever rises. `statutory` is a kind of deadline, not a risk, and is never raised. */
const ORDER: readonly Severity[] = ['service', 'yellow', 'orange', 'red'];

export const higher = (a: Severity, b: Severity): Severity => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a);

/** One step up (yellow → orange → red), as a relapse raises a grade; service and statutory stay. */
export function raiseOneStep(severity: Severity): Severity {
  if (severity === 'yellow') return 'orange';
  if (severity === 'orange') return 'red';
  return severity;
}

export interface Grade {
  severity: Severity;
  rules: { rule: string; matched: string[] }[];
}

/**
 * The risk grade of a report of `category` (CONTRACT.md "Triage: categories and risk grades"): the
 * category's default, raised by every grading rule that applies to the category and matches the text.
 */
export function grade(category: Category, ctx: MatchContext, rules: RuleSet['grading']): Grade {
  let severity = category.defaultSeverity;
  const matched: Grade['rules'] = [];
  for (const rule of rules) {
    if (rule.kinds && !rule.kinds.includes(category.kind)) continue;
    if (rule.categories && !rule.categories.includes(category.code)) continue;
    const words = matchCues(rule, ctx);
    if (!words) continue;
    matched.push({ rule: rule.id, matched: words });
    if (severity !== 'statutory') severity = higher(severity, rule.grade);
  }
  return { severity, rules: matched };
}
