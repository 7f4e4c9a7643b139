import { randomBytes } from 'node:crypto';
import { TOPICS } from '@gridcase/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { STATION_CODE, stackEnv } from '../test/env.ts';
import { type ServiceName, SERVICES, Stack } from '../test/stack.ts';
import { createTemplateDatabase } from '../test/template.ts';
import { type HandlerSnapshot, parseHandlerTimes, parseLag, parseRuntime, type RuntimeSnapshot } from './lib/handler-times.ts';
import { JsonClient, type Outcome } from './lib/load.ts';

/**
 * The five services as processes on a fresh database and topic prefix, with what the bench needs:
 * a reporting client, a watcher of gridcase.cases that notes when each report's case is assigned
 * (level 0), and /metrics snapshots.
 */
export class BenchStack {
  /** When each report was posted (performance.now()), by report id. */
  readonly postedAt = new Map<string, number>();
  /** When each report's case.opened was seen, by report id. */
  readonly openedAt = new Map<string, number>();
  /** When each report's case was first assigned, by report id. */
  readonly assignedAt = new Map<string, number>();
  /** Reports triage merged into another's case: they never get an assignment of their own. */
  readonly merged = new Set<string>();
  private readonly caseReport = new Map<string, string>();
  private sequence = 0;

  readonly stack: Stack;
  readonly databaseName: string;
  readonly client: JsonClient;
  /** The bench client's bearer token (reporter and desk roles). */
  readonly token: string;
  private readonly grids: string[];
  private readonly stopWatching: () => Promise<void>;

  private constructor(stack: Stack, databaseName: string, grids: string[], token: string, stopWatching: () => Promise<void>) {
    this.stack = stack;
    this.token = token;
    this.client = new JsonClient(stack.url('intake'), token, 256);
    this.databaseName = databaseName;
    this.grids = grids;
    this.stopWatching = stopWatching;
  }

  /** The migrated template database the stack's database was copied from (a second stack copies it too). */
  templateDatabase = '';

  static async start(brokers: string[], databaseUrl: string, extraEnv: Record<string, string> = {}, templateDatabase?: string): Promise<BenchStack> {
    const template = templateDatabase ?? (await createTemplateDatabase(databaseUrl));
    const stack = await Stack.start((extra) => stackEnv({ databaseUrl, templateDatabase: template, kafkaBrokers: brokers.join(',') }, extra), {
      LOG_LEVEL: 'warn',
      // The bench is one client offering far more than a client may; the limit is not what it measures.
      RATE_LIMIT_PER_MINUTE: '100000000',
      ...extraEnv,
    });
    const created = await stack.call('intake', 'POST', '/v1/clients', { body: { name: 'bench', roles: ['reporter', 'desk'], stations: [STATION_CODE] } });
    const token: string = created.body.token;
    const grids: string[] = (await stack.call('assignment', 'GET', '/v1/grids', { token })).body.items.map((g: { code: string }) => g.code);
    const kafka = new Kafka({ brokers, clientId: 'bench-watch', logLevel: logLevel.NOTHING });
    const watcher = kafka.consumer({ groupId: `bench-watch-${randomBytes(3).toString('hex')}`, maxWaitTimeInMs: 100 });
    const bench = new BenchStack(stack, new URL(stack.env.DATABASE_URL!).pathname.slice(1), grids, token, async () => {
      await watcher.disconnect();
    });
    bench.templateDatabase = template;
    await watcher.connect();
    await watcher.subscribe({ topic: `${stack.env.KAFKA_TOPIC_PREFIX}${TOPICS.cases}`, fromBeginning: true });
    await watcher.run({
      partitionsConsumedConcurrently: 6,
      eachMessage: async ({ message }) => {
        const now = performance.now();
        // The type is all that is needed of most records: a cheap look before parsing the rest.
        const value = message.value?.toString() ?? '';
        if (!value.includes('"gridcase.case.opened.v1"') && !value.includes('"gridcase.case.assigned.v1"') && !value.includes('"gridcase.case.report-merged.v1"')) return;
        bench.onCaseEvent(JSON.parse(value), now);
      },
    });
    return bench;
  }

  private onCaseEvent(event: { type: string; data: { caseId: string; reportId?: string; level?: number } }, now: number): void {
    const { type, data } = event;
    if (type === 'gridcase.case.opened.v1' && data.reportId) {
      this.caseReport.set(data.caseId, data.reportId);
      if (!this.openedAt.has(data.reportId)) this.openedAt.set(data.reportId, now);
    }
    else if (type === 'gridcase.case.report-merged.v1' && data.reportId) this.merged.add(data.reportId);
    else if (type === 'gridcase.case.assigned.v1' && data.level === 0) {
      const reportId = this.caseReport.get(data.caseId);
      if (reportId && !this.assignedAt.has(reportId)) this.assignedAt.set(reportId, now);
    }
  }

  /**
   * Posts one report. Each is its own trouble at its own place (points 1 km apart), so triage opens a
   * case for every one rather than merging repeats: every report should end in an assignment.
   */
  async post(client = this.client): Promise<Outcome & { reportId?: string }> {
    const n = this.sequence++;
    const started = performance.now();
    const outcome = await client.post(
      '/v1/reports',
      {
        externalId: `bench-${n}`,
        description: `第${n}号：楼道堆放杂物，堵塞消防通道`,
        location: { gridCode: this.grids[n % this.grids.length]!, lat: 30 + (n % 500) * 0.01, lng: 100 + Math.floor(n / 500) * 0.01 },
      },
      true,
    );
    if (outcome.status !== 202) return outcome;
    const reportId = (JSON.parse(outcome.body!) as { reportId: string }).reportId;
    this.postedAt.set(reportId, started);
    return { ...outcome, reportId };
  }

  /** Each service's /metrics text; a service that does not answer is left out. */
  async scrape(): Promise<Map<ServiceName, string>> {
    const all = new Map<ServiceName, string>();
    for (const service of SERVICES) {
      const res = await this.stack.call(service, 'GET', '/metrics').catch(() => undefined);
      if (typeof res?.body === 'string') all.set(service, res.body);
    }
    return all;
  }

  async handlerTimes(scraped?: Map<ServiceName, string>): Promise<HandlerSnapshot> {
    const all: HandlerSnapshot = new Map();
    for (const [service, text] of scraped ?? (await this.scrape())) {
      for (const [key, totals] of parseHandlerTimes(text, this.topicPrefix)) all.set(`${service.padEnd(10)} ${key}`, totals);
    }
    return all;
  }

  /**
   * Messages each service's consumer groups have yet to commit (its lag gauge, which reads the broker
   * at most every 5 s).
   */
  async lag(scraped?: Map<ServiceName, string>): Promise<Map<ServiceName, number>> {
    const all = new Map<ServiceName, number>();
    for (const [service, text] of scraped ?? (await this.scrape())) all.set(service, parseLag(text));
    return all;
  }

  /** Each service's collections and event-loop delay (a scrape resets the delay's maximum: take one before a phase). */
  async runtimes(): Promise<Map<ServiceName, RuntimeSnapshot>> {
    const all = new Map<ServiceName, RuntimeSnapshot>();
    for (const [service, text] of await this.scrape()) all.set(service, parseRuntime(text));
    return all;
  }

  get topicPrefix(): string {
    return this.stack.env.KAFKA_TOPIC_PREFIX!;
  }

  async stopServices(services: readonly ServiceName[]): Promise<void> {
    await Promise.all(services.map((s) => this.stack.kill(s, 'SIGTERM')));
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.stopWatching().catch(() => {});
    await this.stack.stop();
  }
}
