import { readFileSync } from 'node:fs';
import { CATEGORIES, RuleSet } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { classify, LEARNED_CONFIDENCE, LEARNED_OVER_GUARDED_RULE, LEARNED_THRESHOLDS } from '../src/domain/classify.ts';
import { categoryModel, gradeModel, guessCategory, reportFeatures, type TrainingSet } from '../src/domain/learned-category.ts';
import { LOGISTIC_DEFAULTS, scoreLogisticRegression, trainLogisticRegression } from '../src/domain/logistic-regression.ts';
import { evidenceFor, leaningFeatures, likelihoodsOf, scoreNaiveBayes, trainNaiveBayes, vocabularyOf } from '../src/domain/naive-bayes.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { segmentClauses } from '../src/domain/segment.ts';
import { loadTrainingSet, TRAINING_FILES, trainingSet } from '../src/training-set.ts';

describe('naive Bayes', () => {
  const model = trainNaiveBayes([
    { features: ['dog', 'bark', 'night'], label: 'noise' },
    { features: ['music', 'night', 'loud'], label: 'noise' },
    { features: ['wage', 'boss', 'unpaid'], label: 'wages' },
    { features: ['boss', 'months', 'unpaid'], label: 'wages' },
  ]);

  it('gives each label a probability, summing to one, most probable first', () => {
    const scored = scoreNaiveBayes(model, ['boss', 'unpaid', 'night']);
    expect(scored.map((s) => s.label)).toEqual(['wages', 'noise']);
    expect(scored[0]?.probability).toBeGreaterThan(0.7);
    expect(scored.reduce((sum, s) => sum + s.probability, 0)).toBeCloseTo(1, 10);
  });

  it('learns nothing from features it never saw: all labels equally likely, ties in label order', () => {
    expect(scoreNaiveBayes(model, ['weather', 'sunny'])).toEqual([
      { label: 'noise', probability: 0.5 },
      { label: 'wages', probability: 0.5 },
    ]);
  });

  it('counts a feature once per document, and answers the same every time', () => {
    expect(scoreNaiveBayes(model, ['dog', 'dog', 'dog'])).toEqual(scoreNaiveBayes(model, ['dog']));
    const again = trainNaiveBayes([
      { features: ['boss', 'months', 'unpaid'], label: 'wages' },
      { features: ['dog', 'bark', 'night'], label: 'noise' },
      { features: ['wage', 'boss', 'unpaid'], label: 'wages' },
      { features: ['music', 'night', 'loud'], label: 'noise' },
    ]);
    expect(scoreNaiveBayes(again, ['bark', 'unpaid'])).toEqual(scoreNaiveBayes(model, ['bark', 'unpaid']));
  });

  it('holds add-one smoothed log-likelihoods, one row per feature in the order first seen', () => {
    expect([...model.vocabulary.keys()]).toEqual(['dog', 'bark', 'night', 'music', 'loud', 'wage', 'boss', 'unpaid', 'months']);
    // 'night' twice among noise's 6 feature counts, a vocabulary of 9; never among wages'.
    expect(likelihoodsOf(model, 'night')).toEqual(Float64Array.of(Math.log(3) - Math.log(6 + 9), Math.log(1) - Math.log(6 + 9)));
    expect(likelihoodsOf(model, 'weather')).toBeUndefined();
  });

  it('narrows to the allowed labels', () => {
    expect(scoreNaiveBayes(model, ['boss'], new Set(['noise']))).toEqual([{ label: 'noise', probability: 1 }]);
    expect(scoreNaiveBayes(model, ['boss'], new Set(['other']))).toEqual([]);
  });

  it('names the features that speak for a label, strongest first, none that speak against it', () => {
    const evidence = evidenceFor(model, ['boss', 'unpaid', 'night', 'weather'], 'wages', 'noise');
    expect(evidence.map((e) => e.feature).sort()).toEqual(['boss', 'unpaid']);
    expect(evidence.every((e) => e.weight > 0)).toBe(true);
  });

  it('names the features that lean to a label: seen in enough of its documents, likelier there by the margin', () => {
    expect(leaningFeatures(model, ['boss', 'unpaid', 'wage', 'night', 'weather'], 'wages', ['noise'], 2, 0.5)).toEqual(['boss', 'unpaid']);
    expect(leaningFeatures(model, ['boss', 'unpaid', 'wage'], 'wages', ['noise'], 1, 0.5)).toEqual(['boss', 'unpaid', 'wage']);
    expect(leaningFeatures(model, ['boss', 'unpaid'], 'wages', ['noise'], 2, 5)).toEqual([]);
    expect(leaningFeatures(model, ['night'], 'wages', ['noise'], 0, 0)).toEqual([]);
  });
});

