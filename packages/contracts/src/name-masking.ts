/// <reference path="./opencc-js.d.ts" />
import traditionalToSimplified from 'opencc-js/dict/TSCharacters';

/**
 * A reporter's name written into text (我是3号楼的周建国…), masked as intake's maskReporter masks the name
 * field (周建国 → 周**): the name belongs in intake's personal data, readable only by those allowed, never
 * in the copies that leave it. Intake masks it in a report's text (report.received, the DLQ; audit11 #1);
 * the desk masks the names of a case's reporters in the free text of staff commands (audit13 #1).
 */

/**
 * What may part a name's letters, in the name or in the text: spaces (周 建 国), the middle dots of
 * transliterated names (阿依古丽·买买提), hyphens, dashes and underscores (周-建-国, 周_建_国), and the
 * invisible characters that show nothing between two letters (周\u200b建国: zero-width space, joiners,
 * word joiner, soft hyphen, BOM, Mongolian vowel separator).
 */
const SEPARATORS = '\\s\\u3000·•・‧_\\-‐‑‒–—―\\u200b-\\u200d\\u2060\\u00ad\\ufeff\\u180e';
const SEPARATOR = new RegExp(`[${SEPARATORS}]`, 'gu');
const BETWEEN = `[${SEPARATORS}]{0,3}`;
/** Fewer letters than this are never looked for in text: a one-character name (王) is part of too many words (王府井, 国王). */
export const MIN_NAME_LETTERS = 2;

/**
 * Honorifics and forms of address a name may be given with (周建国先生, 李老师), taken off its end before the
 * name is looked for, so 周建国 in the text is found; only when at least MIN_NAME_LETTERS are left (王女士 is
 * looked for as written: 王 alone is never looked for).
 */
const SUFFIXES = ['先生', '女士', '老师', '师傅', '同志', '小姐', '阿姨', '大爷'] as const;

const ASCII_ALNUM = /^[A-Za-z0-9]$/u;
/** A letter or digit in ASCII or full width, which must not stand right before or after a name in letters (Li in Lisbon). */
const ALNUM_CLASS = '[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]';

/** OpenCC's TSCharacters read both ways: traditional → simplified, and simplified → its traditional forms. */
let scripts: { simplified: Map<string, string>; traditional: Map<string, string[]> } | undefined;

function scriptTables() {
  if (scripts) return scripts;
  const simplified = new Map<string, string>();
  const traditional = new Map<string, string[]>();
  // "㑯 㑔|㑳 㑇|…": a traditional character, a space, its simplified form.
  for (const entry of traditionalToSimplified.split('|')) {
    const [t, s] = [...entry.replace(' ', '')];
    if (!t || !s) continue;
    simplified.set(t, s);
    traditional.set(s, [...(traditional.get(s) ?? []), t]);
  }
  scripts = { simplified, traditional };
  return scripts;
}

/** A letter in simplified script (國 → 国); anything OpenCC does not list as traditional as it is. */
const simplifiedOf = (letter: string) => scriptTables().simplified.get(letter) ?? letter;

const literal = (letter: string) => letter.replace(/[\\^$.*+?()[\]{}|/-]/gu, '\\$&');

/**
 * A letter of the name as the text may write it: itself; for ASCII letters and digits their full-width
 * form too (the `i` flag takes the case); for a Chinese character, its simplified and traditional forms
 * (国 and 國, whichever the name gave).
 */
function letterPattern(letter: string): string {
  if (ASCII_ALNUM.test(letter)) return `[${literal(letter)}${String.fromCodePoint((letter.codePointAt(0) ?? 0) + 0xfee0)}]`;
  const simple = simplifiedOf(letter);
  const forms = new Set([letter, simple, ...(scriptTables().traditional.get(simple) ?? [])]);
  return forms.size === 1 ? literal(letter) : `[${[...forms].map(literal).join('')}]`;
}

/** The letters of `name` looked for in text: without separators, and without an honorific at its end (周建国先生 → 周建国). */
function nameLetters(name: string): string[] {
  const letters = [...name.normalize('NFKC').replace(SEPARATOR, '')];
  const folded = letters.map(simplifiedOf).join('');
  const suffix = SUFFIXES.find((s) => folded.endsWith(s) && letters.length - s.length >= MIN_NAME_LETTERS);
  return suffix ? letters.slice(0, letters.length - suffix.length) : letters;
}

/**
 * A finder of the name's `letters` in text, or undefined when there are too few to look for
 * (MIN_NAME_LETTERS). Matches the name in any case and width (ＬＩ Ｎａ for Li Na), in either Chinese script,
 * with up to three separators between its letters (周 建 国, 周-建-国); a name that starts or ends with an
 * ASCII letter or digit only as a whole word (Li Na not inside Linang).
 */
function namePattern(letters: readonly string[]): RegExp | undefined {
  if (letters.length < MIN_NAME_LETTERS) return undefined;
  const before = ASCII_ALNUM.test(letters[0] ?? '') ? `(?<!${ALNUM_CLASS})` : '';
  const after = ASCII_ALNUM.test(letters.at(-1) ?? '') ? `(?!${ALNUM_CLASS})` : '';
  return new RegExp(`${before}${letters.map(letterPattern).join(BETWEEN)}${after}`, 'giu');
}

/**
 * `text` with every occurrence of the reporter's `name` masked as maskReporter masks the name: its first
 * character as written, then one * for each further character of the name (周建国 → 周**, 周 建 国 → 周**).
 * An honorific the name was given with is not looked for (周建国先生 finds 周建国 → 周**). The rest is kept.
 * A name shorter than MIN_NAME_LETTERS, or none, leaves the text as it is.
 */
export function maskNameInText(text: string, name: string | undefined): string {
  if (name === undefined) return text;
  const letters = nameLetters(name);
  const pattern = namePattern(letters);
  if (!pattern) return text;
  const suffixed = letters.length < [...name.normalize('NFKC').replace(SEPARATOR, '')].length;
  const stars = '*'.repeat((suffixed ? letters.length : [...name.trim()].length) - 1);
  return text.replace(pattern, (matched) => `${String.fromCodePoint(matched.codePointAt(0) ?? 0x2a)}${stars}`);
}

/** `text` with each of `names` masked in it (maskNameInText): the reporters of one case. */
export const maskNamesInText = (text: string, names: readonly string[]): string => names.reduce((out, name) => maskNameInText(out, name), text);
