import { CreateWebhookBody, cursorParam, DeliveryView, newId, type Principal, text, WebhookCreated, WebhookView, type WebhookEventType, withFieldsCheck } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, conflict, notFound } from '@gridcase/service-kit';
import { z } from 'zod';
import { deliveriesPage } from '../db/webhook-deliveries.ts';
import { clientWebhook, deleteWebhook, registerWebhook, type WebhookRow, webhooksOf } from '../db/webhooks.ts';
import { type AddressPolicy, refusedUrl } from '../webhooks/address-guard.ts';

const WebhookParams = z.object({ webhookId: text().min(1).max(64) });

/** How many webhooks one client may have: each is a queue of deliveries this service keeps and sends. */
export const WEBHOOKS_PER_CLIENT = 20;

// Deliveries are listed latest first by their queue position, so the last one seen is the whole cursor.
const encodeCursor = (seq: number) => Buffer.from(String(seq)).toString('base64url');
/** The position a cursor stands for, or undefined when this service did not give it out. */
const decodeCursor = (cursor: string): number | undefined => {
  const seq = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^[1-9][0-9]{0,14}$/.test(seq) ? Number(seq) : undefined;
};

const DeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam(40, decodeCursor),
});

const toView = (row: WebhookRow): z.infer<typeof WebhookView> => ({
  webhookId: row.webhookId,
  url: row.url,
  ...(row.events ? { events: row.events as WebhookEventType[] } : {}),
  createdAt: row.createdAt.toISOString(),
});

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
      config: { roles: ['reporter'], scope: 'own' },
      schema: {
        summary: "Subscribe a URL to the case events of the calling client's reports (the secret is never shown again)",
        body: WebhookBody,
        response: { 201: WebhookCreated },
        description: `409 when the client already has a webhook for the url, or has ${WEBHOOKS_PER_CLIENT} webhooks.`,
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
      schema: { summary: 'Unsubscribe; deliveries not yet sent are dropped', params: WebhookParams },
    },
    async (req, reply) => {
      const principal = req.principal as Principal;
      const row = await ownWebhook(db, req.params.webhookId, principal);
      await deleteWebhook(db, row.webhookId);
      req.log.info({ webhookId: row.webhookId, clientId: principal.clientId }, 'webhook deleted');
      return reply.status(204).send();
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
      const rows = await deliveriesPage(db, row.webhookId, { beforeSeq: cursor ? decodeCursor(cursor) : undefined, limit });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(({ row: d, attempts }) => ({
          deliveryId: d.deliveryId,
          eventId: d.eventId,
          eventType: d.eventType,
          caseId: d.caseId,
          status: d.status as 'pending' | 'delivered' | 'parked' | 'dropped',
          createdAt: d.createdAt.toISOString(),
          ...(d.status === 'pending' ? { nextAttemptAt: d.nextAttemptAt.toISOString() } : {}),
          attempts: attempts.map((a) => ({
            attempt: a.attempt,
            at: a.at.toISOString(),
            ...(a.statusCode !== null ? { statusCode: a.statusCode } : {}),
            ...(a.error !== null ? { error: a.error } : {}),
            ...(a.nextAttemptAt ? { nextAttemptAt: a.nextAttemptAt.toISOString() } : {}),
          })),
        })),
        nextCursor: rows.length > limit && last ? encodeCursor(last.row.seq) : null,
      };
    },
  );
}
