import type { Db } from '@gridcase/db';
import { type App, hasRole, HttpProblem, type RevocationList, type TokenSigner } from '@gridcase/service-kit';
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { timeline } from '../db/schema.ts';
import type { CaseFeed, FeedEntry } from '../feed.ts';
import { DESK_ROLES } from './roles.ts';

export const HEARTBEAT_MS = 15_000;
/** A reconnecting client gets at most this many missed events replayed (Last-Event-ID); older ones it must reload. */
const REPLAY_LIMIT = 1000;
/** A client this far behind is cut off rather than let the process buffer for it without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface StreamDeps {
  db: Db;
  feed: CaseFeed;
  signer: TokenSigner;
  revocations: RevocationList;
}

const frame = (e: FeedEntry) => `id: ${e.eventId}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;

/**
 * Server-Sent Events, one per case event as projected. Public in the framework's sense because an
 * EventSource cannot set headers: the token comes as a bearer header or `?access_token=`, and is
 * verified here the same way the framework would.
 */
export function streamRoutes(app: App, deps: StreamDeps) {
  const open = new Set<ServerResponse>();
  // Open streams never go idle, so the server would wait for them on close; end them first.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
    open.clear();
  });

  app.get(
    '/v1/stream',
    {
      config: { public: true },
      // The query carries a token: keep request lines (which log the URL) out of the logs.
      logLevel: 'warn',
      schema: {
        summary: 'Server-Sent Events: one per case event (id = event id, event = type); send Last-Event-ID to resume',
        querystring: z.object({ access_token: z.string().optional() }),
      },
    },
    async (req, reply) => {
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.query.access_token;
      const principal = token ? deps.signer.verify(token) : undefined;
      if (!principal || deps.revocations.has(principal.clientId)) {
        reply.header('www-authenticate', 'Bearer');
        throw new HttpProblem(401, 'Unauthorized', token ? 'the token is invalid or revoked' : 'a bearer token or access_token is required');
      }
      if (!hasRole(principal, DESK_ROLES)) {
        throw new HttpProblem(403, 'Forbidden', `this needs one of the roles: ${DESK_ROLES.join(', ')}`);
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
      open.add(res);

      const sent = new Set<string>();
      const send = (e: FeedEntry) => {
        if (sent.has(e.eventId) || res.writableEnded) return;
        sent.add(e.eventId);
        res.write(frame(e));
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          req.log.warn({ clientId: principal.clientId }, 'SSE client too slow; stream closed');
          res.end();
        }
      };
      // Subscribe before replaying so nothing falls between the two; events are held until the replay is out.
      let held: FeedEntry[] | undefined = [];
      const unsubscribe = deps.feed.subscribe((e) => (held ? held.push(e) : send(e)));
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      });
      res.write(`retry: 3000\n: connected as ${principal.clientId}\n\n`);

      try {
        if (typeof lastEventId === 'string' && lastEventId) {
          const missed = await deps.db
            .select()
            .from(timeline)
            .where(gt(timeline.seq, sql`(select seq from ${timeline} where ${eq(timeline.eventId, lastEventId)})`))
            .orderBy(asc(timeline.seq))
            .limit(REPLAY_LIMIT);
          for (const e of missed) {
            send({ eventId: e.eventId, caseId: e.caseId, type: e.type, time: e.time.toISOString(), data: e.data });
          }
        }
      } catch (err) {
        req.log.warn({ err }, 'SSE replay after Last-Event-ID failed; streaming live events only');
      }
      const pending = held;
      held = undefined;
      for (const e of pending) send(e);
    },
  );
}
