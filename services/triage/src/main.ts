import { TOPICS } from '@gridcase/contracts';
import { z } from 'zod';
import { type Clock, runMain, startRuntime } from '@gridcase/service-kit';
import { buildApp } from './app.ts';
import { triageHandler } from './handlers/index.ts';
import { missingCalendarYears, seedCalendar } from './db/calendar.ts';
import { seedDefaultPolicies } from './db/policies.ts';
import { ruleBook, seedRuleSet } from './db/rules.ts';
import { categoryModel } from './domain/learned-category.ts';
import { learnedModelsFor } from './learned-models.ts';
import { watchCalendarYears, yearsAhead } from './metrics.ts';

/** Wires config, database, bus and HTTP; tests call it with their own env and clock. */
export async function start(env: Record<string, string | undefined> = process.env, clock?: Clock) {
  const rt = await startRuntime({
    service: 'triage',
    schema: 'triage',
    migrationsFolder: new URL('./db/migrations', import.meta.url).pathname,
    portVar: 'TRIAGE_PORT',
    defaultPort: 3002,
    env,
    clock,
    config: {
      /** POST /v1/triage/explain calls each client may make a minute, per instance (429 past it). */
      EXPLAIN_RATE_PER_MINUTE: z.coerce.number().int().positive().default(600),
      /** GET /v1/rules and GET /v1/rules/{version} reads each client may make a minute, per route and instance (429 past it). */
      RULES_READS_PER_MINUTE: z.coerce.number().int().positive().default(60),
    },
  });
  await seedDefaultPolicies(rt.db);
  await seedCalendar(rt.db);
  const seeded = await seedRuleSet(rt.db);
  if (seeded) rt.logger.info({ version: seeded.version, categories: seeded.document.categories.length }, 'empty rules: stored the seed rules as version 1');
  // Trained (in a child process, learned-models.ts) before consuming, with the current rules' dictionary: a missing or
  // malformed training file fails the start, not a report, and the first report does not wait for training.
  const { document } = await ruleBook(rt.db).current(rt.db);
  const learned = await learnedModelsFor(document);
  rt.logger.info({ model: categoryModel(learned, document).id, trainedOn: learned.name }, 'learned category model trained');
  watchCalendarYears(rt.db, rt.clock);
  // Not a readiness failure: deadlines still come out, counting plain Monday–Friday for that year.
  const missing = await missingCalendarYears(rt.db, yearsAhead(rt.clock));
  if (missing.length) rt.logger.warn({ years: missing }, 'no working-day calendar for these years; PUT /v1/calendar/{year}');
  rt.consume('reports', [TOPICS.reports, TOPICS.cases], triageHandler({ db: rt.db, groupId: 'reports', station: rt.config.STATION_CODE, source: '/gridcase/triage' }));
  const app = await buildApp(rt);
  await rt.listen(app);
  return { rt, app };
}

if (import.meta.main) runMain('triage', () => start());
