import { ClientCreated, ClientRole, CreateClientBody, cursorParam, keyCursor, newId, text, UpdateClientBody, withFieldsCheck } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, auditedChange, type Clock, HttpProblem, invalidRequest, notFound, principalOf, type TokenSigner } from '@gridcase/service-kit';
import { z } from 'zod';
import { clientStanding, insertClient, listClients, revokeClient, updateClient } from '../db/queries.ts';
import { audit, type clients } from '../db/schema.ts';
import { gridOfWorker, loadStaff, staffMember } from '../db/staff.ts';
import { issuerRefusal, stationlessWarning } from '../domain/station-scope.ts';
import type { ClientDirectory } from '../auth.ts';

const ClientView = z.object({
  clientId: z.string(),
  name: z.string(),
  roles: z.array(ClientRole),
  stations: z.array(z.string()).optional(),
  officerId: z.string().optional(),
  grids: z.array(z.string()).optional(),
  /** True for a community client whose grids follow its grid worker's (officerId): `grids` are those when issued, it sees its worker's current grid. */
  gridsFollowOfficer: z.boolean().optional(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  /** Its own requests a minute; absent: the install's RATE_LIMIT_PER_MINUTE. */
  ratePerMinute: z.number().int().optional(),
});

const toView = (row: typeof clients.$inferSelect): z.infer<typeof ClientView> => ({
  clientId: row.clientId,
  name: row.name,
  roles: row.roles,
  ...(row.stations ? { stations: row.stations } : {}),
  ...(row.officerId ? { officerId: row.officerId } : {}),
  ...(row.grids ? { grids: row.grids } : {}),
  ...(row.gridsFollowOfficer ? { gridsFollowOfficer: true } : {}),
  createdAt: row.createdAt.toISOString(),
  ...(row.revokedAt ? { revokedAt: row.revokedAt.toISOString() } : {}),
  ...(row.expiresAt ? { expiresAt: row.expiresAt.toISOString() } : {}),
  ...(row.ratePerMinute !== null ? { ratePerMinute: row.ratePerMinute } : {}),
});

// Client ids are UUIDv7, so id order is creation order and the last id seen is the whole cursor.
const clientsCursor = keyCursor('intake.clients', (id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id));

const ClientsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam(200, (c) => clientsCursor.decode(c)),
});

const NO_GRIDS = 'a community token needs its community grids, or the officerId of the grid worker it acts as';
const NOT_A_GRID_WORKER = 'not a grid worker of the station (GET /v1/officers on assignment); give grids instead';
const NOT_AN_OFFICER = 'no officer of the station has this id (GET /v1/officers on assignment)';
/** The roles a person holds: only their tokens act as an officer (an owner of a case is a token naming an assignee). */
const PERSON_ROLES: readonly ClientRole[] = ['officer', 'supervisor', 'desk', 'community'];

type ClientFields = Pick<z.infer<typeof CreateClientBody>, 'roles' | 'grids' | 'officerId'>;

/** The roles that show a case's reporter whole to its owner: a grid worker's token holds none of them. */
const UNREDACTED_ROLES: readonly ClientRole[] = ['officer', 'supervisor', 'desk'];

/**
 * A token acting as a grid worker with a role that sees reporters whole (audit17 #4): a grid worker's
 * token is a community one, which withholds them (CONTRACT "Scope and roles"). A person the staff
 * map does not know, or before any map, is not judged (clientWarnings says so).
 */
async function postIssues(db: Db, body: ClientFields, ctx: z.RefinementCtx): Promise<void> {
  const wrong = body.roles.filter((role) => UNREDACTED_ROLES.includes(role));
  if (body.officerId === undefined || !wrong.length) return;
  if ((await staffMember(db, body.officerId))?.role !== 'gridWorker') return;
  ctx.addIssue({
    code: 'custom',
    path: ['officerId'],
    message: `${body.officerId} is a grid worker: a grid worker's token has role community, not ${wrong.join(', ')} (which would show reporters' personal data)`,
  });
}

/** An officerId on a token no person holds (a role listed twice the schema refuses). */
function roleIssues(body: ClientFields, ctx: z.RefinementCtx): void {
  if (body.officerId !== undefined && !body.roles.some((role) => PERSON_ROLES.includes(role))) {
    ctx.addIssue({ code: 'custom', path: ['officerId'], message: `only a token of ${PERSON_ROLES.join(', ')} acts as an officer; leave officerId out` });
  }
}

