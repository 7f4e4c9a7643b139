import { z } from 'zod';
import { text } from './text.ts';
import { Outcome } from './common.ts';
import { Actor } from './events.ts';

export const ResolveBody = z.strictObject({ outcome: Outcome, note: text().max(4000).default('') });
export const ReassignBody = z.strictObject({ officerIds: z.array(text().min(1)).min(1).max(10) });
export const NoteBody = z.strictObject({ text: text().min(1).max(4000) });
export const ReopenBody = z.strictObject({ reason: text().min(1).max(1000) });
export const AcknowledgeBody = z.strictObject({ note: text().max(4000).optional() }).optional();

const base = { commandId: text(), caseId: text(), by: Actor, issuedAt: z.iso.datetime({ offset: true }) };

/** Commands on gridcase.case-commands, keyed by case id. The envelope id is the command id. */
export const COMMAND_SCHEMAS = {
  'gridcase.case-command.acknowledge.v1': z.object({ ...base }),
  'gridcase.case-command.resolve.v1': z.object({ ...base, outcome: Outcome, note: text() }),
  'gridcase.case-command.reassign.v1': z.object({ ...base, officerIds: z.array(text()).min(1) }),
  'gridcase.case-command.note.v1': z.object({ ...base, text: text() }),
  'gridcase.case-command.reopen.v1': z.object({ ...base, reason: text() }),
} as const;

export const CommandAccepted = z.object({ commandId: text() });
