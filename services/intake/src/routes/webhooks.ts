import {
  CreateWebhookBody,
  cursorParam,
  DeliveryView,
  keyCursor,
  newId,
  type Principal,
  text,
  WebhookCreated,
  type WebhookEventType,
  WebhookPayload,
  WebhookView,
  withFieldsCheck,
} from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, conflict, notFound, openapiSchema } from '@gridcase/service-kit';
import { z } from 'zod';
import { deliveriesPage } from '../db/webhook-deliveries.ts';
import { clientWebhook, deleteWebhook, registerWebhook, type WebhookRow, webhooksOf } from '../db/webhooks.ts';
import { type AddressPolicy, refusedUrl } from '../webhooks/address-guard.ts';
import { RETRY_WINDOW_MS, SEND_TIMEOUT_MS } from '../webhooks/delivery-policy.ts';

const WebhookParams = z.object({ webhookId: text().min(1).max(64) });

/** How many webhooks one client may have: each is a queue of deliveries this service keeps and sends. */
export const WEBHOOKS_PER_CLIENT = 20;

// Deliveries are listed latest first by their queue position, so the last one seen is the whole cursor.
const deliveriesCursor = keyCursor('intake.webhook-deliveries', (seq): seq is number => Number.isSafeInteger(seq) && (seq as number) > 0);

const DeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam(80, (c) => deliveriesCursor.decode(c)),
});

const toView = (row: WebhookRow): z.infer<typeof WebhookView> => ({
  webhookId: row.webhookId,
  url: row.url,
  ...(row.events ? { events: row.events as WebhookEventType[] } : {}),
  createdAt: row.createdAt.toISOString(),
});

/**
 * What a webhook's url receives, as OpenAPI 3.1 `webhooks` for intake's /docs (`caseEvent`): the signed
 * POST the delivery worker sends (webhooks/worker.ts), and what it makes of the answer.
 */
export function webhookDocs() {
  return {
    caseEvent: {
      post: {
        summary: "A change to the case of one of the client's reports, POSTed to each of its webhooks that takes the event's type",
        description:
          `At least once and in order per case. Check \`X-Gridcase-Signature\` over the raw body before reading it; deduplicate by \`X-Gridcase-Delivery\` (or the event's \`id\`). ` +
          `A non-2xx answer, a redirect (never followed) or no answer within ${SEND_TIMEOUT_MS / 1000} s is a failed attempt: retried with backoff for ${RETRY_WINDOW_MS / 3_600_000} h from the event, then parked ` +
          '(`GET /v1/webhooks/{webhookId}/deliveries` shows every attempt). Personal data is never in a payload.',
        // The signature is the authentication: intake sends no token.
        security: [],
        parameters: [
          {
            name: 'X-Gridcase-Signature',
            in: 'header',
            required: true,
            description: "`sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the webhook's secret",
            schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
          },
          {
            name: 'X-Gridcase-Delivery',
            in: 'header',
            required: true,
            description: 'the id of the delivery, the same on every retry of it',
            schema: { type: 'string' },
          },
        ],
        requestBody: { required: true, content: { 'application/cloudevents+json': { schema: openapiSchema(WebhookPayload) } } },
        responses: {
          '2XX': { description: 'delivered' },
          default: { description: 'not delivered: tried again later, until the retry window ends' },
        },
      },
    },
  };
}

/** The caller's own webhook; another client's answers 404, as if it did not exist. */
async function ownWebhook(db: Db, webhookId: string, principal: Principal) {
  const row = await clientWebhook(db, webhookId, principal.clientId);
  if (!row) throw notFound('no webhook with this id');
  return row;
}