describe('logistic regression', () => {
  const documents = [
    { features: ['dog', 'bark', 'night'], label: 'noise' },
    { features: ['music', 'night', 'loud'], label: 'noise' },
    { features: ['wage', 'boss', 'unpaid'], label: 'wages' },
    { features: ['boss', 'months', 'unpaid'], label: 'wages' },
    { features: ['idol', 'cure', 'master'], label: 'cult' },
  ];
  const model = trainLogisticRegression(documents);

  it('gives each allowed label a probability, summing to one, most probable first', () => {
    const scored = scoreLogisticRegression(model, ['boss', 'unpaid', 'night']);
    expect(scored.map((s) => s.label)[0]).toBe('wages');
    expect(scored.reduce((sum, s) => sum + s.probability, 0)).toBeCloseTo(1, 10);
    expect(scoreLogisticRegression(model, ['boss'], new Set(['noise', 'cult'])).map((s) => s.label).sort()).toEqual(['cult', 'noise']);
    expect(scoreLogisticRegression(model, ['boss'], new Set(['other']))).toEqual([]);
  });

  it("shares naive Bayes's vocabulary: the same weights as with a numbering of its own, and it refuses one that lacks a feature", () => {
    const vocabulary = vocabularyOf(documents);
    const shared = trainLogisticRegression(documents, LOGISTIC_DEFAULTS, vocabulary);
    expect(shared.features).toBe(vocabulary);
    expect(shared.weights).toEqual(model.weights);
    expect(trainNaiveBayes(documents, 1, vocabulary).vocabulary).toBe(vocabulary);
    expect(() => trainLogisticRegression(documents, LOGISTIC_DEFAULTS, new Map([['dog', 0]]))).toThrow(/lacks bark/);
  });

  it('is deterministic: the same documents in the same order give the same weights', () => {
    expect(trainLogisticRegression(documents).weights).toEqual(model.weights);
    expect(scoreLogisticRegression(trainLogisticRegression(documents), ['dog', 'unpaid'])).toEqual(scoreLogisticRegression(model, ['dog', 'unpaid']));
  });

  it('learns each training document back, and a shared feature points to both its labels', () => {
    for (const d of documents) expect(scoreLogisticRegression(model, d.features)[0]?.label).toBe(d.label);
    const night = new Map(scoreLogisticRegression(model, ['night']).map((s) => [s.label, s.probability]));
    expect(night.get('noise')).toBeGreaterThan(night.get('wages') as number);
  });

  it('learns nothing from features it never saw', () => {
    const unseen = scoreLogisticRegression(model, ['weather']);
    expect(unseen).toEqual(scoreLogisticRegression(model, []));
  });
});

/** A tiny training set: enough for the model to be sure of three categories no seed rule below reads. */
const TINY: TrainingSet = {
  name: 'test',
  digest: 'abc123',
  examples: [
    { text: '隔壁的狗整晚嚎叫，吵得人睡不着', category: 'dispute.neighbour' },
    { text: '对面那家狗一直嚎，半夜睡不着觉', category: 'dispute.neighbour' },
    { text: '老板半年没发工钱，工友们都回不了家', category: 'dispute.labour' },
    { text: '工地老板拖着工钱不给，工友们去要也不理', category: 'dispute.labour' },
    { text: '信了那个大师的功，说病不用治', category: 'tip.cult' },
    { text: '大师带大家练功，说练了病就好了', category: 'tip.cult' },
  ],
};

/** Categories and negations of the seed, no classification rule at all: only the model can decide. */
const NO_RULES = RuleSet.parse({ ...SEED_RULES, classification: [] });

describe('the learned category model', () => {
  it('reads words and pairs of characters within a clause, without function words or numbers', () => {
    const features = reportFeatures(segmentClauses('狗嚎了3天，睡不着', SEED_RULES.dictionary));
    expect(features).toEqual(expect.arrayContaining(['w:狗', 'c:狗嚎', 'c:睡不', 'c:不着']));
    expect(features).not.toContain('w:了');
    expect(features.some((f) => /\d/.test(f))).toBe(false);
    // Pairs do not straddle a comma.
    expect(features).not.toContain('c:天睡');
  });

  it('is trained once per training set and rule document, and named after its method and the set digest', () => {
    const model = categoryModel(TINY, SEED_RULES);
    expect(categoryModel(TINY, SEED_RULES)).toBe(model);
    // The same document parsed again is the same document.
    expect(categoryModel(TINY, RuleSet.parse(JSON.parse(JSON.stringify(SEED_RULES))))).toBe(model);
    expect(model.id).toBe('nb-logistic-2@abc123');
    expect(gradeModel(TINY, SEED_RULES).id).toBe('naive-bayes-rules-2-grade@abc123');
    expect(categoryModel(TINY, RuleSet.parse({ ...SEED_RULES, dictionary: [...SEED_RULES.dictionary, '嚎叫'] }))).not.toBe(model);
    expect(categoryModel(TINY, NO_RULES)).not.toBe(model);
    expect(categoryModel({ ...TINY, methods: { category: 'naive-bayes' } }, SEED_RULES).id).toBe('naive-bayes-2@abc123');
  });

  it('guesses among allowed categories with its words, and says nothing of a report it knows no feature of', () => {
    const model = categoryModel(TINY, SEED_RULES);
    const all = new Set(TINY.examples.map((e) => e.category));
    const guess = guessCategory(model, segmentClauses('楼下的狗天天嚎，睡不着', SEED_RULES.dictionary), all);
    expect(guess).toMatchObject({ category: 'dispute.neighbour', model: 'nb-logistic-2@abc123' });
    expect(guess?.probability).toBeGreaterThan(0.9);
    expect(guess?.words).toContain('嚎');
    expect(guessCategory(model, segmentClauses('ABC', SEED_RULES.dictionary), all)).toBeUndefined();
  });
});

