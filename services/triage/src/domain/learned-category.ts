import { createHash } from 'node:crypto';
import type { RuleSet } from '@gridcase/contracts';
import { withoutBoilerplate } from './boilerplate.ts';
import { LOGISTIC_DEFAULTS, type LogisticRegression, scoreLogisticRegression, trainLogisticRegression } from './logistic-regression.ts';
import { type Document, evidenceFor, leaningFeatures, type NaiveBayes, type Scored, scoreNaiveBayes, trainNaiveBayes, vocabularyOf } from './naive-bayes.ts';
import { type MatchContext, matchContext, matchCues } from './rules.ts';
import { segmentClauses } from './segment.ts';

/**
 * The learned reading of a report's category: a naive Bayes model over the report's words and
 * character pairs, trained on labelled reports kept in the repository. Rules name what a duty officer
 * would name; the model weighs all the words of reports already labelled, so wording no rule lists
 * (嚎得人没法睡, 练他的功能治百病) still lands near the reports that resemble it. classify() asks it only
 * when no rule decides firmly, and shows its words and score.
 */

export interface LabelledReport {
  text: string;
  category: string;
  /** The risk grade the report was labelled with, where the set gives one (the grade model learns from these). */
  grade?: string;
}

/** What a model learns to read from a report: its category, or its risk grade. */
export type LearnedTarget = 'category' | 'grade';

/** The labelled reports a model is trained on, named and fingerprinted so a decision can be traced to them. */
export interface TrainingSet {
  /** Where the reports came from, e.g. `eval/reports.jsonl+eval/fresh2.jsonl`. */
  name: string;
  /** A fingerprint of the reports and their labels (the loader's hash). */
  digest: string;
  examples: readonly LabelledReport[];
  /** How each model learns, where not the default (eval/cross-validate.ts compares methods with it). */
  methods?: Partial<Record<LearnedTarget, LearnedMethod>>;
}

/**
 * How a model learns. `naive-bayes`: naive Bayes alone. `+logistic`: the mean of the probabilities of
 * naive Bayes and a logistic regression over the same features (the regression's probabilities are
 * better calibrated; naive Bayes still names the words). `+rules`: the rules the report matches are
 * features too (for the category model the classification rules, for the grade model the grading
 * rules, whatever the category), so the model learns how far to trust each rule.
 */
export type LearnedMethod = 'naive-bayes' | 'naive-bayes+rules' | 'naive-bayes+logistic' | 'naive-bayes+logistic+rules';

/**
 * The method of each model, chosen by 5-fold cross-validation on the training files (eval/cross-validate.ts,
 * 2 911 reports, thresholds re-chosen for each) within the start-up budget (about 2 s of training for
 * 5 000 reports): category 84.5 % (naive Bayes) → 85.1 % (+logistic); grade 86.1 % → 86.6 % (+rules).
 * `naive-bayes+logistic+rules` reads the category better still (86.1 %) but matching every
 * classification rule against every training report about triples the training time, so it is left
 * to choose here once rule matching is cheaper.
 */
export const DEFAULT_METHODS: Record<LearnedTarget, LearnedMethod> = { category: 'naive-bayes+logistic', grade: 'naive-bayes+rules' };

/**
 * A method's name in model ids, bumped whenever features or training change, so `model` ids of old decisions stay meaningful
 * (2: the models read reports without their address, preamble and contact lines, boilerplate.ts).
 */
export const METHOD_IDS: Record<LearnedMethod, string> = {
  'naive-bayes': 'naive-bayes-2',
  'naive-bayes+rules': 'naive-bayes-rules-2',
  'naive-bayes+logistic': 'nb-logistic-2',
  'naive-bayes+logistic+rules': 'nb-logistic-rules-2',
};

