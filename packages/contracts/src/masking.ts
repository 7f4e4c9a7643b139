/**
 * Masking the personal numbers and email addresses written into free text: a report's title, description
 * and address (intake), a staff note or reason on a case (the desk, before the command is sent). Pure, so
 * every service masks alike: a number masked by one service is never read differently by another.
 */

/** Keeps the first `head` and last `tail` characters (by code point, so Chinese names mask whole characters). */
export function keepEnds(text: string, head: number, tail: number): string {
  const chars = [...text];
  if (chars.length <= head + tail) return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
  return `${chars.slice(0, head).join('')}${'*'.repeat(chars.length - head - tail)}${chars.slice(chars.length - tail).join('')}`;
}

// A digit as typed: ASCII, full-width (a Chinese IME writes １３９…), Arabic-Indic (٠-٩, ۰-۹) or circled
// (①, ⓪: some type a number as a row of list markers). Circled digits count only inside a number, never as
// the digit next to one, so a list marker right before a phone (①13912345678) does not hide it.
const digitForms = (d: number, circled: boolean) =>
  String.fromCodePoint(0x30 + d, 0xff10 + d, 0x660 + d, 0x6f0 + d, ...(circled ? [d === 0 ? 0x24ea : 0x245f + d] : []));
const digitsFrom = (from: number, to: number, circled = true) =>
  `[${Array.from({ length: to - from + 1 }, (_, i) => digitForms(from + i, circled)).join('')}]`;
const DIGIT = digitsFrom(0, 9);
const ADJACENT_DIGIT = digitsFrom(0, 9, false);
const NOT_AFTER_DIGIT = `(?<!${ADJACENT_DIGIT})`;
const NOT_BEFORE_DIGIT = `(?!${ADJACENT_DIGIT})`;
const [ZERO, ONE, SIX, EIGHT, THREE_TO_NINE] = [digitsFrom(0, 0), digitsFrom(1, 1), digitsFrom(6, 6), digitsFrom(8, 8), digitsFrom(3, 9)];
/**
 * What may stand between digit groups: a space (ASCII, no-break, thin, ideographic) or a hyphen (ASCII,
 * full-width, and Unicode's hyphens, dashes and minus sign: an IME or a word processor writes ‐ or – for -).
 */
const GAP_CHARS = '-－ \u00a0\u2009\u202f\u3000\u2010\u2011\u2012\u2013\u2014\u2015\u2212';
/** One space or hyphen between digit groups. */
const GAP = `[${GAP_CHARS}]`;
/** Between an ID number's groups (620321 19800101 1234, 620321 1980 0101 1234) a dot may be one too. */
const ID_GAP = `[${GAP_CHARS}.．]`;
/** A space between single digits (1 3 9 1 2 3 4 5 6 7 8). */
const SPACE = '[ \u3000]';
const mailChar = (extra: string) => `[A-Za-z0-9Ａ-Ｚａ-ｚ０-９\\-－${extra}]`;
/** The @ of an email address: @, ＠, or spelled out against harvesting (zhang[at]example.com, zhang (at) example.com). */
const AT = '(?:[@＠]|[ ]?[\\[(（【][Aa][Tt][\\])）】][ ]?)';
const SPELLED_AT = /[ ]?[[(（【][Aa][Tt][\])）】][ ]?/u;

