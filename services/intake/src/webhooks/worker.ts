import type { Db } from '@gridcase/db';
import { PollingLoop } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import type { Logger } from 'pino';
import { type Claim, claimDueDeliveries, deliveryBacklog, recordAttempt, releaseLease } from '../db/webhook-deliveries.ts';
import { type AddressPolicy, refusedUrl } from './address-guard.ts';
import { nextAttemptAt, SEND_TIMEOUT_MS, signature } from './delivery-policy.ts';
import { deliveriesDelivered, deliveriesDropped, deliveriesFailed, deliveriesInFlight, deliveriesParked, leasesExpired, watchBacklog } from './metrics.ts';
import { post } from './post.ts';

export interface DeliveryWorkerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  policy: AddressPolicy;
  pollMs: number;
  /** Sends in flight at once in one instance, in all. None holds a database connection while it waits. */
  maxInFlight?: number;
  /** Sends in flight at once in one instance to one webhook (each of another case), so one slow receiver leaves the rest to the others. */
  maxInFlightPerWebhook?: number;
  /** Sends in flight at once in one instance to one client's webhooks, so one client's hanging receivers leave the rest to the others. */
  maxInFlightPerClient?: number;
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
 * A lease lasts the send's timeout and this much more: the outcome's transaction and clock skew
 * between instances fit in it, so no other instance takes a delivery while its send may still run.
 */
const LEASE_MARGIN_MS = 30_000;

/** Defaults of the caps on sends in flight in one instance (WEBHOOK_MAX_IN_FLIGHT…). */
export const IN_FLIGHT_DEFAULTS = { maxInFlight: 32, maxInFlightPerWebhook: 8, maxInFlightPerClient: 16 };

/**
 * Sends queued webhook deliveries. A pass claims every delivery it has room for in one short
 * transaction that leases them (until the send's timeout and a margin), sends each with no
 * transaction open, and records each outcome in a short one of its own, only while the lease is
 * still this send's. Another instance never sends a leased delivery; a crash mid-send leaves the
 * lease to run out, and the delivery is sent again (at least once). Only the head of a case is ever
 * claimed: a delivery waits while an earlier one of the same case to the same webhook is still
 * pending, leased or not (in order per case); different cases go out at once.
 *
 * A slow receiver delays only its own deliveries: an instance has at most `maxInFlightPerWebhook`
 * sends in flight per webhook, `maxInFlightPerClient` per client and `maxInFlight` in all, and a
 * pass starts new sends without waiting for those in flight. A pass that found work is followed by
 * another at once, and a send that ends wakes the loop, so a backlog never waits for the poll.
 */
export class DeliveryWorker {
  private readonly o: Required<DeliveryWorkerOptions>;
  private readonly loop: PollingLoop;
  private readonly stopping = new AbortController();
  /** The sends in flight per delivery id, and whose webhook each goes to. */
  private readonly inFlight = new Map<string, { webhookId: string; clientId: string; send: Promise<void> }>();
  private unwatch: (() => void) | undefined;

  constructor(options: DeliveryWorkerOptions) {
    this.o = { ...IN_FLIGHT_DEFAULTS, timeoutMs: SEND_TIMEOUT_MS, random: Math.random, ...options };
    // A pass only starts sends; one that dropped any (batchSize 1) is followed by another at once,
    // and a send that ends wakes the loop, as its case may have the next delivery due.
    this.loop = new PollingLoop({ name: 'webhook deliveries', pollMs: this.o.pollMs, batchSize: 1, logger: this.o.logger, pass: () => this.pass() });
  }

  start(): void {
    this.unwatch = watchBacklog({ read: () => deliveryBacklog(this.o.db), now: () => this.o.clock.now() });
    this.loop.start();
  }

  /** Abandons sends in flight and ends their leases, so the next instance sends them at once. */
  async stop(): Promise<void> {
    this.unwatch?.();
    this.stopping.abort();
    await this.loop.stop();
    await Promise.allSettled([...this.inFlight.values()].map((f) => f.send));
  }

  /** New deliveries were queued: look now rather than at the next poll. */
  wakeNow(): void {
    this.loop.wakeNow();
  }

  get failure(): string | undefined {
    return this.loop.stuckReason(Math.max(STUCK_AFTER_MS, this.o.pollMs * 3));
  }

