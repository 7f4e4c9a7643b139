/**
 * The learned models' vocabularies (feature → row) as the service keeps them: the features' code units
 * in one array, found through a hash table of typed arrays, shared by every vocabulary compacted together.
 * The category and grade models' two vocabularies of about 65 000 features each held about 7 MB of the
 * old space as Maps (each Map's table and its own copy of every feature string); together here about 2 MB.
 * Read-only, and read as the Maps were: get, has, size, and iteration in row order (vocabularyOf
 * numbers rows in the order features were added, so that is the Maps' order too).
 */

const EMPTY = -1;

/** The distinct features of some vocabularies, each with an id. */
class FeatureKeys {
  readonly units: Uint16Array;
  readonly starts: Uint32Array;
  readonly #slots: Int32Array;

  constructor(features: readonly string[]) {
    let units = 0;
    for (const f of features) units += f.length;
    this.units = new Uint16Array(units);
    // starts[id] … starts[id + 1] are feature id's units.
    this.starts = new Uint32Array(features.length + 1);
    let size = 1;
    while (size < features.length * 2) size *= 2;
    this.#slots = new Int32Array(size).fill(EMPTY);
    let at = 0;
    features.forEach((f, id) => {
      this.starts[id] = at;
      for (let k = 0; k < f.length; k++) this.units[at++] = f.charCodeAt(k);
      let slot = hashOf(f) & (size - 1);
      while (this.#slots[slot] !== EMPTY) slot = (slot + 1) & (size - 1);
      this.#slots[slot] = id;
    });
    this.starts[features.length] = at;
  }

  /** The feature's id, or EMPTY. */
  idOf(feature: string): number {
    const mask = this.#slots.length - 1;
    for (let slot = hashOf(feature) & mask; ; slot = (slot + 1) & mask) {
      const id = this.#slots[slot] as number;
      if (id === EMPTY) return EMPTY;
      const start = this.starts[id] as number;
      if ((this.starts[id + 1] as number) - start !== feature.length) continue;
      let k = 0;
      while (k < feature.length && this.units[start + k] === feature.charCodeAt(k)) k++;
      if (k === feature.length) return id;
    }
  }

  featureOf(id: number): string {
    return String.fromCharCode(...this.units.subarray(this.starts[id], this.starts[id + 1]));
  }
}

function hashOf(feature: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let k = 0; k < feature.length; k++) hash = Math.imul(hash ^ feature.charCodeAt(k), 0x01000193);
  return hash;
}

export class FeatureIndex implements ReadonlyMap<string, number> {
  readonly #keys: FeatureKeys;
  /** By feature id: its row, or EMPTY where this vocabulary lacks it. */
  readonly #rows: Int32Array;
  /** By row: the feature id (for iteration). */
  readonly #ids: Int32Array;

  constructor(keys: FeatureKeys, vocabulary: ReadonlyMap<string, number>) {
    this.#keys = keys;
    this.#rows = new Int32Array(keys.starts.length - 1).fill(EMPTY);
    this.#ids = new Int32Array(vocabulary.size).fill(EMPTY);
    for (const [feature, row] of vocabulary) {
      if (!Number.isInteger(row) || row < 0 || row >= vocabulary.size || this.#ids[row] !== EMPTY) throw new Error('FeatureIndex: rows must number the features 0 … size − 1');
      const id = keys.idOf(feature);
      this.#rows[id] = row;
      this.#ids[row] = id;
    }
  }

  get size(): number {
    return this.#ids.length;
  }

  get(feature: string): number | undefined {
    const id = this.#keys.idOf(feature);
    if (id === EMPTY) return undefined;
    const row = this.#rows[id] as number;
    return row === EMPTY ? undefined : row;
  }

  has(feature: string): boolean {
    return this.get(feature) !== undefined;
  }

  *entries(): MapIterator<[string, number]> {
    for (let row = 0; row < this.#ids.length; row++) yield [this.#keys.featureOf(this.#ids[row] as number), row];
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
  const keys = new FeatureKeys([...features]);
  const indexes = new Map(distinct.map((v) => [v, new FeatureIndex(keys, v)]));
  return vocabularies.map((v) => indexes.get(v) as FeatureIndex);
}
