import { TOPICS } from '@gridcase/contracts';
import { type Clock, runMain, startRuntime } from '@gridcase/service-kit';
import { z } from 'zod';
import { buildApp } from './app.ts';
import { refreshCatalogue } from './db/catalogue.ts';
import { revokedClientIds } from './db/queries.ts';
import { CategoryHolder } from './domain/categories.ts';
import { catalogueHandler } from './handlers/catalogue.ts';
import { inboundDeadLetterValue } from './handlers/dead-letter.ts';
import { inboundReportHandler } from './handlers/inbound-report.ts';
import { caseEventsHandler } from './handlers/index.ts';
import type { IntakeDeps } from './handlers/receive-report.ts';

/** Wires config, database, bus and HTTP; tests call it with their own env and clock. */
export async function start(env: Record<string, string | undefined> = process.env, clock?: Clock) {
  const rt = await startRuntime({
    service: 'intake',
    schema: 'intake',
    migrationsFolder: new URL('./db/migrations', import.meta.url).pathname,
    portVar: 'INTAKE_PORT',
    defaultPort: 3001,
    revokedClients: revokedClientIds,
    config: { RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600) },
    env,
    clock,
  });
  const deps: IntakeDeps = { db: rt.db, clock: rt.clock, logger: rt.logger, source: '/gridcase/intake', categories: new CategoryHolder() };
  await refreshCatalogue(rt.db, deps.categories);
  rt.consume('reference', [TOPICS.reference], catalogueHandler(deps));
  // A bad inbound record goes to the DLQ with the reporter's personal data swapped for a reference.
  rt.consume('inbound', [TOPICS.reportsInbound], inboundReportHandler(deps), { deadLetterValue: inboundDeadLetterValue(rt.db) });
  rt.consume('cases', [TOPICS.cases], caseEventsHandler({ db: rt.db, logger: rt.logger, groupId: 'cases' }));
  const app = await buildApp(rt, deps);
  await rt.listen(app);
  return { rt, app };
}

if (import.meta.main) runMain('intake', () => start());
