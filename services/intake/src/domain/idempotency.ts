import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and undefined members dropped, so two bodies that
 * differ only in key order or whitespace hash the same. Array order is kept: it carries meaning.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** sha256 of the canonical body: what tells a repeat of a report from a changed one under the same key. */
export const bodyHash = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

export type IdempotencyDecision =
  | { outcome: 'created' }
  | { outcome: 'repeat'; reportId: string }
  | { outcome: 'conflict'; reportId: string };

/**
 * What a report under an idempotency key (client, externalId) means, given what that key already
 * holds: nothing → a new report; the same body → a repeat of that report; another body → a conflict.
 */
export function decideIdempotency(existing: { reportId: string; bodyHash: string } | undefined, hash: string): IdempotencyDecision {
  if (!existing) return { outcome: 'created' };
  return existing.bodyHash === hash
    ? { outcome: 'repeat', reportId: existing.reportId }
    : { outcome: 'conflict', reportId: existing.reportId };
}
