import { TOPICS } from '@gridcase/contracts';
import { type Clock, type Runtime, runMain, startRuntime } from '@gridcase/service-kit';
import type { DestinationStream } from 'pino';
import { z } from 'zod';
import { buildApp, webhookPolicy } from './app.ts';
import { createPool } from '@gridcase/db';
import { PollingLoop } from '@gridcase/messaging';
import { ClientDirectory } from './auth.ts';
import { CatalogueFollower } from './db/catalogue.ts';
import { ChangeNotices } from './db/change-notices.ts';
import { pruneInboundRejections } from './db/inbound-rejections.ts';
import { clientStanding } from './db/queries.ts';
import { InstallStation } from './db/staff.ts';
import { CategoryHolder } from './domain/categories.ts';
import { catalogueHandler } from './handlers/catalogue.ts';
import { inboundDeadLetterValue, inboundKeyOut, inboundSenderOut } from './handlers/dead-letter.ts';
import { inboundReportHandler } from './handlers/inbound-report.ts';
import { caseEventsHandler } from './handlers/index.ts';
import type { IntakeDeps } from './handlers/receive-report.ts';
import { DeliveryWorker, IN_FLIGHT_DEFAULTS } from './webhooks/worker.ts';

// 'true' or 'false' only: z.coerce.boolean would read 'false' as true.
const flag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

/** What tests may change beyond the env; CONTRACT fixes these for a running service. */
export interface TestOverrides {
  /** How long a webhook receiver may take to answer (10 s). */
  webhookTimeoutMs?: number;
  /** Where the service's log lines go (stdout). */
  logDestination?: DestinationStream;
}

/** Wires config, database, bus and HTTP; tests call it with their own env and clock. */
export async function start(env: Record<string, string | undefined> = process.env, clock?: Clock, overrides: TestOverrides = {}) {
  const rt = await startRuntime({
    service: 'intake',
    schema: 'intake',
    migrationsFolder: new URL('./db/migrations', import.meta.url).pathname,
    portVar: 'INTAKE_PORT',
    defaultPort: 3001,
    clientStanding,
    logDestination: overrides.logDestination,
    config: {
      RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
      /** Webhook receivers on loopback: for local development and tests only (infra/dev up sets it). */
      WEBHOOK_ALLOW_LOOPBACK: flag,
      /** Webhook receivers on private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). */
      WEBHOOK_ALLOW_PRIVATE: flag,
      WEBHOOK_POLL_MS: z.coerce.number().int().positive().default(1000),
      /** Webhook sends in flight at once per instance, in all (none holds a database connection while it waits). */
      WEBHOOK_MAX_IN_FLIGHT: z.coerce.number().int().positive().max(1000).default(IN_FLIGHT_DEFAULTS.maxInFlight),
      /** Webhook sends in flight at once per webhook per instance, each of another case: one slow receiver leaves the rest to the others. */
      WEBHOOK_MAX_IN_FLIGHT_PER_WEBHOOK: z.coerce.number().int().positive().max(1000).default(IN_FLIGHT_DEFAULTS.maxInFlightPerWebhook),
      /** Webhook sends in flight at once per client per instance: one client's hanging receivers leave the rest to the others. */
      WEBHOOK_MAX_IN_FLIGHT_PER_CLIENT: z.coerce.number().int().positive().max(1000).default(IN_FLIGHT_DEFAULTS.maxInFlightPerClient),
      /** Days a refused inbound record's reason is kept for its sender (GET /v1/reports?externalId); older ones are pruned hourly. */
      INBOUND_REJECTIONS_RETENTION_DAYS: z.coerce.number().int().positive().max(3650).default(30),
    },
    env,
    clock,
  });
  const deps: IntakeDeps = { db: rt.db, pool: rt.pool, clock: rt.clock, logger: rt.logger, source: '/gridcase/intake', categories: new CategoryHolder(), station: new InstallStation(rt.db) };
  // Clients and the catalogue are kept in memory and forgotten on a NOTIFY; the LISTEN connection has a pool of its own.
  const notices = new ChangeNotices(createPool(rt.config.DATABASE_URL, { max: 1, application: 'intake-notices' }), rt.logger);
  const isListening = () => notices.listening;
  const caches = {
    clients: new ClientDirectory(rt.db, { isListening, clock: rt.clock }),
    catalogue: new CatalogueFollower(rt.db, deps.categories, { isListening, logger: rt.logger, clock: rt.clock }),
  };
  notices.subscribe(caches.clients);
  notices.subscribe(caches.catalogue);
  await notices.start();
  rt.addWorker('change notices', notices);
  await caches.catalogue.refresh();
  rt.consume('reference', [TOPICS.reference], catalogueHandler(deps));
  // A bad inbound record goes to the DLQ with the reporter's personal data swapped for a reference.
  rt.consume('inbound', [TOPICS.reportsInbound], inboundReportHandler(deps), {
    deadLetterValue: inboundDeadLetterValue(rt.db, rt.logger),
    keyOut: inboundKeyOut,
    senderOf: inboundSenderOut,
    fromOtherSystems: true,
  });
  const deliveries = new DeliveryWorker({
    db: rt.db,
    clock: rt.clock,
    logger: rt.logger,
    policy: webhookPolicy(rt.config),
    pollMs: rt.config.WEBHOOK_POLL_MS,
    maxInFlight: rt.config.WEBHOOK_MAX_IN_FLIGHT,
    maxInFlightPerWebhook: rt.config.WEBHOOK_MAX_IN_FLIGHT_PER_WEBHOOK,
    maxInFlightPerClient: rt.config.WEBHOOK_MAX_IN_FLIGHT_PER_CLIENT,
    ...(overrides.webhookTimeoutMs ? { timeoutMs: overrides.webhookTimeoutMs } : {}),
  });
  rt.addWorker('webhook deliveries', deliveries);
  const rejectionPruning = inboundRejectionPruning(rt);
  rt.addWorker('inbound rejection pruning', rejectionPruning);
  rt.consume(
    'cases',
    [TOPICS.cases],
    caseEventsHandler({ db: rt.db, logger: rt.logger, groupId: 'cases', clock: rt.clock, onDeliveriesQueued: () => deliveries.wakeNow() }),
    { readModel: true },
  );
  const app = await buildApp(rt, deps, caches);
  await rt.listen(app);
  deliveries.start();
  rejectionPruning.start();
  return { rt, app, rejectionPruning };
}

/**
 * Forgets refused inbound records past INBOUND_REJECTIONS_RETENTION_DAYS: hourly, in batches, as the
 * inbox is; a pass that pruned any says how many.
 */
function inboundRejectionPruning(rt: Pick<Runtime<{ INBOUND_REJECTIONS_RETENTION_DAYS: number }>, 'config' | 'pool' | 'logger'>) {
  const retentionDays = rt.config.INBOUND_REJECTIONS_RETENTION_DAYS;
  return new PollingLoop({
    name: 'inbound rejection pruning',
    pollMs: 3_600_000,
    batchSize: Number.POSITIVE_INFINITY,
    logger: rt.logger,
    pass: async () => {
      const pruned = await pruneInboundRejections(rt.pool, retentionDays * 86_400_000);
      if (pruned) rt.logger.info({ table: 'inbound_rejections', pruned, retentionDays }, 'inbound rejections past their retention pruned');
      return pruned;
    },
  });
}

if (import.meta.main) runMain('intake', () => start());
