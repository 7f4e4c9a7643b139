import { z } from 'zod';
import { Envelope } from './envelope.ts';
import { storableUrl, text } from './text.ts';

/**
 * The case events a webhook receives: every change to the case of record (the contract's "each
 * change to a case"), extension requests and refusals included. Not notes (the desk's own free text,
 * where staff may write a name or a number: personal data never goes in a payload), nor the deadline
 * warnings and passings and a hold's expiry (the timers' view, followed by the escalation or the
 * resume that is sent), nor rejected commands (nothing changed).
 */
export const WEBHOOK_EVENT_TYPES = [
  'gridcase.case.opened.v1',
  'gridcase.case.report-merged.v1',
  'gridcase.case.assigned.v1',
  'gridcase.case.acknowledged.v1',
  'gridcase.case.resolved.v1',
  'gridcase.case.reopened.v1',
  'gridcase.case.escalated.v1',
  'gridcase.case.verified.v1',
  'gridcase.case.followed-up.v1',
  'gridcase.case.closed.v1',
  'gridcase.case.held.v1',
  'gridcase.case.resumed.v1',
  'gridcase.case.extension-requested.v1',
  'gridcase.case.extension-approved.v1',
  'gridcase.case.extension-rejected.v1',
  'gridcase.case.deadlines-set.v1',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;
const webhookEventTypes: ReadonlySet<string> = new Set(WEBHOOK_EVENT_TYPES);
export const isWebhookEventType = (type: string): type is WebhookEventType => webhookEventTypes.has(type);

export const CreateWebhookBody = z.strictObject({
  url: storableUrl().max(2000),
  /** The HMAC-SHA256 key; stored, never shown again. */
  secret: text().min(16).max(200),
  /** Only these types; every type when absent. */
  events: z.array(WebhookEventType).min(1).max(WEBHOOK_EVENT_TYPES.length).optional(),
});
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const WebhookCreated = z.object({ webhookId: text() });

export const WebhookView = z.object({
  webhookId: text(),
  url: text(),
  events: z.array(WebhookEventType).optional(),
  createdAt: text(),
});

export const DeliveryAttemptView = z.object({
  attempt: z.number().int(),
  /** When the attempt was sent (its outcome may come up to the send timeout later). */
  at: text(),
  statusCode: z.number().int().optional(),
  error: text().optional(),
  /** When the next try is due; absent once delivered or parked. */
  nextAttemptAt: text().optional(),
});

export const DeliveryView = z.object({
  deliveryId: text(),
  eventId: text(),
  eventType: text(),
  caseId: text(),
  status: z.enum(['pending', 'delivered', 'parked', 'dropped']),
  createdAt: text(),
  nextAttemptAt: text().optional(),
  /**
   * A pending delivery held back behind an earlier one of the same case that has not gone through yet
   * (its deliveryId): a case's events are sent in order, so this one's nextAttemptAt may pass unsent.
   */
  waitingFor: text().optional(),
  attempts: z.array(DeliveryAttemptView),
});

/**
 * What a webhook's url is POSTed (`application/cloudevents+json`): the case event as the case of record
 * published it on gridcase.cases, less what stays inside the station, which `data.redacted` names
 * (intake's domain/webhook-payload.ts). Intake's /docs describes it as its `caseEvent` webhook.
 */
export const WebhookPayload = Envelope.extend({
  type: WebhookEventType,
  subject: text().min(1).describe('the id of the case'),
  data: z
    .looseObject({
      caseId: text(),
      redacted: z.array(text()).optional().describe('the fields of the published event withheld from this payload (`by`, `note`, `assignees.name`…), when any were'),
    })
    .describe("the event's data (the event type's schema in packages/contracts), less the fields named in `redacted`"),
});