/** A reporting client's webhooks: where its reports' case events are POSTed, and how that went. */
export function webhookRoutes(app: App, db: Db, policy: AddressPolicy) {
  /** The body, its url checked by the address policy beside the other fields (the policy needs DNS, so the check is async). */
  const WebhookBody = withFieldsCheck(CreateWebhookBody, ['url'], async ({ url }, ctx) => {
    const refused = await refusedUrl(url, policy);
    if (refused) ctx.addIssue({ code: 'custom', path: ['url'], message: refused });
  });

  app.post(
    '/v1/webhooks',
    {
      config: {
        roles: ['reporter'],
        scope: 'own',
        problems: { 409: `the client already has a webhook for this url, or has ${WEBHOOKS_PER_CLIENT} webhooks` },
      },
      schema: {
        summary: "Subscribe a URL to the case events of the calling client's reports (the secret is never shown again)",
        description: 'What the url is sent: the `caseEvent` webhook of this document (a CloudEvent, signed with the secret).',
        body: WebhookBody,
        response: { 201: WebhookCreated },
      },
    },
    async (req, reply) => {
      const principal = req.principal as Principal;
      const { url, secret, events } = req.body;
      const webhookId = newId();
      const registered = await registerWebhook(db, { webhookId, clientId: principal.clientId, url, secret, events: events ?? null }, WEBHOOKS_PER_CLIENT);
      if ('sameUrl' in registered) throw conflict(`this client already has webhook ${registered.sameUrl} for this url; delete it first to change its secret or events`);
      if ('limit' in registered) throw conflict(`this client has ${registered.limit} webhooks, as many as a client may; delete one first`);
      req.log.info({ webhookId, clientId: principal.clientId, events }, 'webhook registered');
      return reply.status(201).send({ webhookId });
    },
  );

  app.get(
    '/v1/webhooks',
    {
      config: { roles: ['reporter'], scope: 'own' },
      schema: { summary: "The calling client's webhooks, oldest first", response: { 200: z.object({ items: z.array(WebhookView) }) } },
    },
    async (req) => {
      const principal = req.principal as Principal;
      const rows = await webhooksOf(db, principal.clientId);
      return { items: rows.map(toView) };
    },
  );

  app.delete(
    '/v1/webhooks/:webhookId',
    {
      config: { roles: ['reporter'], scope: 'own' },
      schema: { summary: 'Unsubscribe; deliveries not yet sent are dropped', params: WebhookParams, response: { 204: z.null().describe('Unsubscribed') } },
    },
    async (req, reply) => {
      const principal = req.principal as Principal;
      const row = await ownWebhook(db, req.params.webhookId, principal);
      await deleteWebhook(db, row.webhookId);
      req.log.info({ webhookId: row.webhookId, clientId: principal.clientId }, 'webhook deleted');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/webhooks/:webhookId/deliveries',
    {
      config: { roles: ['reporter'], scope: 'own' },
      schema: {
        summary: "A webhook's deliveries, latest first, each with its attempts (status code or error, next try); pass nextCursor as cursor for the next page",
        params: WebhookParams,
        querystring: DeliveriesQuery,
        response: { 200: z.object({ items: z.array(DeliveryView), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const row = await ownWebhook(db, req.params.webhookId, req.principal as Principal);
      const { limit, cursor } = req.query;
      // The schema has refused a cursor that does not decode.
      const rows = await deliveriesPage(db, row.webhookId, { beforeSeq: cursor ? deliveriesCursor.decode(cursor) : undefined, limit });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(({ row: d, attempts, waitingFor }) => ({
          deliveryId: d.deliveryId,
          eventId: d.eventId,
          eventType: d.eventType,
          caseId: d.caseId,
          status: d.status as 'pending' | 'delivered' | 'parked' | 'dropped',
          createdAt: d.createdAt.toISOString(),
          ...(d.status === 'pending' ? { nextAttemptAt: d.nextAttemptAt.toISOString() } : {}),
          ...(waitingFor ? { waitingFor } : {}),
          attempts: attempts.map((a) => ({
            attempt: a.attempt,
            at: a.at.toISOString(),
            ...(a.statusCode !== null ? { statusCode: a.statusCode } : {}),
            ...(a.error !== null ? { error: a.error } : {}),
            ...(a.nextAttemptAt ? { nextAttemptAt: a.nextAttemptAt.toISOString() } : {}),
          })),
        })),
        nextCursor: rows.length > limit && last ? deliveriesCursor.encode(last.row.seq) : null,
      };
    },
  );
}
