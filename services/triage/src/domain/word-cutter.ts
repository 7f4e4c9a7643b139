/**
 * jieba's cutting without its HMM (what `new Jieba(dict).cut(text, false)` of @node-rs/jieba 2.0.3, that is
 * jieba-rs 0.10, returns), over a dictionary held in a few typed arrays: about 6 MB for jieba's 349 000
 * words instead of the 31 MB that jieba-rs's trie and records took in triage's RSS (a native addon
 * allocating with its own mimalloc). The same words, frequencies and arithmetic, so the same cuts:
 * - the text is split into runs of CJK ideographs, ASCII letters and digits and `+#&._%-`; anything
 *   else is a word of one character (`\r\n` one word);
 * - within a run, every dictionary word starting at a character is an edge (none: the next character,
 *   at frequency 1), and the route from the end back is the best sum of `ln(freq) − ln(total)`, ties
 *   to the longer word, summed in jieba's order;
 * - single ASCII letters and digits on the route are joined into one word.
 * `ln` is rounded correctly (lnOf), as glibc's `log`, which jieba-rs calls, rounds every frequency of
 * the dictionary; V8's Math.log is one ulp off for 77 of its 5 089 frequencies, enough to turn a tie.
 * test/word-cutter.test.ts compares it with @node-rs/jieba word for word.
 */

import { HASH_SEED, hashStep, NONE, PackedStrings } from './packed-strings.ts';

/** A dictionary: jieba's dict.txt lines (`word freq [tag]`), then more lines that add words or set frequencies, as jieba's loadDict. */
export class WordCutter {
  /** The words; an entry is a word's id there. */
  readonly #words: PackedStrings;
  /** Each entry's frequency, as its index in #freqs. */
  readonly #freqOf: Uint16Array;
  /** The distinct frequencies, and their ln (once the dictionaries are read). */
  readonly #freqs: number[] = [];
  readonly #freqIndex = new Map<number, number>();
  #lns = new Float64Array(0);
  /** The longest word (in code units) starting with each code unit, so a lookup stops early. */
  readonly #longest = new Uint8Array(0x10000);
  readonly #logTotal: number;
  #routeScore = new Float64Array(256);
  #routeEnd = new Int32Array(256);

