import { logLevel } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { BrokerOutage, brokerOutageOf, isBrokerUnreachable } from '../src/broker-outage.ts';
import { createKafka, isTransientBrokerAnswer, kafkajsLogLevel } from '../src/kafka.ts';

interface Line {
  level: number;
  msg: string;
  heldBack?: number;
  seconds?: number;
}

const capture = () => {
  const lines: Line[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, logger, told: () => lines.filter((l) => l.level >= 30).map((l) => [l.level, l.msg]) };
};

const REFUSED = 'Connection error: connect ECONNREFUSED 127.0.0.1:9092';

describe('a broker away, in the log (audit 24 #1)', () => {
  it('is one warning when it starts and one info line when the broker answers again, whatever failed between', () => {
    const { lines, logger, told } = capture();
    let now = 1_000;
    const outage = new BrokerOutage(logger, () => now);
    outage.answered();
    outage.unreachable('kafkajs', REFUSED);
    for (let i = 0; i < 40; i++) outage.unreachable('consumer intake-reports', REFUSED);
    now += 75_000;
    outage.answered();
    outage.answered();
    expect(told()).toEqual([
      [40, 'broker unreachable; consumers and the outbox relay retry until it answers (one line here when it does; the failures meanwhile are logged at debug)'],
      [30, 'broker reachable again'],
    ]);
    expect(lines.at(-1)).toMatchObject({ heldBack: 40, seconds: 75 });
  });

  it("takes kafkajs's connection errors into the outage, not one error line each", () => {
    const { logger, told } = capture();
    const kafka = createKafka({ brokers: ['127.0.0.1:9'], clientId: 'test', topicPrefix: '' }, logger);
    const kafkajs = kafka.logger();
    for (let i = 0; i < 20; i++) {
      kafkajs.error(REFUSED, { broker: '127.0.0.1:9092' });
      kafkajs.error('Failed to connect to seed broker, trying another broker from the list: Connection error: connect ECONNREFUSED 127.0.0.1:9092', {});
    }
    brokerOutageOf(kafka)!.answered();
    expect(told()).toEqual([
      [40, 'broker unreachable; consumers and the outbox relay retry until it answers (one line here when it does; the failures meanwhile are logged at debug)'],
      [30, 'broker reachable again'],
    ]);
  });

  it("leaves a consumer's crash and restart to the consumer runner, which logs each once", () => {
    expect(kafkajsLogLevel(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED', '')).toBeUndefined();
    expect(kafkajsLogLevel(logLevel.ERROR, 'Restarting the consumer in 5000ms', '')).toBeUndefined();
  });

  it('tells a broker that cannot be reached from one that answers with an error', () => {
    expect(isBrokerUnreachable('KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBe(true);
    expect(isBrokerUnreachable('KafkaJSConnectionError: Connection timeout')).toBe(true);
    expect(isBrokerUnreachable('KafkaJSProtocolError: The request included a message larger than the max message size the server will accept')).toBe(false);
    expect(isBrokerUnreachable('KafkaJSProtocolError: This server does not host this topic-partition')).toBe(false);
  });
});

describe("a consumer's crash while the broker is away or just back", () => {
  it('is the outage when no broker can be reached, and routine when the broker answers that it is loading the group', () => {
    expect(isBrokerUnreachable('KafkaJSNoBrokerAvailableError: No broker available')).toBe(true);
    expect(isTransientBrokerAnswer("KafkaJSProtocolError GROUP_LOAD_IN_PROGRESS: The coordinator is loading and hence can't process requests for this group")).toBe(true);
    expect(isTransientBrokerAnswer('KafkaJSProtocolError: The request included a message larger than the max message size the server will accept')).toBe(false);
  });
});
