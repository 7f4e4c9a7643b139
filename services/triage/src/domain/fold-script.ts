import traditionalToSimplified from 'opencc-js/dict/TSCharacters';

/**
 * Traditional characters folded to simplified (他說要殺了我 → 他说要杀了我), so the rules, the dictionary and the
 * learned models, all written and trained in simplified, read a report in either script the same. Only for
 * matching: the report keeps the text as the sender wrote it.
 *
 * The table is OpenCC's TSCharacters (3 512 characters, each to one character) as opencc-js ships it;
 * a character both scripts use (著) is not in it. Not opencc-js's converter: measured in a triage-like
 * process, its trie of Maps (TSPhrases + TSCharacters) costs +1.5 MB heap / +2–3 MB RSS, its full tw→cn
 * converter +2.5 MB / +12 MB, and triage runs near its memory limit; this table in two sorted typed arrays
 * costs +0.1 MB heap / +0.5 MB RSS. What the phrases add (乾隆 stays 乾隆, not 干隆) changes no cue the rules read.
 */
let from: Uint32Array | undefined;
let to: Uint32Array | undefined;

function load(): [Uint32Array, Uint32Array] {
  const pairs: [number, number][] = [];
  // "㑯 㑔|㑳 㑇|…": a traditional character, a space, its simplified form.
  for (const entry of traditionalToSimplified.split('|')) {
    const [t, s] = [...entry.replace(' ', '')];
    if (t && s) pairs.push([t.codePointAt(0) as number, s.codePointAt(0) as number]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return [Uint32Array.from(pairs, (p) => p[0]), Uint32Array.from(pairs, (p) => p[1])];
}

function simplifiedOf(cp: number, keys: Uint32Array, values: Uint32Array): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const key = keys[mid] as number;
    if (key === cp) return values[mid] as number;
    if (key < cp) lo = mid + 1;
    else hi = mid - 1;
  }
  return cp;
}

/** `text` with every traditional character OpenCC lists replaced by its simplified form; anything else as it was. */
export function foldToSimplified(text: string): string {
  if (!from || !to) [from, to] = load();
  const first = from[0] as number;
  let out = '';
  let changed = false;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    const s = cp < first ? cp : simplifiedOf(cp, from, to);
    if (s !== cp) changed = true;
    out += s === cp ? ch : String.fromCodePoint(s);
  }
  return changed ? out : text;
}
