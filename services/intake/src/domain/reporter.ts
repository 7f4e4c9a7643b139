import type { Principal, ReportBody, Reporter } from '@gridcase/contracts';

/**
 * What travels in report.received about the reporter: whether they are anonymous and reachable, never
 * who. `absent` when the report names no reporter at all (no personal data, not marked anonymous):
 * nobody to call back, but nobody who asked to stay anonymous either.
 */
export function reporterFlags(reporter: Reporter | undefined): { anonymous: boolean; hasContact: boolean; absent?: true } {
  const identified = Boolean(reporter?.name || reporter?.phone || reporter?.idNumber || reporter?.email);
  const flags = { anonymous: reporter?.anonymous ?? !identified, hasContact: Boolean(reporter?.phone || reporter?.email) };
  return !identified && reporter?.anonymous === undefined ? { ...flags, absent: true } : flags;
}

/** A report's free text as written, only the fields in which phone or ID numbers were masked (maskReportText). */
export interface WrittenText {
  title?: string;
  description?: string;
  /** The location's `address`. */
  address?: string;
  /** Every attachment's `url` as sent, in order, when masking changed any URL's query. */
  attachments?: string[];
}

export interface PersonalData {
  name: string | null;
  phone: string | null;
  idNumber: string | null;
  email: string | null;
  anonymous: boolean;
  /** The report's text as written, when masking the numbers in it changed it. */
  written?: WrittenText;
}

/**
 * The personal data to store for a report, or undefined when it carried none: its reporter's, and the
 * text as written when phone or ID numbers were masked in it (a report with no `reporter` may name a
 * person in its description: the desk still needs the number to call).
 */
export function personalData(reporter: Reporter | undefined, written?: WrittenText): PersonalData | undefined {
  if (!reporter?.name && !reporter?.phone && !reporter?.idNumber && !reporter?.email && !written) return undefined;
  return {
    name: reporter?.name ?? null,
    phone: reporter?.phone ?? null,
    idNumber: reporter?.idNumber ?? null,
    email: reporter?.email ?? null,
    anonymous: reporter?.anonymous ?? false,
    ...(written ? { written } : {}),
  };
}

/** What a caller who may read a report is shown of its reporter. */
export type ReporterAccess = 'whole' | 'masked' | 'refused';

/**
 * Need to know (audit9 #8): the desk, supervisors and admin see a report's reporter whole, and so do the
 * officers who own its case (its assignees); any other officer of the station sees it masked, as the
 * posting client does, so it still learns that there is someone to call back, but not who. A tip's
 * informant is refused outright to those other officers. `ownedCase` is the report's case (undefined while
 * there is none: no officer owns it yet). An anonymous reporter is masked for everyone, on top of this.
 */
export function reporterAccess(
  principal: Pick<Principal, 'roles' | 'officerId'>,
  ownedCase: { category: string; assignees: readonly { officerId: string }[] } | undefined,
): ReporterAccess {
  const has = (role: Principal['roles'][number]) => principal.roles.includes(role) || principal.roles.includes('admin');
  if (has('desk') || has('supervisor')) return 'whole';
  if (!has('officer')) return 'masked';
  if (principal.officerId !== undefined && ownedCase?.assignees.some((a) => a.officerId === principal.officerId)) return 'whole';
  return ownedCase?.category.startsWith('tip.') ? 'refused' : 'masked';
}

/** Keeps the first `head` and last `tail` characters (by code point, so Chinese names mask whole characters). */
function keepEnds(text: string, head: number, tail: number): string {
  const chars = [...text];
  if (chars.length <= head + tail) return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
  return `${chars.slice(0, head).join('')}${'*'.repeat(chars.length - head - tail)}${chars.slice(chars.length - tail).join('')}`;
}

