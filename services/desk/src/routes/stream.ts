import { STREAM_HEARTBEAT_MS, STREAM_RESET_EVENT, type StreamResetReason } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import {
  type App,
  authenticate,
  bearerToken,
  HttpProblem,
  hasRole,
  inScope,
  type RevocationList,
  redactions,
  sameGrids,
  type Scope,
  scopeOf,
  type TokenSigner,
} from '@gridcase/service-kit';
import { z } from 'zod';
import { missedSince } from '../db/queries.ts';
import { gridHold } from '../domain/grid-hold.ts';
import { redactData } from '../domain/redact.ts';
import type { CaseFeed, FeedEntry } from '../feed.ts';
import { showStreamMetrics, type StreamRefusal, streamResetsTotal, streamsOpen, streamsRefusedTotal } from '../metrics.ts';
import { SseWriter } from '../sse-writer.ts';
import { DESK_READERS } from './roles.ts';

/** A client this far behind is cut off rather than let the process buffer for it without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/**
 * How long a grid-scoped stream holds events back behind a case whose grid is not known yet (opened,
 * not routed): routing normally follows within a second; if it does not, the held case is left out.
 */
export const GRID_HOLD_MS = 30_000;
/** Seconds a refused client should wait before trying again. */
const RETRY_AFTER_SECONDS = 10;

export interface StreamLimits {
  /** Open streams this instance serves at most, over all clients (beyond: 503). */
  maxStreams: number;
  /** Open streams one client (token) may hold at once (beyond: 429). */
  maxStreamsPerClient: number;
  /** How often an open stream checks that its token is still good; revoked ones are ended. */
  recheckMs: number;
  /** Missed events a client resuming with Last-Event-ID gets replayed at most; beyond, it is told to reload. */
  replayLimit: number;
}

export interface StreamDeps {
  db: Db;
  feed: CaseFeed;
  signer: TokenSigner;
  revocations: RevocationList;
  limits: StreamLimits;
}

/** The event as a token of `scope` may see it (judged on the place the feed read with it), or undefined outside the scope. */
function scoped(scope: Scope, e: FeedEntry): (FeedEntry & { redacted?: string[] }) | undefined {
  if (!inScope(scope, e.place)) return undefined;
  const withheld = redactions(scope, e.place.category);
  return withheld.length ? { ...e, data: redactData(e.data, withheld) as FeedEntry['data'], redacted: withheld } : e;
}

