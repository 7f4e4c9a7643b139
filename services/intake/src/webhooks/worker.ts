import type { Db, Tx } from '@gridcase/db';
import { PollingLoop } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import { and, asc, eq, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Logger } from 'pino';
import { webhookAttempts, webhookDeliveries, webhooks } from '../db/schema.ts';
import { type AddressPolicy, refusedUrl } from './address-guard.ts';
import { nextAttemptAt, signature } from './delivery-policy.ts';
import { deliveriesDelivered, deliveriesFailed, deliveriesParked } from './metrics.ts';
import { post } from './post.ts';

export interface DeliveryWorkerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  policy: AddressPolicy;
  pollMs: number;
  /** Deliveries sent at once by one instance. */
  batchSize?: number;
  timeoutMs?: number;
  /** [0, 1), for the jitter of retries. */
  random?: () => number;
}

interface Outcome {
  ok: boolean;
  statusCode?: number;
  error?: string;
}

/** A pass that has not succeeded for this long (wall time) means the worker is stuck. */
const STUCK_AFTER_MS = 60_000;
const earlier = alias(webhookDeliveries, 'earlier');

/**
 * Sends queued webhook deliveries. Each is sent inside its own transaction that holds the row
 * with FOR UPDATE SKIP LOCKED, so another instance never sends it at the same time; a crash
 * mid-send rolls back and the delivery is sent again (at least once). A delivery waits while an
 * earlier one of the same case to the same webhook is still pending (in order per case).
 */
export class DeliveryWorker {
  private readonly o: Required<DeliveryWorkerOptions>;
  private readonly loop: PollingLoop;
  private readonly stopping = new AbortController();

  constructor(options: DeliveryWorkerOptions) {
    this.o = { batchSize: 5, timeoutMs: 10_000, random: Math.random, ...options };
    this.loop = new PollingLoop({ name: 'webhook deliveries', pollMs: this.o.pollMs, batchSize: this.o.batchSize, logger: this.o.logger, pass: () => this.pass() });
  }

  start(): void {
    this.loop.start();
  }

  /** Abandons sends in flight (their transactions roll back, so they are sent again later). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop.stop();
  }

  /** New deliveries were queued: look now rather than at the next poll. */
  wakeNow(): void {
    this.loop.wakeNow();
  }

  get failure(): string | undefined {
    return this.loop.stuckReason(Math.max(STUCK_AFTER_MS, this.o.pollMs * 3));
  }

  /** One pass; returns how many deliveries it tried. */
  async pass(): Promise<number> {
    const now = this.o.clock.now();
    const d = webhookDeliveries;
    const due = await this.o.db
      .select({ deliveryId: d.deliveryId })
      .from(d)
      .where(
        and(
          eq(d.status, 'pending'),
          lte(d.nextAttemptAt, now),
          notExists(
            this.o.db
              .select({ one: sql`1` })
              .from(earlier)
              .where(and(eq(earlier.webhookId, d.webhookId), eq(earlier.caseId, d.caseId), eq(earlier.status, 'pending'), lt(earlier.seq, d.seq))),
          ),
        ),
      )
      .orderBy(asc(d.seq))
      .limit(this.o.batchSize);
    const tried = await Promise.all(due.map((row) => this.deliverOne(row.deliveryId)));
    return tried.filter(Boolean).length;
  }

  private async deliverOne(deliveryId: string): Promise<boolean> {
    const result = await this.o.db.transaction(async (tx) => this.attempt(tx, deliveryId)).catch((err: unknown) => {
      // Stopped mid-send: rolled back, so the delivery stays pending for the next instance.
      if (this.stopping.signal.aborted) return undefined;
      throw err;
    });
    if (!result) return false;
    const { delivery, attempt, status, outcome, next } = result;
    // Ids and outcomes only: never the payload or the URL (it may carry a token of the receiver's).
    const fields = { deliveryId, webhookId: delivery.webhookId, caseId: delivery.caseId, eventType: delivery.eventType, attempt, statusCode: outcome.statusCode, error: outcome.error };
    if (status === 'delivered') {
      deliveriesDelivered.inc();
      this.o.logger.info(fields, 'webhook delivered');
    } else {
      deliveriesFailed.inc();
      if (status === 'parked') {
        deliveriesParked.inc();
        this.o.logger.warn(fields, 'webhook delivery parked: retry window over');
      } else {
        this.o.logger.warn({ ...fields, nextAttemptAt: next?.toISOString() }, 'webhook delivery failed; will retry');
      }
    }
    return true;
  }

  /** One try of one delivery inside `tx`, which holds its row; undefined when it is not ours to try now. */
  private async attempt(tx: Tx, deliveryId: string) {
    const d = webhookDeliveries;
    const now = this.o.clock.now();
    const [delivery] = await tx
      .select()
      .from(d)
      .where(and(eq(d.deliveryId, deliveryId), eq(d.status, 'pending'), lte(d.nextAttemptAt, now)))
      .for('update', { skipLocked: true });
    // Sent meanwhile, or in another instance's hands right now.
    if (!delivery) return undefined;
    // The delivery row's foreign key keeps its webhook while the row is locked.
    const [hook] = await tx.select({ url: webhooks.url, secret: webhooks.secret }).from(webhooks).where(eq(webhooks.webhookId, delivery.webhookId));
    if (!hook) return undefined;
    const outcome = await this.send(hook.url, hook.secret, delivery);
    const attempt = delivery.attempts + 1;
    const at = this.o.clock.now();
    const next = outcome.ok ? undefined : nextAttemptAt(attempt, delivery.createdAt, at, this.o.random());
    const status = outcome.ok ? 'delivered' : next ? 'pending' : 'parked';
    await tx
      .update(d)
      .set({ status, attempts: attempt, ...(next ? { nextAttemptAt: next } : {}) })
      .where(eq(d.deliveryId, deliveryId));
    await tx.insert(webhookAttempts).values({
      deliveryId,
      attempt,
      at,
      statusCode: outcome.statusCode ?? null,
      error: outcome.error ?? null,
      nextAttemptAt: next ?? null,
    });
    return { delivery, attempt, status, outcome, next };
  }

  private async send(url: string, secret: string, delivery: typeof webhookDeliveries.$inferSelect): Promise<Outcome> {
    // Checked again at send time (an IP literal is never looked up, so the lookup guard in post()
    // would not see it); a host name is checked again on the resolution the connection uses.
    const refused = await refusedUrl(url, this.o.policy);
    if (refused) return { ok: false, error: `address refused: ${refused}` };
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    let status: number;
    try {
      const headers = {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'x-gridcase-signature': signature(secret, delivery.payload),
        'x-gridcase-delivery': delivery.deliveryId,
      };
      status = await post(url, delivery.payload, headers, this.o.policy, AbortSignal.any([timeout, this.stopping.signal]));
    } catch (err) {
      // Stopping: roll back, so the delivery stays pending for the next instance.
      if (this.stopping.signal.aborted) throw new Error('stopped mid-delivery', { cause: err });
      if (timeout.aborted) return { ok: false, error: `timed out after ${this.o.timeoutMs / 1000} s` };
      const e = err as Error & { code?: string };
      // The guard's own message names the refused kind of address; other errors by code only.
      return { ok: false, error: e.code === 'EADDRREFUSED' ? e.message : (e.code ?? 'request failed') };
    }
    if (status >= 200 && status < 300) return { ok: true, statusCode: status };
    // A redirect could lead anywhere, past the address check: never followed, it counts as a failure.
    if (status >= 300 && status < 400) return { ok: false, statusCode: status, error: 'redirect not followed' };
    return { ok: false, statusCode: status };
  }
}
