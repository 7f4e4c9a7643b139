import { createHash } from 'node:crypto';
import { type Actor, type Assignee, type CaseStatus, canonicalJson, type CommandType, type FieldIssue, EXTENSION_UNTIL_NOT_AFTER_NOW, HOLD_UNTIL_NOT_AFTER_NOW, overtakenExtension } from '@gridcase/contracts';
import type { Extension } from './project.ts';

/** The commands the duty desk sends, by the name used in the commands table. */
export const COMMAND_TYPES = {
  acknowledge: 'gridcase.case-command.acknowledge.v1',
  resolve: 'gridcase.case-command.resolve.v1',
  reassign: 'gridcase.case-command.reassign.v1',
  note: 'gridcase.case-command.note.v1',
  reopen: 'gridcase.case-command.reopen.v1',
  verify: 'gridcase.case-command.verify.v1',
  'follow-up': 'gridcase.case-command.follow-up.v1',
  extension: 'gridcase.case-command.extension.v1',
  'extension-approve': 'gridcase.case-command.extension-approve.v1',
  'extension-reject': 'gridcase.case-command.extension-reject.v1',
  hold: 'gridcase.case-command.hold.v1',
  resume: 'gridcase.case-command.resume.v1',
} as const satisfies Record<string, CommandType>;

export type CommandName = keyof typeof COMMAND_TYPES;

/**
 * What a request under an `Idempotency-Key` asked, as a hash: its case, command and fields (key
 * order and absent optional fields aside). A retry asks the same; the key sent with anything else is
 * refused rather than taken for the first request.
 */
export const requestHash = (caseId: string, name: CommandName, fields: Record<string, unknown>): string =>
  createHash('sha256').update(canonicalJson({ caseId, command: name, fields })).digest('hex');

/** What the desk's read model knows that the command rules need. */
export interface CommandView {
  status: CaseStatus;
  assignees: Assignee[];
  resolveBy: Date | null;
  resolvedBy: Actor | null;
  /** The rules need its state and requester, not its reason (withheld from some views). */
  extension: Omit<Extension, 'reason'> | null;
  extensionsApproved: number;
}

/** Why the desk refuses a command up front: 403 (this actor may not) or 409 (the case's state forbids). */
/** `errors`: the field a conflict is about, where one is (an extension's `until` against the case's resolveBy). */
export type Refusal = { status: 403 | 409; detail: string; errors?: FieldIssue[] };

/**
 * Whether an owner of the case (a token whose officerId is among its assignees) may issue a command
 * besides the roles: `any` owner whatever its role (a grid worker's community token too), only an
 * `officer` token that owns it, or no owner as such.
 */
type OwnerRule = 'any' | 'officer' | false;

/** Who may issue each command (CONTRACT.md "The life of a case"); admin may do all of it. */
const WHO: Record<CommandName, { owner: OwnerRule; roles: readonly ('desk' | 'supervisor' | 'officer')[] }> = {
  acknowledge: { owner: 'any', roles: ['desk', 'supervisor'] },
  resolve: { owner: 'any', roles: ['desk', 'supervisor'] },
  'follow-up': { owner: 'any', roles: ['desk', 'supervisor'] },
  extension: { owner: 'any', roles: [] },
  verify: { owner: false, roles: ['desk', 'supervisor'] },
  'extension-approve': { owner: false, roles: ['desk', 'supervisor'] },
  'extension-reject': { owner: false, roles: ['desk', 'supervisor'] },
  hold: { owner: false, roles: ['desk', 'supervisor'] },
  resume: { owner: false, roles: ['desk', 'supervisor'] },
  reopen: { owner: false, roles: ['desk', 'supervisor'] },
  // Anyone who may use the desk, as before the life of a case, and an owner whatever its role (the grid worker of the pair).
  note: { owner: 'any', roles: ['desk', 'supervisor', 'officer'] },
  // An officer may give away only a case it owns: not take another's case, nor one escalated above it.
  reassign: { owner: 'officer', roles: ['desk', 'supervisor'] },
};

const OWNER_SAYS: Record<Exclude<OwnerRule, false>, string> = {
  any: 'an owner of the case (a token whose officerId is among its assignees)',
  officer: 'an officer who owns the case (an officer token whose officerId is among its assignees)',
};

const MAX_APPROVED_EXTENSIONS = 2;
const HOLDABLE: readonly CaseStatus[] = ['open', 'acknowledged', 'resolved', 'follow-up'];

const isOwner = (actor: Actor, c: CommandView) => !!actor.officerId && c.assignees.some((a) => a.officerId === actor.officerId);

/** The same person: the same client, or tokens naming the same officer. */
const samePerson = (a: Actor, b: Actor) => a.clientId === b.clientId || (!!a.officerId && a.officerId === b.officerId);

/** Why this actor may never issue the command on this case (roles, ownership), or undefined. */
export function roleRefusal(command: CommandName, actor: Actor, c: CommandView): string | undefined {
  const roles = actor.roles ?? [];
  if (roles.includes('admin')) return undefined;
  const who = WHO[command];
  if (who.roles.some((r) => roles.includes(r))) return undefined;
  const owner = isOwner(actor, c);
  const ownerCounts = who.owner === 'any' || (who.owner === 'officer' && roles.includes('officer'));
  if (ownerCounts && owner) return undefined;
  const allowed = [...(who.owner ? [OWNER_SAYS[who.owner]] : []), ...who.roles];
  return `${command} needs ${allowed.join(' or ')}; this token is ${roles.join(', ') || 'without roles'}${who.owner ? asOwner(actor, owner) : ''}`;
}

