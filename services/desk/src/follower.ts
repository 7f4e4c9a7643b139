import type { Db } from '@gridcase/db';
import { listenOn, PollingLoop } from '@gridcase/messaging';
import { max } from 'drizzle-orm';
import { timelineAfter } from './db/queries.ts';
import type pg from 'pg';
import type { Logger } from 'pino';
import { timeline } from './db/schema.ts';
import type { CaseFeed } from './feed.ts';

/** NOTIFY channel the projection wakes the followers on, after its commit (no payload: they read `seq > last`). */
export const TIMELINE_CHANNEL = 'gridcase_desk_timeline';

export interface FollowerOptions {
  db: Db;
  pool: pg.Pool;
  feed: CaseFeed;
  logger: Logger;
  /** Polling is the truth; NOTIFY only wakes the follower early. */
  pollMs?: number;
  batchSize?: number;
}

/**
 * Feeds this instance's CaseFeed from the timeline table, whichever desk instance projected the
 * event, in seq (= commit) order. NOTIFY wakes it; each pass reads `seq > last`, so a missed
 * notification, a lost LISTEN connection or a restart of the database only delays events.
 */
export class TimelineFollower {
  private readonly o: Required<FollowerOptions>;
  private readonly loop: PollingLoop;
  /** Ends the LISTEN connection; undefined while not listening. */
  private release: (() => void) | undefined;
  private connecting: Promise<void> | undefined;
  private stopped = false;
  /** The highest seq published to the feed. */
  last = 0;

  constructor(options: FollowerOptions) {
    this.o = { pollMs: 1000, batchSize: 500, ...options };
    this.loop = new PollingLoop({
      name: 'desk timeline follower',
      pollMs: this.o.pollMs,
      batchSize: this.o.batchSize,
      logger: this.o.logger,
      pass: () => {
        if (!this.release) this.connecting ??= this.listen().finally(() => (this.connecting = undefined));
        return this.catchUp();
      },
    });
  }

  /** Starts from the timeline's end: streams replay older events themselves (Last-Event-ID). */
  async start(): Promise<void> {
    this.stopped = false;
    const [row] = await this.o.db.select({ seq: max(timeline.seq) }).from(timeline);
    this.last = Number(row?.seq ?? 0);
    await this.listen();
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
    await this.connecting;
    this.release?.();
    this.release = undefined;
  }

  get failure(): string | undefined {
    return this.loop.lastError;
  }

  /** Publishes every timeline entry after `last`, in seq order; returns how many. */
  async catchUp(): Promise<number> {
    const entries = await timelineAfter(this.o.db, this.last, this.o.batchSize);
    for (const e of entries) {
      this.o.feed.publish(e);
      this.last = e.seq;
    }
    return entries.length;
  }

  private async listen(): Promise<void> {
    try {
      const release = await listenOn({
        pool: this.o.pool,
        channel: TIMELINE_CHANNEL,
        onNotification: () => this.loop.wakeNow(),
        onLost: (err) => {
          this.release = undefined;
          if (!this.stopped) this.o.logger.warn({ reason: err?.message }, 'desk timeline follower lost its LISTEN connection; polling until it is back');
        },
      });
      if (this.stopped) return release();
      this.release = release;
      // Whatever committed while we were not listening is read by the pass this wakes.
      this.loop.wakeNow();
    } catch (err) {
      this.o.logger.warn({ reason: (err as Error).message }, 'desk timeline follower could not LISTEN; polling only');
    }
  }
}
