/**
 * Prints how word-level similarity separates the labelled pairs (eval/duplicate-pairs.ts): for each
 * measure and threshold, pairs merged rightly and wrongly; then the whole decision at the chosen
 * threshold (each text classified, same kind and family required) and the pairs it gets wrong.
 * A script, not a test:  node services/triage/eval/duplicates.ts
 */
import { classify } from '../src/domain/classify.ts';
import { featuresOf, SIMILARITY_THRESHOLD, sameFamily } from '../src/domain/duplicates.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { segment } from '../src/domain/segment.ts';
import { contentWords, cosine, jaccard } from '../src/domain/similarity.ts';
import { trainingSet } from '../src/training-set.ts';
import { PAIRS } from './duplicate-pairs.ts';

const print = (line: string) => process.stdout.write(`${line}\n`);
const dictionary = SEED_RULES.dictionary;
const words = (t: string) => contentWords(segment(t, dictionary));
const measures: Record<string, (a: string, b: string) => number> = {
  'jaccard, words': (a, b) => jaccard(words(a), words(b)),
  'cosine, words': (a, b) => cosine(words(a), words(b)),
  'jaccard, words + characters (chosen)': (a, b) => jaccard(featuresOf(a, dictionary), featuresOf(b, dictionary)),
  'cosine, words + characters': (a, b) => cosine(featuresOf(a, dictionary), featuresOf(b, dictionary)),
};
const positives = PAIRS.filter((p) => p.same).length;
const negatives = PAIRS.length - positives;
print(`${PAIRS.length} pairs at one place: ${positives} rewordings that should merge, ${negatives} other troubles that should not\n`);

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '—');
const row = (label: string, merged: readonly boolean[]) => {
  const tp = PAIRS.filter((p, i) => p.same && merged[i]).length;
  const fp = PAIRS.filter((p, i) => !p.same && merged[i]).length;
  return `${label.padStart(10)}  ${String(tp).padStart(12)}  ${String(fp).padStart(12)}  ${String(positives - tp).padStart(6)}  ${pct(tp, tp + fp).padStart(9)}  ${pct(tp, positives).padStart(6)}  ${pct(tp + negatives - fp, PAIRS.length).padStart(8)}`;
};
const header = ' threshold  merged-right  merged-wrong  missed  precision  recall  accuracy';

for (const [name, measure] of Object.entries(measures)) {
  const scores = PAIRS.map((p) => measure(p.a, p.b));
  print(`${name}\n${header}`);
  for (let t = 0.15; t <= 0.551; t += 0.05) {
    const mark = name.includes('chosen') && Math.abs(t - SIMILARITY_THRESHOLD) < 1e-9 ? '  ← chosen' : '';
    print(`${row(t.toFixed(2), scores.map((s) => s >= t))}${mark}`);
  }
  print('');
}

// The decision as triage makes it: classification first (same kind and family, the learned model included), then similarity.
const learned = trainingSet();
const kindOf = (t: string) => {
  const { category } = classify({ description: t }, SEED_RULES, learned);
  return { kind: category.kind, category: category.code };
};
const decided = PAIRS.map((p) => {
  const similarity = jaccard(featuresOf(p.a, dictionary), featuresOf(p.b, dictionary));
  const family = sameFamily(kindOf(p.a), kindOf(p.b));
  return { ...p, similarity, family, merged: family && similarity >= SIMILARITY_THRESHOLD };
});
print(`the whole decision: classified, same kind and family, words + characters\n${header}`);
for (let t = 0.2; t <= 0.451; t += 0.05) {
  const mark = Math.abs(t - SIMILARITY_THRESHOLD) < 1e-9 ? '  ← chosen' : '';
  print(`${row(t.toFixed(2), decided.map((d) => d.family && d.similarity >= t))}${mark}`);
}
print(`\nmisjudged at ${SIMILARITY_THRESHOLD}:`);
for (const d of decided.filter((d) => d.merged !== d.same)) {
  const why = d.merged ? 'merged, should not' : d.family ? 'missed (words)' : `missed (classified ${kindOf(d.a).category} / ${kindOf(d.b).category})`;
  print(`  ${why}  ${d.similarity.toFixed(2)}  ${d.a}  |  ${d.b}`);
}
