import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * What kafkajs and our own code say when the broker cannot be reached at all (refused, timed out,
 * unreachable, a retry budget spent on it), as opposed to a broker that answers with an error.
 */
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|Connection error|Connection timeout|Closed connection|Failed to connect to seed broker|KafkaJSConnectionError|KafkaJSConnectionClosedError|broker not connected|No broker available/i;

/** Whether a kafkajs line or an error's description says the broker cannot be reached. */
export const isBrokerUnreachable = (...texts: readonly string[]): boolean => texts.some((t) => UNREACHABLE.test(t));

/**
 * One line when a dependency stops answering and one when it answers again, with what was held back
 * between (at debug) counted: an outage otherwise logs every attempt that meets it.
 */
export class OutageLog {
  readonly #logger: Logger;
  readonly #lines: { level: 'warn' | 'error'; down: string; up: string };
  readonly #now: () => number;
  #since: number | undefined;
  #heldBack = 0;

  constructor(logger: Logger, lines: { level: 'warn' | 'error'; down: string; up: string }, now: () => number = Date.now) {
    this.#logger = logger;
    this.#lines = lines;
    this.#now = now;
  }

  /** A failure: logged when it starts an outage, counted (at debug) otherwise. */
  failed(fields: Record<string, unknown>): void {
    if (this.#since !== undefined) {
      this.#heldBack++;
      this.#logger.debug(fields, `${this.#lines.down} (again)`);
      return;
    }
    this.#since = this.#now();
    this.#heldBack = 0;
    this.#logger[this.#lines.level](fields, this.#lines.down);
  }

  /** The dependency answered: ends an outage with one line. */
  answered(): void {
    if (this.#since === undefined) return;
    const seconds = Math.round((this.#now() - this.#since) / 100) / 10;
    this.#logger.info({ seconds, heldBack: this.#heldBack }, this.#lines.up);
    this.#since = undefined;
    this.#heldBack = 0;
  }
}

/**
 * The broker's outage: one warning when it stops answering and one info line when it answers again.
 * While a broker is away kafkajs logs every failed connection of every consumer and producer (about
 * two error lines a second per service), and each consumer restart and producer replacement would add
 * its own; an operator who alerts on error lines, or reads the log to learn when the broker came back,
 * got neither.
 */
export class BrokerOutage extends OutageLog {
  constructor(logger: Logger, now: () => number = Date.now) {
    super(
      logger,
      {
        level: 'warn',
        down: 'broker unreachable; consumers and the outbox relay retry until it answers (one line here when it does; the failures meanwhile are logged at debug)',
        up: 'broker reachable again',
      },
      now,
    );
  }

  /** The broker could not be reached. */
  unreachable(what: string, reason: string): void {
    this.failed({ what, reason });
  }
}

const outages = new WeakMap<Kafka, BrokerOutage>();

/** Registers the outage tracker of a Kafka client (createKafka does). */
export function trackOutages(kafka: Kafka, outage: BrokerOutage): void {
  outages.set(kafka, outage);
}

/** The outage tracker of a Kafka client made by createKafka, if any (a test's bare Kafka has none). */
export const brokerOutageOf = (kafka: Kafka): BrokerOutage | undefined => outages.get(kafka);