  /** One pass: starts a send of every due delivery it has room for; returns how many it dropped (the loop runs again at once after any). */
  async pass(): Promise<number> {
    const limit = this.o.maxInFlight - this.inFlight.size;
    if (limit <= 0) return 0;
    const inFlightPerWebhook: Record<string, number> = {};
    const inFlightPerClient: Record<string, number> = {};
    for (const { webhookId, clientId } of this.inFlight.values()) {
      inFlightPerWebhook[webhookId] = (inFlightPerWebhook[webhookId] ?? 0) + 1;
      inFlightPerClient[clientId] = (inFlightPerClient[clientId] ?? 0) + 1;
    }
    const now = this.o.clock.now();
    const { claims, dropped } = await claimDueDeliveries(this.o.db, now, new Date(now.getTime() + this.o.timeoutMs + LEASE_MARGIN_MS), {
      inFlightPerWebhook,
      inFlightPerClient,
      perWebhook: this.o.maxInFlightPerWebhook,
      perClient: this.o.maxInFlightPerClient,
      limit,
    });
    for (const { webhookId, clientId, reason, deliveryIds } of dropped) {
      deliveriesDropped.inc({ reason }, deliveryIds.length);
      this.o.logger.warn({ webhookId, clientId, reason, dropped: deliveryIds.length }, 'webhook deliveries dropped, not sent: their client was revoked or its token expired');
    }
    if (this.stopping.signal.aborted) {
      // Claimed as the worker stopped: due again at once for the next instance.
      await Promise.all(claims.map((c) => releaseLease(this.o.db, c.delivery.deliveryId, c.token)));
      return 0;
    }
    for (const claim of claims) {
      const { deliveryId, webhookId } = claim.delivery;
      const send = this.deliver(claim)
        .catch(
          // The delivery stays pending, tried again once due and unleased (a lease taken runs out).
          (err: unknown) => this.o.logger.error({ err, deliveryId, webhookId }, 'webhook delivery failed before an outcome; will retry'),
        )
        .finally(() => {
          // Gone from the counts before the loop wakes, so the next pass has room for its webhook.
          this.inFlight.delete(deliveryId);
          if (!this.stopping.signal.aborted) this.loop.wakeNow();
        });
      this.inFlight.set(deliveryId, { webhookId, clientId: claim.clientId, send });
    }
    // A pass takes every due head it has room for, so another at once finds only what dropping freed; a
    // send that ends wakes the loop for its case's next delivery and the room it leaves.
    return dropped.length;
  }

  /** Sends one claimed delivery and records its outcome. */
  private async deliver(claim: Claim): Promise<void> {
    const { delivery, token } = claim;
    const webhookId = delivery.webhookId;
    const attempt = delivery.attempts + 1;
    // Ids and outcomes only: never the payload or the URL (it may carry a token of the receiver's).
    const ids = { deliveryId: delivery.deliveryId, webhookId, caseId: delivery.caseId, eventType: delivery.eventType, attempt };
    if (claim.expiredLease) {
      leasesExpired.inc();
      this.o.logger.warn(
        { ...ids, leasedUntil: claim.expiredLease.toISOString() },
        'webhook delivery taken again: an earlier send left no outcome before its lease ran out (its instance crashed or was killed)',
      );
    }
    deliveriesInFlight.inc();
    // The attempt is shown at the time it was sent, as the receiver's log has it, not when its outcome came (up to the 10 s timeout later: audit26 #6).
    const sentAt = this.o.clock.now();
    const outcome = await this.send(claim).finally(() => deliveriesInFlight.dec());
    if (!outcome) {
      // Stopped mid-send: no attempt counted, and due again at once for the next instance.
      await releaseLease(this.o.db, delivery.deliveryId, token);
      return;
    }
    const next = outcome.ok ? undefined : nextAttemptAt(attempt, delivery.createdAt, this.o.clock.now(), this.o.random());
    const status = outcome.ok ? 'delivered' : next ? 'pending' : 'parked';
    const fields = { ...ids, statusCode: outcome.statusCode, error: outcome.error };
    if (!(await recordAttempt(this.o.db, { deliveryId: delivery.deliveryId, token, attempt, at: sentAt, status, statusCode: outcome.statusCode, error: outcome.error, next }))) {
      this.o.logger.warn(fields, 'webhook outcome not recorded: the lease ran out and another send took the delivery, or the webhook was deleted');
      return;
    }
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
  }

  /** One POST of the claimed delivery; undefined when the worker stopped mid-send. */
  private async send({ url, secret, delivery }: Claim): Promise<Outcome | undefined> {
    // From the claim: the address check's lookup counts too, so the send ends well inside its lease.
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    // Checked again at send time (an IP literal is never looked up, so the lookup guard in post()
    // would not see it); a host name is checked again on the resolution the connection uses.
    const refused = await refusedUrl(url, this.o.policy);
    if (refused) return { ok: false, error: `address refused: ${refused}` };
    let status: number;
    try {
      const headers = {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'x-gridcase-signature': signature(secret, delivery.payload),
        'x-gridcase-delivery': delivery.deliveryId,
      };
      status = await post(url, delivery.payload, headers, this.o.policy, AbortSignal.any([timeout, this.stopping.signal]));
    } catch (err) {
      if (this.stopping.signal.aborted) return undefined;
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