describe('the rules as features', () => {
  it('lets the model read which rules matched, but names only words and character pairs as its reasons', () => {
    // The same texts under a document whose one rule (犬) the model learns points to neighbours.
    const dog = RuleSet.parse({ ...SEED_RULES, classification: [{ id: 'dog-rule', category: 'dispute.neighbour', priority: 10, any: ['犬'] }] });
    const training: TrainingSet = { ...TINY, examples: [...TINY.examples, { text: '犬', category: 'dispute.neighbour' }, { text: '犬', category: 'dispute.neighbour' }] };
    const model = categoryModel({ ...training, methods: { category: 'naive-bayes+logistic+rules' } }, dog);
    const all = new Set(TINY.examples.map((e) => e.category));
    const guess = guessCategory(model, segmentClauses('犬', dog.dictionary), all);
    expect(guess?.category).toBe('dispute.neighbour');
    expect(guess?.words.every((w) => !w.includes('dog-rule') && !w.includes('dispute.'))).toBe(true);
    // Without rule features the model knows 犬 as a word only: the rule adds evidence.
    const plain = guessCategory(categoryModel({ ...training, methods: { category: 'naive-bayes+logistic' } }, dog), segmentClauses('犬', dog.dictionary), all);
    expect(guess?.probability).toBeGreaterThan(plain?.probability as number);
  });
});

describe('classify with the learned model', () => {
  it('decides when no rule does, and explain lists it as the rule "learned" with its words and score', () => {
    const c = classify({ description: '楼下那家的狗天天嚎，吵得睡不着' }, NO_RULES, TINY);
    expect(c.category.code).toBe('dispute.neighbour');
    expect(c.decidedBy).toMatchObject({ by: 'learned', model: 'nb-logistic-2@abc123' });
    expect(c.decidedBy.score).toBeGreaterThanOrEqual(LEARNED_CONFIDENCE);
    const entry = c.rules.find((r) => r.rule === 'learned');
    expect(entry).toMatchObject({ category: 'dispute.neighbour', score: c.decidedBy.score });
    expect(entry?.matched).toContain('嚎');
    expect(c.rule).toMatch(/^learned \d\.\d\d ".*" → dispute\.neighbour; /);
  });

  it('leaves a report unclassified when the model is unsure, and says so', () => {
    const c = classify({ description: '狗，工钱，大师' }, NO_RULES, TINY);
    expect(c.category.code).toBe('unclassified');
    expect(c.decidedBy).toEqual({ by: 'none' });
    expect(c.rule).toContain('the learned model is unsure');
    expect(classify({ description: '今天天气很好' }, NO_RULES, TINY).category.code).toBe('unclassified');
  });

  it('is not asked when a firm rule decides; without a training set nothing changes', () => {
    const c = classify({ description: '老板拖欠工资，狗天天嚎' }, SEED_RULES, TINY);
    expect(c).toMatchObject({ category: { code: 'dispute.labour' }, decidedBy: { by: 'rule', rule: 'dispute.labour' } });
    expect(c.rules.map((r) => r.rule)).not.toContain('learned');
    expect(classify({ description: '楼下那家的狗天天嚎，吵得睡不着' }, NO_RULES).category.code).toBe('unclassified');
  });

  it('says which dispute a catch-all rule found (吵), and outvotes a weak rule of another kind only at LEARNED_OVER_WEAK_RULE', () => {
    // The model judges only rules of categories it learned: these two it has seen.
    const training: TrainingSet = {
      ...TINY,
      examples: [...TINY.examples, { text: '两个人为点小事吵了几句', category: 'dispute.general' }, { text: '想问问社保卡怎么办', category: 'service.general' }],
    };
    const weak = RuleSet.parse({ ...SEED_RULES, classification: [{ id: 'quarrel', category: 'dispute.general', priority: 30, any: ['吵'] }] });
    const refined = classify({ description: '对面的狗整晚嚎，吵得睡不着' }, weak, training);
    expect(refined).toMatchObject({ category: { code: 'dispute.neighbour' }, decidedBy: { by: 'learned' } });
    expect(refined.rule).toContain('over weak rule quarrel');
    const help = RuleSet.parse({ ...SEED_RULES, classification: [{ id: 'help', category: 'service.general', priority: 15, any: ['帮忙'] }] });
    // The model reads a cult tip (another kind), less than 95 % sure: under a 0.95 threshold the weak rule stands.
    const strict = { ...LEARNED_THRESHOLDS, overWeakRule: 0.95 };
    const stands = classify({ description: '帮忙看看，大师' }, help, training, strict);
    const read = stands.rules.find((r) => r.rule === 'learned');
    expect(read).toMatchObject({ category: 'tip.cult', score: expect.any(Number) });
    expect(read?.score).toBeLessThan(0.95);
    expect(read?.score).toBeGreaterThanOrEqual(LEARNED_THRESHOLDS.overWeakRule);
    expect(stands).toMatchObject({ category: { code: 'service.general' }, decidedBy: { by: 'rule', rule: 'help' } });
    // At the shipped threshold it changes the kind; near certain, it does under 0.95 too.
    expect(classify({ description: '帮忙看看，大师' }, help, training)).toMatchObject({ category: { code: 'tip.cult' }, decidedBy: { by: 'learned' } });
    expect(classify({ description: '帮忙看看，大师说病不用治' }, help, training, strict)).toMatchObject({ category: { code: 'tip.cult' }, decidedBy: { by: 'learned' } });
  });

  it('never outvotes a rule for a category it never learned (one an admin just added)', () => {
    const added = RuleSet.parse({
      ...SEED_RULES,
      categories: [...SEED_RULES.categories, { code: 'service.pet', kind: 'service', name: { zh: '宠物', en: 'Pets' }, defaultSeverity: 'service' }],
      classification: [{ id: 'pet', category: 'service.pet', priority: 10, any: ['狗'] }],
    });
    const c = classify({ description: '楼下那家的狗天天嚎，吵得睡不着' }, added, TINY);
    expect(classify({ description: '楼下那家的狗天天嚎，吵得睡不着' }, NO_RULES, TINY).decidedBy.score).toBeGreaterThan(0.9);
    expect(c).toMatchObject({ category: { code: 'service.pet' }, decidedBy: { by: 'rule', rule: 'pet' } });
  });

  it('never outvotes a rule whose document says learnedMayOutvote: false, however sure it is', () => {
    const labour = (learnedMayOutvote?: boolean) =>
      RuleSet.parse({ ...SEED_RULES, classification: [{ id: 'master', category: 'dispute.labour', priority: 50, any: ['大师'], ...(learnedMayOutvote === undefined ? {} : { learnedMayOutvote }) }] });
    const report = { description: '大师带大家练功，说练了病就好了' };
    expect(classify(report, labour(), TINY)).toMatchObject({ category: { code: 'tip.cult' }, decidedBy: { by: 'learned' } });
    expect(classify(report, labour(), TINY).rule).toContain('over firm rule master');
    expect(classify(report, labour(false), TINY)).toMatchObject({ category: { code: 'dispute.labour' }, decidedBy: { by: 'rule', rule: 'master' } });
  });

  it('stays within the sender’s kind hint', () => {
    const c = classify({ description: '大师带大家练功', kind: 'dispute' }, NO_RULES, TINY);
    expect(c.category.kind).toBe('dispute');
    expect(c.rules.find((r) => r.rule === 'learned')?.category).not.toBe('tip.cult');
  });

  it('never picks a category the rule document does not know', () => {
    const narrow = RuleSet.parse({ ...NO_RULES, categories: CATEGORIES.filter((c) => c.code !== 'dispute.neighbour') });
    expect(classify({ description: '楼下那家的狗天天嚎，吵得睡不着' }, narrow, TINY).category.code).not.toBe('dispute.neighbour');
  });
});