/** One SSE frame; the place the event was scoped on stays on the server. */
const frame = ({ place: _place, ...e }: FeedEntry & { redacted?: string[] }) => `id: ${e.eventId}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;

/**
 * "What you missed cannot be replayed: reload your state." Without an id, so a client that drops
 * again before the next event resumes from the same place and is told again.
 */
const resetFrame = (reason: StreamResetReason) => `event: ${STREAM_RESET_EVENT}\ndata: ${JSON.stringify({ reason })}\n\n`;

/**
 * Server-Sent Events, one per case event as projected by any desk instance. Public in the
 * framework's sense because an EventSource cannot set headers: the token comes as a bearer header
 * or `?access_token=`, and is verified here the same way the framework would, and again every
 * `recheckMs` while the stream is open, so a revoked token stops receiving within a minute.
 */
export function streamRoutes(app: App, deps: StreamDeps) {
  const open = new Set<SseWriter>();
  const perClient = new Map<string, number>();
  showStreamMetrics();
  // Open streams never go idle, so the server would wait for them on close; end them first.
  app.addHook('preClose', async () => {
    for (const out of open) {
      streamResetsTotal.inc({ reason: 'shutdown' });
      out.end();
    }
    open.clear();
  });
  const refuse = (reason: StreamRefusal, problem: HttpProblem): never => {
    streamsRefusedTotal.inc({ reason });
    throw problem;
  };

  app.get(
    '/v1/stream',
    {
      // Public to buildHttp (the token may come in the query); checked below with these roles and scope.
      // EventSource polyfills add their own parameters (lastEventId on a reconnect): let them through.
      config: { public: true, roles: DESK_READERS, scope: 'station', anyQuery: true, problems: { 429: 'the client has as many streams open as it may: retry after `Retry-After`' } },
      // The query carries a token: keep request lines (which log the URL) out of the logs.
      logLevel: 'warn',
      schema: {
        summary: 'Server-Sent Events: one per case event (id = event id, event = type); send Last-Event-ID to resume; gridcase.stream.reset {reason} when what was missed cannot be replayed: reload',
        querystring: z.object({ access_token: z.string().optional() }),
      },
    },
    async (req, reply) => {
      const header = req.headers.authorization;
      const token = bearerToken(header) ?? req.query.access_token;
      let principal: ReturnType<typeof authenticate>;
      try {
        principal = authenticate(token, deps.signer, deps.revocations);
      } catch (err) {
        // 503: the revocation list is stale, so no client token can be checked.
        if (err instanceof HttpProblem) refuse(err.status === 503 ? 'auth-unavailable' : 'unauthorized', err);
        throw err;
      }
      /**
       * Why the stream must end now: the token would be refused (revoked, or the revocation list is
       * stale), or its grids are no longer those the stream was opened with (a grid worker moved to
       * another grid: the client reconnects, and its new stream is scoped anew).
       */
      const ended = (): 'refused' | 'moved' | undefined => {
        try {
          return sameGrids(authenticate(token, deps.signer, deps.revocations), principal) ? undefined : 'moved';
        } catch {
          return 'refused';
        }
      };
      if (!hasRole(principal, DESK_READERS)) {
        refuse('forbidden', new HttpProblem(403, 'Forbidden', `this needs one of the roles: ${DESK_READERS.join(', ')}`));
      }
      const scope = scopeOf(principal);
      const { clientId } = principal;
      const retryAfter = { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } };
      if ((perClient.get(clientId) ?? 0) >= deps.limits.maxStreamsPerClient) {
        refuse('client-limit', new HttpProblem(429, 'Too Many Requests', `this client already has ${deps.limits.maxStreamsPerClient} open streams`, retryAfter));
      }
      if (open.size >= deps.limits.maxStreams) {
        refuse('instance-limit', new HttpProblem(503, 'Service Unavailable', 'this desk instance serves as many streams as it can; try again or another instance', retryAfter));
      }
      const lastEventId = req.headers['last-event-id'];

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const out = new SseWriter(res, {
        maxBufferedBytes: MAX_BUFFERED_BYTES,
        tooSlow: () => {
          req.log.warn({ clientId }, 'SSE client too slow; stream closed');
          streamResetsTotal.inc({ reason: 'slow-client' });
        },
        log: req.log,
      });
      open.add(out);
      streamsOpen.inc();
      perClient.set(clientId, (perClient.get(clientId) ?? 0) + 1);

      const deliver = (e: FeedEntry) => {
        const seen = scoped(scope, e);
        if (seen) out.write(frame(seen));
      };
      // A grid-scoped token's stream holds events behind a case not routed yet (domain/grid-hold.ts),
      // so the grid's staff see its opening event live (audit14 #5) and seq order keeps resumes exact.
      const hold = gridHold(GRID_HOLD_MS);
      let holdTimer: NodeJS.Timeout | undefined;
      /** Wakes the stream when the oldest held event's wait is over. */
      const arm = () => {
        clearTimeout(holdTimer);
        holdTimer = undefined;
        const due = hold.dueAt();
        if (due === undefined) return;
        holdTimer = setTimeout(() => {
          hold.release(Date.now()).forEach(deliver);
          arm();
        }, due - Date.now());
        holdTimer.unref();
      };
      // The feed and the replay both run in seq order, so the last seq sent is all a stream needs
      // to remember to send each event once.
      let lastSeq = 0;
      const send = (e: FeedEntry) => {
        if (e.seq <= lastSeq || !out.open) return;
        lastSeq = e.seq;
        if (!scope.grids) return deliver(e);
        const before = hold.dueAt();
        hold.push(e, Date.now(), hold.size >= deps.limits.replayLimit).forEach(deliver);
        if (hold.dueAt() !== before) arm();
      };
      // Subscribe before replaying so nothing falls between the two; events are held until the replay is out.
      let held: FeedEntry[] | undefined = [];
      const unsubscribe = deps.feed.subscribe((e) => (held ? held.push(e) : send(e)));
      const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), STREAM_HEARTBEAT_MS);
      heartbeat.unref();
      const recheck = setInterval(() => {
        // Ended or cut off already (its close not yet seen): it is not ended, nor counted, twice.
        if (!out.open) return;
        const why = ended();
        if (!why) return;
        streamResetsTotal.inc({ reason: why === 'moved' ? 'grids-changed' : 'token-refused' });
        if (why === 'moved') {
          req.log.info({ clientId }, "SSE stream ended: its token's community grids changed; the client reconnects to a stream of the new ones");
          out.end(': grids changed\n\n');
          return;
        }
        req.log.info({ clientId }, 'SSE stream ended: its token is revoked or can no longer be checked');
        out.end(': token revoked\n\n');
      }, deps.limits.recheckMs);
      recheck.unref();
      res.on('close', () => {
        clearInterval(heartbeat);
        clearInterval(recheck);
        clearTimeout(holdTimer);
        unsubscribe();
        open.delete(out);
        streamsOpen.dec();
        const left = (perClient.get(clientId) ?? 1) - 1;
        if (left > 0) perClient.set(clientId, left);
        else perClient.delete(clientId);
      });
      out.write(`retry: 3000\n: connected as ${clientId}\n\n`);

      if (typeof lastEventId === 'string' && lastEventId) {
        const replay = await missedSince(deps.db, lastEventId, deps.limits.replayLimit).catch((err: unknown) => {
          req.log.warn({ err }, 'SSE replay after Last-Event-ID failed; the client is told to reload');
          return { reset: 'replay-failed' as const };
        });
        if ('missed' in replay) for (const e of replay.missed) send(e);
        else {
          // At warn: the route logs nothing below it (its request lines carry the token).
          req.log.warn({ clientId, reason: replay.reset }, 'SSE client cannot be replayed what it missed; told to reload');
          if (out.open) {
            streamResetsTotal.inc({ reason: replay.reset });
            out.write(resetFrame(replay.reset));
          }
        }
      }
      const pending = held;
      held = undefined;
      for (const e of pending) send(e);
    },
  );
}
