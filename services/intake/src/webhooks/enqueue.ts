import { newId } from '@gridcase/contracts';
import type { Tx } from '@gridcase/db';
import { eq, inArray } from 'drizzle-orm';
import { reports, webhookDeliveries, webhooks } from '../db/schema.ts';

export interface CaseEventForWebhooks {
  id: string;
  type: string;
  caseId: string;
  /** The event as it was on gridcase.cases. */
  raw: string;
}

/**
 * Queues the event for every webhook of every client with a report on the case, in the caller's
 * transaction (the projection's), so a crash either keeps both or neither. Returns how many.
 */
export async function enqueueDeliveries(tx: Tx, event: CaseEventForWebhooks, now: Date): Promise<number> {
  const owners = tx.selectDistinct({ clientId: reports.clientId }).from(reports).where(eq(reports.caseId, event.caseId));
  const hooks = await tx
    .select({ webhookId: webhooks.webhookId, events: webhooks.events })
    .from(webhooks)
    .where(inArray(webhooks.clientId, owners));
  const rows = hooks
    .filter((h) => !h.events || h.events.includes(event.type))
    .map((h) => ({
      deliveryId: newId(),
      webhookId: h.webhookId,
      caseId: event.caseId,
      eventId: event.id,
      eventType: event.type,
      payload: event.raw,
      nextAttemptAt: now,
      createdAt: now,
    }));
  if (rows.length) await tx.insert(webhookDeliveries).values(rows).onConflictDoNothing();
  return rows.length;
}
