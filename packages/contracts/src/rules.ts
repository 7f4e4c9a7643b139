import { z } from 'zod';
import { Kind } from './common.ts';
import { withFieldsCheck } from './fields-check.ts';
import { text } from './text.ts';

/**
 * Triage's rule document: the category catalogue, the segmenter's user dictionary, and the
 * classification and grading rules. One JSON document is one version; triage stores it, an admin
 * replaces it through the API, and `classify(report, ruleSet)` reads nothing else.
 *
 * How a rule reads a report (services/triage/src/domain/rules.ts):
 * - Title and description are segmented into words with `dictionary` as the user dictionary
 *   (Latin lowercased, punctuation dropped but kept as clause breaks).
 * - A **phrase** is segmented the same way and matches where its words stand together in the text
 *   ("火" matches the word 火, never 火锅 or 火车). A phrase with `…` in it ("欠…工资") matches
 *   its parts in that order within one clause (between two punctuation marks).
 * - A phrase preceded, within `negationWindow` words of the same clause, by one of `negations`
 *   (没有, 无, 不是, 未 …) does not count ("没有人受伤").
 * - `not` phrases are exclusions: a cue that shares a word with an occurrence of a `not` phrase
 *   does not count ("井盖…丢失" cancels 丢失; "孩子的" cancels "孩子…丢了" in 孩子的滑板车丢了).
 * - A rule matches when at least one `any` phrase counts and, if given, every `all` phrase counts
 *   (`all` phrases obey negations and exclusions too), and no `unless` phrase counts anywhere in the
 *   report ("找到了" in another clause cancels a missing person: the report retracts one).
 * - A rule with `match: "characters"` reads its phrases (and its `not` phrases) as runs of characters
 *   inside the clause, wherever the segmenter put the word boundaries: "刀" then matches 西瓜刀, and
 *   "not": ["火锅"] is what keeps 火 out of 火锅. Negations still count the words before the one the
 *   match starts in (and a negation the same word begins with: 没受伤). The red safety net uses it, so a
 *   segmentation choice cannot hide a danger cue.
 * Classification: of the matching rules, the highest `priority` wins (document order breaks ties).
 * Grading: the grade is the highest of the category's `defaultSeverity` and every matching grading
 * rule that applies to the category (`kinds`/`categories` narrow a rule; absent = every category).
 */

/** A phrase: words as a resident writes them; `…` between parts means "in this order, same clause". */
const Phrase = text().min(1).max(64);
const Phrases = z.array(Phrase).max(500);

/** The cues of a rule: any one of `any`, and every one of `all`, none of them inside a `not` phrase. */
export const RuleCues = z.object({
  any: Phrases.min(1),
  all: Phrases.optional(),
  not: Phrases.optional(),
  /** Phrases that cancel the whole rule wherever they count in the report (a retraction: 已经找到了, 撤销). */
  unless: Phrases.optional(),
  /** `words` (absent): phrases stand on word boundaries; `characters`: anywhere in the clause's characters. */
  match: z.enum(['words', 'characters']).optional(),
});

const RuleId = text().regex(/^[a-z0-9][a-z0-9.:-]{0,79}$/);
const CategoryCode = text().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/).max(64);

export const RuleCategory = z.object({
  code: CategoryCode,
  kind: z.union([Kind, z.literal('unclassified')]),
  name: z.object({ zh: text().min(1).max(64), en: text().min(1).max(64) }),
  /** The grade when no grading rule raises it. */
  defaultSeverity: z.enum(['red', 'orange', 'yellow', 'service', 'statutory']),
});