// A phone or ID number read out or typed in Chinese numerals (一三八一二三四五六七八, 138一二三四五六七八; 幺 and
// 么 for 1 and 两 for 2 as a number is spoken). 十, 百, 千 and 万 are no digits: 十一二岁 is an age. Next to a
// number, only 〇零一…九 count as digits: 么 and 两 are common in words (什么, 两个), and 什么一三八… is a phone.
const HAN_DIGITS = '〇零一二三四五六七八九';
const HAN_DIGIT_VALUE: Readonly<Record<string, string>> = {
  ...Object.fromEntries([...HAN_DIGITS].map((c, i) => [c, String(Math.max(0, i - 1))])),
  幺: '1',
  么: '1',
  两: '2',
};
const HAN_DIGIT_RE = /[〇零一二三四五六七八九幺么两]/gu;
/** Chinese numerals as ASCII digits, before a match is masked: 一三八一二三四五六七八 → 13812345678. */
const hanToAscii = (matched: string) => matched.replace(HAN_DIGIT_RE, (c) => HAN_DIGIT_VALUE[c] ?? c);
const inClass = (cls: string, extra: string) => `[${cls.slice(1, -1)}${extra}]`;
const HAN_ADJACENT = inClass(ADJACENT_DIGIT, HAN_DIGITS);
const NOT_AFTER_HAN_DIGIT = `(?<!${HAN_ADJACENT})`;
const NOT_BEFORE_HAN_DIGIT = `(?!${HAN_ADJACENT})`;
const HAN_DIGIT = inClass(DIGIT, `${HAN_DIGITS}幺么两`);
const HAN_ONE = inClass(ONE, '一幺么');
const HAN_THREE_TO_NINE = inClass(THREE_TO_NINE, '三四五六七八九');
/** Each UTF-16 unit's kind for the guard below: 1 a digit, 2 a Chinese numeral, 3 a gap in a number or a bracket around its first three (all are in the BMP). */
const RUN_KIND = new Uint8Array(0x10000);
for (const [chars, kind] of [[DIGIT.slice(1, -1), 1], [`${HAN_DIGITS}幺么两`, 2], [`${GAP_CHARS}.．()（）`, 3]] as const) {
  for (const ch of chars) RUN_KIND[ch.charCodeAt(0)] = kind;
}
/**
 * Whether a text has a run of 11 digits (a phone's, or the start of an ID's) with a Chinese numeral in it, at
 * most one space, hyphen or dot between two: only then do the Chinese-numeral patterns run, not on every report
 * with 一 in a word or 三四个人 in it. A loop over a table, as a regular expression looking for this cost as much
 * as one more pattern on every report.
 */
const HAN_NUMBER = {
  test(text: string): boolean {
    let run = 0;
    let han = false;
    let gap = false;
    for (let i = 0; i < text.length; i++) {
      const kind = RUN_KIND[text.charCodeAt(i)];
      if (kind === 1 || kind === 2) {
        run++;
        han ||= kind === 2;
        gap = false;
        if (run >= 11 && han) return true;
      } else if (kind === 3 && run > 0 && !gap) gap = true;
      else [run, han, gap] = [0, false, false];
    }
    return false;
  },
};

/**
 * As an ASCII string: full-width digits, letters and signs of a matched number or address folded (NFKC,
 * which also reads ① as 1), Arabic-Indic digits as their ASCII digit, and an email's spelled-out @ and
 * ideographic full stop (zhang＠example。com) as @ and a dot.
 */
const ascii = (matched: string) =>
  matched
    .normalize('NFKC')
    .replace(/[\u0660-\u0669\u06f0-\u06f9]/gu, (d) => String((d.codePointAt(0) ?? 0) & 0xf))
    .replace(SPELLED_AT, '@')
    .replaceAll('。', '.');

