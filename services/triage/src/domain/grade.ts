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

/** The grading rule that reads a recurrence in the report's own words (又, 多次, 反复 …). */
export const REPEAT_RULE = 'orange.repeat';

/**
 * The grade after a relapse (回潮): one step up, unless the report's own words already raised it for the
 * recurrence: REPEAT_RULE matched and nothing else of what matched (the category's default, the other
 * grading rules) reaches its grade. Then the records only confirm what the words counted, and the same
 * recurrence is not counted twice (audit 9: 那两家又在楼道里吵起来了 after a closed quarrel there was red, a
 * step for 又 and another for the relapse). A fight, orange by default, with 又 is still raised: 又 added nothing.
 */
export function gradeAfterRelapse(
  graded: Severity,
  relapsed: boolean,
  decided: { category: Category; rules: readonly { rule: string }[] },
  grading: RuleSet['grading'],
): Severity {
  if (!relapsed) return graded;
  return repeatRaised(decided, grading) ? graded : raiseOneStep(graded);
}

function repeatRaised({ category, rules }: { category: Category; rules: readonly { rule: string }[] }, grading: RuleSet['grading']): boolean {
  const matched = new Set(rules.map((r) => r.rule));
  const repeat = grading.find((g) => g.id === REPEAT_RULE);
  if (!repeat || !matched.has(REPEAT_RULE)) return false;
  const without = grading.filter((g) => g.id !== REPEAT_RULE && matched.has(g.id)).reduce((s, g) => higher(s, g.grade), category.defaultSeverity);
  return higher(without, repeat.grade) !== without;
}

export interface Grade {
  severity: Severity;
  rules: { rule: string; matched: string[] }[];
}

/** Whether a grading rule applies to a category (its `kinds` and `categories`; absent: every one). */
export const appliesTo = (rule: RuleSet['grading'][number], category: Category): boolean =>
  (!rule.kinds || rule.kinds.includes(category.kind)) && (!rule.categories || rule.categories.includes(category.code));

/**
 * The risk grade of a report of `category` (CONTRACT.md "Triage: categories and risk grades"): the
 * category's default, raised by every grading rule that applies to the category and matches the text.
 * A red rule written for some categories or kinds (a missing child, a mass incident, a fraud now) also
 * applies where the text itself reads as one of them (`textCategory`): a sender's category is kept, but
 * the grade is computed from the text (寻人：七十五岁老人…昨晚未归 sent as service.general is still red).
 */
export function grade(category: Category, ctx: MatchContext, rules: RuleSet['grading'], textCategory: Category = category): Grade {
  let severity = category.defaultSeverity;
  const matched: Grade['rules'] = [];
  for (const rule of rules) {
    if (!appliesTo(rule, category) && !(rule.grade === 'red' && appliesTo(rule, textCategory))) continue;
    const words = matchCues(rule, ctx);
    if (!words) continue;
    matched.push({ rule: rule.id, matched: words });
    if (severity !== 'statutory') severity = higher(severity, rule.grade);
  }
  return { severity, rules: matched };
}
