import { evidenceFor, type NaiveBayes, scoreNaiveBayes, trainNaiveBayes } from './naive-bayes.ts';
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
}

/** Bumped whenever features or training change, so `model` ids of old decisions stay meaningful. */
export const LEARNED_METHOD = 'naive-bayes-1';

export interface CategoryModel {
  /** `naive-bayes-1@<digest>`: the method and the training set it learned from. */
  id: string;
  naiveBayes: NaiveBayes;
}

export interface LearnedGuess {
  category: string;
  probability: number;
  /** Every allowed label's probability. */
  scores: ReadonlyMap<string, number>;
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

const models = new WeakMap<TrainingSet, Map<string, CategoryModel>>();

/** The category model of a training set under a rule document's dictionary. */
export const categoryModel = (training: TrainingSet, dictionary: readonly string[]): CategoryModel => learnedModel(training, dictionary, 'category');

/** The grade model of a training set (from the reports labelled with a grade) under a rule document's dictionary. */
export const gradeModel = (training: TrainingSet, dictionary: readonly string[]): CategoryModel => learnedModel(training, dictionary, 'grade');

/** The model of a training set for `target` under a rule document's dictionary (segmentation depends on it); trained once and kept. */
function learnedModel(training: TrainingSet, dictionary: readonly string[], target: LearnedTarget): CategoryModel {
  const key = `${target}\n${dictionary.join('\n')}`;
  let byDictionary = models.get(training);
  if (!byDictionary) {
    byDictionary = new Map();
    models.set(training, byDictionary);
  }
  const cached = byDictionary.get(key);
  if (cached) return cached;
  const labelled = training.examples.flatMap((e) => {
    const label = target === 'category' ? e.category : e.grade;
    return label ? [{ features: reportFeatures(segmentClauses(e.text, dictionary)), label }] : [];
  });
  const naiveBayes = trainNaiveBayes(labelled);
  const model = { id: `${LEARNED_METHOD}${target === 'grade' ? '-grade' : ''}@${training.digest}`, naiveBayes };
  // A new rule document brings a new dictionary; the older models are dropped with it.
  if (byDictionary.size >= 8) byDictionary.delete(byDictionary.keys().next().value as string);
  byDictionary.set(key, model);
  return model;
}

const shown = (feature: string): string => feature.slice(2);

/**
 * The model's category for a report (its clauses, segmented with the model's dictionary) among
 * `allowed` categories, with its probability and the words behind it; undefined when the model knows
 * none of the report's features or no allowed category.
 */
export function guessCategory(model: CategoryModel, clauses: readonly (readonly string[])[], allowed: ReadonlySet<string>): LearnedGuess | undefined {
  const features = reportFeatures(clauses);
  const ranked = scoreNaiveBayes(model.naiveBayes, features, allowed);
  const [best, second] = ranked;
  if (!best || !features.some((f) => model.naiveBayes.logLikelihood.has(f))) return undefined;
  const evidence = evidenceFor(model.naiveBayes, features, best.label, second?.label, 20);
  // Whole words read better than character pairs that straddle two words (话说, 打电); a word and its
  // own pair (邻居 and 邻居) are one thing to a reader.
  const ordered = [...evidence.filter((e) => e.feature.startsWith('w:')), ...evidence.filter((e) => !e.feature.startsWith('w:'))];
  const words = [...new Set(ordered.map((e) => shown(e.feature)))].slice(0, 5);
  const scores = new Map(ranked.map((r) => [r.label, r.probability]));
  return { category: best.label, probability: best.probability, scores, runnerUp: second?.label, words, model: model.id };
}
