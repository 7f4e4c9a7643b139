import { TOPICS } from '@gridcase/contracts';
import { type Clock, runMain, startRuntime } from '@gridcase/service-kit';
import { z } from 'zod';
import { buildApp } from './app.ts';
import { escalationHandler } from './handlers/index.ts';
import { countPendingTimers } from './db/store.ts';
import { watchPendingTimers } from './metrics.ts';
import { EscalationScheduler } from './scheduler/scheduler.ts';

const CONSUMER_GROUP = 'cases';

/** Wires config, database, bus, scheduler and HTTP; tests call it with their own env and clock. */
export async function start(env: Record<string, string | undefined> = process.env, clock?: Clock) {
  const rt = await startRuntime({
    service: 'escalation',
    schema: 'escalation',
    migrationsFolder: new URL('./db/migrations', import.meta.url).pathname,
    portVar: 'ESCALATION_PORT',
    defaultPort: 3004,
    config: { ESCALATION_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500) },
    env,
    clock,
  });
  rt.consume(
    CONSUMER_GROUP,
    [TOPICS.cases],
    escalationHandler({ db: rt.db, clock: rt.clock, logger: rt.logger }),
    { readModel: true },
  );
  const scheduler = new EscalationScheduler({
    db: rt.db,
    clock: rt.clock,
    logger: rt.logger.child({ component: 'scheduler' }),
    pollMs: rt.config.ESCALATION_POLL_MS,
    source: '/gridcase/escalation',
  });
  rt.addWorker('scheduler', scheduler);
  watchPendingTimers(() => countPendingTimers(rt.db));
  const app = await buildApp(rt);
  await rt.listen(app);
  scheduler.start();
  return { rt, app, scheduler };
}

if (import.meta.main) runMain('escalation', () => start());
