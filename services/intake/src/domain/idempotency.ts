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
 * sha256 of the canonical body with its instants written in UTC (utcInstant), stored as `body_hash_utc`:
 * a retry that writes the same instant in another offset (`+08:00` first, `Z` after: another client
 * library, another server's zone) is the same report. So is one that writes no attachments as
 * `"attachments": []` where the first left the field out (a serializer that writes empty lists, audit21 #9).
 */
export function utcBodyHash(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return asSentBodyHash(body);
  const normalised: Record<string, unknown> = { ...body };
  for (const field of INSTANT_FIELDS) {
    const at = normalised[field];
    if (typeof at === 'string') normalised[field] = utcInstant(at);
  }
  if (Array.isArray(normalised.attachments) && normalised.attachments.length === 0) delete normalised.attachments;
  return sha256(canonicalJson(normalised));
}

/**
 * sha256 of the canonical body as sent, stored as `body_hash`: what every report has held there, and
 * the one hash an instance older than `body_hash_utc` compares, so its identical retry of a report
 * stored now is still a repeat (a rolling deploy, a rollback).
 */
export const asSentBodyHash = (body: unknown): string => sha256(canonicalJson(body));

/** A body's two hashes: `body_hash` and `body_hash_utc` of the report it makes. */
export interface BodyHashes {
  asSent: string;
  utc: string;
}

export const bodyHashes = (body: unknown): BodyHashes => ({ asSent: asSentBodyHash(body), utc: utcBodyHash(body) });

/** What an idempotency key holds: its report, the hashes stored with it and its status now. */
export interface StoredReportKey {
  reportId: string;
  bodyHash: string;
  /** Null for a report stored before `body_hash_utc` (migration 0020). */
  bodyHashUtc: string | null;
  status: ReportStatus;
}

export type IdempotencyDecision =
  | { outcome: 'created' }
  | { outcome: 'repeat'; reportId: string; status: ReportStatus }
  | { outcome: 'conflict'; reportId: string };

/**
 * What a report under an idempotency key (client, externalId) means, given what that key already
 * holds: nothing → a new report; the same body → a repeat of that report (with its status now, for the
 * answer); another body → a conflict. The same body: the same hash as sent (any report, whenever
 * stored), or the same UTC hash (a report stored with one: the offsets may differ). A `body_hash` equal
 * to the UTC hash is the same body too (the stored body was sent with its instants as utcInstant writes
 * them): so reports stored while intake wrote the UTC hash to `body_hash`, before `body_hash_utc`, still
 * match an identical retry.
 */
export function decideIdempotency(existing: StoredReportKey | undefined, hashes: BodyHashes): IdempotencyDecision {
  if (!existing) return { outcome: 'created' };
  const same = existing.bodyHash === hashes.asSent || existing.bodyHash === hashes.utc || existing.bodyHashUtc === hashes.utc;
  return same ? { outcome: 'repeat', reportId: existing.reportId, status: existing.status } : { outcome: 'conflict', reportId: existing.reportId };
}
