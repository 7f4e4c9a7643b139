import type { Category, Kind, RuleSet, Severity } from '@gridcase/contracts';
import { grade } from './grade.ts';
import { matchCues, matchContext } from './rules.ts';
import { SEED_RULES } from './seed-rules.ts';
import { segmentClauses } from './segment.ts';

export interface Classification {
  category: Category;
  severity: Severity;
  /** The rules that decided, on one line, for the duty desk and the case.opened event. */
  rule: string;
  /** Every rule that matched, each with the words (or code, or hint) it matched on; `explain` lists them. */
  rules: { rule: string; matched: string[] }[];
}

export interface ReportText {
  category?: string | undefined;
  kind?: Kind | undefined;
  title?: string | undefined;
  description: string;
}

const KIND_FALLBACK: Record<Kind, string> = {
  dispute: 'dispute.general',
  hazard: 'hazard.public-order',
  service: 'service.general',
  tip: 'tip.fraud',
};

const UNCLASSIFIED: Category = { code: 'unclassified', kind: 'unclassified', name: { zh: '未分类', en: 'Unclassified' }, defaultSeverity: 'yellow' };

const quoted = (words: readonly string[]) => words.map((w) => `"${w}"`).join(', ');

/**
 * A report's category and risk grade under a rule document (the seed unless another is given).
 * The category: the sender's code when the document knows it, else the matching classification rule
 * of highest priority, else the sender's kind hint, else unclassified. The grade is always computed
 * from the text (grade.ts). Pure: the same report and document give the same answer.
 */
export function classify(report: ReportText, ruleSet: RuleSet = SEED_RULES): Classification {
  const find = (code: string) => ruleSet.categories.find((c) => c.code === code);
  const ctx = matchContext(segmentClauses(`${report.title ?? ''}\n${report.description}`, ruleSet.dictionary), ruleSet);
  const rules: Classification['rules'] = [];

  let category: Category | undefined;
  let decided: string;
  const given = report.category ? find(report.category) : undefined;
  if (given) {
    category = given;
    decided = `category given by sender: ${given.code}`;
    rules.push({ rule: 'sender-category', matched: [given.code] });
  } else {
    let best: { priority: number; category: Category; id: string; words: string[] } | undefined;
    for (const rule of ruleSet.classification) {
      const words = matchCues(rule, ctx);
      const target = words ? find(rule.category) : undefined;
      if (!words || !target) continue;
      rules.push({ rule: rule.id, matched: words });
      if (!best || rule.priority > best.priority) best = { priority: rule.priority, category: target, id: rule.id, words };
    }
    const hinted = report.kind ? find(KIND_FALLBACK[report.kind]) : undefined;
    if (best) {
      category = best.category;
      decided = `${best.id} ${quoted(best.words)} → ${category.code}`;
    } else if (hinted) {
      category = hinted;
      decided = `kind hint ${report.kind} → ${category.code}`;
      rules.push({ rule: 'kind-hint', matched: [report.kind as string] });
    } else {
      category = find('unclassified') ?? UNCLASSIFIED;
      decided = `no rule matched → ${category.code}`;
    }
  }

  const graded = grade(category, ctx, ruleSet.grading);
  rules.push(...graded.rules);
  const raisedBy = graded.rules.filter((r) => ruleSet.grading.find((g) => g.id === r.rule)?.grade === graded.severity);
  const why = raisedBy.length ? raisedBy.map((r) => `${r.rule} ${quoted(r.matched)}`).join('; ') : 'category default';
  return { category, severity: graded.severity, rule: `${decided}; ${graded.severity} by ${why}`, rules };
}

export const allCategories = (ruleSet: RuleSet = SEED_RULES): readonly Category[] => ruleSet.categories;
