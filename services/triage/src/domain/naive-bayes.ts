/**
 * A multinomial naive Bayes text classifier over binary features (a feature counts once per document),
 * with add-one (Laplace) smoothing and equal priors: the labelled sets are small and roughly balanced,
 * so the frequency of a label in them says nothing about how often residents report it.
 * Pure and deterministic: the same documents give the same model, and labels are kept sorted so ties
 * always break the same way.
 */

export interface Document {
  features: readonly string[];
  label: string;
}

export interface NaiveBayes {
  /** Sorted. */
  labels: readonly string[];
  /** Every feature seen in training and its row in `counts` (shareable: see vocabularyOf). */
  vocabulary: ReadonlyMap<string, number>;
  /**
   * How many training documents of each label had each feature, row-major: feature × label. One array,
   * not one per feature (42 000 small typed arrays cost about 20 MB more than their numbers), and counts,
   * not log-likelihoods: 2 bytes a cell instead of 8 (the category model's 12 MB table is 3 MB), and
   * logLikelihood() computes each with the expression whose results the table used to hold, so every
   * score is the same to the bit (all 12 461 reports of eval/ classified alike, scores and words too).
   */
  counts: Uint16Array | Uint32Array;
  /** The add-`alpha` smoothing. */
  alpha: number;
  /** log(features counted under each label + alpha · vocabulary size), by label. */
  denominators: Float64Array;
}

export interface Scored {
  label: string;
  probability: number;
}

export interface Evidence {
  feature: string;
  /** How much more likely the feature is under the label than under the runner-up (natural log ratio). */
  weight: number;
}

/**
 * Every feature of the documents, numbered in the order first seen. The logistic regression numbers
 * features the same way, so a model trained on the same documents can share one vocabulary.
 */
export function vocabularyOf(documents: readonly Document[]): Map<string, number> {
  const vocabulary = new Map<string, number>();
  for (const doc of documents) for (const feature of doc.features) if (!vocabulary.has(feature)) vocabulary.set(feature, vocabulary.size);
  return vocabulary;
}

export function trainNaiveBayes(documents: readonly Document[], alpha = 1, vocabulary: ReadonlyMap<string, number> = vocabularyOf(documents)): NaiveBayes {
  const labels = [...new Set(documents.map((d) => d.label))].sort();
  const width = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = new Uint32Array(vocabulary.size * width);
  const totals = new Float64Array(width);
  for (const doc of documents) {
    const at = index.get(doc.label) as number;
    for (const feature of new Set(doc.features)) {
      const row = vocabulary.get(feature);
      if (row === undefined) throw new Error(`trainNaiveBayes: the vocabulary lacks ${feature}`);
      counts[row * width + at] = (counts[row * width + at] as number) + 1;
      totals[at] = (totals[at] as number) + 1;
    }
  }
  const denominators = totals.map((t) => Math.log(t + alpha * vocabulary.size));
  // A label seen in more than 65 535 documents would need the wider counts.
  const narrow = counts.every((c) => c <= 0xffff);
  return { labels, vocabulary, counts: narrow ? Uint16Array.from(counts) : counts, alpha, denominators };
}

/** log P(feature | label) of a feature's row (`row` · labels) and a label's index, smoothed where a label never had it. */
const logLikelihood = (model: NaiveBayes, cell: number, label: number): number =>
  Math.log((model.counts[cell] as number) + model.alpha) - (model.denominators[label] as number);

/** A feature's log-likelihood under each label, or undefined when the model never saw it. */
export function likelihoodsOf(model: NaiveBayes, feature: string): Float64Array | undefined {
  const row = model.vocabulary.get(feature);
  if (row === undefined) return undefined;
  const width = model.labels.length;
  return Float64Array.from({ length: width }, (_, label) => logLikelihood(model, row * width + label, label));
}

/** The features of a document the model knows; unknown ones say nothing about any label. */
const known = (model: NaiveBayes, features: readonly string[]): string[] => [...new Set(features)].filter((f) => model.vocabulary.has(f)).sort();

/**
 * Every allowed label with its posterior probability, most probable first (ties in label order).
 * `allowed` narrows the labels (a rule document may not know every label the model learned).
 */
export function scoreNaiveBayes(model: NaiveBayes, features: readonly string[], allowed?: ReadonlySet<string>): Scored[] {
  const seen = known(model, features);
  const candidates = model.labels.map((label, i) => ({ label, i })).filter(({ label }) => !allowed || allowed.has(label));
  if (!candidates.length) return [];
  const width = model.labels.length;
  const rows = seen.map((f) => (model.vocabulary.get(f) as number) * width);
  const logs = candidates.map(({ i }) => rows.reduce((sum, row) => sum + logLikelihood(model, row + i, i), 0));
  const top = Math.max(...logs);
  const odds = logs.map((l) => Math.exp(l - top));
  const total = odds.reduce((a, b) => a + b, 0);
  return candidates
    .map(({ label }, k) => ({ label, probability: (odds[k] as number) / total }))
    .sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label));
}

/**
 * The document's features that speak most for `label` against `against` (or against the other labels'
 * mean), strongest first: only features more likely under `label` than under any other label, so a word
 * learned from another label never shows as a reason.
 */
export function evidenceFor(model: NaiveBayes, features: readonly string[], label: string, against: string | undefined, limit = 5): Evidence[] {
  const i = model.labels.indexOf(label);
  const j = against === undefined ? -1 : model.labels.indexOf(against);
  if (i < 0) return [];
  return known(model, features)
    .map((feature) => {
      const row = likelihoodsOf(model, feature) as Float64Array;
      const own = row[i] as number;
      const strongest = row.every((value, k) => k === i || value < own);
      const other = j >= 0 ? (row[j] as number) : mean(row, i);
      return { feature, weight: strongest ? own - other : 0 };
    })
    .filter((e) => e.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature))
    .slice(0, limit);
}

/** The mean log-likelihood of a feature under every label but `except`. */
function mean(row: Float64Array, except: number): number {
  let sum = 0;
  for (let k = 0; k < row.length; k++) if (k !== except) sum += row[k] as number;
  return row.length > 1 ? sum / (row.length - 1) : 0;
}

/**
 * The document's features that lean to `label`: seen in at least `minDocuments` training documents of
 * that label and at least e^`margin` times as likely under it as under each label of `against`. A
 * feature seen only a few times leans to whatever few reports held it (楼上楼下 of six red reports that
 * went on to a knife); the count keeps to words the model has learned, not met.
 */
export function leaningFeatures(model: NaiveBayes, features: readonly string[], label: string, against: readonly string[], minDocuments: number, margin: number): string[] {
  const i = model.labels.indexOf(label);
  const others = against.map((l) => model.labels.indexOf(l)).filter((k) => k >= 0);
  if (i < 0) return [];
  const width = model.labels.length;
  return known(model, features).filter((feature) => {
    const row = likelihoodsOf(model, feature) as Float64Array;
    const documents = model.counts[(model.vocabulary.get(feature) as number) * width + i] as number;
    return documents >= minDocuments && others.every((k) => (row[i] as number) - (row[k] as number) >= margin);
  });
}