// The first digits a payment card number starts with: 3 (Amex, JCB, Diners), 4 (Visa), 5 (Mastercard), 6
// (UnionPay 62…, Discover, Maestro), 9 (China's older domestic cards, 9558…) and Mastercard's 2221–2720.
// An order or waybill number dated 2026… or starting 1, 7 or 8 is no card.
const CARD_PREFIX = /^(?:[34569]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/u;

/** True when the digits of `number` pass the Luhn check every bank card number passes (an order number mostly does not). */
function passesLuhn(number: string): boolean {
  let sum = 0;
  for (const [i, ch] of [...number].reverse().entries()) {
    const d = Number(ch) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return sum % 10 === 0;
}

/** li.xiulan@example.cn → l*******@example.cn: the mailbox is masked, the domain kept. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? keepEnds(email, 1, 0) : `${keepEnds(email.slice(0, at), 1, 0)}${email.slice(at)}`;
}

/** An ASCII word matched in any case and width (qq, QQ, ＱＱ, ｑｑ). */
const anyCase = (word: string) =>
  [...word]
    .map((c) => {
      const [lower, upper] = [c.toLowerCase(), c.toUpperCase()];
      const wide = (ch: string) => String.fromCodePoint((ch.codePointAt(0) ?? 0) + 0xfee0);
      return `[${lower}${upper}${wide(lower)}${wide(upper)}]`;
    })
    .join('');
/** A label written in ASCII letters starts a word: no letter before it (a token's …aqq123… or …twx… is no label). */
const NOT_AFTER_LETTER = '(?<![A-Za-zＡ-Ｚａ-ｚ])';
const SPACES = '[ \\u3000]{0,3}';
/** What may stand between a label and its id: 号, 号码 or 账号, then spaces, a colon or 是/为 (QQ号是：, 微信: , vx：). */
const LABEL_SUFFIX = `(?:号码|账号|号|${SPACES}${anyCase('id')})?`;
const STRONG_SEP = `${SPACES}(?:[:：=]|[是为][:：]?)${SPACES}`;
const ANY_SEP = `(?:${STRONG_SEP}|${SPACES})`;
/** A space may stand inside the label (Q Q, 微 信), as some type it to get past a filter. */
const INNER_SPACE = '[ \\u3000]?';
const QQ_LABEL = `(?:${NOT_AFTER_LETTER}${anyCase('q')}${INNER_SPACE}${anyCase('q')}|扣${INNER_SPACE}扣)${LABEL_SUFFIX}`;
/** WeChat named in Chinese characters (微信, 薇信, 威信, V信) or in letters (wechat, weixin, wx, vx). */
const WECHAT_HAN_LABEL = `(?:[微薇威]${INNER_SPACE}信|${NOT_AFTER_LETTER}${anyCase('v')}${INNER_SPACE}信)${LABEL_SUFFIX}`;
const WECHAT_LATIN = `${NOT_AFTER_LETTER}(?:${anyCase('wechat')}|${anyCase('weixin')}|${anyCase('wx')}|${anyCase('vx')})`;
const WECHAT_LATIN_LABEL = `${WECHAT_LATIN}${LABEL_SUFFIX}`;
/** A QQ number: 5 to 11 digits, not starting 0, and no amount (微信 50000元 is a payment). */
const QQ_NUMBER = `${digitsFrom(1, 9)}${DIGIT}{4,10}(?!${ADJACENT_DIGIT}|[A-Za-z元块万千百角分])`;
/** A WeChat id as WeChat allows one: a letter, then 5 to 19 letters, digits, _ or -. */
const WECHAT_ID = '[A-Za-z][-_A-Za-z0-9]{5,19}(?![-_A-Za-z0-9])';
/** One in letters only, when only a space parts it from a label in letters: `wechat please` is English, `wechat zhang_88` an id. */
const WECHAT_ID_NOT_A_WORD = `(?=[A-Za-z]*[-_0-9])${WECHAT_ID}`;

/**
 * Whether a text names a QQ or WeChat label at all: the handle patterns' lookbehinds are tried at every
 * position, which tripled the masking's cost on every report, nearly none of which has a label.
 */
const ANY_HANDLE_LABEL = new RegExp(`${anyCase('q')}[ \\u3000]?${anyCase('q')}|扣[ \\u3000]?扣|[微薇威][ \\u3000]?信|${anyCase('v')}[ \\u3000]?信|${anyCase('wechat')}|${anyCase('weixin')}|${anyCase('wx')}|${anyCase('vx')}`, 'u');

/**
 * A QQ number or WeChat id written after its label, masked as an ID number is, its ends kept (at most two of
 * each, so more than half is hidden): 123456789 → 12*****89, wxid_abc123 → wx*******23, 12345 → 1***5.
 */
function maskHandle(handle: string): string {
  const keep = Math.min(2, Math.floor(handle.length / 4));
  return keepEnds(handle, keep, keep);
}

/** Characters that show nothing (zero-width space and joiners, word joiner, BOM, soft hyphen, bidi marks…). */
const INVISIBLE = /\p{Cf}/u;
/** Such characters inside a number: between two of its digits (any form above, Chinese numerals too) or gaps. */
const IN_NUMBER = `[${DIGIT.slice(1, -1)}${HAN_DIGITS}幺么两${GAP_CHARS}.．]`;
const INVISIBLE_IN_NUMBER = new RegExp(`(?<=${IN_NUMBER})\\p{Cf}+(?=${IN_NUMBER})`, 'gu');

/** What a pattern's match is masked as (its ASCII form), or undefined to leave it as written. */
type Mask = (ascii: string) => string | undefined;

/**
 * Personal numbers and addresses written into free text, each matched whole (no digit either side), in
 * any of the digits above, each replaced by its masked ASCII form; the rest of the text is kept as
 * written. In order: an email address (first, so a mailbox named by a phone number, 13912345678@163.com,
 * is masked as a mailbox; a domain's dots all . or all 。, so a sentence's 。 after an address is not
 * read into it); an 18-digit resident ID (last character a digit or X; whole or in groups 6-8-4,
 * 6-4-4-4 or 4-4-4-4-2 split by a space, hyphen or dot; a letter right after it, 620321198502023456x, is no
 * digit of it, so it is masked); a bank card number (16 to 19 digits, or in groups of four)
 * that starts as a card does and passes the Luhn check, keeping its last four (an order number of that
 * length is left as written);
 * the old 15-digit ID; a mainland mobile (optionally +86, its first three digits optionally in brackets, (139)00002121, with spaces or hyphens in the 3-4-4 groups, dots
 * between all three, or a space between every digit); a mobile or 18-digit ID with Chinese numerals among its
 * digits (一三八一二三四五六七八, 138一二三四五六七八, (一三九)〇〇〇〇二一二一 → 138****5678; 〇零一…九, 幺 and 么 for 1, 两 for 2; 十, 百, 千
 * and 万 are no digits, and the run must be the number's whole length, so 一二三楼 and 一九九八年 stay); a
 * landline with its area code (0xx or 0xxx, optionally in brackets, then 7 or 8 digits); last, a QQ number (5 to 11 digits) or WeChat id (a letter, then 5 to
 * 19 letters, digits, _ or -; or digits) right after its label (QQ, qq号, 扣扣, 微信, 微信号, 薇信, V信, wx, vx,
 * WeChat, weixin, a space allowed inside QQ, 扣扣 and 微信 (Q Q, 微 信), then 号/是/：/: or a space), only the
 * id masked (a label in letters and an id of letters alone need a colon, 号 or 是 between them: `wechat please`
 * is English).
 */
const NUMBERS_IN_TEXT: readonly { pattern: RegExp; mask: Mask; onlyIf?: { test(text: string): boolean } }[] = [
  {
    // Bounded as RFC 5321 bounds an address (a mailbox of 64, labels of 63): unbounded, a long run of letters
    // with no @ (a 1 MB attachment URL) cost time by the square of its length.
    pattern: new RegExp(`${mailChar('._%+．＿＋')}{1,64}${AT}${mailChar('')}{1,63}(?:(?:[.．]${mailChar('')}{1,63}){1,8}|(?:。${mailChar('')}{1,63}){1,8})`, 'gu'),
    mask: maskEmail,
  },
  {
    pattern: new RegExp(
      `${NOT_AFTER_DIGIT}(?:${DIGIT}{6}${ID_GAP}?${DIGIT}{4}${ID_GAP}?${DIGIT}{4}${ID_GAP}?${DIGIT}{3}|${DIGIT}{4}(?:${ID_GAP}${DIGIT}{4}){3}${ID_GAP}${DIGIT})(?:${DIGIT}|[XxＸｘ])${NOT_BEFORE_DIGIT}`,
      'gu',
    ),
    mask: (m) => keepEnds(m, 4, 4),
  },
  {
    onlyIf: HAN_NUMBER,
    pattern: new RegExp(
      `${NOT_AFTER_HAN_DIGIT}${HAN_DIGIT}{6}${ID_GAP}?${HAN_DIGIT}{4}${ID_GAP}?${HAN_DIGIT}{4}${ID_GAP}?${HAN_DIGIT}{3}(?:${HAN_DIGIT}|[XxＸｘ])${NOT_BEFORE_HAN_DIGIT}`,
      'gu',
    ),
    mask: (m) => keepEnds(hanToAscii(m), 4, 4),
  },
  {
    pattern: new RegExp(`${NOT_AFTER_DIGIT}(?:${DIGIT}{16,19}|${DIGIT}{4}(?:${GAP}${DIGIT}{4}){3}(?:${GAP}${DIGIT}{1,3})?)${NOT_BEFORE_DIGIT}`, 'gu'),
    mask: (m) => {
      const digits = m.replace(/\D/gu, '');
      return CARD_PREFIX.test(digits) && passesLuhn(digits) ? keepEnds(digits, 0, 4) : undefined;
    },
  },
  { pattern: new RegExp(`${NOT_AFTER_DIGIT}${DIGIT}{15}${NOT_BEFORE_DIGIT}`, 'gu'), mask: (m) => keepEnds(m, 4, 4) },
  {
    pattern: new RegExp(
      `(?<!${ADJACENT_DIGIT}|[+＋])(?:[+＋]?${EIGHT}${SIX}${GAP}?)?(?:${ONE}${THREE_TO_NINE}${DIGIT}|[(（]${ONE}${THREE_TO_NINE}${DIGIT}[)）])(?:${GAP}?${DIGIT}{4}${GAP}?${DIGIT}{4}|[.．]${DIGIT}{4}[.．]${DIGIT}{4})${NOT_BEFORE_DIGIT}`,
      'gu',
    ),
    // (139)00002121 → 139****2121, as written without the brackets.
    mask: (m) => keepEnds(m.replace(/[()]/gu, ''), 3, 4),
  },
  {
    // Compacted first: 1 3 9 1 2 3 4 5 6 7 8 → 139****5678, the form of a phone written whole.
    pattern: new RegExp(
      `(?<!${ADJACENT_DIGIT}${SPACE}?|[+＋])(?:[+＋]?${EIGHT}${SIX}${SPACE}?)?${ONE}${SPACE}${THREE_TO_NINE}(?:${SPACE}${DIGIT}){9}(?!${SPACE}?${ADJACENT_DIGIT})`,
      'gu',
    ),
    mask: (m) => keepEnds(m.replace(/[ \u3000]/gu, ''), 3, 4),
  },
  // The two phone patterns above with Chinese numerals among the digits, and no Chinese numeral next to it.
  {
    onlyIf: HAN_NUMBER,
    pattern: new RegExp(
      `${NOT_AFTER_HAN_DIGIT}(?<![+＋])(?:[+＋]?${EIGHT}${SIX}${GAP}?)?(?:${HAN_ONE}${HAN_THREE_TO_NINE}${HAN_DIGIT}|[(（]${HAN_ONE}${HAN_THREE_TO_NINE}${HAN_DIGIT}[)）])(?:${GAP}?${HAN_DIGIT}{4}${GAP}?${HAN_DIGIT}{4}|[.．]${HAN_DIGIT}{4}[.．]${HAN_DIGIT}{4})${NOT_BEFORE_HAN_DIGIT}`,
      'gu',
    ),
    mask: (m) => keepEnds(hanToAscii(m.replace(/[()]/gu, '')), 3, 4),
  },
  {
    onlyIf: HAN_NUMBER,
    pattern: new RegExp(
      `(?<!${HAN_ADJACENT}${SPACE}?|[+＋])(?:[+＋]?${EIGHT}${SIX}${SPACE}?)?${HAN_ONE}${SPACE}${HAN_THREE_TO_NINE}(?:${SPACE}${HAN_DIGIT}){9}(?!${SPACE}?${HAN_ADJACENT})`,
      'gu',
    ),
    mask: (m) => keepEnds(hanToAscii(m.replace(/[ \u3000]/gu, '')), 3, 4),
  },
  {
    pattern: new RegExp(`${NOT_AFTER_DIGIT}(?:[(（]${ZERO}${DIGIT}{2,3}[)）]|${ZERO}${DIGIT}{2,3})${GAP}?${DIGIT}{7,8}${NOT_BEFORE_DIGIT}`, 'gu'),
    mask: (m) => keepEnds(m, 4, 2),
  },
  // Last, so a phone after a label (加我微信13912345678) is masked as a phone. The label is kept as written; only
  // the id after it is the match.
  { onlyIf: ANY_HANDLE_LABEL, pattern: new RegExp(`(?<=(?:${QQ_LABEL}|${WECHAT_HAN_LABEL}|${WECHAT_LATIN_LABEL})(?:${ANY_SEP}|[ \u3000]{1,3}${anyCase('is')}[ \u3000]{1,3}))${QQ_NUMBER}`, 'gu'), mask: maskHandle },
  { onlyIf: ANY_HANDLE_LABEL, pattern: new RegExp(`(?<=${WECHAT_HAN_LABEL}${ANY_SEP}|${WECHAT_LATIN_LABEL}${STRONG_SEP}|${WECHAT_LATIN}(?:号码|账号|号)${ANY_SEP})${WECHAT_ID}`, 'gu'), mask: maskHandle },
  { onlyIf: ANY_HANDLE_LABEL, pattern: new RegExp(`(?<=${WECHAT_LATIN_LABEL}[ \u3000]{1,3})${WECHAT_ID_NOT_A_WORD}`, 'gu'), mask: maskHandle },
];

/**
 * Free text with the personal numbers and email addresses in it masked as intake masks a
 * reporter's (13912345678 and １３９１２３４５６７８ → 139****5678, 620302198805051234 → 6203**********1234,
 * zhang@example.com → z****@example.com, a bank card → ***************0123, QQ：123456789 → QQ：12*****89,
 * 微信号 wxid_abc123 → 微信号 wx*******23), the rest kept so it can
 * still be read. For every copy of a report that leaves intake's personal data (report.received, the DLQ),
 * and for every note and reason staff write on a case.
 * `apartFromLetters`: mask only what no ASCII letter touches, for values that may be opaque tokens
 * (a URL's signature, a1b13912345678c, is not a phone number, and masking it would break the link).
 */
export function maskNumbersInText(text: string, options: { apartFromLetters?: boolean } = {}): string {
  // Invisible characters between digits (139\u200b1234\u200b5678, a soft hyphen) hide a number from the
  // patterns and from nobody reading it: read the text without them, and return it so only when it masked.
  const read = INVISIBLE.test(text) ? text.replace(INVISIBLE_IN_NUMBER, '') : text;
  let out = read;
  // Each guard is tried once, on the text as written (a mask only ever takes digits and labels away, so what
  // it finds there is all a later pattern can find): the Chinese-numeral guard stands before three patterns.
  const guards = new Map<{ test(text: string): boolean }, boolean>();
  for (const { pattern, mask, onlyIf } of NUMBERS_IN_TEXT) {
    if (onlyIf) {
      const holds = guards.get(onlyIf) ?? onlyIf.test(read);
      guards.set(onlyIf, holds);
      if (!holds) continue;
    }
    out = out.replace(pattern, (matched: string, offset: number, whole: string) => {
      const touchesLetter = /[A-Za-z]/u.test(whole[offset - 1] ?? '') || /[A-Za-z]/u.test(whole[offset + matched.length] ?? '');
      return options.apartFromLetters && touchesLetter ? matched : (mask(ascii(matched)) ?? matched);
    });
  }
  return out === read ? text : out;
}