/** What the token is as an owner, said only of commands an owner may issue. */
const asOwner = (actor: Actor, owner: boolean): string => {
  if (!actor.officerId) return ' and names no officer';
  return owner ? ` for officer ${actor.officerId}, an owner but not an officer token` : ` for officer ${actor.officerId}, not an owner`;
};

/** Actor rules that depend on the case: verification not by who resolved, a decision not by the requester. */
export function personRefusal(command: CommandName, actor: Actor, c: CommandView): string | undefined {
  if (command === 'verify' && c.resolvedBy && samePerson(actor, c.resolvedBy)) {
    return 'verify must be done by someone other than whoever resolved the case';
  }
  if ((command === 'extension-approve' || command === 'extension-reject') && c.extension?.requestedBy && samePerson(actor, c.extension.requestedBy)) {
    return 'an extension is decided by someone other than its requester';
  }
  return undefined;
}

/** Why the case's state forbids a command, or undefined when it may be sent. */
export function forbiddenBecause(command: CommandName, c: Pick<CommandView, 'status'> & Partial<CommandView>, until?: Date, now?: Date): string | undefined {
  const { status } = c;
  switch (command) {
    case 'acknowledge':
      return status === 'open' ? undefined : `case is ${status}; only an open case can be acknowledged`;
    case 'resolve':
      return status === 'open' || status === 'acknowledged' ? undefined : `case is ${status}; only an open or acknowledged case can be resolved`;
    case 'reassign':
      return status === 'open' || status === 'acknowledged' ? undefined : `case is ${status}; only an open or acknowledged case can be reassigned`;
    case 'reopen':
      return status === 'resolved' || status === 'follow-up' || status === 'closed'
        ? undefined
        : `case is ${status}; only a resolved, follow-up or closed case can be reopened`;
    case 'note':
      // A note is history, welcome at any status (the case of record takes it even when closed).
      return undefined;
    case 'verify':
      return status === 'resolved' ? undefined : `case is ${status}; only a resolved case can be verified`;
    case 'follow-up':
      return status === 'follow-up' ? undefined : `case is ${status}; only a case awaiting follow-up can be followed up`;
    case 'extension':
      return extensionConflict(c) ?? extensionUntilIssue(c, until)?.message;
    case 'extension-approve':
      // As the case of record: an approval starts the resolve clock, which runs only while open or acknowledged (a held case's request may still be rejected).
      if (status !== 'open' && status !== 'acknowledged') return `case is ${status}; only an open or acknowledged case's extension can be approved`;
      return c.extension?.status === 'pending' ? overtakenExtension(new Date(c.extension.until), c.resolveBy, now) : 'the case has no pending extension request';
    case 'extension-reject':
      return c.extension?.status === 'pending' ? undefined : 'the case has no pending extension request';
    case 'hold':
      return HOLDABLE.includes(status) ? undefined : `case is ${status}; only an open, acknowledged, resolved or follow-up case can be held`;
    case 'resume':
      return status === 'on-hold' ? undefined : `case is ${status}; only a held case can be resumed`;
  }
}

/** Why the case's state forbids an extension request whatever its `until`. */
function extensionConflict(c: Pick<CommandView, 'status'> & Partial<CommandView>): string | undefined {
  if (c.status !== 'open' && c.status !== 'acknowledged') return `case is ${c.status}; only an open or acknowledged case can get an extension`;
  if (c.extension?.status === 'pending') return 'an extension request is already pending';
  if ((c.extensionsApproved ?? 0) >= MAX_APPROVED_EXTENSIONS) return `the case has had ${MAX_APPROVED_EXTENSIONS} extensions approved, the most it may have`;
  return undefined;
}

/** An extension's `until` that the case's `resolveBy` makes wrong: a conflict with the case's state, said of the field. */
function extensionUntilIssue(c: Partial<CommandView>, until?: Date): FieldIssue | undefined {
  if (!until || !c.resolveBy || until.getTime() > c.resolveBy.getTime()) return undefined;
  return { path: 'until', message: `until must be later than the case's resolveBy (${c.resolveBy.toISOString()})` };
}

/** The commands whose `until` must lie after now, and what is said of it when it does not. */
const UNTIL_AFTER_NOW: Partial<Record<CommandName, string>> = { hold: HOLD_UNTIL_NOT_AFTER_NOW, extension: EXTENSION_UNTIL_NOT_AFTER_NOW };

/**
 * A command's fields that are wrong by the time alone (400 naming them, whatever the case): a hold's
 * or an extension's `until` not after now. The case of record checks it again when it acts.
 */
export function fieldIssues(command: CommandName, fields: Record<string, unknown>, now: Date): FieldIssue[] {
  const message = UNTIL_AFTER_NOW[command];
  if (message && typeof fields.until === 'string' && Date.parse(fields.until) <= now.getTime()) return [{ path: 'until', message }];
  return [];
}

/**
 * Whether the desk refuses a command before sending it: first who may (exact), then the state its
 * read model shows (a courtesy: the projection may lag, and the case of record decides in the end).
 */
export function refusal(command: CommandName, actor: Actor, c: CommandView, until?: Date, now?: Date): Refusal | undefined {
  const forbidden = roleRefusal(command, actor, c) ?? personRefusal(command, actor, c);
  if (forbidden) return { status: 403, detail: forbidden };
  if (command === 'extension' && !extensionConflict(c)) {
    // Still the case's state (409), but said of the field too, as a bad field is named (audit22 #4).
    const issue = extensionUntilIssue(c, until);
    return issue && { status: 409, detail: issue.message, errors: [issue] };
  }
  const conflict = forbiddenBecause(command, c, until, now);
  return conflict ? { status: 409, detail: conflict } : undefined;
}
