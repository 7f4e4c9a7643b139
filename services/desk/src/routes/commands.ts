import {
  AcknowledgeBody,
  type Actor,
  CommandAccepted,
  type CommandType,
  type DataOf,
  DeskCaseView,
  ExtensionApproveBody,
  ExtensionBody,
  ExtensionRejectBody,
  FollowUpBody,
  HoldBody,
  hasCommandText,
  makeMessage,
  maskCommandText,
  newId,
  NoteBody,
  type Principal,
  ReassignBody,
  ReopenBody,
  ResolveBody,
  ResumeBody,
  TOPICS,
  VerifyBody,
} from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { childTraceparent } from '@gridcase/messaging';
import { type App, type Clock, HttpProblem, inScope, invalidRequest, notFound, scopeOf } from '@gridcase/service-kit';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { z } from 'zod';
import { commandOutcome, type KeyedCommand, keyedCommand, recordCommand } from '../db/commands.ts';
import { findCaseRow, loadCase, rejectedFields } from '../db/queries.ts';
import { rowToState } from '../db/rows.ts';
import { COMMAND_TYPES, type CommandName, fieldIssues, type Refusal, refusal, requestHash } from '../domain/commands.ts';
import type { RejectionCode } from '../domain/project.ts';
import type { CaseFeed } from '../feed.ts';
import { reporterNames } from '../upstream.ts';
import { auditCaseView, CaseParams } from './cases.ts';
import { DESK_READERS } from './roles.ts';

/** How long ?wait=true holds the answer for the case of record to act on the command. */
export const COMMAND_WAIT_MS = 5000;
/** Re-check interval while waiting; the feed wakes it earlier when this replica projects the event. */
const POLL_MS = 250;

const WaitQuery = z.strictObject({ wait: z.enum(['true', 'false']).optional() });

/**
 * `Idempotency-Key`: a client that retries a command (a timeout, a dropped connection) sends the same
 * key, and gets the first request's command back instead of issuing it again. Visible ASCII, as the
 * IETF draft's and Stripe's keys are; the other headers pass through untouched.
 */
const CommandHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255, 'must be at most 255 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters (e.g. a UUID)')
    .optional(),
});

export interface CommandDeps {
  db: Db;
  clock: Clock;
  feed: CaseFeed;
  /** Intake, asked for the names of a case's reporters to mask them in a command's text. */
  intakeUrl: string;
  waitMs?: number;
  /** Commands a client may issue a minute on this instance (DESK_COMMAND_RATE_PER_MINUTE). */
  perMinute: number;
}

/** What a command route needs of its request (structural, so every route's typed request fits). */
interface CommandRequest {
  params: { caseId: string };
  query: { wait?: 'true' | 'false' | undefined };
  principal?: Principal | undefined;
  traceparent?: string | undefined;
  headers: { authorization?: string | undefined; 'idempotency-key'?: string | undefined };
  log: FastifyBaseLogger;
}

const problem = (r: Refusal) => new HttpProblem(r.status, r.status === 403 ? 'Forbidden' : 'Conflict', r.detail, r.errors ? { errors: r.errors } : {});

/** A rejection by the case of record as an HTTP answer: forbidden → 403; conflict (and older, code-less rejections) → 409. */
const rejectionStatus = (code: RejectionCode | null): 403 | 409 => (code === 'forbidden' ? 403 : 409);

/**
 * An `invalid` rejection is a bad request, not a state conflict: 400 naming the fields the case of
 * record named (a reassign's unknown officer as `officerIds.0`). The desk cannot check them up front:
 * the roster lives in assignment, and asking it on every command would make commands wait on it.
 */
async function invalidCommand(deps: CommandDeps, caseId: string, commandId: string) {
  const errors = await rejectedFields(deps.db, caseId, commandId);
  return invalidRequest(errors ?? [{ path: '(body)', message: 'names something the case of record does not know' }]);
}

/** Who issues the command, from the token: the client, its name, the officer it acts as, its roles. */
const actorOf = (p: Principal): Actor => ({
  clientId: p.clientId,
  name: p.name,
  ...(p.officerId ? { officerId: p.officerId } : {}),
  roles: p.roles,
});

/**
 * Sends a command to the case of record: checks the projection (unknown case → 404, an actor who
 * may not → 403, a state that forbids it → 409), then records the command and writes it to the
 * outbox in one transaction. With ?wait=true the answer waits until an event settles the command.
 */