// Training on the whole repository set takes seconds on a loaded machine: the first test of a block pays for it.
describe('the training set kept in the repository', { timeout: 60_000 }, () => {
  const training = trainingSet();

  it('is every labelled set but fresh7.jsonl, which stays out to measure the model', () => {
    expect(TRAINING_FILES).not.toContain('fresh7.jsonl');
    expect(TRAINING_FILES).toContain('train-danger.jsonl');
    expect(training.examples.length).toBeGreaterThan(2500);
    expect(training.examples.filter((e) => e.grade).length).toBe(training.examples.length);
    expect(training.digest).toMatch(/^[0-9a-f]{12}$/);
    const blind = readFileSync(new URL('../eval/fresh7.jsonl', import.meta.url), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text);
    // Written apart, they share at most a trivial test message (测试测试123), never a real report.
    expect(training.examples.filter((e) => blind.includes(e.text) && e.text.length >= 10)).toEqual([]);
  });

  it('fingerprints its reports: the same files give the same digest', () => {
    expect(loadTrainingSet().digest).toBe(training.digest);
    expect(loadTrainingSet(['reports.jsonl']).digest).not.toBe(training.digest);
  });

  it('leaves text it has no evidence for unclassified, as the e2e markers are', () => {
    for (const description of ['marker 1712345678901', 'marker2 1712345678901', '今天天气很好']) {
      expect(classify({ description }, SEED_RULES, training).category.code).toBe('unclassified');
    }
  });
});

