import { type Document, type Scored, vocabularyOf } from './naive-bayes.ts';

/**
 * A multinomial logistic regression (softmax) over binary features, trained by a few epochs of
 * stochastic gradient descent with L2 decay. Naive Bayes counts each feature as if it were independent
 * evidence, so a report full of one label's words comes out 99.9 % sure whether or not it is right;
 * this model weighs features against each other and its probabilities mean more, which is what
 * classify()'s thresholds need. Deterministic: documents are visited in an order drawn from a fixed seed.
 */

export interface LogisticOptions {
  epochs: number;
  /** The learning rate at the start; it decays as 1 / (1 + rate · l2 · step). */
  rate: number;
  /** L2 decay, applied to the weights a document touches. */
  l2: number;
  seed: number;
}

export const LOGISTIC_DEFAULTS: LogisticOptions = { epochs: 5, rate: 0.5, l2: 1e-4, seed: 7 };

export interface LogisticRegression {
  /** Sorted. */
  labels: readonly string[];
  /** A feature's row in `weights`. */
  features: ReadonlyMap<string, number>;
  /** Row-major: feature × label. Float32 halves the heap; the scores need no more precision. */
  weights: Float32Array;
  bias: Float64Array;
}

/** mulberry32: a small seeded generator, so the shuffles are the same on every machine. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `features` numbers every feature of the documents (naive-bayes.ts vocabularyOf, which a naive Bayes model of the same documents can share). */
export function trainLogisticRegression(
  documents: readonly Document[],
  options: LogisticOptions = LOGISTIC_DEFAULTS,
  features: ReadonlyMap<string, number> = vocabularyOf(documents),
): LogisticRegression {
  const labels = [...new Set(documents.map((d) => d.label))].sort();
  const width = labels.length;
  const labelAt = new Map(labels.map((l, i) => [l, i]));
  const encoded = documents.map((d) => ({
    features: Int32Array.from(new Set(d.features), (f) => {
      const row = features.get(f);
      if (row === undefined) throw new Error(`trainLogisticRegression: the vocabulary lacks ${f}`);
      return row;
    }),
    label: labelAt.get(d.label) as number,
  }));
  const weights = new Float64Array(features.size * width);
  const bias = new Float64Array(width);
  const scores = new Float64Array(width);
  const order = encoded.map((_, i) => i);
  const random = generator(options.seed);
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const at of order) {
      const doc = encoded[at] as (typeof encoded)[number];
      const rate = options.rate / (1 + options.rate * options.l2 * step++);
      linearScores(weights, bias, doc.features, scores);
      softmaxInPlace(scores);
      for (let c = 0; c < width; c++) {
        const gradient = (scores[c] as number) - (c === doc.label ? 1 : 0);
        bias[c] = (bias[c] as number) - rate * gradient;
        for (const f of doc.features) {
          const k = f * width + c;
          weights[k] = (weights[k] as number) - rate * (gradient + options.l2 * (weights[k] as number));
        }
      }
    }
  }
  return { labels, features, weights: Float32Array.from(weights), bias };
}

function linearScores(weights: Float64Array | Float32Array, bias: Float64Array, rows: Iterable<number>, out: Float64Array): void {
  const width = bias.length;
  out.set(bias);
  for (const f of rows) {
    const base = f * width;
    for (let c = 0; c < width; c++) out[c] = (out[c] as number) + (weights[base + c] as number);
  }
}

function softmaxInPlace(scores: Float64Array): void {
  let top = -Infinity;
  for (const s of scores) if (s > top) top = s;
  let total = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = Math.exp((scores[c] as number) - top);
    total += scores[c] as number;
  }
  for (let c = 0; c < scores.length; c++) scores[c] = (scores[c] as number) / total;
}

/**
 * Every allowed label with its probability (the softmax over the allowed labels only), most probable
 * first, ties in label order. Features the model never saw say nothing.
 */
export function scoreLogisticRegression(model: LogisticRegression, features: readonly string[], allowed?: ReadonlySet<string>): Scored[] {
  const rows = new Set<number>();
  for (const f of features) {
    const row = model.features.get(f);
    if (row !== undefined) rows.add(row);
  }
  const scores = new Float64Array(model.labels.length);
  linearScores(model.weights, model.bias, rows, scores);
  const candidates = model.labels.map((label, i) => ({ label, i })).filter(({ label }) => !allowed || allowed.has(label));
  if (!candidates.length) return [];
  const kept = Float64Array.from(candidates, ({ i }) => scores[i] as number);
  softmaxInPlace(kept);
  return candidates
    .map(({ label }, k) => ({ label, probability: kept[k] as number }))
    .sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label));
}
