import type { Topic } from '@gridcase/contracts';
import { createDb, createPool, type Db, ensureDatabase, migrateSchema, pingDb, pruneInbox, serverWarning, type Tx } from '@gridcase/db';
import {
  ConsumerLag,
  ConsumerRunner,
  type ConsumerOptions,
  classifyError,
  createKafka,
  describeError,
  ensureTopics,
  OutboxRelay,
  kafkaPinger,
  kafkaProbe,
  PollingLoop,
  ProducerHandle,
  createRelayProducer,
  type RecordHandler,
  type TransactionalHandler,
  withTimeout,
} from '@gridcase/messaging';
import type { Kafka, Producer } from 'kafkajs';
import { flushCompileCache } from 'node:module';
import pg from 'pg';
import type { DestinationStream, Logger } from 'pino';
import { collectDefaultMetrics, register } from 'prom-client';
import type { z } from 'zod';
import { type ClientStanding, RevocationList, TokenSigner } from './auth.ts';
import { type Clock, systemClock } from './clock.ts';
import { type BaseConfig, ConfigError, loadConfig, port } from './config.ts';
import { failoverFor } from './failover.ts';
import { createLogger } from './logger.ts';
import { flushTracing } from './tracing-state.ts';
import type { App, ReadinessCheck } from './http.ts';
import type { SheddingOptions } from './shedding.ts';
import { refusedLogin, StartupGate, waitFor } from './startup.ts';

export interface RuntimeOptions<S extends z.ZodRawShape> {
  service: string;
  /** The service's own Postgres schema; its outbox is relayed. */
  schema: string;
  migrationsFolder: string;
  portVar: string;
  defaultPort: number;
  config?: S;
  env?: Record<string, string | undefined>;
  clock?: Clock | undefined;
  /**
   * Where the revoked-client list (and the current grids of grid workers' community clients) comes
   * from; default: intake's `/v1/clients/revoked`. Intake, which owns the list, reads its own table,
   * so its first load never waits for its own port.
   */
  clientStanding?: (db: Db) => Promise<ClientStanding>;
  /** Where log lines go (stdout by default): a test reads what the service logged. */
  logDestination?: DestinationStream | undefined;
}

export interface Runtime<C> {
  service: string;
  schema: string;
  config: C & BaseConfig & { port: number };
  logger: Logger;
  pool: pg.Pool;
  db: Db;
  kafka: Kafka;
  /** The producer in use now; after a failed send `producers` replaces it, so do not keep it. */
  readonly producer: Producer;
  /** The service's idempotent producer, replaced after a failed send; prefer its send(). */
  producers: ProducerHandle;
  clock: Clock;
  signer: TokenSigner;
  revocations: RevocationList;
  readiness: Record<string, ReadinessCheck>;
  /** Load-shedding bounds from config over this service's pool, for buildHttp's `shedding`. */
  shedding: SheddingOptions;
  /**
   * Consumes topics as a group. A RecordHandler handles one record at a time in its own transaction;
   * a TransactionalHandler has runs of a partition's records share one (packages/messaging).
   */
  consume(
    groupSuffix: string,
    topics: Topic[],
    handler: RecordHandler | TransactionalHandler<Tx>,
    options?: Pick<ConsumerOptions, 'deadLetterValue' | 'keyOut' | 'senderOf' | 'fromOtherSystems'> & {
      /** Off the path of a report to its officers: its fetches wait READ_MODEL_FETCH_WINDOW_MS for records to gather. */
      readModel?: boolean;
    },
  ): ConsumerRunner;
  /** Something with a lifecycle that runs beside HTTP (a scheduler, a poller); stopped on shutdown. */
  addWorker(name: string, worker: { stop(): Promise<void> | void; failure?: string | undefined }): void;
  listen(app: App): Promise<void>;
  shutdown(reason: string): Promise<void>;
}

