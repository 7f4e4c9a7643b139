import type { Topic } from '@gridcase/contracts';
import type { Admin, Kafka } from 'kafkajs';
import { Gauge } from 'prom-client';
import { physicalTopic } from './kafka.ts';
import { withTimeout } from './producer.ts';

export interface LagSubscription {
  groupId: string;
  topics: readonly Topic[];
}

export interface ConsumerLagOptions {
  kafka: Kafka;
  topicPrefix: string;
  /** The groups this process runs, read at each refresh (consumers may be added after start). */
  subscriptions: () => readonly LagSubscription[];
  /** Scrapes closer together than this reuse the last figures: the broker is asked at most this often. */
  minIntervalMs?: number;
  /** Bound on one refresh; a broker that does not answer leaves the last figures in place. */
  timeoutMs?: number;
}

/** Per partition: messages behind the end of the log. A partition the group never committed counts from the log's start. */
export function partitionLag(high: string, low: string, committed: string): number {
  const end = BigInt(high);
  const from = BigInt(committed) >= 0n ? BigInt(committed) : BigInt(low);
  return Number(end > from ? end - from : 0n);
}

const probes = new Set<ConsumerLag>();

/**
 * Consumer lag read from the broker at scrape time (the committed offsets of each group against the
 * partitions' high watermarks). Every replica of a group reports the whole group's lag, so
 * aggregate with max over instances, not sum.
 */
export const consumerLagGauge = new Gauge({
  name: 'gridcase_consumer_lag_messages',
  help: 'Messages in a partition not yet committed by a consumer group (high watermark minus committed offset)',
  labelNames: ['group', 'topic', 'partition'] as const,
  async collect() {
    await Promise.all([...probes].map((p) => p.refresh()));
  },
});

/**
 * Reads the lag of this process's consumer groups, on demand (each scrape), at most every
 * `minIntervalMs`, on one admin connection of its own: per refresh one OffsetFetch per group and
 * one ListOffsets per topic, whatever the scrape rate.
 */
export class ConsumerLag {
  private readonly o: Required<ConsumerLagOptions>;
  private admin: Admin | undefined;
  private connected: Promise<void> | undefined;
  private inflight: Promise<void> | undefined;
  private lastRefresh = 0;

  constructor(options: ConsumerLagOptions) {
    this.o = { minIntervalMs: 5000, timeoutMs: 3000, ...options };
  }

  start(): void {
    probes.add(this);
  }

  async stop(): Promise<void> {
    probes.delete(this);
    await this.inflight?.catch(() => {});
    await this.admin?.disconnect().catch(() => {});
    this.admin = undefined;
    this.connected = undefined;
  }

  /** Updates the gauge unless it was updated lately; never throws (a failed read keeps the last figures). */
  refresh(): Promise<void> {
    if (Date.now() - this.lastRefresh < this.o.minIntervalMs) return Promise.resolve();
    this.inflight ??= withTimeout(this.read(), this.o.timeoutMs, 'consumer lag read')
      .then(() => {
        this.lastRefresh = Date.now();
      })
      .catch(() => {
        // The connection may be dead; the next scrape starts afresh.
        const admin = this.admin;
        this.admin = undefined;
        this.connected = undefined;
        void admin?.disconnect().catch(() => {});
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private async read(): Promise<void> {
    const { kafka, topicPrefix } = this.o;
    this.admin ??= kafka.admin({ retry: { retries: 0 } });
    const admin = this.admin;
    this.connected ??= admin.connect();
    await this.connected;
    const subscriptions = this.o.subscriptions();
    const topics = [...new Set(subscriptions.flatMap((s) => s.topics))];
    const ends = new Map(
      await Promise.all(topics.map(async (t) => [t, await admin.fetchTopicOffsets(physicalTopic(topicPrefix, t))] as const)),
    );
    for (const { groupId, topics: groupTopics } of subscriptions) {
      const committed = await admin.fetchOffsets({ groupId, topics: groupTopics.map((t) => physicalTopic(topicPrefix, t)) });
      for (const topic of groupTopics) {
        const offsets = committed.find((c) => c.topic === physicalTopic(topicPrefix, topic))?.partitions ?? [];
        for (const p of ends.get(topic) ?? []) {
          const at = offsets.find((o) => o.partition === p.partition)?.offset ?? '-1';
          consumerLagGauge.set({ group: groupId, topic, partition: String(p.partition) }, partitionLag(p.high, p.low, at));
        }
      }
    }
  }
}
