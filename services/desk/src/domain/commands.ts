import type { CaseStatus, CommandType } from '@gridcase/contracts';

/** The commands the duty desk sends, by the name used in the URL and the commands table. */
export const COMMAND_TYPES = {
  acknowledge: 'gridcase.case-command.acknowledge.v1',
  resolve: 'gridcase.case-command.resolve.v1',
  reassign: 'gridcase.case-command.reassign.v1',
  note: 'gridcase.case-command.note.v1',
  reopen: 'gridcase.case-command.reopen.v1',
} as const satisfies Record<string, CommandType>;

export type CommandName = keyof typeof COMMAND_TYPES;

/**
 * Why the case's state forbids a command, or undefined when it may be sent. The desk's projection
 * may lag the case of record; assignment decides in the end and may still reject (case.command-rejected).
 */
export function forbiddenBecause(command: CommandName, status: CaseStatus): string | undefined {
  if (status === 'closed') return `case is closed; a closed case takes no ${command} command`;
  switch (command) {
    case 'acknowledge':
      return status === 'open' ? undefined : `case is ${status}; only an open case can be acknowledged`;
    case 'resolve':
      return status === 'resolved' ? 'case is resolved already; reopen it first' : undefined;
    case 'reassign':
      return status === 'resolved' ? 'case is resolved; reopen it before reassigning' : undefined;
    case 'reopen':
      return status === 'resolved' ? undefined : `case is ${status}; only a resolved case can be reopened`;
    case 'note':
      return undefined;
  }
}
