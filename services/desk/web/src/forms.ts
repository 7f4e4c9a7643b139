import type { PageCommand } from './rules.ts';

/** A datetime-local value read as Beijing time, whatever the browser's zone. */
const fromInput = (value: string) => `${value}:00+08:00`;

/**
 * What a command's form holds, as typed. Everything starts empty, the selects too: an outcome or a
 * verification result feeds the figures, so the person chooses it (audit 7: a resolve with only a note
 * was recorded as 调解成功), and follow-up's satisfaction as well (满意 counts in the figures too).
 */
export type Fields = { note: string; reason: string; until: string; outcome: string; result: string; satisfaction: string };

/**
 * Which fields each command's form has, and which must be filled: those the contract's body requires
 * (resolve, verify and follow-up need a note: no case closes without a written record), and resolve's
 * outcome, verify's result and follow-up's satisfaction, chosen by the person (they start empty).
 */
export const FORM: Record<PageCommand, { fields: (keyof Fields)[]; required: (keyof Fields)[] }> = {
  acknowledge: { fields: ['note'], required: [] },
  resolve: { fields: ['outcome', 'note'], required: ['outcome', 'note'] },
  verify: { fields: ['result', 'note'], required: ['result', 'note'] },
  'follow-up': { fields: ['satisfaction', 'note'], required: ['satisfaction', 'note'] },
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

/** The text fields that take more than a line (a note: what was done, said, found); the others are one-line inputs. */
export const MULTILINE: ReadonlySet<keyof Fields> = new Set(['note']);

/** 改派's body: the people chosen, and the reason when one was written. */
export function reassignBody(officerIds: readonly string[], reason: string): { officerIds: string[]; reason?: string } {
  const why = reason.trim();
  return { officerIds: [...officerIds], ...(why ? { reason: why } : {}) };
}

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