/**
 * Why a token would see nothing: stations it lacks (stationlessWarning: a desk, officer or supervisor
 * token without them, any token with an empty list), and the station, officer and grids it names that
 * assignment's staff map does not know. Such a token is still issued (a token scoped to another station
 * or grid is how an operator proves that scope holds, and the map may lag a reference-data change),
 * but the answer and the log say so, as it would otherwise silently see nothing. Before any map is
 * published there is nothing to judge names by; missing stations are said all the same.
 */
async function clientWarnings(db: Db, body: ClientFields & { stations?: string[] | undefined }): Promise<{ path: string; message: string }[]> {
  const staff = await loadStaff(db);
  const stationless = stationlessWarning(body.roles, body.stations, staff?.station);
  const unknown: { path: string; message: string }[] = stationless ? [stationless] : [];
  if (!staff) return unknown;
  body.stations?.forEach((code, i) => {
    if (code !== staff.station) unknown.push({ path: `stations.${i}`, message: `unknown station; this install's station is ${staff.station}: the token sees none of its cases` });
  });
  // A community token acting as a grid worker was checked for that (its grid) in the body's check.
  const namesOfficer = body.officerId !== undefined && !(body.roles.includes('community') && !body.grids);
  if (namesOfficer && !staff.officers.has(body.officerId as string)) unknown.push({ path: 'officerId', message: `${NOT_AN_OFFICER}: the token owns no case` });
  // A map from before grids were published says nothing of them.
  const known = staff.grids;
  body.grids?.forEach((code, i) => {
    if (known && !known.has(code)) unknown.push({ path: `grids.${i}`, message: 'unknown community grid of the station (GET /v1/grids on assignment): the token sees none of its cases' });
  });
  return unknown;
}