export interface CategoryModel {
  /** `<method id>@<digest>`, e.g. `nb-logistic-2@3f2a…`: the method and the training set it learned from. */
  id: string;
  naiveBayes: NaiveBayes;
  /** Present for the `+logistic` methods. */
  logistic?: LogisticRegression | undefined;
  target: LearnedTarget;
  /** The rule document whose matches are features (the `+rules` methods). */
  rules?: RuleSet | undefined;
}

export interface LearnedGuess {
  category: string;
  probability: number;
  /** Every allowed label's probability. */
  scores: ReadonlyMap<string, number>;
  /** Each of the models behind `scores` on its own (naive Bayes, then the regression if any): a safety net can listen to the most alarmed. */
  opinions: readonly ReadonlyMap<string, number>[];
  /** The second most probable category, if any. */
  runnerUp?: string | undefined;
  /** The report's words and character pairs that speak most for the category against the runner-up. */
  words: string[];
  model: string;
}

// Function words and the hotline's own boilerplate (12345转办, 市民反映) say nothing about the trouble.
const STOP_WORDS = new Set([
  '的', '了', '在', '是', '我', '有', '和', '就', '不', '都', '一', '一个', '上', '也', '很', '到', '说', '要', '去', '你', '会', '着',
  '看', '好', '自己', '这', '那', '他', '她', '们', '我们', '他们', '把', '被', '给', '让', '还', '又', '吗', '呢', '吧', '啊', '个', '里',
  '跟', '对', '从', '这个', '那个', '现在', '今天', '已经', '转办', '市民', '反映', '来电', '称', '请', '其',
]);
const NUMERIC = /\d/u;
/** Character pairs are read only between Chinese characters: pairs of Latin letters (th, ng) say nothing. */
const HAN_PAIR = /^\p{Script=Han}{2}$/u;
const ENGLISH_STOP_WORDS = new Set(['a', 'an', 'the', 'at', 'in', 'on', 'of', 'to', 'is', 'are', 'was', 'and', 'or', 'it', 'my', 'me', 'i', 'he', 'she', 'we', 'they', 'for', 'with', 'this', 'that', 'there', 'be', 'from', 's', 't']);

/**
 * A report's features, from its clauses as segment.ts cuts them: jieba's words (minus function words
 * and numbers) and every pair of adjacent characters within a clause.
 */
export function reportFeatures(clauses: readonly (readonly string[])[]): string[] {
  const features = new Set<string>();
  for (const clause of clauses) {
    for (const word of clause) if (!STOP_WORDS.has(word) && !ENGLISH_STOP_WORDS.has(word) && !NUMERIC.test(word) && word.trim()) features.add(`w:${word}`);
    const chars = [...clause.join('')];
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = `${chars[i]}${chars[i + 1]}`;
      if (HAN_PAIR.test(pair)) features.add(`c:${pair}`);
    }
  }
  return [...features];
}

/**
 * The clauses the models read of a report: its text without what only says where or whom to call back
 * (withoutBoilerplate), in training and in classifying alike. `whole`, the whole text's clauses, is reused
 * when there was nothing to leave out.
 */
export function learnedClauses(text: string, dictionary: readonly string[], whole?: string[][]): string[][] {
  const trouble = withoutBoilerplate(text);
  return whole && trouble === text ? whole : segmentClauses(trouble, dictionary);
}

/** Features from the rules a report matches (the `+rules` methods): the rule and what it points to. */
function ruleFeatures(target: LearnedTarget, rules: RuleSet, ctx: MatchContext): string[] {
  if (target === 'category') return rules.classification.filter((r) => matchCues(r, ctx)).flatMap((r) => [`r:${r.id}`, `r>${r.category}`]);
  return rules.grading.filter((r) => matchCues(r, ctx)).flatMap((r) => [`g:${r.id}`, `g>${r.grade}`]);
}

/** Everything the model reads of a report: its words and character pairs, and for `+rules` the rules it matches. */
function modelFeatures(model: Pick<CategoryModel, 'target' | 'rules'>, clauses: readonly (readonly string[])[], ctx?: MatchContext): string[] {
  const words = reportFeatures(clauses);
  if (!model.rules) return words;
  return [...words, ...ruleFeatures(model.target, model.rules, ctx ?? matchContext(clauses, model.rules))];
}

