import { jiebaDictionary } from '../jieba-dictionary.ts';
import { foldToSimplified } from './fold-script.ts';
import { WordCutter } from './word-cutter.ts';

/**
 * Words of Chinese (and mixed) text as jieba cuts them (word-cutter.ts: @node-rs/jieba's cut without
 * HMM, over its own dictionary held in typed arrays) with a user dictionary of the domain's terms, so
 * 飞线充电 and 九小场所 stay whole. Loading jieba's dictionary takes about 0.15 s, so one segmenter is
 * kept per user dictionary.
 */
const cache = new Map<string, WordCutter>();
// The current rules' dictionary and the previous one: each segmenter holds jieba's whole dictionary (about 6 MB).
const CACHE_SIZE = 2;

// A user word outranks the words it is made of; jieba's own entries run up to a few hundred thousand.
const USER_WORD_FREQUENCY = 200_000;

function segmenter(dictionary: readonly string[]): WordCutter {
  const key = dictionary.join('\n');
  const hit = cache.get(key);
  if (hit) return hit;
  const words = dictionary.map((w) => w.trim()).filter((w) => w.length > 0 && !/\s/.test(w));
  // jieba's own dictionary, then the user words (jieba's loadDict: a word already there takes the new frequency).
  const cutter = new WordCutter(jiebaDictionary(), Buffer.from(words.map((w) => `${w} ${USER_WORD_FREQUENCY}`).join('\n')));
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, cutter);
  return cutter;
}

const BREAK = /^[\s\p{P}\p{S}]+$/u;

/**
 * The text's clauses (split at punctuation and spaces' runs of punctuation), each a list of words:
 * Latin lowercased, punctuation and spaces dropped. Rules read clauses so that a negation or a
 * `…` phrase does not reach across a comma. Traditional characters are read as their simplified forms
 * (fold-script.ts): 他說要殺了我 is 他说要杀了我 to every rule and model.
 */
export function segmentClauses(text: string, dictionary: readonly string[]): string[][] {
  // HMM off: unknown character pairs stay apart instead of being guessed into new words that could swallow a cue.
  const tokens = segmenter(dictionary).cut(foldToSimplified(text));
  const clauses: string[][] = [[]];
  for (const token of tokens) {
    const current = clauses[clauses.length - 1] as string[];
    if (/^\s+$/u.test(token)) continue;
    if (BREAK.test(token)) {
      if (current.length) clauses.push([]);
      continue;
    }
    current.push(token.toLowerCase());
  }
  return clauses.filter((c) => c.length > 0);
}

/** The words of `text`: Latin lowercased, punctuation and spaces dropped (for rules and word-level similarity). */
export function segment(text: string, dictionary: readonly string[]): string[] {
  return segmentClauses(text, dictionary).flat();
}
