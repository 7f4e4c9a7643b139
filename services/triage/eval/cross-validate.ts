/**
 * k-fold cross-validation of the classifier (rules + learned model) on the training files: each fold's
 * reports are classified by a model trained on the other folds. This is how decision thresholds are
 * chosen without looking at the blind sets. A report, not a test: it prints figures and exits 0.
 *   node services/triage/eval/cross-validate.ts [--folds 5] [--files a.jsonl,b.jsonl]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { classify } from '../src/domain/classify.ts';
import type { LabelledReport, TrainingSet } from '../src/domain/learned-category.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { TRAINING_FILES } from '../src/training-set.ts';

interface Labelled extends LabelledReport {
  title?: string;
  grade: string;
}

const { values } = parseArgs({ options: { folds: { type: 'string' }, files: { type: 'string' } } });
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

const RANK: Record<string, number> = { service: 0, yellow: 1, orange: 2, red: 3 };
let category = 0;
let grade = 0;
let redLow = 0;
let reds = 0;
const by = new Map<string, { right: number; total: number }>();
for (let k = 0; k < folds; k++) {
  const test = shuffled.filter((_, i) => i % folds === k);
  const train = shuffled.filter((_, i) => i % folds !== k);
  const learned: TrainingSet = { name: `fold-${k}`, digest: `fold${k}`, examples: train };
  for (const r of test) {
    const got = classify({ title: r.title, description: r.text }, SEED_RULES, learned);
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
const pct = (n: number) => `${((100 * n) / all.length).toFixed(1)} %`;
process.stdout.write(
  `${all.length} reports from ${files.join(', ')}, ${folds} folds\n` +
    `category ${pct(category)}  grade ${pct(grade)}  red below orange ${redLow}/${reds}\n` +
    [...by].map(([k, v]) => `  decided by ${k.padEnd(10)} ${v.right}/${v.total}`).join('\n') +
    '\n',
);