/** Both learned models of a training set under one rule document. */
export interface LearnedModels {
  category: CategoryModel;
  grade: CategoryModel;
}
const models = new WeakMap<TrainingSet, Map<string, LearnedModels>>();
const fingerprints = new WeakMap<RuleSet, string>();
/** Model sets kept per training set: the current rules' and the previous (each holds its own vocabularies and tables). */
const KEPT_RULE_DOCUMENTS = 2;

/** What of a rule document a model depends on (segmentation, and the rules' matches), fingerprinted once per document object. */
export function rulesFingerprint(rules: RuleSet): string {
  let print = fingerprints.get(rules);
  if (!print) {
    const { dictionary, negations, negationWindow, classification, grading } = rules;
    print = createHash('sha256').update(JSON.stringify({ dictionary, negations, negationWindow, classification, grading })).digest('hex');
    fingerprints.set(rules, print);
  }
  return print;
}

/** The category model of a training set under a rule document (its dictionary, and its rules for `+rules`). */
export const categoryModel = (training: TrainingSet, rules: RuleSet): CategoryModel => learnedModels(training, rules).category;

/** The grade model of a training set (from the reports labelled with a grade) under a rule document. */
export const gradeModel = (training: TrainingSet, rules: RuleSet): CategoryModel => learnedModels(training, rules).grade;

const cachedModels = (training: TrainingSet, rules: RuleSet): LearnedModels | undefined => models.get(training)?.get(rulesFingerprint(rules));

/** Whether both models of the training set under the rule document are trained and kept. */
export const hasLearnedModels = (training: TrainingSet, rules: RuleSet): boolean => cachedModels(training, rules) !== undefined;

/**
 * Keeps models trained elsewhere (the training process, on the same reports) as the training set's models
 * under the rule document; categoryModel and gradeModel then return them.
 */
export function keepLearnedModels(training: TrainingSet, rules: RuleSet, trained: LearnedModels): void {
  let byRules = models.get(training);
  if (!byRules) {
    byRules = new Map();
    models.set(training, byRules);
  }
  const key = rulesFingerprint(rules);
  byRules.delete(key);
  // A new rule document brings new segmentation and matches; the oldest models are dropped with it.
  if (byRules.size >= KEPT_RULE_DOCUMENTS) byRules.delete(byRules.keys().next().value as string);
  byRules.set(key, trained);
}

/** Both models of a training set under a rule document, trained once and kept. */
function learnedModels(training: TrainingSet, rules: RuleSet): LearnedModels {
  const cached = cachedModels(training, rules);
  if (cached) return cached;
  const trained = trainLearnedModels(training, rules);
  keepLearnedModels(training, rules, trained);
  return trained;
}

/**
 * Trains both models of a training set under a rule document (not kept: see keepLearnedModels): together,
 * so each report is segmented and matched against the rules once for both.
 */
export function trainLearnedModels(training: TrainingSet, rules: RuleSet): LearnedModels {
  const methods = { category: training.methods?.category ?? DEFAULT_METHODS.category, grade: training.methods?.grade ?? DEFAULT_METHODS.grade };
  const shapes = {
    category: { target: 'category' as const, rules: methods.category.endsWith('+rules') ? rules : undefined },
    grade: { target: 'grade' as const, rules: methods.grade.endsWith('+rules') ? rules : undefined },
  };
  // One pass: each report's match context is dropped as soon as both models have read it.
  const labelled = { category: [] as Document[], grade: [] as Document[] };
  for (const e of training.examples) {
    // The rules read the whole text; the words, without the address and contact lines.
    const clauses = segmentClauses(e.text, rules.dictionary);
    const ctx = matchContext(clauses, rules);
    const read = learnedClauses(e.text, rules.dictionary, clauses);
    labelled.category.push({ features: modelFeatures(shapes.category, read, ctx), label: e.category });
    if (e.grade) labelled.grade.push({ features: modelFeatures(shapes.grade, read, ctx), label: e.grade });
  }
  const train = (target: LearnedTarget): CategoryModel => {
    // One vocabulary for both models of a target: the regression's feature rows are naive Bayes's.
    const vocabulary = vocabularyOf(labelled[target]);
    const naiveBayes = trainNaiveBayes(labelled[target], 1, vocabulary);
    const logistic = methods[target].includes('+logistic') ? trainLogisticRegression(labelled[target], LOGISTIC_DEFAULTS, vocabulary) : undefined;
    return { id: `${METHOD_IDS[methods[target]]}${target === 'grade' ? '-grade' : ''}@${training.digest}`, naiveBayes, logistic, ...shapes[target] };
  };
  return { category: train('category'), grade: train('grade') };
}