/**
 * Boots what every service needs, in order: config (fails fast), logger, the port (a StartupGate:
 * /healthz 200, /readyz 503 naming what is not up yet), then, waited for together and retried with
 * backoff while they are away (STARTUP_DEPENDENCY_TIMEOUT_MS, default for good): the database (created
 * and migrated under a lock) and Kafka (topics ensured, idempotent producer); then the outbox relay.
 * listen() hands the port to the service's app. SIGTERM while waiting exits at once.
 * One shutdown path stops intake of work first, drains, then closes connections, under a timeout.
 */
export async function startRuntime<S extends z.ZodRawShape>(
  opts: RuntimeOptions<S>,
): Promise<Runtime<z.infer<z.ZodObject<S>>>> {
  const env = opts.env ?? process.env;
  const config = loadConfig({ ...(opts.config ?? ({} as S)), port: port(opts.defaultPort) }, env, {
    port: opts.portVar,
  }) as Runtime<z.infer<z.ZodObject<S>>>['config'];
  const logger = createLogger(opts.service, config.LOG_LEVEL, opts.logDestination);
  // Process metrics register once per process, even when tests start a service twice in one.
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();

  // The port opens before any dependency is waited for: a port in use fails the start here.
  const gate = new StartupGate(opts.service);
  const boundPort = await gate.listen(config.HOST, config.port, config.HTTP_REQUEST_TIMEOUT_MS);
  logger.info({ port: boundPort }, `${opts.service} starting: /healthz answers, /readyz names what is not up yet`);
  const starting = new AbortController();
  let runtime: Runtime<z.infer<z.ZodObject<S>>> | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (runtime) return void runtime.shutdown(signal).then(() => process.exit(0));
      // Nothing to drain yet: no request was taken, no record consumed.
      starting.abort();
      gate.close();
      logger.info({ reason: signal, waitingFor: Object.keys(gate.pending) }, `${opts.service} stopped while starting`);
      process.exit(0);
    });
  }
  const waiting = {
    gate,
    logger,
    signal: starting.signal,
    deadline: config.STARTUP_DEPENDENCY_TIMEOUT_MS ? Date.now() + config.STARTUP_DEPENDENCY_TIMEOUT_MS : undefined,
  };

  const pool = createPool(config.DATABASE_URL, {
    application: opts.service,
    onConnectionError: (err) => logger.warn({ reason: describeError(err) }, 'database connection lost; the pool replaces it'),
  });
  const kafka = createKafka(
    { brokers: config.KAFKA_BROKERS, clientId: `gridcase-${opts.service}`, topicPrefix: config.KAFKA_TOPIC_PREFIX },
    logger,
  );
  const producers = new ProducerHandle({ kafka, topicPrefix: config.KAFKA_TOPIC_PREFIX, logger });
  const probe = kafkaProbe({ brokers: config.KAFKA_BROKERS, clientId: `gridcase-${opts.service}-probe` });
  try {
    await Promise.all([
      waitFor(
        'database',
        async (status) => {
          await ensureDatabase(config.DATABASE_URL, pg);
          status('migrating');
          await migrateSchema(pool, opts.schema, opts.migrationsFolder);
        },
        { ...waiting, fatal: refusedLogin },
      ),
      waitFor(
        'kafka',
        async (status) => {
          // One quiet connection attempt first: kafkajs's own retries would take 20 s and log each.
          await probe.ping();
          status('ensuring topics');
          await ensureTopics(kafka, config.KAFKA_TOPIC_PREFIX);
          status('connecting the producer');
          await producers.connect();
        },
        waiting,
      ),
    ]);
  } catch (err) {
    gate.close();
    starting.abort();
    await Promise.allSettled([probe.close(), producers.disconnect(), pool.end()]);
    throw err;
  }
  await probe.close().catch(() => {});
  gate.set('startup', 'starting consumers and workers');
  // Advice only: a check that fails must not keep the service from starting.
  const warning = await serverWarning(pool).catch((err: Error) => {
    logger.debug({ reason: describeError(err) }, 'could not read the server settings behind the start-up warning');
    return undefined;
  });
  if (warning) logger.warn({ schema: opts.schema }, warning);
  const db = createDb(pool, { logger });
  const relayProducer =
    config.KAFKA_CLIENT === 'kafkajs'
      ? producers
      : createRelayProducer({ kafka, topicPrefix: config.KAFKA_TOPIC_PREFIX, logger, brokers: config.KAFKA_BROKERS, clientId: `gridcase-${opts.service}-relay` }, config.KAFKA_CLIENT);
  const kafkaPing = kafkaPinger(kafka);
  const relay = new OutboxRelay({
    pool,
    schema: opts.schema,
    producer: relayProducer,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logger,
  });
  await relay.start();
  // Inbox rows only guard against redelivery; a week is far beyond any. Batched deletes, hourly.
  const inboxPruning = new PollingLoop({
    name: `inbox pruning (${opts.schema})`,
    pollMs: 3_600_000,
    batchSize: Number.POSITIVE_INFINITY,
    logger,
    pass: () => pruneInbox(pool, opts.schema),
  });
  inboxPruning.start();

  const signer = new TokenSigner(config.ADMIN_TOKEN, config.TOKEN_SECRET, config.TOKEN_SECRET_PREVIOUS, opts.clock ?? systemClock);
  const intake = failoverFor(config.INTAKE_URL);
  const fetchRevoked = async () => {
      const { res } = await intake.fetch('/v1/clients/revoked', { headers: { authorization: `Bearer ${config.ADMIN_TOKEN}` }, timeoutMs: 3000 });
      if (!res.ok) throw new Error(`revocation list answered ${res.status}`);
      const list = (await res.json()) as { clientIds: string[]; workerGrids?: Record<string, string[]> };
      return { revoked: list.clientIds, ...(list.workerGrids ? { workerGrids: list.workerGrids } : {}) };
  };
  const ownStanding = opts.clientStanding;
  const revocations = new RevocationList(
    ownStanding ? () => ownStanding(db) : fetchRevoked,
    // Fails closed (client tokens refused with 503) once the list is 90 s old or never loaded.
    { intervalMs: 30_000, retryMs: 5_000, maxAgeMs: 90_000, firstLoadTimeoutMs: 5_000, logger },
  );

  const consumers: ConsumerRunner[] = [];
  const lag = new ConsumerLag({ kafka, topicPrefix: config.KAFKA_TOPIC_PREFIX, subscriptions: () => consumers.map((c) => c.subscription) });
  lag.start();
  const workers: { name: string; stop(): Promise<void> | void; failure?: string | undefined }[] = [];
  let app: App | undefined;
  let stopping: Promise<void> | undefined;

  const readiness: Record<string, ReadinessCheck> = {
    // Bounded: a server that does not answer fails the check rather than hang /readyz.
    database: () => withTimeout(pingDb(pool), 2000, 'database ping'),
    kafka: () => withTimeout(kafkaPing.ping(), 2000, 'kafka ping'),
    outbox: () => {
      if (relay.failure) throw new Error(relay.failure);
    },
    consumers: () => {
      const failing = consumers.map((c) => c.failure).filter(Boolean);
      if (failing.length) throw new Error(failing.join('; '));
    },
    workers: () => {
      const failing = workers.filter((w) => w.failure).map((w) => `${w.name}: ${w.failure}`);
      if (failing.length) throw new Error(failing.join('; '));
    },
  };

  runtime = {
    service: opts.service,
    schema: opts.schema,
    config,
    logger,
    pool,
    db,
    kafka,
    get producer() {
      return producers.producer;
    },
    producers,
    clock: opts.clock ?? systemClock,
    signer,
    revocations,
    readiness,
    shedding: { pool, maxPoolWaiting: config.SHED_POOL_WAITING, maxEventLoopDelayMs: config.SHED_EVENT_LOOP_DELAY_MS },
    consume(groupSuffix, topics, handler, options) {
      const runner = new ConsumerRunner({
        kafka,
        groupId: `${config.KAFKA_TOPIC_PREFIX}gridcase-${opts.service}-${groupSuffix}`,
        topics,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        handler,
        producer: producers,
        logger: logger.child({ consumer: groupSuffix }),
        ...(options?.deadLetterValue ? { deadLetterValue: options.deadLetterValue } : {}),
        ...(options?.keyOut ? { keyOut: options.keyOut } : {}),
        ...(options?.senderOf ? { senderOf: options.senderOf } : {}),
        ...(options?.fromOtherSystems ? { fromOtherSystems: true } : {}),
        ...(options?.readModel ? { fetchWindowMs: config.READ_MODEL_FETCH_WINDOW_MS } : {}),
      });
      consumers.push(runner);
      return runner;
    },
    addWorker(name, worker) {
      workers.push({ name, stop: () => worker.stop(), get failure() { return worker.failure; } });
    },
    async listen(httpApp) {
      app = httpApp;
      gate.set('startup', 'starting consumers');
      await Promise.all(consumers.map((c) => c.start()));
      // The first load comes before the app takes the port (bounded), so a restart does not forget revocations.
      gate.set('startup', 'loading the revoked-token list');
      await revocations.start();
      await httpApp.ready();
      // The port passes from the start-up gate to the app: closed, then opened again at once with no
      // I/O between (on the port the gate got, when config.port is 0).
      gate.close();
      // A burst of new connections waits in the kernel's accept queue rather than overflow it (node's
      // default is 511; Linux caps it at net.core.somaxconn): one that overflows is dropped or reset,
      // where a request that gets in is answered, at worst 503 by the load shedding.
      await httpApp.listen({ host: config.HOST, port: boundPort, backlog: 4096 });
      logger.info({ port: boundPort }, `${opts.service} ready`);
    },
    shutdown(reason) {
      stopping ??= (async () => {
        logger.info({ reason }, `${opts.service} shutting down`);
        const timer = setTimeout(() => {
          logger.error('shutdown timed out; exiting');
          process.exit(1);
        }, config.SHUTDOWN_TIMEOUT_MS);
        timer.unref();
        revocations.stop();
        gate.close();
        await app?.close();
        await Promise.allSettled(consumers.map((c) => c.stop()));
        await Promise.allSettled(workers.map((w) => w.stop()));
        await inboxPruning.stop();
        await lag.stop();
        await relay.stop();
        if (relayProducer !== producers) await relayProducer.disconnect();
        await producers.disconnect();
        await kafkaPing.close().catch(() => {});
        await pool.end();
        await flushTracing();
        clearTimeout(timer);
        logger.info(`${opts.service} stopped`);
      })();
      return stopping;
    },
  };

  return runtime;
}

