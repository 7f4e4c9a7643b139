import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const DICT_FILE = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');

/**
 * jieba's own dictionary (dict.txt, 5 MB), read afresh for each new segmenter so that it is let go
 * once the segmenter (domain/word-cutter.ts) has built its tables from it. Not `@node-rs/jieba/dict.js`: that module keeps dict.txt and
 * idf.txt (6 MB more, for keyword extraction, never used here) in memory for the life of the process.
 * Outside domain/ because it reads a file; segment.ts is handed the bytes.
 *
 * Without its part-of-speech tags (`word freq tag` → `word freq`): cutting reads only words and
 * frequencies, and jieba keeps each of its 349 000 entries' tags as a string of its own, about 4 MB.
 */
export const jiebaDictionary = (): Buffer => withoutTags(readFileSync(DICT_FILE));

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Each line up to its second space (in place: the result is never longer). */
export function withoutTags(dictionary: Buffer): Buffer {
  let length = 0;
  let spaces = 0;
  for (const byte of dictionary) {
    if (byte === NEWLINE) spaces = 0;
    else if (byte === SPACE) spaces++;
    if (byte === NEWLINE || spaces < 2) dictionary[length++] = byte;
  }
  return dictionary.subarray(0, length);
}
