import type { ReportBody, Reporter } from '@gridcase/contracts';

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

/** Keeps the first `head` and last `tail` characters (by code point, so Chinese names mask whole characters). */
function keepEnds(text: string, head: number, tail: number): string {
  const chars = [...text];
  if (chars.length <= head + tail) return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
  return `${chars.slice(0, head).join('')}${'*'.repeat(chars.length - head - tail)}${chars.slice(chars.length - tail).join('')}`;
}

/** li.xiulan@example.cn → l*******@example.cn: the mailbox is masked, the domain kept. */
function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? keepEnds(email, 1, 0) : `${keepEnds(email.slice(0, at), 1, 0)}${email.slice(at)}`;
}

/** 张三丰 → 张**, 13812345678 → 138****5678, 620321199001011234 → 6203**********1234. */
export function maskReporter(data: PersonalData): PersonalData {
  return {
    name: data.name === null ? null : keepEnds(data.name, 1, 0),
    phone: data.phone === null ? null : keepEnds(data.phone, 3, 4),
    idNumber: data.idNumber === null ? null : keepEnds(data.idNumber, 4, 4),
    email: data.email === null ? null : maskEmail(data.email),
    anonymous: data.anonymous,
    ...(data.written ? { written: maskNumbersInJson(data.written) as WrittenText } : {}),
  };
}

/**
 * Phone and ID numbers written into free text, each matched whole (no digit either side): an
 * 18-digit resident ID (last character a digit or X) or the old 15-digit form; a mainland mobile
 * (optionally +86, with spaces or hyphens in the 3-4-4 groups); a landline with its area code
 * (0xx or 0xxx, optionally in brackets, then 7 or 8 digits). Ordered longest first.
 */
const NUMBERS_IN_TEXT: readonly { pattern: RegExp; head: number; tail: number }[] = [
  { pattern: /(?<!\d)\d{17}[\dXx](?![\dXx])/g, head: 4, tail: 4 },
  { pattern: /(?<!\d)\d{15}(?!\d)/g, head: 4, tail: 4 },
  { pattern: /(?<![\d+])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g, head: 3, tail: 4 },
  { pattern: /(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[- ]?\d{7,8}(?!\d)/g, head: 4, tail: 2 },
];

/**
 * Free text with the phone and ID numbers in it masked as maskReporter masks them (13912345678 →
 * 139****5678, 620302198805051234 → 6203**********1234), the rest kept so it can still be read.
 * For every copy of a report that leaves intake's personal data (report.received, the DLQ).
 */
export function maskNumbersInText(text: string): string {
  let out = text;
  for (const { pattern, head, tail } of NUMBERS_IN_TEXT) out = out.replace(pattern, (m) => keepEnds(m, head, tail));
  return out;
}

/** `maskNumbersInText` on every string of a JSON value (object keys kept as they are). */
export function maskNumbersInJson(value: unknown): unknown {
  if (typeof value === 'string') return maskNumbersInText(value);
  if (Array.isArray(value)) return value.map(maskNumbersInJson);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskNumbersInJson(v)]));
  return value;
}

/**
 * A report body with the phone and ID numbers in its free text (title, description, the location's
 * address) masked, as report.received carries it to every other service, and the text as written of
 * each field masking changed (undefined when none), for intake's personal data. The body is not changed.
 */
export function maskReportText(body: ReportBody): { body: ReportBody; written: WrittenText | undefined } {
  const written: WrittenText = {};
  const mask = (field: keyof WrittenText, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const masked = maskNumbersInText(value);
    if (masked !== value) written[field] = value;
    return masked;
  };
  const title = mask('title', body.title);
  const description = mask('description', body.description) ?? body.description;
  const address = mask('address', body.location.address);
  if (Object.keys(written).length === 0) return { body, written: undefined };
  return {
    body: {
      ...body,
      ...(title === undefined ? {} : { title }),
      description,
      location: { ...body.location, ...(address === undefined ? {} : { address }) },
    },
    written,
  };
}
