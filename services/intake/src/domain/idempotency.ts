import { canonicalJson, type ReportStatus } from '@gridcase/contracts';
import { createHash } from 'node:crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** An RFC 3339 instant as `Instant` takes it: seconds always, any fraction, `Z` or `±hh:mm`. */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant `at` names, written in UTC: `Z`, and its fraction of a second as sent less trailing
 * zeros, every digit kept (Date would cut it to milliseconds, and two bodies a microsecond apart are
 * two bodies). `2026-11-01T08:00:00+08:00`, `2026-11-01T00:00:00.000Z` and `2026-11-01T00:00:00-00:00`
 * are all `2026-11-01T00:00:00Z`. Anything else is returned as it is.
 */
export function utcInstant(at: string): string {
  const m = RFC3339.exec(at);
  if (!m) return at;
  const [, date, time, fraction = '', offset = 'Z'] = m;
  const wholeSeconds = Date.parse(`${date}T${time}Z`);
  if (Number.isNaN(wholeSeconds)) return at;
  const offsetMinutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const digits = fraction.replace(/0+$/, '');
  return `${new Date(wholeSeconds - offsetMinutes * 60_000).toISOString().slice(0, 19)}${digits ? `.${digits}` : ''}Z`;
}

/** The body's instants, each written as utcInstant writes it. */
const INSTANT_FIELDS = ['occurredAt', 'respondBy', 'resolveBy'] as const;

/**
 * sha256 of the canonical body with its instants written in UTC (utcInstant): what tells a repeat of a
 * report from a changed one under the same key. A retry that writes the same instant in another offset
 * (`+08:00` first, `Z` after: another client library, another server's zone) is the same report.
 */
export function bodyHash(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return legacyBodyHash(body);
  const normalised: Record<string, unknown> = { ...body };
  for (const field of INSTANT_FIELDS) {
    const at = normalised[field];
    if (typeof at === 'string') normalised[field] = utcInstant(at);
  }
  return sha256(canonicalJson(normalised));
}

/**
 * sha256 of the canonical body as sent: the hash reports stored before bodyHash wrote instants in UTC
 * hold, so an identical repeat of one of them is still recognised. (A repeat of one that changes only
 * the offset is not: its stored hash kept the offset as first sent.)
 */
export const legacyBodyHash = (body: unknown): string => sha256(canonicalJson(body));

export type IdempotencyDecision =
  | { outcome: 'created' }
  | { outcome: 'repeat'; reportId: string; status: ReportStatus }
  | { outcome: 'conflict'; reportId: string };

/**
 * What a report under an idempotency key (client, externalId) means, given what that key already
 * holds: nothing → a new report; the same body (its stored hash is any of `hashes`, the body's
 * bodyHash and legacyBodyHash) → a repeat of that report (with its status now, for the answer);
 * another body → a conflict.
 */
export function decideIdempotency(existing: { reportId: string; bodyHash: string; status: ReportStatus } | undefined, hashes: readonly string[]): IdempotencyDecision {
  if (!existing) return { outcome: 'created' };
  return hashes.includes(existing.bodyHash)
    ? { outcome: 'repeat', reportId: existing.reportId, status: existing.status }
    : { outcome: 'conflict', reportId: existing.reportId };
}
