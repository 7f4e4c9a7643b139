import type { Actor, DeskCaseView } from '@gridcase/contracts';
import { type CommandName, type CommandView, forbiddenBecause, personRefusal, roleRefusal } from '../../src/domain/commands.ts';

/** The commands of a case's life the page offers, in the order it shows them. */
export const PAGE_COMMANDS = [
  'acknowledge',
  'resolve',
  'reassign',
  'verify',
  'follow-up',
  'extension',
  'extension-approve',
  'extension-reject',
  'hold',
  'resume',
  'reopen',
  'note',
] as const satisfies readonly CommandName[];
export type PageCommand = (typeof PAGE_COMMANDS)[number];

/** The path under /v1/cases/{caseId}/ of each command. */
export const COMMAND_PATHS: Record<PageCommand, string> = {
  acknowledge: 'acknowledge',
  resolve: 'resolve',
  reassign: 'reassign',
  verify: 'verify',
  'follow-up': 'follow-up',
  extension: 'extension',
  'extension-approve': 'extension/approve',
  'extension-reject': 'extension/reject',
  hold: 'hold',
  resume: 'resume',
  reopen: 'reopen',
  note: 'notes',
};

/** The key that opens each command's form on the open case. */
export const COMMAND_KEYS: Record<PageCommand, string> = {
  acknowledge: 'a',
  resolve: 'r',
  reassign: 'g',
  verify: 'v',
  'follow-up': 'f',
  extension: 'e',
  'extension-approve': 'p',
  'extension-reject': 'x',
  hold: 'h',
  resume: 'u',
  reopen: 'o',
  note: 'n',
};

const actorOf = (entry: DeskCaseView['timeline'][number] | undefined): Actor | null =>
  entry?.actor ? { clientId: entry.actor.clientId, ...(entry.actor.officerId ? { officerId: entry.actor.officerId } : {}) } : null;

const last = (c: DeskCaseView, type: string) => c.timeline.filter((e) => e.type === `gridcase.case.${type}.v1`).at(-1);

/** What the desk's command rules need, read from the case view and its timeline. */
export function commandView(c: DeskCaseView): CommandView {
  return {
    status: c.status,
    assignees: c.assignees,
    resolveBy: c.resolveBy ? new Date(c.resolveBy) : null,
    resolvedBy: c.status === 'resolved' ? actorOf(last(c, 'resolved')) : null,
    extension: c.extension ? { ...c.extension, requestedBy: actorOf(last(c, 'extension-requested')) } : null,
    extensionsApproved: c.timeline.filter((e) => e.type === 'gridcase.case.extension-approved.v1').length,
  };
}

export interface Offer {
  command: PageCommand;
  /** Set when this person may not do it on this case now (shown, disabled, with the reason). */
  blocked?: string;
}

/**
 * The commands this token may issue on the case now, by the same rules the desk applies before
 * sending one (services/desk/src/domain/commands.ts): those its roles never allow are left out,
 * those the case's status forbids too; a person rule (not the resolver, not the requester) is shown
 * as blocked with its reason. The case of record still decides.
 */
/** Reassign (改派) with the roster picker is the duty desk's move: the page offers it to desk and supervisor tokens (and admin) only. */
export const REASSIGN_ROLES: readonly string[] = ['desk', 'supervisor', 'admin'];

export function offers(c: DeskCaseView, me: Actor): Offer[] {
  const view = commandView(c);
  const out: Offer[] = [];
  for (const command of PAGE_COMMANDS) {
    if (roleRefusal(command, me, view) || forbiddenBecause(command, view)) continue;
    if (command === 'reassign' && !(me.roles ?? []).some((r) => REASSIGN_ROLES.includes(r))) continue;
    const blocked = personRefusal(command, me, view);
    out.push(blocked ? { command, blocked } : { command });
  }
  return out;
}
