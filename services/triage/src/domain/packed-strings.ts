/**
 * Strings kept as one run of UTF-16 code units, numbered 0, 1, … in the order added, and found through
 * an open-addressing hash table of typed arrays: what a large read-only set of short strings costs
 * instead of a Map's table and a string object each (the word cutter's 349 000 dictionary words, the
 * learned models' vocabularies).
 */

export const NONE = -1;

/** FNV-1a over code units; a caller extending a key one unit at a time steps the hash itself (hashStep). */
export const HASH_SEED = 0x811c9dc5 | 0;
export const hashStep = (hash: number, unit: number): number => Math.imul(hash ^ unit, 0x01000193);

export function hashOf(text: Uint16Array | string, from = 0, length = text.length - from): number {
  let hash = HASH_SEED;
  for (let k = 0; k < length; k++) hash = hashStep(hash, typeof text === 'string' ? text.charCodeAt(from + k) : (text[from + k] as number));
  return hash;
}

export class PackedStrings {
  /** The strings' units, one after another; a caller may write the next string's here itself (`end`, `commit`). */
  readonly units: Uint16Array;
  /** String id's units are units[starts[id]] … units[starts[id + 1]]. */
  readonly #starts: Uint32Array;
  /** Open addressing, at most 70 % full: a string's id, or NONE. */
  readonly #slots: Int32Array;
  #count = 0;

  /** Room for `maxStrings` strings of `maxUnits` code units in all. */
  constructor(maxUnits: number, maxStrings: number) {
    this.units = new Uint16Array(maxUnits);
    this.#starts = new Uint32Array(maxStrings + 1);
    let size = 1;
    while (size * 0.7 < maxStrings) size *= 2;
    this.#slots = new Int32Array(size).fill(NONE);
  }

  get count(): number {
    return this.#count;
  }

  /** Where the next string's units go. */
  get end(): number {
    return this.#starts[this.#count] as number;
  }

  /**
   * Makes the `length` units written at `end` the next string and returns its id, or, when the same
   * string is here already, returns that one's id (and the units written are let go).
   */
  commit(length: number): number {
    const at = this.end;
    const hash = hashOf(this.units, at, length);
    const found = this.find(this.units, at, length, hash);
    if (found !== NONE) return found;
    const id = this.#count++;
    this.#starts[id + 1] = at + length;
    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    while (this.#slots[slot] !== NONE) slot = (slot + 1) & mask;
    this.#slots[slot] = id;
    return id;
  }

  /** Adds `text` (commit), returning its id. */
  add(text: string): number {
    const at = this.end;
    for (let k = 0; k < text.length; k++) this.units[at + k] = text.charCodeAt(k);
    return this.commit(text.length);
  }

  /** The id of the string `length` units long at `from` of `text`, or NONE; `hash` if the caller has it. */
  find(text: Uint16Array | string, from: number, length: number, hash = hashOf(text, from, length)): number {
    const mask = this.#slots.length - 1;
    const units = this.units;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.#slots[slot] as number;
      if (id === NONE) return NONE;
      const start = this.#starts[id] as number;
      if ((this.#starts[id + 1] as number) - start !== length) continue;
      let k = 0;
      if (typeof text === 'string') while (k < length && units[start + k] === text.charCodeAt(from + k)) k++;
      else while (k < length && units[start + k] === text[from + k]) k++;
      if (k === length) return id;
    }
  }

  stringOf(id: number): string {
    return String.fromCharCode(...this.units.subarray(this.#starts[id], this.#starts[id + 1]));
  }
}
