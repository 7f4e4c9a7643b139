import type { Reporter } from '@gridcase/contracts';

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

export interface PersonalData {
  name: string | null;
  phone: string | null;
  idNumber: string | null;
  email: string | null;
  anonymous: boolean;
}

/** The personal data to store for a report, or undefined when it carried none. */
export function personalData(reporter: Reporter | undefined): PersonalData | undefined {
  if (!reporter?.name && !reporter?.phone && !reporter?.idNumber && !reporter?.email) return undefined;
  return {
    name: reporter.name ?? null,
    phone: reporter.phone ?? null,
    idNumber: reporter.idNumber ?? null,
    email: reporter.email ?? null,
    anonymous: reporter.anonymous ?? false,
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
  };
}