async function issue(deps: CommandDeps, req: CommandRequest, reply: FastifyReply, name: CommandName, fields: Record<string, unknown>) {
  const { caseId } = req.params;
  const issuedAt = deps.clock.now();
  // A bad field is a bad request before it is anything about the case, as the body schema's are.
  const issues = fieldIssues(name, fields, issuedAt);
  if (issues.length) throw invalidRequest(issues);
  const found = await findCaseRow(deps.db, caseId);
  // Another station's case answers as an unknown one: a token learns nothing outside its scope.
  if (!found || !inScope(scopeOf(req.principal!), { station: found.station, gridCode: found.gridCode })) throw notFound('no case with this id');
  const by = actorOf(req.principal!);
  // A retry under its key is answered as the first request is, whatever the case became since (the
  // first acknowledge applied, the retry would be refused as "already acknowledged").
  const key = req.headers['idempotency-key'];
  const idempotency = key ? { key, requestHash: requestHash(caseId, name, fields) } : undefined;
  const earlier = idempotency && (await keyedCommand(deps.db, by.clientId, idempotency.key));
  if (earlier) return answerRepeat(deps, req, reply, name, earlier, idempotency);
  const refused = refusal(name, by, rowToState(found), typeof fields.until === 'string' ? new Date(fields.until) : undefined, issuedAt);
  if (refused) {
    req.log.info({ caseId, command: name, status: found.status, answer: refused.status }, 'desk command refused up front');
    throw problem(refused);
  }

  // Staff write the reporter's name into notes (已电话联系周建国): the names of the case's reporters, read from
  // intake only for a command with text, are masked in it (audit13 #1). Intake down → 503, nothing sent.
  const names = hasCommandText(fields) ? await reporterNames(deps.intakeUrl, found.reports, req.headers.authorization) : [];

  const commandId = newId();
  const type: CommandType = COMMAND_TYPES[name];
  const message = makeMessage(type, {
    id: commandId,
    source: '/gridcase/desk',
    subject: caseId,
    time: issuedAt,
    // Notes and reasons with the numbers and the reporters' names in them masked: staff write them there.
    data: { commandId, caseId, by, issuedAt: issuedAt.toISOString(), ...maskCommandText(fields, names) } as DataOf<CommandType>,
  });
  // Continue the caller's trace when it sent one; otherwise the trace starts at the desk.
  const traceparent = req.traceparent ?? childTraceparent();
  const recorded = await recordCommand(
    deps.db,
    { commandId, caseId, type: name, issuedBy: by, issuedAt, idempotency },
    { topic: TOPICS.caseCommands, key: caseId, message, headers: { traceparent } },
  );
  // Another request under the same key was recorded first (a concurrent retry): answer as it.
  if (!recorded.recorded && recorded.existing && idempotency) return answerRepeat(deps, req, reply, name, recorded.existing, idempotency);
  req.log.info({ caseId, commandId, command: name, by: by.clientId }, 'desk command issued');
  return answer(deps, req, reply, name, commandId);
}

/**
 * A request under an `Idempotency-Key` the client used before: the same request is answered with
 * that command (202 with its id, or with ?wait=true its outcome), nothing issued again; another
 * request under the key is a 409.
 */
async function answerRepeat(
  deps: CommandDeps,
  req: CommandRequest,
  reply: FastifyReply,
  name: CommandName,
  earlier: KeyedCommand,
  idempotency: { key: string; requestHash: string },
) {
  if (earlier.requestHash !== idempotency.requestHash) {
    throw new HttpProblem(
      409,
      'Conflict',
      `this Idempotency-Key was used for another request (command ${earlier.commandId}, ${earlier.type}); send a new key for a new command`,
    );
  }
  req.log.info({ caseId: req.params.caseId, commandId: earlier.commandId, command: name }, 'desk command repeated under its Idempotency-Key; nothing issued again');
  return answer(deps, req, reply, name, earlier.commandId);
}

