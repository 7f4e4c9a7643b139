import type { Logger } from 'pino';
import { OutageLog } from './broker-outage.ts';
import { describeError } from './errors.ts';

export interface PollingLoopOptions {
  /** Names the loop in the log line of a failed pass. */
  name: string;
  pollMs: number;
  /** A pass that handled this many items runs the next one at once: more may be waiting. */
  batchSize: number;
  /** One pass; returns how many items it handled. */
  pass: () => Promise<number>;
  logger: Logger;
  maxBackoffMs?: number;
}

/**
 * Runs `pass` every `pollMs` until stopped, at once again after a full batch, backing off
 * (doubling, bounded) while passes fail. `wakeNow()` cuts a wait short (LISTEN/NOTIFY).
 */
export class PollingLoop {
  private readonly o: PollingLoopOptions;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A wake-up that came while a pass ran: the rows it announced may have been committed after the pass read. */
  private wokenDuringPass = false;
  /** Wall time of the last pass that did not throw. */
  lastSuccess = Date.now();
  /** Why the last pass failed, until one succeeds. */
  lastError: string | undefined;
  /** One line when passes start failing and one when one succeeds again: a dependency away for minutes would otherwise log every retry. */
  private readonly outage: OutageLog;

  constructor(options: PollingLoopOptions) {
    this.o = options;
    this.outage = new OutageLog(options.logger, {
      level: 'error',
      down: `${options.name} pass failed; retrying until one succeeds (one line when it does)`,
      up: `${options.name} recovered`,
    });
  }

  start(): void {
    this.running = true;
    this.lastSuccess = Date.now();
    this.loop = this.run();
  }

  /** Stops after the pass in hand. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  wakeNow(): void {
    if (this.wake) this.wake();
    else this.wokenDuringPass = true;
  }

  /** Why the loop looks stuck: no successful pass for longer than `afterMs` (wall time); undefined while it is not. */
  stuckReason(afterMs: number): string | undefined {
    const idleMs = Date.now() - this.lastSuccess;
    if (idleMs <= afterMs) return undefined;
    return `no successful pass for ${Math.round(idleMs / 1000)} s${this.lastError ? `; last error: ${this.lastError}` : ''}`;
  }

  private async run(): Promise<void> {
    let backoff = this.o.pollMs;
    while (this.running) {
      this.wokenDuringPass = false;
      try {
        const handled = await this.o.pass();
        this.outage.answered();
        this.lastSuccess = Date.now();
        this.lastError = undefined;
        backoff = this.o.pollMs;
        // Without this a NOTIFY that came mid-pass would wait a whole pollMs (500 ms per relay hop).
        if (handled >= this.o.batchSize || this.wokenDuringPass) continue;
      } catch (err) {
        // Shown by /readyz, which needs no token: named, never quoted (drizzle's message lists the query and its values).
        this.lastError = describeError(err);
        this.outage.failed({ err });
        backoff = Math.min(backoff * 2, this.o.maxBackoffMs ?? 10_000);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
