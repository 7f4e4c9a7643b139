/**
 * Measures the classifier on the labelled reports in eval/reports.jsonl: accuracy per category and
 * per grade, the confusion pairs, every miss, how many red reports were graded below orange, and what
 * decided each category (a rule, the learned model, nothing) with its accuracy.
 *   node services/triage/eval/evaluate.ts [--rules rules.json] [--set reports.jsonl] [--no-learned]
 *   pnpm --filter @gridcase/triage eval
 * The learned model is trained as triage trains it (src/training-set.ts: reports.jsonl + fresh2.jsonl),
 * so on those two sets it has seen every report; `--no-learned` measures the rules alone.
 * A report, not a test: it prints figures and exits 0.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { RuleSet } from '@gridcase/contracts';
import { classify } from '../src/domain/classify.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { trainingSet } from '../src/training-set.ts';

interface Labelled {
  text: string;
  title?: string;
  category: string;
  grade: string;
}

const { values } = parseArgs({ options: { rules: { type: 'string' }, set: { type: 'string' }, 'no-learned': { type: 'boolean' } } });
const learned = values['no-learned'] ? undefined : trainingSet();
const rules = values.rules ? RuleSet.parse(JSON.parse(readFileSync(values.rules, 'utf8'))) : SEED_RULES;
const setPath = values.set ?? new URL('./reports.jsonl', import.meta.url);
const reports: Labelled[] = readFileSync(setPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim().length > 0)
  .map((line) => JSON.parse(line) as Labelled);

/** The figures go to stdout (the linter keeps console for warnings and errors). */
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const RANK: Record<string, number> = { service: 0, yellow: 1, orange: 2, red: 3 };

class Tally {
  private readonly rows = new Map<string, { right: number; total: number }>();
  add(label: string, right: boolean): void {
    const row = this.rows.get(label) ?? { right: 0, total: 0 };
    row.total += 1;
    if (right) row.right += 1;
    this.rows.set(label, row);
  }
  print(title: string): void {
    const all = [...this.rows.values()].reduce((a, r) => ({ right: a.right + r.right, total: a.total + r.total }), { right: 0, total: 0 });
    say(`\n${title}: ${pct(all.right, all.total)} (${all.right}/${all.total})`);
    for (const [label, r] of [...this.rows].sort(([a], [b]) => a.localeCompare(b))) {
      say(`  ${label.padEnd(24)} ${pct(r.right, r.total).padStart(7)}  ${r.right}/${r.total}`);
    }
  }
}

const pct = (n: number, d: number) => `${d ? ((100 * n) / d).toFixed(1) : '—'} %`;

const categories = new Tally();
const grades = new Tally();
const deciders = new Tally();
const confusion = new Map<string, number>();
const misses: string[] = [];
let redBelowOrange = 0;

for (const r of reports) {
  const got = classify({ title: r.title, description: r.text }, rules, learned);
  const categoryRight = got.category.code === r.category;
  deciders.add(got.decidedBy.by, categoryRight);
  const gradeRight = got.severity === r.grade;
  categories.add(r.category, categoryRight);
  grades.add(r.grade, gradeRight);
  if (!categoryRight) {
    const pair = `${r.category} → ${got.category.code}`;
    confusion.set(pair, (confusion.get(pair) ?? 0) + 1);
  }
  if (!gradeRight) {
    const pair = `grade ${r.grade} → ${got.severity}`;
    confusion.set(pair, (confusion.get(pair) ?? 0) + 1);
  }
  if (r.grade === 'red' && (RANK[got.severity] ?? 0) < RANK.orange) redBelowOrange += 1;
  if (!categoryRight || !gradeRight) misses.push(`  ${r.text}\n    expected ${r.category}/${r.grade}, got ${got.category.code}/${got.severity} — ${got.rule}`);
}

say(`${reports.length} labelled reports${learned ? `, learned model trained on ${learned.name} (${learned.digest})` : ', rules alone'}`);
categories.print('Category accuracy');
grades.print('Grade accuracy');
deciders.print('Category decided by (rule, learned, none: share right)');
say('\nConfusion pairs (expected → got):');
for (const [pair, n] of [...confusion].sort((a, b) => b[1] - a[1])) say(`  ${String(n).padStart(3)}  ${pair}`);
if (confusion.size === 0) say('  none');
say(`\nRed reports graded below orange: ${redBelowOrange}`);
say(`\nMisses (${misses.length}):`);
say(misses.join('\n') || '  none');
