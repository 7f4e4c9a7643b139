import { cursorParam, Instant, keyCursor, type Principal, QueryInstant, text, withFieldsCheck } from '@gridcase/contracts';
import { type AuditEntry, auditedChange as auditedChangeBy, type AuditTable, type Db, readAudit, type Tx, writeAudit } from '@gridcase/db';
import { z } from 'zod';
import type { App } from './http.ts';

/**
 * Where a page of a service's audit log ends: the last entry id of the previous page. Each service's log
 * numbers its own entries: another service's cursor is refused, not read as a position here.
 */
const auditCursor = (service: string) => keyCursor(`${service}.audit`, (id): id is number => Number.isSafeInteger(id));

// An empty or reversed range is a mistake to name (as /v1/stats does), not an empty page.
const auditQuery = (cursor: ReturnType<typeof auditCursor>) =>
  withFieldsCheck(
    z.strictObject({
      from: QueryInstant.optional().describe('entries at or after this instant'),
      to: QueryInstant.optional().describe('entries before this instant; after from'),
      actor: z.string().min(1).max(128).optional().describe('only this client id'),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: cursorParam(80, (c) => cursor.decode(c)).describe('nextCursor of the previous page'),
    }),
    ['from', 'to'],
    ({ from, to }, ctx) => {
      if (from && to && Date.parse(from) >= Date.parse(to)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must be before to' });
    },
  );

export const AuditEntryView = z.object({
  id: text(),
  at: Instant,
  actor: text(),
  action: text(),
  target: text(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});

const AuditPage = z.object({ items: z.array(AuditEntryView), nextCursor: text().nullable() });

/** `GET /v1/audit` (admin): what this service's audit log holds, oldest first, paged. */
export function auditRoutes(app: App, db: Db, table: AuditTable) {
  const cursors = auditCursor(app.serviceName);
  app.get(
    '/v1/audit',
    {
      config: { roles: ['admin'], scope: 'install' },
      schema: {
        summary: "This service's audit log: reads of personal data and admin changes, oldest first",
        querystring: auditQuery(cursors),
        response: { 200: AuditPage },
      },
    },
    async (req) => {
      const { from, to, actor, limit, cursor } = req.query;
      const afterId = cursor === undefined ? undefined : cursors.decode(cursor);
      const rows = await readAudit(db, table, {
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
        actor,
        afterId,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({ ...r, id: String(r.id), at: r.at.toISOString(), before: r.before ?? null, after: r.after ?? null })),
        nextCursor: rows.length > limit && page.length > 0 ? cursors.encode(page[page.length - 1]!.id) : null,
      };
    },
  );
}

export type AuditRecord = Omit<AuditEntry, 'actor'>;
type Requester = { principal?: Principal | undefined };
const actorOf = (req: Requester) => req.principal?.clientId ?? 'anonymous';

/** Appends what the request's principal did to the service's audit log, inside the caller's transaction when it has one. */
export async function recordAudit(db: Db | Tx, table: AuditTable, req: Requester, entry: AuditRecord): Promise<void> {
  await writeAudit(db, table, [{ actor: actorOf(req), ...entry }]);
}

/** An admin change and its audit entry, by the request's principal, in one transaction (both or neither); no entry when `entry` says null (nothing changed). */
export function auditedChange<T>(db: Db, table: AuditTable, req: Requester, change: (tx: Tx) => Promise<T>, entry: (result: T) => AuditRecord | null): Promise<T> {
  return auditedChangeBy(db, table, actorOf(req), change, entry);
}