describe('the learned grade', { timeout: 60_000 }, () => {
  const training = trainingSet();

  it('reads character pairs only between Chinese characters, so English letters add no noise', () => {
    const features = reportFeatures(segmentClauses('Help at the bus station 着火', SEED_RULES.dictionary));
    expect(features.filter((f) => f.startsWith('c:'))).toEqual(['c:着火']);
    expect(features).not.toContain('w:the');
  });

  it('names itself among the rules and overrides a rule grade only when sure, never lowering a red one', () => {
    const settled = classify({ description: '昨天两人在菜市场推了几下，已经和好了，没人受伤，就是来备个案' }, SEED_RULES, training);
    expect(settled.rules.some((r) => r.rule === 'learned-grade')).toBe(true);
    const red = classify({ description: '有人拿刀在小区门口追着砍人，已经有人流血了' }, SEED_RULES, training);
    expect(red.severity).toBe('red');
  });

  it('keeps English dangers red through the safety net', () => {
    for (const description of ['Fight at the bus station, a guy got stabbed, bleeding a lot. Please come quick!', 'They want me to transfer 20,000 yuan right now to a safe account']) {
      expect(classify({ description }, SEED_RULES, training).severity).toBe('red');
    }
  });

  it('lowers a grade a rule reached only past the rule\'s modelMayLowerAt; a rule without one stands', () => {
    // One grading rule on 水箱 (orange); the model learns from reports that say otherwise.
    const withRule = (modelMayLowerAt?: number) =>
      RuleSet.parse({
        ...NO_RULES,
        grading: [{ id: 'orange.tank', grade: 'orange', categories: ['hazard.facility'], any: ['水箱'], ...(modelMayLowerAt ? { modelMayLowerAt } : {}) }],
      });
    const training: TrainingSet = {
      name: 'tanks',
      digest: 'tank123',
      examples: [
        ...['楼顶水箱很久没清洗', '水箱盖子有点旧', '小区水箱外面掉漆了', '水箱旁边的灯不亮'].map((text) => ({ text, category: 'hazard.facility', grade: 'yellow' })),
        { text: '水箱松动快掉下来了', category: 'hazard.facility', grade: 'orange' },
      ],
    };
    const report = { category: 'hazard.facility', description: '水箱很久没清洗了' };
    const sure = classify(report, withRule(0.8), training);
    expect(sure.severity).toBe('yellow');
    expect(sure.rule).toMatch(/learned-grade [01]\.\d\d .*\(rules: orange by orange\.tank/);
    // Metrics count grades by what set them: here the model changed the rules' grade.
    expect(sure.gradedBy).toBe('learned');
    expect(classify(report, withRule(1), training)).toMatchObject({ severity: 'orange', gradedBy: 'rules' });
    expect(classify(report, withRule(1), training).severity).toBe('orange');
    expect(classify(report, withRule(), training).severity).toBe('orange');
  });

  it('floors at orange when either grade model finds red likely, not only their mean', () => {
    const reds: TrainingSet = {
      name: 'reds',
      digest: 'red123',
      methods: { grade: 'naive-bayes+logistic+rules' },
      examples: [
        { text: '邻居家的狗半夜叫', category: 'dispute.neighbour', grade: 'yellow' },
        { text: '邻居家装修太吵', category: 'dispute.neighbour', grade: 'yellow' },
        { text: '楼上邻居漏水', category: 'dispute.neighbour', grade: 'yellow' },
        { text: '邻居拿菜刀砍人', category: 'dispute.neighbour', grade: 'red' },
      ],
    };
    // Naive Bayes gives red about 0.14, the regression about 0.02: their mean is under the floor, naive Bayes is not.
    const guess = guessCategory(gradeModel(reds, NO_RULES), segmentClauses('楼上邻居漏水，拿', NO_RULES.dictionary), new Set(['red', 'orange', 'yellow', 'service']));
    expect(guess?.category).toBe('yellow');
    expect(guess?.scores.get('red')).toBeLessThan(LEARNED_THRESHOLDS.redFloor);
    expect(guess?.opinions[0]?.get('red')).toBeGreaterThanOrEqual(LEARNED_THRESHOLDS.redFloor);
    const c = classify({ description: '楼上邻居漏水，拿' }, NO_RULES, reds, { ...LEARNED_THRESHOLDS, gradeConfidence: 1.1 });
    expect(c.severity).toBe('orange');
    expect(c.rule).toMatch(/learned-grade red 0\.\d\d \(without it: yellow/);
    expect(c.gradedBy).toBe('learned');
  });

  it('does not floor an ordinary quarrel it is sure is yellow because of a small red chance', () => {
    // The grade model reads it yellow 0.83, red 0.17: as sure as it must be to lower a grade, so the red floor stays out.
    const quarrel = classify({ description: '楼下邻居吵架，声音很大' }, SEED_RULES, training);
    expect(quarrel).toMatchObject({ category: { code: 'dispute.neighbour' }, severity: 'yellow' });
    expect(quarrel.rules.find((r) => r.rule === 'learned-grade')).toMatchObject({ category: 'yellow' });
  });

  it.each(['楼上楼下因为噪音吵架', '邻居吵架', '邻居吵架了', '邻居吵架，声音很大'])('grades the ordinary quarrel %s yellow: no rule and no learned word found a danger', (description) => {
    expect(classify({ description }, SEED_RULES, training)).toMatchObject({ category: { code: 'dispute.neighbour' }, severity: 'yellow' });
  });

  it('says on the decision line that it set aside the model\'s red of an ordinary quarrel', () => {
    // The model learned 楼上楼下, 吵架 and 噪音 from quarrels that went on to a knife (red 0.99).
    expect(classify({ description: '楼上楼下因为噪音吵架' }, SEED_RULES, training).rule).toMatch(/yellow by category default \(learned-grade red 0\.\d\d set aside: an ordinary matter, no danger cue\)/);
  });

  it.each(['小区门口有人吵架', '小区里有人吵架', '两个人在小区门口吵架'])('keeps the plain quarrel %s an ordinary dispute, yellow: where it happens is no risk', (description) => {
    // The model read 小区门口有人吵架 hazard.public-order 0.57 on 口有, and its grade orange 0.92 on 小区, 有人, 门口.
    const c = classify({ description }, SEED_RULES, training);
    expect(c).toMatchObject({ category: { code: 'dispute.general' }, severity: 'yellow' });
  });

  it.each(['超市门口有人吵架', '饭馆门口有人吵架', '超市里两个人为了排队吵架'])('keeps the quarrel %s at a shop an ordinary dispute, yellow: a place-only rule names where, not what', (description) => {
    // 超市 and 饭馆 are cues of hazard.small-venue.place (a weak rule that outranked the quarrel's catch-all: orange dispute.fight).
    expect(classify({ description }, SEED_RULES, training)).toMatchObject({ category: { code: 'dispute.general' }, severity: 'yellow' });
  });

  it.each(['他说要杀了我', '对方威胁说要弄死我全家', '他威胁我说要砍死我'])('reads the threat %s as a red dispute, not unclassified', (description) => {
    const c = classify({ description }, SEED_RULES, training);
    expect(c.severity).toBe('red');
    expect(c.category.kind).toBe('dispute');
  });

  it.each(['楼道里堆放杂物存在安全威胁', '电动车在楼道充电，威胁到居民安全'])('does not read the hazard %s as a threat to kill', (description) => {
    expect(classify({ description }, SEED_RULES, training)).toMatchObject({ category: { code: 'hazard.fire' }, severity: 'orange' });
  });

  it.each([
    ['消防通道被堵住', 'orange'],
    ['消防通道被杂物堵住了', 'orange'],
    ['村民把路堵住了', 'red'],
  ])('tells a blocked fire exit (%s) from people blocking a road: %s', (description, severity) => {
    // red.mass-incident's 堵住 read 消防通道被堵住 as a blockade: its `not` named only 堵住…通道, not 通道…堵住.
    expect(classify({ description }, SEED_RULES, training).severity).toBe(severity);
  });

  it('lets a place-only rule decide only where no other rule read anything', () => {
    expect(classify({ description: '超市门口有人吵架，吵了好几次了' }, SEED_RULES, training)).toMatchObject({ category: { code: 'dispute.general' }, severity: 'orange' });
    expect(classify({ description: '超市没有营业执照' }, SEED_RULES, training)).toMatchObject({ category: { code: 'hazard.small-venue' } });
    expect(classify({ description: '在超市丢了钱包' }, SEED_RULES, training)).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
  });

  it.each([
    ['小区门口有人吵架，有人拿刀', 'red'],
    ['门口有人打架，有人流血', 'red'],
    ['小区门口又有人吵架了', 'orange'],
    ['他家的羊第三回跑俺地里了', 'orange'],
  ])('still grades a quarrel with a risk cue, %s, %s', (description, severity) => {
    expect(classify({ description }, SEED_RULES, training).severity).toBe(severity);
  });

  it.each(['路边垃圾堆积', '路边垃圾堆积，臭气熏天', '小区门口垃圾没人清理', '路灯坏了好几天了'])('grades the ordinary fault %s yellow: the model\'s small red chance (垃圾堆 of 垃圾堆着火) is no danger', (description) => {
    const c = classify({ description }, SEED_RULES, training);
    expect(c.severity).toBe('yellow');
    expect(c.category.code).not.toBe('unclassified');
  });

  it.each([
    ['垃圾堆着火了', 'hazard.fire', 'red'],
    ['楼道里堆满杂物，堵住了消防通道', 'hazard.fire', 'orange'],
    ['电梯门不感应，差点夹到人', 'hazard.facility', 'orange'],
  ])('keeps a fault with a risk, %s, %s %s', (description, code, severity) => {
    expect(classify({ description }, SEED_RULES, training)).toMatchObject({ category: { code }, severity });
  });

  it.each(['钱不见了', '八十块钱不见了', '我放在桌上的两百块钱不见了'])('grades money gone, %s, as lost property (service): 不见 said of a thing is no danger', (description) => {
    // The model learned 不见 and 见了 as danger words from missing children (红 0.86 for 钱不见了).
    const c = classify({ description }, SEED_RULES, training);
    expect(c).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
  });

  it.each(['孩子不见了', '钱和孩子都不见了', '八十岁老人不见了'])('keeps a person gone, %s, red', (description) => {
    expect(classify({ description }, SEED_RULES, training)).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red' });
  });

  it.each(['邻居吵架，推推搡搡的', '两家人在楼下推推搡搡'])('grades pushing and shoving, %s, orange by orange.pushing (推推搡搡 is one word to the segmenter)', (description) => {
    const c = classify({ description }, SEED_RULES, training);
    expect(c.severity).toBe('orange');
    expect(c.rules.find((r) => r.rule === 'orange.pushing')?.matched).toEqual(['推推搡搡']);
  });

  it.each([
    ['邻居吵架，拿刀了', 'red.weapon'],
    ['吵架打起来了有人流血', 'red.injury'],
    ['他说要杀了我', 'red.threat'],
  ])('keeps the quarrel with a danger %s red by its rule', (description, rule) => {
    const c = classify({ description }, SEED_RULES, training);
    expect(c.severity).toBe('red');
    expect(c.rule).toContain(rule);
  });

  it('keeps a learned red that rests on a danger word the model learned from many red reports (要杀, no rule names it)', () => {
    const c = classify({ description: '有人要杀我' }, SEED_RULES, training);
    expect(c.severity).toBe('red');
    expect(c.rule).toMatch(/red by learned-grade/);
  });

  it('holds at orange a learned red with no danger cue: no red rule, no word seen in enough red reports', () => {
    const tanks: TrainingSet = {
      name: 'tanks',
      digest: 'tank456',
      examples: [
        ...['楼顶水箱漏了', '水箱盖子掉了', '小区水箱很脏', '水箱上面有裂缝', '水箱外面生锈'].map((text) => ({ text, category: 'hazard.facility', grade: 'red' })),
        ...['路灯不亮', '井盖有点松', '电梯按钮坏了'].map((text) => ({ text, category: 'hazard.facility', grade: 'yellow' })),
      ],
    };
    const report = { category: 'hazard.facility', description: '水箱' };
    const held = classify(report, NO_RULES, tanks);
    expect(held.severity).toBe('orange');
    expect(held.rule).toMatch(/learned-grade 0\.9\d .*; no danger cue, so orange$/);
    // Five red reports make 水箱 a danger word once the bar is five.
    expect(classify(report, NO_RULES, tanks, { ...LEARNED_THRESHOLDS, dangerReports: 5 }).severity).toBe('red');
  });

  it('grades orange at least a report it finds likely red, even where no rule saw a danger', () => {
    const c = classify({ description: '俺兄弟抡起铁锨说要劈了他，吓死人了' }, SEED_RULES, training);
    expect(['orange', 'red']).toContain(c.severity);
  });
});

describe('a missing child, elderly or impaired person, with the learned model', { timeout: 60_000 }, () => {
  const training = trainingSet();

  it.each(['老人走丢了', '我家老人走丢了', '老人走丢了，请帮忙', '我家老人走失了', '孩子被人抱走了', '八十岁的老人走丢了', '我家八十多岁的奶奶不见了', '我妈有老年痴呆，早上出门到现在联系不上', '我爸老年痴呆，早上出去遛弯，到现在还没回来'])(
    '%s is a missing person, red, whatever the model read',
    (description) => {
      const c = classify({ description }, SEED_RULES, training);
      expect(c).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red' });
      expect(c.decidedBy.by).toBe('rule');
    },
  );

  it.each([
    ['家里老人手机丢了，帮忙找找', 'service.lost-property'],
    ['孩子找不到作业本了', 'service.lost-property'],
  ])('%s is lost property, graded service, not a missing person', (description, category) => {
    expect(classify({ description }, SEED_RULES, training)).toMatchObject({ category: { code: category }, severity: 'service' });
  });

  it('leaves a person gone while money was paid (付个钱的工夫她就不见了) to the other rules and the model: no money went missing', () => {
    expect(classify({ description: '老伴有老年痴呆，我付个钱的工夫她就不见了' }, SEED_RULES, training)).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red' });
  });

  it.each(['八十块钱不见了', '八十元不见了', '我放在抽屉里的八十多块钱找不到了'])('%s is money lost, never a missing person, whatever the model read of 八十', (description) => {
    const c = classify({ description }, SEED_RULES, training);
    expect(c).toMatchObject({ category: { code: 'service.lost-property' }, decidedBy: { by: 'rule', rule: 'service.lost-property.money' } });
    expect(c.severity).not.toBe('red');
  });

  it('leaves a retraction to the model: 走丢的孩子找着了 is no longer a missing person', () => {
    const c = classify({ description: '刚才报的那个走丢的孩子找着了，在他姥姥家' }, SEED_RULES, training);
    expect(c.category.code).not.toBe('service.missing-person');
    expect(c.severity).toBe('service');
  });
});

describe('audit 6: missing persons, traditional characters, red without danger, red filed as vice', { timeout: 60_000 }, () => {
  const training = trainingSet();

  it.each(['我家小孩丢了', '帮忙找一下我家小孙子，六岁，在菜市场跟丢了', '我家孙子在菜市场一转身丢了', '女儿在商场一眨眼就丢了'])('%s is a missing child (a person, never lost property): red', (description) => {
    expect(classify({ description }, SEED_RULES, training)).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red' });
  });

  it.each(['孩子丢了钱包', '老人丢了钥匙，急', '孩子一转身丢了钱包'])('%s is a thing lost, not a person: service', (description) => {
    expect(classify({ description }, SEED_RULES, training)).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
  });

  it.each(['service.general', 'service.lost-property'])('grades a missing elderly person red from the text although the sender chose %s (the category is kept)', (category) => {
    const c = classify({ description: '寻人：七十五岁老人，记忆力不好，昨晚未归', category }, SEED_RULES, training);
    expect(c).toMatchObject({ category: { code: category }, severity: 'red', decidedBy: { by: 'sender' } });
    expect(c.rule).toContain('red.missing-vulnerable');
  });


  it.each([
    ['他說要殺了我', '他说要杀了我'],
    ['他要殺我', '他要杀我'],
    ['我女兒說想自殺', '我女儿说想自杀'],
    ['幾十個人衝擊鎮政府', '几十个人冲击镇政府'],
    ['一群人圍堵了村委會', '一群人围堵了村委会'],
  ])('grades %s (traditional characters) as its simplified form %s: red', (traditional, simplified) => {
    const t = classify({ description: traditional }, SEED_RULES, training);
    const s = classify({ description: simplified }, SEED_RULES, training);
    expect(t.severity).toBe('red');
    expect({ category: t.category.code, severity: t.severity }).toEqual({ category: s.category.code, severity: s.severity });
  });

  it.each([
    ['有人在楼道里抽烟，烟味很重', 'cigarette smoke is no fire now (the model learned 很重 from 煤气味很重)'],
    ['楼下烧烤店烟很大，熏得我家没法开窗', 'a barbecue\'s smoke is no fire now (red.fire-now.smoke gives way to 烧烤)'],
    ['他说再不还钱就去法院告我', 'a lawsuit is no threat to harm (the model learned 再不…还钱 from 再不还钱就砍死你)'],
  ])('does not grade %s red: %s', (description) => {
    expect(['orange', 'yellow']).toContain(classify({ description }, SEED_RULES, training).severity);
  });

  it.each(['楼下烧烤店着火了，烟很大', '小区燃气管道被挖断了，嘶嘶往外冒气，味道特别冲，附近还有人在抽烟', '他说再不还钱就砍死我，还要去法院告我'])('keeps %s red: a flame, gas or a threat named beside the everyday words', (description) => {
    expect(classify({ description }, SEED_RULES, training).severity).toBe('red');
  });

  it.each(['有人要跳河', '有人要跳樓', '出租屋里有人烧炭，门反锁着', '楼道里有人倒在血泊中'])('files %s as help (service.general), red, never as tip.vice on words of no vice rule', (description) => {
    expect(classify({ description }, SEED_RULES, training)).toMatchObject({ category: { code: 'service.general' }, severity: 'red' });
  });

  it('leaves a drug user in danger a vice tip when a vice rule reads it (楼道里有个人吸了毒 在地上抽搐)', () => {
    expect(classify({ description: '楼道里有个人吸了毒 在地上抽搐 口吐白沫' }, SEED_RULES, training)).toMatchObject({ category: { code: 'tip.vice' }, severity: 'red' });
  });

  it('files a blockade of a government office by a crowd as a mass incident (dispute.general), not wages', () => {
    expect(classify({ description: '一群人把县政府门口的路堵了，要集体上访' }, SEED_RULES, training)).toMatchObject({ category: { code: 'dispute.general' }, severity: 'red' });
  });

  it.each(['我要跟他拼了，今天晚上就去他家', '再不还我钱，我就跟你拼命'])('grades the threat %s red', (description) => {
    expect(classify({ description }, SEED_RULES, training).severity).toBe('red');
  });
});

describe('audit 8: an address or a contact line decides no category and no grade', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const ADDRESS = '市民来电反映：永昌县城关镇北海子路宝河苑小区5号楼2单元，';
  const CONTACT = '。联系人李四电话13800138000身份证620321199001011234';
  const read = (description: string) => {
    const c = classify({ description }, SEED_RULES, training);
    return { category: c.category.code, severity: c.severity };
  };

  it('files a wrist cut behind a hotline address as help, red (the model read 号楼, 单元 as hazard.fire over the firm rule)', () => {
    expect(read(`${ADDRESS}有人割腕，流了很多血，请求帮助。`)).toEqual({ category: 'service.general', severity: 'red' });
  });

  it('files drug use in a numbered building as a vice tip, as without the address (it was hazard.fire: a tip misfiled reaches the grid)', () => {
    expect(read('3号楼2单元有人在家吸毒')).toEqual({ category: 'tip.vice', severity: 'orange' });
    expect(read('3号楼2单元有人在家吸毒')).toEqual(read('有人在家吸毒'));
  });

  it('does not grade drug use red on a place name (城关镇, 北海 were learned-grade red)', () => {
    expect(read('城关镇北海子路有人吸毒')).toEqual({ category: 'tip.vice', severity: 'orange' });
  });

  it.each(['有人拿刀威胁要杀人', '有人割腕，流了很多血', '几个人拿着棍棒在村口对峙', '家里老父亲有老年痴呆，早上出门到现在还没回来', '有人在家吸毒'])(
    'reads %s the same behind a hotline address and before a contact line',
    (trouble) => {
      const alone = read(trouble);
      expect(alone.category).not.toBe('hazard.fire');
      expect(read(`${ADDRESS}${trouble}`)).toEqual(alone);
      expect(read(`${ADDRESS}${trouble}${CONTACT}`)).toEqual(alone);
    },
  );

  it('still reads a place that is the trouble: 消防通道, and a quarrel at a shop', () => {
    expect(read(`${ADDRESS}楼道里堆满杂物，堵住了消防通道`)).toEqual({ category: 'hazard.fire', severity: 'orange' });
    expect(read(`${ADDRESS}超市门口有人吵架`)).toEqual({ category: 'dispute.general', severity: 'yellow' });
  });
});

describe('a tip rule or a person in danger, against the learned model (audit 8)', () => {
  // A model taught that these words are fires, as the address tokens taught it: sure, but not nearly sure.
  const FIRES: TrainingSet = {
    name: 'fires',
    digest: 'fires1',
    examples: [
      ...['楼里有人在家吸毒，着火了', '有人晕倒，楼里着火了', '楼里着火了'].map((text) => ({ text, category: 'hazard.fire' })),
      ...[['麻将馆里赌钱', 'tip.vice'], ['想问问低保怎么办', 'service.general'], ['邻居家的狗整晚叫', 'dispute.neighbour']].map(([text, category]) => ({ text: text as string, category: category as string })),
    ],
  };
  const outvote = (description: string, overGuardedRule: number) => classify({ description }, SEED_RULES, FIRES, { ...LEARNED_THRESHOLDS, overGuardedRule });

  it.each([
    ['有人在家吸毒', 'tip.vice', 'tip.vice'],
    // Not 有人割腕了: self-harm talk is a rule the model never outvotes (service.person-in-danger.alone).
    ['有人晕倒了', 'service.general', 'service.person-in-danger'],
  ])('keeps %s %s unless the model is at least LEARNED_OVER_GUARDED_RULE sure', (description, code, rule) => {
    // At the firm rules' bar the model outvotes the rule: it reads hazard.fire, sure but not nearly sure.
    const firmBar = outvote(description, LEARNED_THRESHOLDS.overFirmRule);
    expect(firmBar).toMatchObject({ category: { code: 'hazard.fire' }, decidedBy: { by: 'learned' } });
    expect(firmBar.decidedBy.score).toBeLessThan(LEARNED_OVER_GUARDED_RULE);
    const c = classify({ description }, SEED_RULES, FIRES);
    expect(c).toMatchObject({ category: { code }, decidedBy: { by: 'rule' } });
    expect(c.rule).toContain(rule);
  });
});