export const ClassificationRule = RuleCues.extend({
  id: RuleId,
  category: CategoryCode,
  /** Higher wins when several rules match (a missing grandfather: missing-person over lost property). */
  priority: z.number().int().min(0).max(1000),
  /**
   * `false`: the learned model never outvotes this rule, however sure it is (a missing elderly person or
   * child: short retractions taught the model to read 老人走丢了 as help). Absent: it may, at its bar.
   */
  learnedMayOutvote: z.boolean().optional(),
  /**
   * `true`: the rule's words name a place, not what happened there (超市, 饭馆): a plain quarrel at a
   * supermarket's door is still a plain quarrel, so such a rule does not count against one.
   */
  placeOnly: z.boolean().optional(),
  /** Why the rule exists, for the admin reading the document. */
  note: text().max(200).optional(),
});

export const GradingRule = RuleCues.extend({
  id: RuleId,
  grade: z.enum(['red', 'orange', 'yellow', 'service']),
  /** Applies only to categories of these kinds (absent: every kind). */
  kinds: z.array(z.union([Kind, z.literal('unclassified')])).max(5).optional(),
  /** Applies only to these category codes (absent: every category). */
  categories: z.array(CategoryCode).max(50).optional(),
  /**
   * The learned grade model may lower a grade this rule reached when it is at least this sure. For
   * rules whose words may stand in a report without being what they name (长期 of a water tank never
   * cleaned, 老人 of a handrail's users, 三个人 watching): the model tells those from the contract's cue.
   * Absent: the grade stands (推搡, 飞线充电: the word is the act).
   */
  modelMayLowerAt: z.number().min(0.5).max(1).optional(),
  note: text().max(200).optional(),
});

const RuleSetFields = z.object({
  categories: z.array(RuleCategory).min(1).max(200),
  /** Words the segmenter must keep whole (飞线充电, 群租, 九小场所, 电信诈骗, 宅基地 …). */
  dictionary: z.array(text().min(1).max(32)).max(5000),
  /** Words that cancel a cue standing shortly after them in the same clause. */
  negations: z.array(text().min(1).max(16)).max(100),
  /** How many words before a cue a negation may stand (default 3). */
  negationWindow: z.number().int().min(1).max(8).optional(),
  classification: z.array(ClassificationRule).max(2000),
  grading: z.array(GradingRule).max(2000),
});

// What the cross-checks read: each runs whenever these parse, beside the document's other problems.
const RuleIds = z.object({ classification: z.array(ClassificationRule.pick({ id: true })), grading: z.array(GradingRule.pick({ id: true })) });
const CategoryReferences = z.object({
  categories: z.array(RuleCategory.pick({ code: true })),
  classification: z.array(ClassificationRule.pick({ category: true })),
  grading: z.array(GradingRule.pick({ categories: true })),
});

/** The document, with its rule ids unique and every category it names in its catalogue (once). */
export const RuleSet = withFieldsCheck(
  withFieldsCheck(RuleSetFields, RuleIds, (doc, ctx) => {
    const ids = new Set<string>();
    const rules = [...doc.classification.map((r, i) => ['classification', i, r.id] as const), ...doc.grading.map((r, i) => ['grading', i, r.id] as const)];
    for (const [list, i, id] of rules) {
      if (ids.has(id)) ctx.addIssue({ code: 'custom', path: [list, i, 'id'], message: 'duplicate rule id' });
      ids.add(id);
    }
  }),
  CategoryReferences,
  (doc, ctx) => {
    const codes = new Set(doc.categories.map((c) => c.code));
    if (codes.size !== doc.categories.length) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'duplicate category code' });
    doc.classification.forEach((r, i) => {
      if (!codes.has(r.category)) ctx.addIssue({ code: 'custom', path: ['classification', i, 'category'], message: 'unknown category' });
    });
    doc.grading.forEach((r, i) => {
      (r.categories ?? []).forEach((c, j) => {
        if (!codes.has(c)) ctx.addIssue({ code: 'custom', path: ['grading', i, 'categories', j], message: 'unknown category' });
      });
    });
  },
);
export type RuleSet = z.infer<typeof RuleSet>;
export type RuleCategory = z.infer<typeof RuleCategory>;
export type ClassificationRule = z.infer<typeof ClassificationRule>;
export type GradingRule = z.infer<typeof GradingRule>;