/** 张三丰 → 张**, 13812345678 → 138****5678, 620321199001011234 → 6203**********1234. */
export function maskReporter(data: PersonalData): PersonalData {
  return {
    name: data.name === null ? null : keepEnds(data.name, 1, 0),
    phone: data.phone === null ? null : keepEnds(data.phone, 3, 4),
    idNumber: data.idNumber === null ? null : keepEnds(data.idNumber, 4, 4),
    email: data.email === null ? null : maskEmail(data.email),
    anonymous: data.anonymous,
    ...(data.written ? { written: maskWritten(data.written) } : {}),
  };
}

// Digits and signs as typed in either width: a Chinese IME in full-width mode writes １３９…, ＋８６ and ＠.
const DIGIT = '[0-9０-９]';
const NOT_AFTER_DIGIT = '(?<![0-9０-９])';
const NOT_BEFORE_DIGIT = '(?![0-9０-９])';
/** One space or hyphen between digit groups (ASCII, full-width, ideographic space). */
const GAP = '[- －\u3000]';
const mailChar = (extra: string) => `[A-Za-z0-9Ａ-Ｚａ-ｚ０-９\\-－${extra}]`;

/** As an ASCII string: full-width digits, letters and signs of a matched number or address folded (NFKC). */
const ascii = (matched: string) => matched.normalize('NFKC');

/** li.xiulan@example.cn → l*******@example.cn: the mailbox is masked, the domain kept. */
function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? keepEnds(email, 1, 0) : `${keepEnds(email.slice(0, at), 1, 0)}${email.slice(at)}`;
}

/**
 * Personal numbers and addresses written into free text, each matched whole (no digit either side), in
 * ASCII or full-width characters, each replaced by its masked ASCII form; the rest of the text is kept as
 * written. In order: an email address (first, so a mailbox named by a phone number, 13912345678@163.com,
 * is masked as a mailbox); an 18-digit resident ID (last character a digit or X); a bank card number
 * (16 to 19 digits, or in groups of four), keeping its last four; the old 15-digit ID; a mainland mobile
 * (optionally +86, with spaces or hyphens in the 3-4-4 groups); a landline with its area code (0xx or
 * 0xxx, optionally in brackets, then 7 or 8 digits).
 */
const NUMBERS_IN_TEXT: readonly { pattern: RegExp; mask: (ascii: string) => string }[] = [
  { pattern: new RegExp(`${mailChar('._%+．＿＋')}+[@＠]${mailChar('')}+(?:[.．]${mailChar('')}+)+`, 'gu'), mask: maskEmail },
  { pattern: new RegExp(`${NOT_AFTER_DIGIT}${DIGIT}{17}[0-9０-９XxＸｘ](?![0-9０-９XxＸｘ])`, 'gu'), mask: (m) => keepEnds(m, 4, 4) },
  {
    pattern: new RegExp(`${NOT_AFTER_DIGIT}(?:${DIGIT}{16,19}|${DIGIT}{4}(?:${GAP}${DIGIT}{4}){3}(?:${GAP}${DIGIT}{1,3})?)${NOT_BEFORE_DIGIT}`, 'gu'),
    mask: (m) => keepEnds(m.replace(/\D/gu, ''), 0, 4),
  },
  { pattern: new RegExp(`${NOT_AFTER_DIGIT}${DIGIT}{15}${NOT_BEFORE_DIGIT}`, 'gu'), mask: (m) => keepEnds(m, 4, 4) },
  {
    pattern: new RegExp(`(?<![0-9０-９+＋])(?:[+＋]?[8８][6６]${GAP}?)?[1１][3-9３-９]${DIGIT}${GAP}?${DIGIT}{4}${GAP}?${DIGIT}{4}${NOT_BEFORE_DIGIT}`, 'gu'),
    mask: (m) => keepEnds(m, 3, 4),
  },
  {
    pattern: new RegExp(`${NOT_AFTER_DIGIT}(?:[(（][0０]${DIGIT}{2,3}[)）]|[0０]${DIGIT}{2,3})${GAP}?${DIGIT}{7,8}${NOT_BEFORE_DIGIT}`, 'gu'),
    mask: (m) => keepEnds(m, 4, 2),
  },
];

