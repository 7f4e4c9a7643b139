import { readdirSync, readFileSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { describe, expect, it } from 'vitest';
import { lnOf, WordCutter } from '../src/domain/word-cutter.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { jiebaDictionary } from '../src/jieba-dictionary.ts';

const EVAL = new URL('../eval/', import.meta.url);
const userWords = Buffer.from(SEED_RULES.dictionary.map((w) => `${w.trim()} 200000`).join('\n'));

/** jieba itself, as segment.ts used it, and the cutter over the same dictionary and user words. */
function both(): { jieba: Jieba; cutter: WordCutter } {
  const jieba = Jieba.withDict(jiebaDictionary());
  jieba.loadDict(userWords);
  return { jieba, cutter: new WordCutter(jiebaDictionary(), userWords) };
}

/** The texts that cut differently (at most a few, to read). */
function differences({ jieba, cutter }: ReturnType<typeof both>, texts: Iterable<string>): { text: string; jieba: string[]; cutter: string[] }[] {
  const found = [];
  for (const text of texts) {
    const expected = jieba.cut(text, false);
    const actual = cutter.cut(text);
    if (expected.join('\u0000') !== actual.join('\u0000')) found.push({ text, jieba: expected, cutter: actual });
    if (found.length >= 3) break;
  }
  return found;
}

describe('WordCutter', () => {
  const segmenters = both();

  it('cuts every report of eval/ (title and text) as jieba does', () => {
    const texts: string[] = [];
    for (const file of readdirSync(EVAL).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(new URL(file, EVAL), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const report = JSON.parse(line) as { title?: string; text: string };
        texts.push(`${report.title ?? ''}\n${report.text}`);
      }
    }
    expect(texts.length).toBeGreaterThan(12_000);
    expect(differences(segmenters, texts)).toEqual([]);
  });

  it('cuts dictionary words, user words and neighbouring words as jieba does', () => {
    const words = jiebaDictionary()
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => l.slice(0, l.indexOf(' ')));
    function* texts() {
      yield* SEED_RULES.dictionary;
      // Every 5th word with its neighbour: where the route has to choose between them.
      for (let i = 0; i + 1 < words.length; i += 5) yield `${words[i]}${words[i + 1]}`;
    }
    expect(differences(segmenters, texts())).toEqual([]);
  });

  it('splits runs, ASCII, punctuation, spaces and characters outside the BMP as jieba does', () => {
    const texts = [
      '',
      'KTV里有人abc123飞线充电，3.5米高 A B',
      'a\r\nb\n\r 楼上\t　邻居',
      '𠀀𪚥楼上𠀀邻居',
      'lone \uD800 surrogate \uDC00 楼',
      'C++与C#、50%的_下划线-和&符号',
      '１２３全角ＡＢＣ',
      'é ü ß 楼上',
      '😀楼上😀',
    ];
    expect(differences(segmenters, texts)).toEqual([]);
  });
});

describe('lnOf', () => {
  const bits = (x: number) => Buffer.from(new Float64Array([x]).buffer).toString('hex');

  it("is glibc's log (which jieba calls) where Math.log is an ulp off", () => {
    // glibc's results for frequencies of the dictionary, as bits (little-endian).
    expect(bits(lnOf(3))).toBe('0b03ad7aea93f13f');
    expect(bits(lnOf(48))).toBe('75bb503c38f80e40');
    expect(bits(lnOf(74))).toBe('1dabfcd65c371140');
    expect(bits(lnOf(185))).toBe('2bc718f5a4e11440');
    expect(bits(Math.log(3))).not.toBe('0b03ad7aea93f13f');
  });

  it('is Math.log wherever that is already the nearest double', () => {
    for (const x of [1, 2, 10, 1000, 200_000, 60_101_964]) expect(Math.abs(lnOf(x) - Math.log(x))).toBeLessThanOrEqual(Number.EPSILON * Math.log(x));
    expect(lnOf(1)).toBe(0);
  });
});
