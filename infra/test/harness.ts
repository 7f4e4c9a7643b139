import { type AnyMessage, parseMessage, type Topic } from '@gridcase/contracts';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { ADMIN_TOKEN, stackEnv } from './env.ts';
import { eventually } from './poll.ts';

export { ADMIN_TOKEN } from './env.ts';
export { eventually, minuteWithRoom } from './poll.ts';

let revokedListUrl: Promise<string> | undefined;
/**
 * Services refuse client tokens until they have loaded intake's revoked-token list; an integration
 * test runs one service without intake, so a stand-in answers "none revoked".
 */
function noneRevoked(): Promise<string> {
  revokedListUrl ??= new Promise((resolve) => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"clientIds":[]}');
    });
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
  return revokedListUrl;
}

/** Env for one isolated stack (fresh database copy, own topic prefix) on the infrastructure global setup found. */
export const isolatedEnv = async (extra: Record<string, string> = {}) =>
  stackEnv(
    { databaseUrl: inject('databaseUrl'), templateDatabase: inject('templateDatabase'), kafkaBrokers: inject('kafkaBrokers') },
    { INTAKE_URL: await noneRevoked(), ...extra },
  );

export const bearer = (token: string = ADMIN_TOKEN) => ({ authorization: `Bearer ${token}` });

export interface ReadRecord {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  /** The parsed envelope when the value is one. */
  message?: AnyMessage;
}

/** Reads a topic of a stack (from the beginning) into memory, so tests can wait for what arrives. */
export async function readTopic(env: Record<string, string>, topic: Topic) {
  const kafka = new Kafka({ brokers: env.KAFKA_BROKERS!.split(','), clientId: 'test-reader', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `test-reader-${randomBytes(4).toString('hex')}` });
  const records: ReadRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${env.KAFKA_TOPIC_PREFIX}${topic}`, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
      let parsed: AnyMessage | undefined;
      try {
        parsed = parseMessage(message.value);
      } catch {
        parsed = undefined;
      }
      records.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers, message: parsed });
    },
  });
  return {
    records,
    /** Waits until `count` records match. */
    waitFor: (what: string, match: (r: ReadRecord) => boolean, count = 1, timeoutMs = 30_000) =>
      eventually(what, () => {
        const hits = records.filter(match);
        return hits.length >= count ? hits : undefined;
      }, timeoutMs),
    close: () => consumer.disconnect(),
  };
}

/** A plain producer onto a stack's topics, for tests that play another system. */
export async function testProducer(env: Record<string, string>): Promise<Producer & { sendTo(topic: Topic, key: string, value: string | Buffer, headers?: Record<string, string>): Promise<void> }> {
  const kafka = new Kafka({ brokers: env.KAFKA_BROKERS!.split(','), clientId: 'test-producer', logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  return Object.assign(producer, {
    async sendTo(topic: Topic, key: string, value: string | Buffer, headers: Record<string, string> = {}) {
      await producer.send({ topic: `${env.KAFKA_TOPIC_PREFIX}${topic}`, messages: [{ key, value, headers }] });
    },
  });
}

/**
 * The routes of `app` that answer a query parameter they do not know with anything but a 400 naming
 * it (README: query strings refuse unknown fields): every route the root token may call, path
 * parameters filled with a placeholder, but those in `except` (`GET /docs`: for tools, takes anything).
 */
export async function routesTakingUnknownQuery(
  app: {
    accessTable: { method: string; url: string; auth: string }[];
    inject(opts: { method: string; url: string; headers: Record<string, string> }): Promise<{ statusCode: number; json(): unknown }>;
  },
  except: string[] = ['GET /docs'],
): Promise<string[]> {
  const lenient: string[] = [];
  for (const route of app.accessTable) {
    const name = `${route.method} ${route.url}`;
    if (route.auth !== 'bearer' || except.includes(name)) continue;
    const url = `${route.url.replace(/:[A-Za-z]+|\*/g, 'x')}?notAParameter=1`;
    const res = await app.inject({ method: route.method, url, headers: bearer() });
    const errors = (res.json() as { errors?: { path: string; message: string }[] }).errors ?? [];
    if (res.statusCode !== 400 || !errors.some((e) => e.path === 'querystring.notAParameter' && e.message === 'unknown field')) lenient.push(`${name} → ${res.statusCode}`);
  }
  return lenient;
}
