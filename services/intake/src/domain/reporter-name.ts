/**
 * The reporter's own name written into a report's text (我是3号楼的周建国…), masked as maskReporter masks the
 * name field (周建国 → 周**): the name belongs in intake's personal data, readable only by those allowed,
 * never in the copies that leave it (report.received, the DLQ), anonymous reporter or not (audit11 #1).
 */

/** What may part a name's letters, in the name or in the text: spaces (周 建 国) and the middle dots of transliterated names (阿依古丽·买买提). */
const SEPARATOR = /[\s\u3000·•・‧]/gu;
const BETWEEN = '[\\s\\u3000·•・‧]{0,3}';
/** Fewer letters than this are never looked for in text: a one-character name (王) is part of too many words (王府井, 国王). */
export const MIN_NAME_LETTERS = 2;

const ASCII_ALNUM = /^[A-Za-z0-9]$/u;
/** A letter or digit in ASCII or full width, which must not stand right before or after a name in letters (Li in Lisbon). */
const ALNUM_CLASS = '[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]';

/** A letter of the name as the text may write it: itself, and for ASCII letters and digits their full-width form (the `i` flag takes the case). */
function letterPattern(letter: string): string {
  const escaped = letter.replace(/[\\^$.*+?()[\]{}|/-]/gu, '\\$&');
  if (!ASCII_ALNUM.test(letter)) return escaped;
  const wide = String.fromCodePoint((letter.codePointAt(0) ?? 0) + 0xfee0);
  return `[${escaped}${wide}]`;
}

/**
 * A finder of `name` in text, or undefined when the name is too short to look for (MIN_NAME_LETTERS, after
 * its spaces and dots are taken out). Matches the name in any case and width (ＬＩ Ｎａ for Li Na), with up to
 * three spaces or dots between its letters (周 建 国); a name that starts or ends with an ASCII letter or
 * digit only as a whole word (Li Na not inside Linang).
 */
function namePattern(name: string): RegExp | undefined {
  const letters = [...name.normalize('NFKC').replace(SEPARATOR, '')];
  if (letters.length < MIN_NAME_LETTERS) return undefined;
  const before = ASCII_ALNUM.test(letters[0] ?? '') ? `(?<!${ALNUM_CLASS})` : '';
  const after = ASCII_ALNUM.test(letters.at(-1) ?? '') ? `(?!${ALNUM_CLASS})` : '';
  return new RegExp(`${before}${letters.map(letterPattern).join(BETWEEN)}${after}`, 'giu');
}

/**
 * `text` with every occurrence of the reporter's `name` masked as maskReporter masks the name: its first
 * character as written, then one * for each further character of the name (周建国 → 周**, 周 建 国 → 周**). The
 * rest is kept. A name shorter than MIN_NAME_LETTERS, or none, leaves the text as it is.
 */
export function maskNameInText(text: string, name: string | undefined): string {
  const pattern = name === undefined ? undefined : namePattern(name);
  if (!pattern || name === undefined) return text;
  const stars = '*'.repeat([...name.trim()].length - 1);
  return text.replace(pattern, (matched) => `${String.fromCodePoint(matched.codePointAt(0) ?? 0x2a)}${stars}`);
}
