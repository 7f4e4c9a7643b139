import { describe, expect, it } from 'vitest';
import { compactVocabularies } from '../src/domain/feature-index.ts';

describe('compactVocabularies', () => {
  const category = new Map([['w:楼上', 0], ['c:楼上', 1], ['w:噪音', 2], ['c:𠀀楼', 3]]);
  const grade = new Map([['w:噪音', 0], ['g:red.injury', 1], ['w:楼上', 2]]);

  it('answers get, has and size as the Maps did, each vocabulary with its own rows', () => {
    const [c, g] = compactVocabularies([category, grade]);
    for (const [map, index] of [[category, c], [grade, g]] as const) {
      expect(index?.size).toBe(map.size);
      for (const feature of ['w:楼上', 'c:楼上', 'w:噪音', 'c:𠀀楼', 'g:red.injury', 'w:楼', 'w:楼上上', '', 'x']) {
        expect(index?.get(feature)).toBe(map.get(feature));
        expect(index?.has(feature)).toBe(map.has(feature));
      }
    }
  });

  it('iterates in row order and gives one index for one vocabulary', () => {
    const [c, g, again] = compactVocabularies([category, grade, category]);
    expect([...(c ?? [])]).toEqual([...category]);
    expect([...(g?.keys() ?? [])]).toEqual([...grade.keys()]);
    expect(again).toBe(c);
  });

  it('refuses rows that do not number the features', () => {
    expect(() => compactVocabularies([new Map([['a', 0], ['b', 5]])])).toThrow(/rows/);
  });
});
