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
 * One warning when the broker stops answering and one info line when it answers again. While a broker
 * is away kafkajs logs every failed connection of every consumer and producer (about two error lines a
 * second per service), and each consumer restart and producer replacement would add its own; an
 * operator who alerts on error lines, or reads the log to learn when the broker came back, got neither.
 * What is held back while it lasts is counted and said at the end.
 */
export class BrokerOutage {
  readonly #logger: Logger;
  readonly #now: () => number;
  #since: number | undefined;
  #heldBack = 0;

  constructor(logger: Logger, now: () => number = Date.now) {
    this.#logger = logger;
    this.#now = now;
  }

  /** Whether an outage is going on (a failure seen, no answer since). */
  get ongoing(): boolean {
    return this.#since !== undefined;
  }

  /** The broker could not be reached: logged when this starts an outage, counted otherwise. */
  unreachable(what: string, reason: string): void {
    if (this.#since !== undefined) {
      this.#heldBack++;
      this.#logger.debug({ what, reason }, 'broker still unreachable');
      return;
    }
    this.#since = this.#now();
    this.#heldBack = 0;
    this.#logger.warn(
      { what, reason },
      'broker unreachable; consumers and the outbox relay retry until it answers (one line here when it does; the failures meanwhile are logged at debug)',
    );
  }

  /** The broker answered (a heartbeat, a send): ends an outage with one line. */
  answered(): void {
    if (this.#since === undefined) return;
    const seconds = Math.round((this.#now() - this.#since) / 100) / 10;
    this.#logger.info({ seconds, heldBack: this.#heldBack }, 'broker reachable again');
    this.#since = undefined;
    this.#heldBack = 0;
  }
}

const outages = new WeakMap<Kafka, BrokerOutage>();

/** Registers the outage tracker of a Kafka client (createKafka does). */
export function trackOutages(kafka: Kafka, outage: BrokerOutage): void {
  outages.set(kafka, outage);
}

/** The outage tracker of a Kafka client made by createKafka, if any (a test's bare Kafka has none). */
export const brokerOutageOf = (kafka: Kafka): BrokerOutage | undefined => outages.get(kafka);
