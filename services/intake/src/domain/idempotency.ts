import { canonicalJson, type ReportStatus } from '@gridcase/contracts';
import { createHash } from 'node:crypto';

/** sha256 of the canonical body: what tells a repeat of a report from a changed one under the same key. */
export const bodyHash = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

export type IdempotencyDecision =
  | { outcome: 'created' }
  | { outcome: 'repeat'; reportId: string; status: ReportStatus }
  | { outcome: 'conflict'; reportId: string };

/**
 * What a report under an idempotency key (client, externalId) means, given what that key already
 * holds: nothing → a new report; the same body → a repeat of that report (with its status now, for the
 * answer); another body → a conflict.
 */
export function decideIdempotency(existing: { reportId: string; bodyHash: string; status: ReportStatus } | undefined, hash: string): IdempotencyDecision {
  if (!existing) return { outcome: 'created' };
  return existing.bodyHash === hash
    ? { outcome: 'repeat', reportId: existing.reportId, status: existing.status }
    : { outcome: 'conflict', reportId: existing.reportId };
}
