import { isWebhookEventType, parseMessage } from '@gridcase/contracts';
import type { Tx } from '@gridcase/db';
import type { TransactionalHandler } from '@gridcase/messaging';
import { type CaseMessage, type CaseProjectionDeps, handleCaseEvent } from './case-event.ts';

/**
 * The case events a webhook receives (WEBHOOK_EVENT_TYPES) also keep the report's status and case
 * summary current; the rest are acknowledged and skipped.
 * Runs of a partition's events share a transaction.
 */
export function caseEventsHandler(deps: CaseProjectionDeps): TransactionalHandler<Tx> {
  return { transaction: (work) => deps.db.transaction(work), handle: (tx, record) => handleCaseRecord(tx, deps, record) };
}

async function handleCaseRecord(tx: Tx, deps: CaseProjectionDeps, record: { value: Buffer | null }) {
  const message = parseMessage(record.value);
  if (!isWebhookEventType(message.type)) return;
  return handleCaseEvent(tx, deps, message as CaseMessage, record.value?.toString('utf8') ?? JSON.stringify(message));
}
