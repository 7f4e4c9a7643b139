import type { Logger } from 'pino';

/** A consumer that has neither heartbeated to its group nor finished a record for this long is stalled. */
export const STALL_AFTER_MS = 60_000;

export interface StallWatchOptions {
  group: string;
  logger: Logger;
  stallAfterMs?: number;
  /** Milliseconds since the epoch; the wall clock unless a test moves time itself. */
  now?: () => number;
}

/**
 * Whether a consumer has gone quiet. Nothing runs on a timer: a stall is noticed by whoever asks
 * (/readyz, a scrape of the stalled gauge), and logged once when first noticed and once when the
 * consumer shows life again, however often it is asked meanwhile.
 */
export class StallWatch {
  readonly stallAfterMs: number;
  private readonly group: string;
  private readonly logger: Logger;
  private readonly now: () => number;
  private lastBeat: number;
  /** Whether the current silence has been logged as a stall. */
  private noticed = false;

  constructor(options: StallWatchOptions) {
    this.group = options.group;
    this.logger = options.logger;
    this.stallAfterMs = options.stallAfterMs ?? STALL_AFTER_MS;
    this.now = options.now ?? Date.now;
    this.lastBeat = this.now();
  }

  /** A heartbeat went out or a record was finished: the consumer is alive. */
  beat(): void {
    const now = this.now();
    if (this.noticed) {
      this.noticed = false;
      this.logger.info({ group: this.group, stalledSeconds: (now - this.lastBeat) / 1000 }, 'consumer recovered from a stall');
    }
    this.lastBeat = now;
  }

  get stalled(): boolean {
    const quietMs = this.now() - this.lastBeat;
    if (quietMs <= this.stallAfterMs) return false;
    if (!this.noticed) {
      this.noticed = true;
      this.logger.warn({ group: this.group, secondsSinceHeartbeat: quietMs / 1000 }, 'consumer stalled: no heartbeat');
    }
    return true;
  }
}