/** 202 with the command's id; with ?wait=true, the case once the command applied, or its rejection. */
async function answer(deps: CommandDeps, req: CommandRequest, reply: FastifyReply, name: CommandName, commandId: string) {
  const { caseId } = req.params;
  if (req.query.wait !== 'true') return reply.code(202).send({ commandId });
  const deadline = Date.now() + (deps.waitMs ?? COMMAND_WAIT_MS);
  for (;;) {
    const cmd = await commandOutcome(deps.db, commandId);
    if (cmd?.status === 'applied') {
      const view = await loadCase(deps.db, caseId, deps.clock.now(), scopeOf(req.principal!));
      // The answer is the case view, description and notes included: audited as GET /v1/cases/{id} is.
      if (view) await auditCaseView(deps.db, req, view);
      return reply.code(200).send(view);
    }
    if (cmd?.status === 'rejected') {
      if (cmd.code === 'invalid') throw await invalidCommand(deps, caseId, commandId);
      const status = rejectionStatus(cmd.code as RejectionCode | null);
      throw problem({ status, detail: `command ${commandId} (${name}) was rejected: ${cmd.reason ?? 'no reason given'}` });
    }
    const left = deadline - Date.now();
    if (left <= 0) return reply.code(202).send({ commandId });
    await deps.feed.next(caseId, Math.min(left, POLL_MS));
  }
}

/** Drops an optional field the body left out, so the command carries only what was given. */
const given = <K extends string>(key: K, value: string | undefined) => (value ? { [key]: value } : {});

export function commandRoutes(app: App, deps: CommandDeps) {
  /** One command route: POST /v1/cases/{caseId}/<path>, its body, and the fields the command carries. */
  const route = <B extends z.ZodType>(path: string, name: CommandName, summary: string, body: B, fields: (b: z.infer<B>) => Record<string, unknown>) =>
    app.post(
      `/v1/cases/:caseId/${path}`,
      {
        // Community staff too: a grid worker is an owner of the cases of their grid (the case of record decides who may do what).
        config: {
          roles: DESK_READERS,
          scope: 'station',
          problems: {
            409: "the case's state forbids this command now (checked up front, or the case of record rejected it), or its Idempotency-Key was used for another request",
            429: "over the client's commands per minute (DESK_COMMAND_RATE_PER_MINUTE), or, for a command with text, over its requests a minute at intake, where the case's reporters are read: retry after `Retry-After`",
          },
          rateLimit: { max: deps.perMinute, timeWindow: 60_000 },
        },
        schema: { summary, params: CaseParams, querystring: WaitQuery, headers: CommandHeaders, body, response: { 200: DeskCaseView, 202: CommandAccepted } },
      },
      (req, reply) => issue(deps, req, reply, name, fields(req.body as z.infer<B>)),
    );

  // Fastify hands a POST without a body to the validator as null: a command whose body is optional
  // (`{note?}`; acknowledge once took no body at all) takes that as no body.
  route('acknowledge', 'acknowledge', 'Acknowledge an open case (an owner, desk or supervisor)', AcknowledgeBody.nullable(), (b) => given('note', b?.note));
  route('resolve', 'resolve', 'Resolve a case with an outcome (an owner, desk or supervisor)', ResolveBody, (b) => ({ outcome: b.outcome, note: b.note }));
  route('reassign', 'reassign', 'Give a case to other officers, with an optional reason (desk, supervisor, or an officer who owns it)', ReassignBody, (b) => ({
    officerIds: b.officerIds,
    ...given('reason', b.reason),
  }));
  route('notes', 'note', 'Add a note to a case (desk, officer, supervisor, or an owner)', NoteBody, (b) => ({ text: b.text }));
  route('reopen', 'reopen', 'Reopen a resolved, follow-up or closed case (desk, supervisor)', ReopenBody, (b) => ({ reason: b.reason }));
  route('verify', 'verify', 'Verify (核查) a resolved case (supervisor or desk, not whoever resolved it)', VerifyBody, (b) => ({ result: b.result, note: b.note }));
  route('follow-up', 'follow-up', 'Record the follow-up (回访) with the reporter (an owner, desk or supervisor)', FollowUpBody, (b) => ({
    satisfaction: b.satisfaction,
    note: b.note,
  }));
  route('extension', 'extension', 'Ask for more time (延期) to resolve (an owner)', ExtensionBody, (b) => ({ until: b.until, reason: b.reason }));
  route('extension/approve', 'extension-approve', 'Approve the pending extension (supervisor or desk, not the requester)', ExtensionApproveBody.nullable(), (b) =>
    given('note', b?.note),
  );
  route('extension/reject', 'extension-reject', 'Reject the pending extension (supervisor or desk, not the requester)', ExtensionRejectBody, (b) => ({
    reason: b.reason,
  }));
  route('hold', 'hold', 'Put a case on hold (挂账): no clock runs (supervisor or desk)', HoldBody, (b) => ({ reason: b.reason, ...given('until', b.until) }));
  route('resume', 'resume', 'Resume a held case; its deadlines move by the time held (supervisor or desk)', ResumeBody.nullable(), (b) => given('note', b?.note));
}
