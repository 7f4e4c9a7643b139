import { TOPICS } from '@gridcase/contracts';
import { type Clock, runMain, startRuntime } from '@gridcase/service-kit';
import { buildApp } from './app.ts';
import { CaseFeed } from './feed.ts';
import { deskHandler } from './handlers/index.ts';

/** Wires config, database, bus and HTTP; tests call it with their own env and clock. */
export async function start(env: Record<string, string | undefined> = process.env, clock?: Clock) {
  const rt = await startRuntime({
    service: 'desk',
    schema: 'desk',
    migrationsFolder: new URL('./db/migrations', import.meta.url).pathname,
    portVar: 'DESK_PORT',
    defaultPort: 3000,
    env,
    clock,
  });
  const feed = new CaseFeed();
  rt.consume('projection', [TOPICS.cases], deskHandler({ db: rt.db, groupId: 'projection', feed, logger: rt.logger }));
  const app = await buildApp(rt, feed);
  await rt.listen(app);
  return { rt, app, feed };
}

if (import.meta.main) runMain('desk', () => start());
