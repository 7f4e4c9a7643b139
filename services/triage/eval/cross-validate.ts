/**
 * k-fold cross-validation of the classifier (rules + learned model) on the training files: each fold's
 * reports are classified by a model trained on the other folds. This is how decision thresholds are
 * chosen without looking at the blind sets. A report, not a test: it prints figures and exits 0.
 *   node services/triage/eval/cross-validate.ts [--folds 5] [--files a.jsonl,b.jsonl]
 *     [--category naive-bayes|naive-bayes+rules|naive-bayes+logistic|naive-bayes+logistic+rules] [--grade …]
 *     [--set overFirmRule=0.8,redFloor=0.1]
 *     [--sweep gradeConfidence=0.8/0.85/0.9]   (figures for each value, a+b=… moves two together; models are trained once per fold)
 * --files reads the training files (src/training-set.ts) unless given, so new corpora count once listed there.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { classify, LEARNED_THRESHOLDS, type LearnedThresholds } from '../src/domain/classify.ts';
import type { LabelledReport, LearnedMethod, TrainingSet } from '../src/domain/learned-category.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { TRAINING_FILES } from '../src/training-set.ts';

interface Labelled extends LabelledReport {
  title?: string;
  grade: string;
}

const { values } = parseArgs({
  options: {
    folds: { type: 'string' },
    files: { type: 'string' },
    category: { type: 'string' },
    grade: { type: 'string' },
    set: { type: 'string' },
    sweep: { type: 'string' },
  },
});
const folds = Number(values.folds ?? 5);
const files = values.files ? values.files.split(',') : [...TRAINING_FILES];
const all: Labelled[] = files.flatMap((file) =>
  readFileSync(new URL(file, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labelled),
);
// A fixed shuffle (by a hash of the text), so every run splits the same way.
const order = (r: Labelled) => createHash('sha1').update(r.text).digest('hex');
const shuffled = [...all].sort((a, b) => order(a).localeCompare(order(b)));

const methods = {
  ...(values.category ? { category: values.category as LearnedMethod } : {}),
  ...(values.grade ? { grade: values.grade as LearnedMethod } : {}),
};
const pairs = (list: string | undefined): [string, string][] => (list ? list.split(',').map((kv) => kv.split('=') as [string, string]) : []);
const base: LearnedThresholds = { ...LEARNED_THRESHOLDS, ...Object.fromEntries(pairs(values.set).map(([k, v]) => [k, Number(v)])) };
// `--sweep a+b=0.5/0.6` moves a and b together.
const settings: LearnedThresholds[] = pairs(values.sweep).flatMap(([keys, list]) =>
  list.split('/').map((v) => ({ ...base, ...Object.fromEntries(keys.split('+').map((key) => [key, Number(v)])) })),
);
if (!settings.length) settings.push(base);

const foldSets = Array.from({ length: folds }, (_, k) => ({
  test: shuffled.filter((_, i) => i % folds === k),
  learned: { name: `fold-${k}`, digest: `fold${k}`, examples: shuffled.filter((_, i) => i % folds !== k), methods } satisfies TrainingSet,
}));

const RANK: Record<string, number> = { service: 0, yellow: 1, orange: 2, red: 3 };
const pct = (n: number) => `${((100 * n) / all.length).toFixed(1)} %`;
process.stdout.write(`${all.length} reports from ${files.join(', ')}, ${folds} folds, methods ${JSON.stringify(methods)}\n`);
for (const thresholds of settings) {
  let category = 0;
  let grade = 0;
  let redLow = 0;
  let reds = 0;
  const by = new Map<string, { right: number; total: number }>();
  for (const { test, learned } of foldSets) {
    for (const r of test) {
      const got = classify({ title: r.title, description: r.text }, SEED_RULES, learned, thresholds);
      const right = got.category.code === r.category;
      if (right) category++;
      if (got.severity === r.grade) grade++;
      if (r.grade === 'red') {
        reds++;
        if ((RANK[got.severity] ?? 0) < RANK.orange!) {
          redLow++;
          if (process.env.SHOW_RED_LOW) process.stdout.write(`red graded ${got.severity}: ${r.text.slice(0, 90)}\n  ${got.rule.slice(0, 220)}\n`);
        }
      }
      const row = by.get(got.decidedBy.by) ?? { right: 0, total: 0 };
      row.total++;
      if (right) row.right++;
      by.set(got.decidedBy.by, row);
    }
  }
  process.stdout.write(
    `${JSON.stringify(thresholds)}\n` +
      `category ${pct(category)}  grade ${pct(grade)}  red below orange ${redLow}/${reds}\n` +
      [...by].map(([k, v]) => `  decided by ${k.padEnd(10)} ${v.right}/${v.total}`).join('\n') +
      '\n',
  );
}
