import {
  AcknowledgeBody,
  type CaseStatus,
  CommandAccepted,
  type CommandType,
  type DataOf,
  DeskCaseView,
  makeMessage,
  newId,
  NoteBody,
  type Principal,
  ReassignBody,
  ReopenBody,
  ResolveBody,
  TOPICS,
} from '@gridcase/contracts';
import { type Db, writeOutbox } from '@gridcase/db';
import { childTraceparent } from '@gridcase/messaging';
import { type App, type Clock, conflict, notFound } from '@gridcase/service-kit';
import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { z } from 'zod';
import { loadCase } from '../db/queries.ts';
import { cases, commands, outbox } from '../db/schema.ts';
import { COMMAND_TYPES, type CommandName, forbiddenBecause } from '../domain/commands.ts';
import type { CaseFeed } from '../feed.ts';
import { CaseParams } from './cases.ts';
import { DESK_ROLES } from './roles.ts';

/** How long ?wait=true holds the answer for the case of record to act on the command. */
export const COMMAND_WAIT_MS = 5000;
/** Re-check interval while waiting; the feed wakes it earlier when this replica projects the event. */
const POLL_MS = 250;

const WaitQuery = z.strictObject({ wait: z.enum(['true', 'false']).optional() });

export interface CommandDeps {
  db: Db;
  clock: Clock;
  feed: CaseFeed;
  waitMs?: number;
}

/** What a command route needs of its request (structural, so every route's typed request fits). */
interface CommandRequest {
  params: { caseId: string };
  query: { wait?: 'true' | 'false' | undefined };
  principal?: Principal | undefined;
  traceparent?: string | undefined;
  log: FastifyBaseLogger;
}

/**
 * Sends a command to the case of record: checks the projection (unknown case → 404, a state that
 * forbids it → 409), then records the command and writes it to the outbox in one transaction.
 * With ?wait=true the answer waits until an event settles the command.
 */
async function issue(deps: CommandDeps, req: CommandRequest, reply: FastifyReply, name: CommandName, fields: Record<string, unknown>) {
  const { caseId } = req.params;
  const [found] = await deps.db.select({ status: cases.status }).from(cases).where(eq(cases.caseId, caseId));
  if (!found) throw notFound(`case ${caseId}`);
  const why = forbiddenBecause(name, found.status as CaseStatus);
  if (why) {
    req.log.info({ caseId, command: name, status: found.status }, 'desk command refused: case state forbids it');
    throw conflict(why);
  }

  const principal = req.principal!;
  const commandId = newId();
  const issuedAt = deps.clock.now();
  const by = { clientId: principal.clientId, name: principal.name };
  const type: CommandType = COMMAND_TYPES[name];
  const message = makeMessage(type, {
    id: commandId,
    source: '/gridcase/desk',
    subject: caseId,
    time: issuedAt,
    data: { commandId, caseId, by, issuedAt: issuedAt.toISOString(), ...fields } as DataOf<CommandType>,
  });
  // Continue the caller's trace when it sent one; otherwise the trace starts at the desk.
  const traceparent = req.traceparent ?? childTraceparent();
  await deps.db.transaction(async (tx) => {
    await tx.insert(commands).values({ commandId, caseId, type: name, status: 'pending', issuedBy: by, issuedAt });
    await writeOutbox(tx, outbox, 'desk', [{ topic: TOPICS.caseCommands, key: caseId, message, headers: { traceparent } }]);
  });
  req.log.info({ caseId, commandId, command: name, by: principal.clientId }, 'desk command issued');

  if (req.query.wait !== 'true') return reply.code(202).send({ commandId });
  const deadline = Date.now() + (deps.waitMs ?? COMMAND_WAIT_MS);
  for (;;) {
    const [cmd] = await deps.db
      .select({ status: commands.status, reason: commands.reason })
      .from(commands)
      .where(eq(commands.commandId, commandId));
    if (cmd?.status === 'applied') {
      const view = await loadCase(deps.db, caseId, deps.clock.now());
      return reply.code(200).send(view);
    }
    if (cmd?.status === 'rejected') throw conflict(`command ${commandId} (${name}) was rejected: ${cmd.reason ?? 'no reason given'}`);
    const left = deadline - Date.now();
    if (left <= 0) return reply.code(202).send({ commandId });
    await deps.feed.next(caseId, Math.min(left, POLL_MS));
  }
}

const commandSchema = <B extends z.ZodType>(summary: string, body: B) => ({
  summary,
  params: CaseParams,
  querystring: WaitQuery,
  body,
  response: { 200: DeskCaseView, 202: CommandAccepted },
});

export function commandRoutes(app: App, deps: CommandDeps) {
  const config = { roles: DESK_ROLES };

  app.post(
    '/v1/cases/:caseId/acknowledge',
    { config, schema: commandSchema('Acknowledge an open case', AcknowledgeBody) },
    // The contract's acknowledge command carries no note, so a note in the body is accepted and not sent.
    (req, reply) => issue(deps, req, reply, 'acknowledge', {}),
  );
  app.post(
    '/v1/cases/:caseId/resolve',
    { config, schema: commandSchema('Resolve a case with an outcome', ResolveBody) },
    (req, reply) => issue(deps, req, reply, 'resolve', { outcome: req.body.outcome, note: req.body.note }),
  );
  app.post(
    '/v1/cases/:caseId/reassign',
    { config, schema: commandSchema('Give a case to other officers', ReassignBody) },
    (req, reply) => issue(deps, req, reply, 'reassign', { officerIds: req.body.officerIds }),
  );
  app.post(
    '/v1/cases/:caseId/notes',
    { config, schema: commandSchema('Add a note to a case', NoteBody) },
    (req, reply) => issue(deps, req, reply, 'note', { text: req.body.text }),
  );
  app.post(
    '/v1/cases/:caseId/reopen',
    { config, schema: commandSchema('Reopen a resolved case', ReopenBody) },
    (req, reply) => issue(deps, req, reply, 'reopen', { reason: req.body.reason }),
  );
}
