import { listenOn } from '@gridcase/messaging';
import type pg from 'pg';
import type { Logger } from 'pino';

/** The channel intake's triggers (migration 0009) notify on: `client:<id>` when a client row changes, `catalogue` when the catalogue does. */
export const CHANGE_CHANNEL = 'gridcase_intake_changes';

/** What a cache kept from intake's tables hears: a change, or that it may have missed some. */
export interface ChangeListener {
  onChange(payload: string): void;
  /** The LISTEN connection was lost (or is back): notices may have been missed, forget everything. */
  onReset(): void;
}

/**
 * One LISTEN connection (its own pool, so it never takes a request's connection) that tells the
 * in-memory caches of clients and the catalogue when another transaction, on any instance, changed
 * what they hold. Lost, it resets every cache and listens again; `listening` is false meanwhile,
 * and the caches then ask the database every time.
 */
export class ChangeNotices {
  readonly #pool: pg.Pool;
  readonly #logger: Logger;
  readonly #listeners: ChangeListener[] = [];
  #unlisten: (() => void) | undefined;
  #retry: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(pool: pg.Pool, logger: Logger) {
    this.#pool = pool;
    this.#logger = logger;
  }

  get listening(): boolean {
    return this.#unlisten !== undefined;
  }

  subscribe(listener: ChangeListener): void {
    this.#listeners.push(listener);
  }

  async start(): Promise<void> {
    this.#stopped = false;
    try {
      this.#unlisten = await listenOn({
        pool: this.#pool,
        channel: CHANGE_CHANNEL,
        onNotification: (payload) => {
          for (const l of this.#listeners) l.onChange(payload ?? '');
        },
        onLost: (err) => {
          this.#unlisten = undefined;
          this.#reset();
          if (this.#stopped) return;
          this.#logger.warn({ reason: err?.message }, 'intake lost its LISTEN connection for client and catalogue changes; reading them per request until it is back');
          this.#scheduleRetry();
        },
      });
    } catch (err) {
      this.#logger.warn({ reason: (err as Error).message }, 'intake could not LISTEN for client and catalogue changes; reading them per request');
      this.#scheduleRetry();
      return;
    }
    // Whatever changed before LISTEN took effect was not heard: start from nothing.
    this.#reset();
  }

  #reset(): void {
    for (const l of this.#listeners) l.onReset();
  }

  #scheduleRetry(): void {
    if (this.#stopped) return;
    this.#retry = setTimeout(() => void this.start(), 1000);
    this.#retry.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#unlisten?.();
    this.#unlisten = undefined;
    await this.#pool.end();
  }
}
