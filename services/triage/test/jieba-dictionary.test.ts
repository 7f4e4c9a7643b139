import { describe, expect, it } from 'vitest';
import { jiebaDictionary, withoutTags } from '../src/jieba-dictionary.ts';

describe("jieba's dictionary", () => {
  it('loses only the part-of-speech tags: each line keeps its word and frequency', () => {
    expect(withoutTags(Buffer.from('1号店 3 n\n一一 1 m\n飞线 200\n\n楼上 800 f\n')).toString()).toBe('1号店 3\n一一 1\n飞线 200\n\n楼上 800\n');
  });

  it('is the package dictionary, every entry still there', () => {
    const lines = jiebaDictionary().toString('utf8').split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(300_000);
    expect(lines.every((l) => /^\S+ \d+$/.test(l))).toBe(true);
  });
});
