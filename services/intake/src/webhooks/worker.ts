import type { Db, Tx } from '@gridcase/db';
import { PollingLoop } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import type { Logger } from 'pino';
import { claimNextDelivery, type DeliveryRow, recordAttempt, webhooksWithDue, webhookTarget } from '../db/webhook-deliveries.ts';
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
  /**
   * Deliveries in flight at once in one instance, each to another webhook. Each holds a database
   * connection for its transaction while it waits on the receiver, so this stays well below the pool.
   */
  maxInFlight?: number;
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

/**
 * Sends queued webhook deliveries. Each is sent inside its own transaction that holds the row
 * with FOR UPDATE SKIP LOCKED, so another instance never sends it at the same time; a crash
 * mid-send rolls back and the delivery is sent again (at least once). A delivery waits while an
 * earlier one of the same case to the same webhook is still pending (in order per case).
 *
 * A slow receiver delays only its own deliveries: an instance has at most one delivery in flight
 * per webhook, and a pass starts the next webhooks' sends without waiting for those in flight.
 */
export class DeliveryWorker {
  private readonly o: Required<DeliveryWorkerOptions>;
  private readonly loop: PollingLoop;
  private readonly stopping = new AbortController();
  /** The send in flight per webhook id. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(options: DeliveryWorkerOptions) {
    this.o = { maxInFlight: 5, timeoutMs: 10_000, random: Math.random, ...options };
    // A pass only starts sends; a send that ends wakes the loop, as its webhook may have more due.
    this.loop = new PollingLoop({ name: 'webhook deliveries', pollMs: this.o.pollMs, batchSize: Number.POSITIVE_INFINITY, logger: this.o.logger, pass: () => this.pass() });
  }

  start(): void {
    this.loop.start();
  }

  /** Abandons sends in flight (their transactions roll back, so they are sent again later). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop.stop();
    await Promise.allSettled(this.inFlight.values());
  }

  /** New deliveries were queued: look now rather than at the next poll. */
  wakeNow(): void {
    this.loop.wakeNow();
  }

  get failure(): string | undefined {
    return this.loop.stuckReason(Math.max(STUCK_AFTER_MS, this.o.pollMs * 3));
  }

  /** One pass; returns how many webhooks it started a send to. */
  async pass(): Promise<number> {
    const free = this.o.maxInFlight - this.inFlight.size;
    if (free <= 0) return 0;
    const hooks = await webhooksWithDue(this.o.db, this.o.clock.now(), [...this.inFlight.keys()], free);
    if (this.stopping.signal.aborted) return 0;
    for (const webhookId of hooks) {
      const send = this.deliverNext(webhookId)
        .then(
          (tried) => {
            if (tried) this.loop.wakeNow();
          },
          // The delivery stays pending (its transaction rolled back) and is tried at a later pass.
          (err: unknown) => this.o.logger.error({ err, webhookId }, 'webhook delivery failed before an outcome; will retry'),
        )
        .finally(() => this.inFlight.delete(webhookId));
      this.inFlight.set(webhookId, send);
    }
    return hooks.length;
  }

  /** Sends the next due delivery of `webhookId`; false when there was none to take. */
  private async deliverNext(webhookId: string): Promise<boolean> {
    const result = await this.o.db.transaction(async (tx) => this.attempt(tx, webhookId)).catch((err: unknown) => {
      // Stopped mid-send: rolled back, so the delivery stays pending for the next instance.
      if (this.stopping.signal.aborted) return undefined;
      throw err;
    });
    if (!result) return false;
    const { delivery, attempt, status, outcome, next } = result;
    // Ids and outcomes only: never the payload or the URL (it may carry a token of the receiver's).
    const fields = { deliveryId: delivery.deliveryId, webhookId, caseId: delivery.caseId, eventType: delivery.eventType, attempt, statusCode: outcome.statusCode, error: outcome.error };
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

  /** One try of the next due delivery of `webhookId` inside `tx`, which holds its row; undefined when none is ours to try now. */
  private async attempt(tx: Tx, webhookId: string) {
    // Sent meanwhile, or in another instance's hands right now.
    const delivery = await claimNextDelivery(tx, webhookId, this.o.clock.now());
    if (!delivery) return undefined;
    const hook = await webhookTarget(tx, webhookId);
    if (!hook) return undefined;
    const outcome = await this.send(hook.url, hook.secret, delivery);
    const attempt = delivery.attempts + 1;
    const at = this.o.clock.now();
    const next = outcome.ok ? undefined : nextAttemptAt(attempt, delivery.createdAt, at, this.o.random());
    const status = outcome.ok ? 'delivered' : next ? 'pending' : 'parked';
    await recordAttempt(tx, { deliveryId: delivery.deliveryId, attempt, at, status, statusCode: outcome.statusCode, error: outcome.error, next });
    return { delivery, attempt, status, outcome, next };
  }

  private async send(url: string, secret: string, delivery: DeliveryRow): Promise<Outcome> {
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