  constructor(...dictionaries: Uint8Array[]) {
    let units = 0;
    let lines = 0;
    for (const dict of dictionaries) {
      for (let i = 0; i < dict.length; i++) {
        const byte = dict[i] as number;
        if (byte === 0x0a) lines++;
        // A UTF-8 lead byte starts a code point; four-byte ones are two code units.
        else if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
      }
      lines++;
    }
    this.#words = new PackedStrings(units, lines);
    this.#freqOf = new Uint16Array(lines);
    for (const dict of dictionaries) this.#load(dict);
    let total = 0;
    for (let e = 0; e < this.#words.count; e++) total += this.#freqs[this.#freqOf[e] as number] as number;
    this.#logTotal = lnOf(total);
    this.#lns = Float64Array.from(this.#freqs, lnOf);
    this.#freqIndex.clear();
  }

  /** Reads `word freq [tag]` lines from `dict`: a new word is added, one already there takes the new frequency. */
  #load(dict: Uint8Array): void {
    const units = this.#words.units;
    let i = 0;
    while (i < dict.length) {
      while (i < dict.length && isSpace(dict[i] as number)) i++;
      // The word's units go straight where the table keeps them (PackedStrings.commit).
      const wordAt = this.#words.end;
      let at = wordAt;
      while (i < dict.length && !isSpace(dict[i] as number)) {
        let cp = dict[i++] as number;
        if (cp >= 0xf0) cp = ((cp & 0x07) << 18) | (((dict[i++] as number) & 0x3f) << 12) | (((dict[i++] as number) & 0x3f) << 6) | ((dict[i++] as number) & 0x3f);
        else if (cp >= 0xe0) cp = ((cp & 0x0f) << 12) | (((dict[i++] as number) & 0x3f) << 6) | ((dict[i++] as number) & 0x3f);
        else if (cp >= 0xc0) cp = ((cp & 0x1f) << 6) | ((dict[i++] as number) & 0x3f);
        if (cp > 0xffff) {
          units[at++] = 0xd800 + ((cp - 0x10000) >> 10);
          units[at++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        } else units[at++] = cp;
      }
      let freq = 0;
      while (i < dict.length && (dict[i] === 0x20 || dict[i] === 0x09)) i++;
      while (i < dict.length && (dict[i] as number) >= 0x30 && (dict[i] as number) <= 0x39) freq = freq * 10 + (dict[i++] as number) - 0x30;
      while (i < dict.length && dict[i] !== 0x0a) i++;
      const length = at - wordAt;
      if (length === 0) continue;
      if (length > 255) throw new Error('word-cutter: a dictionary word of more than 255 code units');
      const e = this.#words.commit(length);
      this.#freqOf[e] = this.#indexOf(freq);
      const first = units[wordAt] as number;
      if (length > (this.#longest[first] as number)) this.#longest[first] = length;
    }
  }

  #indexOf(freq: number): number {
    let index = this.#freqIndex.get(freq);
    if (index === undefined) {
      index = this.#freqs.length;
      if (index > 0xffff) throw new Error('word-cutter: more than 65 536 distinct frequencies');
      this.#freqs.push(freq);
      this.#freqIndex.set(freq, index);
    }
    return index;
  }

  /** The words of `text`, as jieba's `cut(text, false)`. */
  cut(input: string): string[] {
    // jieba reads UTF-8: a lone surrogate reaches it as U+FFFD.
    const text = input.isWellFormed() ? input : input.toWellFormed();
    const words: string[] = [];
    let i = 0;
    while (i < text.length) {
      const cp = text.codePointAt(i) as number;
      if (isHanDefault(cp)) {
        let end = i;
        while (end < text.length && isHanDefault(text.codePointAt(end) as number)) end += (text.codePointAt(end) as number) > 0xffff ? 2 : 1;
        this.#cutRun(text, i, end, words);
        i = end;
      } else if (cp === 0x0d && text.charCodeAt(i + 1) === 0x0a) {
        words.push('\r\n');
        i += 2;
      } else {
        const width = cp > 0xffff ? 2 : 1;
        words.push(text.slice(i, i + width));
        i += width;
      }
    }
    return words;
  }

  /** jieba-rs's cut_dag_no_hmm over text[from, to). */
  #cutRun(text: string, from: number, to: number, words: string[]): void {
    const n = to - from;
    if (this.#routeScore.length < n + 1) {
      this.#routeScore = new Float64Array(n + 1);
      this.#routeEnd = new Int32Array(n + 1);
    }
    const score = this.#routeScore;
    const routeEnd = this.#routeEnd;
    const logTotal = this.#logTotal;
    score[n] = 0;
    let next = n;
    // Right to left over the characters' starts (a low surrogate starts none).
    for (let at = n - 1; at >= 0; at--) {
      const unit = text.charCodeAt(from + at);
      if (unit >= 0xdc00 && unit <= 0xdfff && at > 0 && isHigh(text.charCodeAt(from + at - 1))) continue;
      const longest = Math.min(this.#longest[unit] as number, n - at);
      let best = Number.NEGATIVE_INFINITY;
      let bestEnd = -1;
      let hash = HASH_SEED;
      for (let length = 1; length <= longest; length++) {
        hash = hashStep(hash, text.charCodeAt(from + at + length - 1));
        const e = this.#words.find(text, from + at, length, hash);
        if (e === NONE) continue;
        const value = (this.#lns[this.#freqOf[e] as number] as number) - logTotal + (score[at + length] as number);
        // Iterated shortest first: the longer of two equal routes wins, as Rust's max_by keeps the last.
        if (bestEnd < 0 || value >= best) {
          best = value;
          bestEnd = at + length;
        }
      }
      if (bestEnd < 0) {
        best = 0 - logTotal + (score[next] as number);
        bestEnd = next;
      }
      score[at] = best;
      routeEnd[at] = bestEnd;
      next = at;
    }
    let left = -1;
    let x = 0;
    while (x < n) {
      const y = routeEnd[x] as number;
      if (y - x === 1 && isAsciiAlphanumeric(text.charCodeAt(from + x))) {
        if (left < 0) left = x;
      } else {
        if (left >= 0) {
          words.push(text.slice(from + left, from + x));
          left = -1;
        }
        words.push(text.slice(from + x, from + y));
      }
      x = y;
    }
    if (left >= 0) words.push(text.slice(from + left, to));
  }
}

const isHigh = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isSpace = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0b || byte === 0x0c;
const isAsciiAlphanumeric = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** jieba-rs's RE_HAN_DEFAULT class: CJK ideographs, ASCII letters and digits, `+#&._%-`. */
function isHanDefault(c: number): boolean {
  return (
    isAsciiAlphanumeric(c) ||
    c === 0x2b || c === 0x23 || c === 0x26 || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2d ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x20000 && c <= 0x2a6df) ||
    (c >= 0x2a700 && c <= 0x2b73f) ||
    (c >= 0x2b740 && c <= 0x2b81f) ||
    (c >= 0x2b820 && c <= 0x2ceaf) ||
    (c >= 0x2ceb0 && c <= 0x2ebef) ||
    (c >= 0x2f800 && c <= 0x2fa1f)
  );
}

// ---- ln rounded correctly: Math.log, then moved one ulp where double-double arithmetic says it is off by more than half of one.

const LN2_HI = Math.LN2;
const LN2_LO = 2.3190468138462996e-17;

/** a + b exactly, as [sum, error]. */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const v = s - a;
  return [s, a - (s - v) + (b - v)];
}

const SPLIT = 134217729; // 2^27 + 1
/** a · b exactly, as [product, error] (Dekker). */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddAdd(ah: number, al: number, bh: number, bl: number): [number, number] {
  const [s, e] = twoSum(ah, bh);
  const [h, l] = twoSum(s, e + al + bl);
  return [h, l];
}

function ddMul(ah: number, al: number, bh: number, bl: number): [number, number] {
  const [p, e] = twoProduct(ah, bh);
  const [h, l] = twoSum(p, e + ah * bl + al * bh);
  return [h, l];
}

/** a double-double divided by a small integer. */
function ddDivide(ah: number, al: number, n: number): [number, number] {
  const q = ah / n;
  const [p, e] = twoProduct(q, n);
  return twoSum(q, (ah - p - e + al) / n);
}

/** e^-y as a double-double, for y ≥ 0 below about 700. */
function expNeg(y: number): [number, number] {
  const k = Math.round(y / LN2_HI);
  // r = -y + k·ln 2, in double-double
  const [p1, e1] = twoProduct(k, LN2_HI);
  let [rh, rl] = ddAdd(-y, 0, p1, e1);
  [rh, rl] = ddAdd(rh, rl, k * LN2_LO, 0);
  // e^r by its Taylor series (|r| ≤ 0.35: 30 terms are far past double-double precision)
  let [sh, sl] = [1, 0];
  let [th, tl] = [1, 0];
  for (let n = 1; n <= 30; n++) {
    [th, tl] = ddMul(th, tl, rh, rl);
    [th, tl] = ddDivide(th, tl, n);
    [sh, sl] = ddAdd(sh, sl, th, tl);
  }
  const scale = 2 ** -k;
  return [sh * scale, sl * scale];
}

/** The double nearest to ln(x), for a positive integer x below 2^53. */
export function lnOf(x: number): number {
  if (x === 1) return 0;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  const y = Math.log(x);
  // x·e^-y − 1 = the error of y, to about 1e-30 relative
  const [eh, el] = expNeg(y);
  const [mh, ml] = ddMul(eh, el, x, 0);
  const [dh] = ddAdd(mh, ml, -1, 0);
  const error = dh - (dh * dh) / 2; // ln(1 + d)
  const up = nextAfter(y, Number.POSITIVE_INFINITY);
  const down = nextAfter(y, Number.NEGATIVE_INFINITY);
  if (error > (up - y) / 2) return up;
  if (error < (down - y) / 2) return down;
  return y;
}

const scratch = new DataView(new ArrayBuffer(8));
function nextAfter(y: number, toward: number): number {
  scratch.setFloat64(0, y);
  const bits = scratch.getBigUint64(0);
  scratch.setBigUint64(0, (y < toward) === y >= 0 ? bits + 1n : bits - 1n);
  return scratch.getFloat64(0);
}
