import type { Db } from '@gridcase/db';
import { PollingLoop } from '@gridcase/messaging';
import type { Clock } from '@gridcase/service-kit';
import type { Logger } from 'pino';
import { type Claim, claimNextDelivery, recordAttempt, releaseLease, webhooksWithDue } from '../db/webhook-deliveries.ts';
import { type AddressPolicy, refusedUrl } from './address-guard.ts';
import { nextAttemptAt, signature } from './delivery-policy.ts';
import { deliveriesDelivered, deliveriesDropped, deliveriesFailed, deliveriesInFlight, deliveriesParked, leasesExpired } from './metrics.ts';
import { post } from './post.ts';

export interface DeliveryWorkerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  policy: AddressPolicy;
  pollMs: number;
  /** Sends in flight at once in one instance, each to another webhook. None holds a database connection while it waits. */
  maxInFlight?: number;
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

/**
 * Sends queued webhook deliveries. Each is claimed in a short transaction that leases it (until
 * the send's timeout and a margin), sent with no transaction open, and its outcome recorded in a
 * second short one, only while the lease is still this send's. Another instance never sends a
 * leased delivery; a crash mid-send leaves the lease to run out, and the delivery is sent again
 * (at least once). A delivery waits while an earlier one of the same case to the same webhook is
 * still pending, leased or not (in order per case).
 *
 * A slow receiver delays only its own deliveries: an instance has at most one delivery in flight
 * per webhook and `maxInFlightPerClient` per client, and a pass starts the next webhooks' sends
 * without waiting for those in flight.
 */
export class DeliveryWorker {
  private readonly o: Required<DeliveryWorkerOptions>;
  private readonly loop: PollingLoop;
  private readonly stopping = new AbortController();
  /** The send in flight per webhook id, and whose webhook it is. */
  private readonly inFlight = new Map<string, { clientId: string; send: Promise<void> }>();

  constructor(options: DeliveryWorkerOptions) {
    this.o = { maxInFlight: 5, maxInFlightPerClient: 2, timeoutMs: 10_000, random: Math.random, ...options };
    // A pass only starts sends; a send that ends wakes the loop, as its webhook may have more due.
    this.loop = new PollingLoop({ name: 'webhook deliveries', pollMs: this.o.pollMs, batchSize: Number.POSITIVE_INFINITY, logger: this.o.logger, pass: () => this.pass() });
  }

  start(): void {
    this.loop.start();
  }

  /** Abandons sends in flight and ends their leases, so the next instance sends them at once. */
  async stop(): Promise<void> {
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

  /** One pass; returns how many webhooks it started a send to. */
  async pass(): Promise<number> {
    const free = this.o.maxInFlight - this.inFlight.size;
    if (free <= 0) return 0;
    const perClient: Record<string, number> = {};
    for (const { clientId } of this.inFlight.values()) perClient[clientId] = (perClient[clientId] ?? 0) + 1;
    const hooks = await webhooksWithDue(this.o.db, this.o.clock.now(), {
      busy: [...this.inFlight.keys()],
      inFlight: perClient,
      perClient: this.o.maxInFlightPerClient,
      limit: free,
    });
    if (this.stopping.signal.aborted) return 0;
    for (const { webhookId, clientId } of hooks) {
      const send = this.deliverNext(webhookId)
        .then(
          (tried) => {
            if (tried) this.loop.wakeNow();
          },
          // The delivery stays pending, tried again once due and unleased (a lease taken runs out).
          (err: unknown) => this.o.logger.error({ err, webhookId }, 'webhook delivery failed before an outcome; will retry'),
        )
        .finally(() => this.inFlight.delete(webhookId));
      this.inFlight.set(webhookId, { clientId, send });
    }
    return hooks.length;
  }

  /** Sends the next due delivery of `webhookId`; false when there was none to take. */
  private async deliverNext(webhookId: string): Promise<boolean> {
    const now = this.o.clock.now();
    const claim = await claimNextDelivery(this.o.db, webhookId, now, new Date(now.getTime() + this.o.timeoutMs + LEASE_MARGIN_MS));
    if (!claim) return false;
    if ('dropped' in claim) {
      const { clientId, reason, deliveryIds } = claim.dropped;
      deliveriesDropped.inc({ reason }, deliveryIds.length);
      this.o.logger.warn({ webhookId, clientId, reason, dropped: deliveryIds.length }, 'webhook deliveries dropped, not sent: their client was revoked or its token expired');
      return false;
    }
    const { delivery, token } = claim;
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
    const outcome = await this.send(claim).finally(() => deliveriesInFlight.dec());
    if (!outcome) {
      // Stopped mid-send: no attempt counted, and due again at once for the next instance.
      await releaseLease(this.o.db, delivery.deliveryId, token);
      return false;
    }
    const at = this.o.clock.now();
    const next = outcome.ok ? undefined : nextAttemptAt(attempt, delivery.createdAt, at, this.o.random());
    const status = outcome.ok ? 'delivered' : next ? 'pending' : 'parked';
    const fields = { ...ids, statusCode: outcome.statusCode, error: outcome.error };
    if (!(await recordAttempt(this.o.db, { deliveryId: delivery.deliveryId, token, attempt, at, status, statusCode: outcome.statusCode, error: outcome.error, next }))) {
      this.o.logger.warn(fields, 'webhook outcome not recorded: the lease ran out and another send took the delivery, or the webhook was deleted');
      return true;
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
    return true;
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