/**
 * Free text with the personal numbers and email addresses in it masked as maskReporter masks a
 * reporter's (13912345678 and １３９１２３４５６７８ → 139****5678, 620302198805051234 → 6203**********1234,
 * zhang@example.com → z****@example.com, a bank card → ***************0123), the rest kept so it can
 * still be read. For every copy of a report that leaves intake's personal data (report.received, the DLQ).
 * `apartFromLetters`: mask only what no ASCII letter touches, for values that may be opaque tokens
 * (a URL's signature, a1b13912345678c, is not a phone number, and masking it would break the link).
 */
export function maskNumbersInText(text: string, options: { apartFromLetters?: boolean } = {}): string {
  let out = text;
  for (const { pattern, mask } of NUMBERS_IN_TEXT) {
    out = out.replace(pattern, (matched: string, offset: number, whole: string) => {
      const touchesLetter = /[A-Za-z]/u.test(whole[offset - 1] ?? '') || /[A-Za-z]/u.test(whole[offset + matched.length] ?? '');
      return options.apartFromLetters && touchesLetter ? matched : mask(ascii(matched));
    });
  }
  return out;
}

/**
 * A URL with the personal numbers and email addresses in its query's values masked
 * (?phone=13811112222&id=620321198001011234 → ?phone=138****2222&id=6203**********1234), still a valid
 * URL: only the values that masking changed are re-encoded, the path, keys and every other value stay
 * byte for byte.
 */
export function maskNumbersInUrl(url: string): string {
  const query = /\?([^#]*)/u.exec(url);
  if (!query || query[1] === undefined) return url;
  const start = query.index + 1;
  const masked = query[1]
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const raw = pair.slice(eq + 1);
      let value: string;
      try {
        value = decodeURIComponent(raw.replaceAll('+', ' '));
      } catch {
        return pair; // not percent-encoded UTF-8: no number can be read in it either
      }
      const out = maskNumbersInText(value, { apartFromLetters: true });
      return out === value ? pair : `${pair.slice(0, eq + 1)}${encodeURIComponent(out)}`;
    })
    .join('&');
  return `${url.slice(0, start)}${masked}${url.slice(start + query[1].length)}`;
}

/** The text as written, masked as every copy of the report has it (URLs by their query, maskNumbersInUrl). */
function maskWritten({ attachments, ...text }: WrittenText): WrittenText {
  return { ...(maskNumbersInJson(text) as WrittenText), ...(attachments ? { attachments: attachments.map(maskNumbersInUrl) } : {}) };
}

/** `maskNumbersInText` on every string of a JSON value (object keys kept as they are). */
export function maskNumbersInJson(value: unknown): unknown {
  if (typeof value === 'string') return maskNumbersInText(value);
  if (Array.isArray(value)) return value.map(maskNumbersInJson);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskNumbersInJson(v)]));
  return value;
}

/**
 * A report body with the personal numbers and email addresses in its free text (title, description, the
 * location's address) and in its attachments' URL queries masked, as report.received carries it to every
 * other service, and what masking changed as written (undefined when nothing), for intake's personal data:
 * each text field it changed, and every attachment URL as sent when it changed any. The body is not changed.
 */
export function maskReportText(body: ReportBody): { body: ReportBody; written: WrittenText | undefined } {
  const written: WrittenText = {};
  const mask = (field: 'title' | 'description' | 'address', value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const masked = maskNumbersInText(value);
    if (masked !== value) written[field] = value;
    return masked;
  };
  const title = mask('title', body.title);
  const description = mask('description', body.description) ?? body.description;
  const address = mask('address', body.location.address);
  const attachments = body.attachments?.map((a) => ({ ...a, url: maskNumbersInUrl(a.url) }));
  if (attachments?.some((a, i) => a.url !== body.attachments?.[i]?.url)) written.attachments = body.attachments?.map((a) => a.url);
  if (Object.keys(written).length === 0) return { body, written: undefined };
  return {
    body: {
      ...body,
      ...(title === undefined ? {} : { title }),
      description,
      location: { ...body.location, ...(address === undefined ? {} : { address }) },
      ...(written.attachments ? { attachments } : {}),
    },
    written,
  };
}
