import { TOPICS } from '@gridcase/contracts';
import { type Clock, runMain, startRuntime } from '@gridcase/service-kit';
import { z } from 'zod';
import { buildApp } from './app.ts';
import { CaseFeed } from './feed.ts';
import { TimelineFollower } from './follower.ts';
import { deskHandler } from './handlers/index.ts';
import { watchCaseCounts } from './metrics.ts';
import { ReferenceClient } from './reference-client.ts';
import { SloWatch } from './slo-watch.ts';

/** Wires config, database, bus and HTTP; tests call it with their own env and clock. */
export async function start(env: Record<string, string | undefined> = process.env, clock?: Clock) {
  const rt = await startRuntime({
    service: 'desk',
    schema: 'desk',
    migrationsFolder: new URL('./db/migrations', import.meta.url).pathname,
    portVar: 'DESK_PORT',
    defaultPort: 3000,
    config: {
      DESK_SSE_MAX_STREAMS: z.coerce.number().int().min(1).default(1000),
      DESK_SSE_MAX_STREAMS_PER_CLIENT: z.coerce.number().int().min(1).default(10),
      // The revocation list refreshes every 30 s; with this, a revoked stream ends within 40 s.
      DESK_SSE_RECHECK_MS: z.coerce.number().int().min(10).max(30_000).default(10_000),
      // A client resuming with Last-Event-ID that missed more than this is told to reload instead.
      DESK_SSE_REPLAY_LIMIT: z.coerce.number().int().min(1).max(100_000).default(1000),
      // The page's categories and grid maps come from the services that own them, through the desk;
      // by default on this machine at their configured ports (infra/dev up passes those on).
      TRIAGE_URL: z.url().default(`http://127.0.0.1:${env.TRIAGE_PORT || 3002}`),
      ASSIGNMENT_URL: z.url().default(`http://127.0.0.1:${env.ASSIGNMENT_PORT || 3003}`),
      // Commands a client may issue a minute on this instance (429 with Retry-After past it; the admin token
      // exempt): 300 notes in a minute from one desk token made every view of their case 7 MB (audit18 #7).
      DESK_COMMAND_RATE_PER_MINUTE: z.coerce.number().int().positive().default(600),
      // How often the dispute objective's burn-rate alerts are judged (windows are hours and days).
      DESK_SLO_EVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(60_000),
    },
    env,
    clock,
  });
  const feed = new CaseFeed();
  watchCaseCounts(rt.db, rt.clock);
  rt.consume('projection', [TOPICS.cases], deskHandler({ db: rt.db, groupId: 'projection', logger: rt.logger }));
  // Streams and waiting commands on this instance hear of every event, whichever instance projected it.
  const follower = new TimelineFollower({ db: rt.db, pool: rt.pool, feed, logger: rt.logger.child({ component: 'timeline-follower' }) });
  await follower.start();
  rt.addWorker('timeline follower', follower);
  const sloWatch = new SloWatch({ db: rt.db, clock: rt.clock, logger: rt.logger.child({ component: 'slo-watch' }), pollMs: rt.config.DESK_SLO_EVAL_MS });
  sloWatch.start();
  rt.addWorker('SLO burn-rate watch', sloWatch);
  const app = await buildApp(rt, feed, {
    maxStreams: rt.config.DESK_SSE_MAX_STREAMS,
    maxStreamsPerClient: rt.config.DESK_SSE_MAX_STREAMS_PER_CLIENT,
    recheckMs: rt.config.DESK_SSE_RECHECK_MS,
    replayLimit: rt.config.DESK_SSE_REPLAY_LIMIT,
  }, new ReferenceClient({ triageUrl: rt.config.TRIAGE_URL, assignmentUrl: rt.config.ASSIGNMENT_URL }));
  await rt.listen(app);
  return { rt, app, feed, follower, sloWatch };
}

if (import.meta.main) runMain('desk', () => start());