/** Runs main, turning a start-up failure into one clear log line and exit code 1. */
export function runMain(service: string, main: () => Promise<unknown>): void {
  installProcessGuards(createLogger(service, 'info'));
  main().then(
    // Every module the service loads is loaded now: written to the compile cache, if one is set
    // (NODE_COMPILE_CACHE, node-flags.ts), the next start skips stripping their types.
    () => flushCompileCache(),
    (err: unknown) => {
      const logger = createLogger(service, 'info');
      // Bad settings are the operator's to fix, not a bug: each variable and what it must be, no stack.
      if (err instanceof ConfigError) {
        const said = err.problems.map((p) => `${p.variable}: ${p.message}`).join('; ');
        logger.fatal({ problems: err.problems }, `${service} failed to start: invalid configuration: ${said}`);
      } else logger.fatal({ err }, `${service} failed to start: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}

/**
 * Last line of defence for errors nobody caught. A lost database or broker connection (an
 * 'error' event or rejection from pg's or kafkajs's sockets) is logged and the process carries on:
 * the pool and the consumers recover. Anything else is a bug: logged as fatal, then exit 1, as
 * Node would, so it is never swallowed. Only for real processes (runMain), not test runners.
 */
export function installProcessGuards(logger: Logger): void {
  const guard = (kind: string) => (err: unknown) => {
    const name = (err as { name?: unknown })?.name;
    if (classifyError(err) === 'transient' || (typeof name === 'string' && name.startsWith('KafkaJS'))) {
      logger.warn({ reason: describeError(err) }, `${kind} from a connection; carrying on`);
      return;
    }
    logger.fatal({ err }, `${kind}; exiting`);
    process.exit(1);
  };
  process.on('uncaughtException', guard('uncaught exception'));
  process.on('unhandledRejection', guard('unhandled rejection'));
}
