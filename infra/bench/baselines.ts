import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Producer } from 'kafkajs';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Starts a node script of this folder and resolves once it prints a line matching `ready`. */
async function startChild(script: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [`${here}${script}`, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    lines.on('line', (l) => {
      if (!ready.test(l)) return;
      clearTimeout(timer);
      resolve(l);
    });
  });
  return { child, line };
}

/** SIGTERM, then SIGKILL if it has not exited within 10 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

export type RelayMode = 'per-message' | 'batched';
/** kafkajs is the stack's client; @platformatic/kafka is measured beside it (issue 12, part 4). */
export type RelayClient = 'kafkajs' | 'platformatic';

/**
 * The least a Kafka pipeline with the pipeline's hops can do on this broker: the bench produces to
 * topic 0, `stages` relay processes each consume topic i and produce to topic i+1 (idempotent,
 * acks=all), and the bench consumes the last topic. POST → intake → reports → triage → cases →
 * assignment → cases is three topics, so three hops: two relays between the bench's producer and sink.
 * The relays use `client`; the bench's own producer and sink are kafkajs for every relay, so only the
 * relays differ.
 */
export class BareRelay {
  /** When each message was produced and arrived (performance.now()), by key. */
  readonly sentAt = new Map<string, number>();
  readonly arrivedAt = new Map<string, number>();
  private sequence = 0;

  readonly mode: RelayMode;
  readonly client: RelayClient;
  readonly marker: string;
  private readonly producer: Producer;
  private readonly firstTopic: string;
  private readonly close: () => Promise<void>;

  private constructor(mode: RelayMode, client: RelayClient, marker: string, producer: Producer, firstTopic: string, close: () => Promise<void>) {
    this.mode = mode;
    this.client = client;
    this.marker = marker;
    this.producer = producer;
    this.firstTopic = firstTopic;
    this.close = close;
  }

  /** How the bench prints it, e.g. "kafkajs per-message". */
  get label(): string {
    return `${this.client} ${this.mode}`;
  }

  static async start(brokers: string[], mode: RelayMode, hops: number, client: RelayClient = 'kafkajs'): Promise<BareRelay> {
    const marker = `benchbare${randomBytes(3).toString('hex')}`;
    const topics = Array.from({ length: hops }, (_, i) => `${marker}.hop${i}`);
    const kafka = new Kafka({ brokers, clientId: marker, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    // Six partitions, as every gridcase topic has.
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: 6 })) });
    const relays = await Promise.all(
      topics.slice(0, -1).map((from, i) =>
        startChild('bare-relay.ts', [from, topics[i + 1]!, `${marker}-relay${i}`, mode, client], { KAFKA_BROKERS: brokers.join(','), BENCH_MARKER: marker }, /^ready$/),
      ),
    );
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sink = kafka.consumer({ groupId: `${marker}-sink`, maxWaitTimeInMs: 100 });
    await sink.connect();
    await sink.subscribe({ topic: topics.at(-1)!, fromBeginning: true });
    const bare: BareRelay = new BareRelay(mode, client, marker, producer, topics[0]!, async () => {
      await sink.disconnect();
      await producer.disconnect();
      await Promise.all(relays.map((r) => stopChild(r.child)));
      await admin.deleteTopics({ topics }).catch(() => {});
      await admin.disconnect();
    });
    await sink.run({
      partitionsConsumedConcurrently: 6,
      eachMessage: async ({ message }) => {
        const key = message.key!.toString();
        if (!bare.arrivedAt.has(key)) bare.arrivedAt.set(key, performance.now());
      },
    });
    return bare;
  }

  /** Produces `count` messages in one send (acks=all); each is timed from this call. */
  async send(count: number): Promise<void> {
    const now = performance.now();
    const messages = Array.from({ length: count }, () => {
      const key = `k${this.sequence++}`;
      this.sentAt.set(key, now);
      // About the size of a report.received envelope.
      return { key, value: JSON.stringify({ key, padding: 'x'.repeat(900) }) };
    });
    await this.producer.send({ topic: this.firstTopic, acks: -1, messages });
  }

  private stopping: Promise<void> | undefined;

  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }
}

/** Bare fastify + one pg insert with an outbox row (bare-intake.ts), on the stack's database. */
export class BareIntake {
  readonly url: string;
  private readonly child: ChildProcess;

  private constructor(url: string, child: ChildProcess) {
    this.url = url;
    this.child = child;
  }

  /** `env` adds to the process's environment (NODE_OPTIONS for a profile, say). */
  static async start(databaseUrl: string, env: Record<string, string> = {}): Promise<BareIntake> {
    const { child, line } = await startChild('bare-intake.ts', [], { ...env, DATABASE_URL: databaseUrl }, /^listening \d+$/);
    return new BareIntake(`http://127.0.0.1:${line.split(' ')[1]}`, child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}
