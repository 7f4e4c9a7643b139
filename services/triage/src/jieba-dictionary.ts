import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const DICT_FILE = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');

/**
 * jieba's own dictionary (dict.txt, 5 MB), read afresh for each new segmenter so that it is let go
 * once jieba has built its trie from it. Not `@node-rs/jieba/dict.js`: that module keeps dict.txt and
 * idf.txt (6 MB more, for keyword extraction, never used here) in memory for the life of the process.
 * Outside domain/ because it reads a file; segment.ts is handed the bytes.
 */
export const jiebaDictionary = (): Buffer => readFileSync(DICT_FILE);