/** Each component model's probabilities for the allowed labels (naive Bayes first), and their mean, most probable first (ties in label order). */
function scoreModel(model: CategoryModel, features: readonly string[], allowed: ReadonlySet<string>): { ranked: Scored[]; opinions: Map<string, number>[] } {
  const bayes = scoreNaiveBayes(model.naiveBayes, features, allowed);
  const opinions = [new Map(bayes.map((s) => [s.label, s.probability]))];
  if (!model.logistic) return { ranked: bayes, opinions };
  const logistic = new Map(scoreLogisticRegression(model.logistic, features, allowed).map((s) => [s.label, s.probability]));
  opinions.push(logistic);
  const ranked = bayes
    .map((s) => ({ label: s.label, probability: (s.probability + (logistic.get(s.label) ?? 0)) / 2 }))
    .sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label));
  return { ranked, opinions };
}

const shown = (feature: string): string => feature.slice(2);
/** Words and character pairs, not rule ids: the words are what a reader checks. */
const readable = (feature: string): boolean => feature.startsWith('w:') || feature.startsWith('c:');

/**
 * The model's category for a report (its clauses as learnedClauses gives them, segmented with the model's
 * dictionary; `ctx`, the rules' matches, of the whole text) among `allowed` categories, with its probability and the words behind it; undefined when the model knows
 * none of the report's features or no allowed category.
 */
export function guessCategory(model: CategoryModel, clauses: readonly (readonly string[])[], allowed: ReadonlySet<string>, ctx?: MatchContext): LearnedGuess | undefined {
  const features = modelFeatures(model, clauses, ctx);
  const { ranked, opinions } = scoreModel(model, features, allowed);
  const [best, second] = ranked;
  if (!best || !features.some((f) => model.naiveBayes.vocabulary.has(f))) return undefined;
  const evidence = evidenceFor(model.naiveBayes, features.filter(readable), best.label, second?.label, 20);
  // Whole words read better than character pairs that straddle two words (话说, 打电); a word and its
  // own pair (邻居 and 邻居) are one thing to a reader.
  const ordered = [...evidence.filter((e) => e.feature.startsWith('w:')), ...evidence.filter((e) => !e.feature.startsWith('w:'))];
  const words = [...new Set(ordered.map((e) => shown(e.feature)))].slice(0, 5);
  const scores = new Map(ranked.map((r) => [r.label, r.probability]));
  return { category: best.label, probability: best.probability, scores, opinions, runnerUp: second?.label, words, model: model.id };
}

/**
 * The report's words and character pairs that the grade model learned as danger: seen in at least
 * `reports` red reports and at least e^`margin` times as likely in a red report as in an orange or a
 * yellow one (拿刀, 要杀, 塔吊, 铁锨). Where no rule found a red cue, one of these lets the model's red stand.
 */
export function dangerWords(model: CategoryModel, clauses: readonly (readonly string[])[], reports: number, margin: number): string[] {
  return leaningFeatures(model.naiveBayes, reportFeatures(clauses), 'red', ['orange', 'yellow'], reports, margin).map(shown);
}
