import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { RuleSet } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { FeatureIndex } from '../src/domain/feature-index.ts';
import { type CategoryModel, categoryModel, gradeModel, hasLearnedModels, keepLearnedModels, trainLearnedModels, type TrainingSet } from '../src/domain/learned-category.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { learnedModelsFor, sweepStaleModelDirs } from '../src/learned-models.ts';
import { trainingSet } from '../src/training-set.ts';

/** A served model with its vocabularies as Maps, as training made them (the service keeps FeatureIndexes). */
const asTrained = (m: CategoryModel) => ({
  ...m,
  naiveBayes: { ...m.naiveBayes, vocabulary: new Map(m.naiveBayes.vocabulary) },
  logistic: m.logistic && { ...m.logistic, features: new Map(m.logistic.features) },
});

// Trains on the whole repository set twice (in a child process, then here): seconds on a loaded machine.
describe('models trained in a child process', { timeout: 120_000 }, () => {
  it('are the models trained here, kept for the rule document, and the service never trains its own', async () => {
    const served = await learnedModelsFor(SEED_RULES);
    const local = trainLearnedModels(trainingSet(), SEED_RULES);
    expect(served.digest).toBe(trainingSet().digest);
    expect(isDeepStrictEqual(asTrained(categoryModel(served, SEED_RULES)), local.category)).toBe(true);
    expect(isDeepStrictEqual(asTrained(gradeModel(served, SEED_RULES)), local.grade)).toBe(true);
    expect(categoryModel(served, SEED_RULES).naiveBayes.vocabulary).toBeInstanceOf(FeatureIndex);
    expect(gradeModel(served, SEED_RULES).naiveBayes.vocabulary).toBeInstanceOf(FeatureIndex);
    // One vocabulary for naive Bayes and the regression, as trained; the grade model's rules are this process's document.
    expect(categoryModel(served, SEED_RULES).logistic?.features).toBe(categoryModel(served, SEED_RULES).naiveBayes.vocabulary);
    expect(gradeModel(served, SEED_RULES).rules).toBe(SEED_RULES);
    // The same document again (a fresh copy, as each read of the rules is) is not trained again.
    const again = await learnedModelsFor(RuleSet.parse(JSON.parse(JSON.stringify(SEED_RULES))));
    expect(again).toBe(served);
    expect(() => served.examples).toThrow(/training process/);
  });
});

describe('kept models', () => {
  const TINY: TrainingSet = { name: 'tiny', digest: 'abc123', examples: [{ text: '狗天天叫', category: 'dispute.neighbour', grade: 'blue' }] };
  const withWord = (word: string) => RuleSet.parse({ ...SEED_RULES, dictionary: [...SEED_RULES.dictionary, word] });

  it('are kept for the two rule documents used last', () => {
    const [a, b, c] = [withWord('嚎叫'), withWord('狂吠'), withWord('犬吠')];
    for (const rules of [a, b, c]) keepLearnedModels(TINY, rules, trainLearnedModels(TINY, rules));
    expect([a, b, c].map((rules) => hasLearnedModels(TINY, rules))).toEqual([false, true, true]);
  });
});

describe('models directories left by a process that died mid-training', () => {
  it('are removed once stale; a live training\'s directory and anything else stay', () => {
    const parent = mkdtempSync(join(tmpdir(), 'sweep-test-'));
    try {
      const dir = (name: string, ageMinutes: number) => {
        const path = join(parent, name);
        mkdirSync(path);
        const at = new Date(Date.now() - ageMinutes * 60_000);
        utimesSync(path, at, at);
        return path;
      };
      const stale = dir('gridcase-triage-models-dead', 11);
      const live = dir('gridcase-triage-models-live', 1);
      const other = dir('someone-elses', 60);
      sweepStaleModelDirs(parent);
      expect([existsSync(stale), existsSync(live), existsSync(other)]).toEqual([false, true, true]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
