/**
 * The learned models' vocabularies (feature → row) as the service keeps them: the features' code units
 * in one array, found through a hash table of typed arrays, shared by every vocabulary compacted together.
 * The category and grade models' two vocabularies of about 65 000 features each held about 7 MB of the
 * old space as Maps (each Map's table and its own copy of every feature string); together here about 2 MB.
 * Read-only, and read as the Maps were: get, has, size, and iteration in row order (vocabularyOf
 * numbers rows in the order features were added, so that is the Maps' order too).
 */

import { NONE, PackedStrings } from './packed-strings.ts';

export class FeatureIndex implements ReadonlyMap<string, number> {
  readonly #keys: PackedStrings;
  /** By feature id: its row, or NONE where this vocabulary lacks it. */
  readonly #rows: Int32Array;
  /** By row: the feature id (for iteration). */
  readonly #ids: Int32Array;

  constructor(keys: PackedStrings, vocabulary: ReadonlyMap<string, number>) {
    this.#keys = keys;
    this.#rows = new Int32Array(keys.count).fill(NONE);
    this.#ids = new Int32Array(vocabulary.size).fill(NONE);
    for (const [feature, row] of vocabulary) {
      if (!Number.isInteger(row) || row < 0 || row >= vocabulary.size || this.#ids[row] !== NONE) throw new Error('FeatureIndex: rows must number the features 0 … size − 1');
      const id = keys.find(feature, 0, feature.length);
      this.#rows[id] = row;
      this.#ids[row] = id;
    }
  }

  get size(): number {
    return this.#ids.length;
  }

  get(feature: string): number | undefined {
    const id = this.#keys.find(feature, 0, feature.length);
    if (id === NONE) return undefined;
    const row = this.#rows[id] as number;
    return row === NONE ? undefined : row;
  }

  has(feature: string): boolean {
    return this.get(feature) !== undefined;
  }

  *entries(): MapIterator<[string, number]> {
    for (let row = 0; row < this.#ids.length; row++) yield [this.#keys.stringOf(this.#ids[row] as number), row];
  }

  *keys(): MapIterator<string> {
    for (const [feature] of this.entries()) yield feature;
  }

  *values(): MapIterator<number> {
    for (let row = 0; row < this.#ids.length; row++) yield row;
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }

  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    for (const [feature, row] of this.entries()) callback.call(thisArg, row, feature, this);
  }
}

/** The vocabularies as FeatureIndexes over one set of features (the same vocabulary twice gives the same index). */
export function compactVocabularies(vocabularies: readonly ReadonlyMap<string, number>[]): FeatureIndex[] {
  const distinct = [...new Set(vocabularies)];
  const features = new Set<string>();
  for (const v of distinct) for (const f of v.keys()) features.add(f);
  let units = 0;
  for (const f of features) units += f.length;
  const keys = new PackedStrings(units, features.size);
  for (const f of features) keys.add(f);
  const indexes = new Map(distinct.map((v) => [v, new FeatureIndex(keys, v)]));
  return vocabularies.map((v) => indexes.get(v) as FeatureIndex);
}
