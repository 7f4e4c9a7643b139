import type { PageCommand } from './rules.ts';

/** A datetime-local value read as Beijing time, whatever the browser's zone. */
const fromInput = (value: string) => `${value}:00+08:00`;

/** What a command's form holds, as typed (the selects start on a choice; the text fields empty). */
export type Fields = { note: string; reason: string; until: string; outcome: string; result: string; satisfaction: string };

/**
 * Which fields each command's form has, and which must be filled: those the contract's body requires
 * (resolve, verify and follow-up need a note: no case closes without a written record).
 */
export const FORM: Record<PageCommand, { fields: (keyof Fields)[]; required: (keyof Fields)[] }> = {
  acknowledge: { fields: ['note'], required: [] },
  resolve: { fields: ['outcome', 'note'], required: ['note'] },
  verify: { fields: ['result', 'note'], required: ['note'] },
  'follow-up': { fields: ['satisfaction', 'note'], required: ['note'] },
  extension: { fields: ['until', 'reason'], required: ['until', 'reason'] },
  'extension-approve': { fields: ['note'], required: [] },
  'extension-reject': { fields: ['reason'], required: ['reason'] },
  hold: { fields: ['reason', 'until'], required: ['reason'] },
  resume: { fields: ['note'], required: [] },
  reopen: { fields: ['reason'], required: ['reason'] },
  note: { fields: ['note'], required: ['note'] },
  // Its own form (ReassignForm): people from the roster, not fields.
  reassign: { fields: [], required: [] },
};

/** The JSON body of a command from its form. */
export function bodyOf(command: PageCommand, f: Fields): Record<string, unknown> {
  const note = f.note.trim();
  const reason = f.reason.trim();
  switch (command) {
    case 'acknowledge':
    case 'extension-approve':
    case 'resume':
      return note ? { note } : {};
    case 'resolve':
      return { outcome: f.outcome, note };
    case 'verify':
      return { result: f.result, note };
    case 'follow-up':
      return { satisfaction: f.satisfaction, note };
    case 'extension':
      return { until: fromInput(f.until), reason };
    case 'extension-reject':
    case 'reopen':
      return { reason };
    case 'hold':
      return { reason, ...(f.until ? { until: fromInput(f.until) } : {}) };
    case 'note':
      return { text: note };
    case 'reassign':
      return {};
  }
}