/** API clients and their tokens. Tokens are signed (every service verifies them) and never stored. */
export function clientRoutes(app: App, db: Db, signer: TokenSigner, directory: ClientDirectory, clock: Clock) {
  /**
   * The body, with its roles checked beside every other field (roleIssues), and a community token's
   * grids: given, or a grid worker (in assignment's staff map) named by officerId. Runs whenever
   * roles, grids and officerId are sound.
   * An end for the token must lie ahead: a token born expired would only puzzle its holder.
   */
  const Checked = withFieldsCheck(CreateClientBody, ['roles', 'grids', 'officerId', 'expiresAt'], async (body, ctx) => {
    if (body.expiresAt && Date.parse(body.expiresAt) <= clock.now().getTime()) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be in the future' });
    roleIssues(body, ctx);
    await postIssues(db, body, ctx);
    if (!body.roles.includes('community') || body.grids) return;
    if (!body.officerId) ctx.addIssue({ code: 'custom', path: ['grids'], message: NO_GRIDS });
    else if (!(await gridOfWorker(db, body.officerId))) ctx.addIssue({ code: 'custom', path: ['officerId'], message: NOT_A_GRID_WORKER });
  });
  /** A community token's grids: those given, else the grid of the grid worker it acts as (the schema has checked there is one). */
  const communityGrids = async (body: { grids?: string[] | undefined; officerId?: string | undefined }): Promise<string[]> => {
    if (body.grids) return body.grids;
    const worker = body.officerId ? await gridOfWorker(db, body.officerId) : undefined;
    // Only when the staff map changed since the schema looked.
    if (!worker) throw invalidRequest([{ path: 'officerId', message: NOT_A_GRID_WORKER }]);
    return [worker.gridCode];
  };

  app.post(
    '/v1/clients',
    {
      config: { roles: ['admin'], scope: 'none' },
      schema: {
        summary: 'Create a client and issue its token (shown once)',
        body: Checked,
        response: { 201: ClientCreated },
      },
    },
    async (req, reply) => {
      const { name, roles, stations, officerId, ratePerMinute } = req.body;
      const refusal = issuerRefusal(principalOf(req).stations, stations);
      if (refusal) throw new HttpProblem(403, 'Forbidden', refusal);
      const clientId = newId();
      // Normalised to UTC milliseconds, as the token and GET /v1/clients show it.
      const expiresAt = req.body.expiresAt ? new Date(req.body.expiresAt) : undefined;
      const grids = roles.includes('community') ? await communityGrids(req.body) : req.body.grids;
      // Grids not given follow the grid worker's: the token carries today's, every service puts the current ones in their place.
      const gridsFollowOfficer = roles.includes('community') && !req.body.grids;
      await auditedChange(
        db,
        audit,
        req,
        (tx) =>
          insertClient(tx, { clientId, name, roles, stations: stations ?? null, officerId: officerId ?? null, grids: grids ?? null, gridsFollowOfficer, expiresAt: expiresAt ?? null, ratePerMinute: ratePerMinute ?? null }),
        () => ({ action: 'client.created', target: `client:${clientId}`, before: null, after: { clientId, name, roles, stations, officerId, grids, gridsFollowOfficer, expiresAt, ratePerMinute } }),
      );
      const ends = expiresAt ? { expiresAt: expiresAt.toISOString() } : {};
      const token = signer.issue({ clientId, name, roles, ...(stations ? { stations } : {}), ...(officerId ? { officerId } : {}), ...(grids ? { grids } : {}), ...ends });
      req.log.info({ clientId, roles, officerId, grids }, 'client created');
      const warnings = await clientWarnings(db, req.body);
      if (warnings.length) req.log.warn({ clientId, warnings }, 'client created with warnings: its token will see nothing of what they name');
      return reply.status(201).send({ clientId, token, ...ends, ...(warnings.length ? { warnings } : {}) });
    },
  );

  app.get(
    '/v1/clients',
    {
      config: { roles: ['admin'], scope: 'none' },
      schema: {
        summary:
          'Every client, revoked ones included, oldest first (for an admin token limited to stations, the clients limited within them); pass nextCursor as cursor for the next page',
        querystring: ClientsQuery,
        response: { 200: z.object({ items: z.array(ClientView), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
      // The schema has refused a cursor that does not decode.
      const rows = await listClients(db, { afterId: cursor ? clientsCursor.decode(cursor) : undefined, limit }, principalOf(req).stations);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(toView), nextCursor: rows.length > limit && last ? clientsCursor.encode(last.clientId) : null };
    },
  );

  app.get(
    '/v1/clients/revoked',
    {
      config: { roles: ['admin'], scope: 'none' },
      schema: {
        summary:
          "Ids of revoked clients, and the grids each grid worker's community client sees now; every service polls this to refuse revoked tokens and scope the others",
        response: {
          200: z.object({
            clientIds: z.array(z.string()),
            workerGrids: z
              .record(z.string(), z.array(z.string()))
              .describe("By client id, the community grids of each client issued with an officerId and no grids: its grid worker's grid in the current staff map (none when it has none)"),
          }),
        },
      },
    },
    async () => {
      const { revoked, workerGrids } = await clientStanding(db);
      return { clientIds: revoked, workerGrids };
    },
  );

  app.patch(
    '/v1/clients/:clientId',
    {
      config: { roles: ['admin'], scope: 'none' },
      schema: {
        summary: "Change a client without a new token: its own rate limit (ratePerMinute; null for the install's default)",
        params: z.object({ clientId: text().max(200) }),
        body: UpdateClientBody,
        response: { 200: ClientView },
      },
    },
    async (req) => {
      const { clientId } = req.params;
      const { ratePerMinute } = req.body;
      const row = await auditedChange(
        db,
        audit,
        req,
        async (tx) => {
          const changed = await updateClient(tx, clientId, { ratePerMinute }, principalOf(req).stations);
          if (!changed) throw notFound('no client with this id');
          return changed;
        },
        (changed) => ({ action: 'client.updated', target: `client:${clientId}`, before: { ratePerMinute: changed.before }, after: { ratePerMinute } }),
      );
      // Other instances forget it when the table's change notice reaches them (auth.ts).
      directory.forget(clientId);
      req.log.info({ clientId, ratePerMinute }, 'client changed');
      return toView(row.client);
    },
  );

  app.delete(
    '/v1/clients/:clientId',
    {
      config: { roles: ['admin'], scope: 'none' },
      schema: { summary: "Revoke a client's token", params: z.object({ clientId: text().max(200) }), response: { 204: z.null() } },
    },
    async (req, reply) => {
      const { clientId } = req.params;
      await auditedChange(
        db,
        audit,
        req,
        async (tx) => {
          const row = await revokeClient(tx, clientId, principalOf(req).stations);
          if (!row) throw notFound('no client with this id');
          return row;
        },
        // Revoked already: nothing changed, so no second entry (it would say an active client was revoked now: audit26 #3).
        (row) => (row.wasRevoked ? null : { action: 'client.revoked', target: `client:${clientId}`, before: null, after: { revokedAt: row.revokedAt } }),
      );
      directory.forget(clientId);
      req.log.info({ clientId }, 'client revoked');
      return reply.status(204).send(null);
    },
  );
}
