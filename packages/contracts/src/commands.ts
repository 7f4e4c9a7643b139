import { z } from 'zod';
import { text, writtenText } from './text.ts';
import { CalendarInstant, Instant, Outcome, Satisfaction, VerifyResult } from './common.ts';
import { Actor } from './events.ts';
import { Officer } from './reference.ts';
import { maskNumbersInText } from './masking.ts';
import { maskNamesInText } from './name-masking.ts';

/**
 * What was done, checked or heard: required on resolve, verify and follow-up (CONTRACT.md "The life of a
 * case" gives `note` bare there, `note?` on acknowledge), so no case closes without a written record.
 */
const RecordNote = writtenText(4000, 'a note');
const Reason = writtenText(1000, 'a reason');
export const ResolveBody = z.strictObject({ outcome: Outcome, note: RecordNote });
/**
 * The new owners: ids as the roster has them (so bounded alike: an unbounded id was carried whole into
 * the case's refusal and history, audit22 #1), each once (a repeat is a slip for another id, audit22 #5).
 */
const OfficerIds = z
  .array(Officer.shape.officerId)
  .min(1)
  .max(10)
  .superRefine((ids, ctx) => {
    ids.forEach((id, i) => {
      const first = ids.indexOf(id);
      if (first < i) ctx.addIssue({ code: 'custom', path: [i], message: `names the same person as officerIds.${first}` });
    });
  });
/** `reason`: why the owners change (optional), kept on the timeline as other commands' reasons are. */
export const ReassignBody = z.strictObject({ officerIds: OfficerIds, reason: Reason.optional() });
/**
 * Why the case of record refuses a reassign's `officerIds.N`, said of the field; the desk page knows
 * these words (and shows them in Chinese), so they are defined once, here.
 */
export const REASSIGN_REFUSALS = {
  gridWorkerTip: 'a grid worker is never assigned a tip.* case',
  gridWorkerOtherGrid: "a grid worker may be assigned only a case of their own community grid, and this is not the case's grid",
  needsPolice: 'a red or orange case needs a police officer among its owners: name at least one officer, lead or leader',
} as const;
export const NoteBody = z.strictObject({ text: writtenText(4000, 'a note') });
export const ReopenBody = z.strictObject({ reason: Reason });
export const AcknowledgeBody = z.strictObject({ note: text().max(4000).optional() }).optional();
export const VerifyBody = z.strictObject({ result: VerifyResult, note: RecordNote });
export const FollowUpBody = z.strictObject({ satisfaction: Satisfaction, note: RecordNote });
/** An `until` is a deadline the case is counted against: inside the calendar's years, as a report's respondBy/resolveBy. */
export const ExtensionBody = z.strictObject({ until: CalendarInstant, reason: Reason });
export const ExtensionApproveBody = z.strictObject({ note: text().max(4000).optional() }).optional();
export const ExtensionRejectBody = z.strictObject({ reason: Reason });
export const HoldBody = z.strictObject({ reason: Reason, until: CalendarInstant.optional() });
/**
 * A hold's or an extension's `until` must lie after the command's time, which no body schema knows:
 * checked by the desk up front and by the case of record in the end, and said of the field.
 */
export const HOLD_UNTIL_NOT_AFTER_NOW = 'until must be later than now, when the hold begins';
export const EXTENSION_UNTIL_NOT_AFTER_NOW = 'until must be later than now, when the extension is asked for';

/**
 * Why a pending extension may no longer be approved, or undefined: its `until` was asked for against the
 * resolveBy of its day, and an escalation (a fresh budget on the next rung), a rework or the clock may have
 * overtaken it; approving would move resolveBy earlier, even into the past (audit19 #1, #2). The case of record
 * judges it at the command's issue; the desk says it up front (a courtesy: its read model may lag).
 */
export function overtakenExtension(until: Date, resolveBy: Date | null | undefined, now: Date | undefined): string | undefined {
  const ask = 'reject it and ask for a later until';
  if (resolveBy && until.getTime() <= resolveBy.getTime()) {
    return `the pending extension's until ${until.toISOString()} is no longer after the case's resolveBy ${resolveBy.toISOString()}; ${ask}`;
  }
  if (now && until.getTime() <= now.getTime()) return `the pending extension's until ${until.toISOString()} is no longer after now (${now.toISOString()}); ${ask}`;
  return undefined;
}
export const ResumeBody = z.strictObject({ note: text().max(4000).optional() }).optional();

const base = { commandId: text(), caseId: text(), by: Actor, issuedAt: z.iso.datetime({ offset: true }) };

/** Commands on gridcase.case-commands, keyed by case id. The envelope id is the command id. */
export const COMMAND_SCHEMAS = {
  'gridcase.case-command.acknowledge.v1': z.object({ ...base, note: text().optional() }),
  'gridcase.case-command.resolve.v1': z.object({ ...base, outcome: Outcome, note: text() }),
  'gridcase.case-command.reassign.v1': z.object({ ...base, officerIds: z.array(Officer.shape.officerId).min(1).max(10), reason: text().optional() }),
  'gridcase.case-command.note.v1': z.object({ ...base, text: text() }),
  'gridcase.case-command.reopen.v1': z.object({ ...base, reason: text() }),
  'gridcase.case-command.verify.v1': z.object({ ...base, result: VerifyResult, note: text() }),
  'gridcase.case-command.follow-up.v1': z.object({ ...base, satisfaction: Satisfaction, note: text() }),
  'gridcase.case-command.extension.v1': z.object({ ...base, until: Instant, reason: text() }),
  'gridcase.case-command.extension-approve.v1': z.object({ ...base, note: text().optional() }),
  'gridcase.case-command.extension-reject.v1': z.object({ ...base, reason: text() }),
  'gridcase.case-command.hold.v1': z.object({ ...base, reason: text(), until: Instant.optional() }),
  'gridcase.case-command.resume.v1': z.object({ ...base, note: text().optional() }),
} as const;

export const CommandAccepted = z.object({ commandId: text() });

/**
 * The free text a staff command carries, by field: `note` (acknowledge, resolve, verify, follow-up, extension
 * approve, resume), `text` (a note) and `reason` (reassign, reopen, extension, its rejection, hold).
 */
export const COMMAND_TEXT_FIELDS = ['note', 'text', 'reason'] as const;

/**
 * A command's fields (a body's, or the data of a command on gridcase.case-commands) with the personal
 * numbers and email addresses in its free text masked as a report's are (maskNumbersInText): staff write
 * the reporter's phone into a follow-up note, and the command goes on to the topics, the case's timeline,
 * the desk's stream and read model, where no personal data may be. With `names` (the case's reporters, which
 * the desk reads from intake), those names are masked in it too (maskNamesInText, 周建国 → 周**). The other
 * fields are kept as they are.
 */
export function maskCommandText<T extends object>(fields: T, names: readonly string[] = []): T {
  const out = { ...fields } as Record<string, unknown>;
  for (const key of COMMAND_TEXT_FIELDS) {
    const value = out[key];
    if (typeof value === 'string') out[key] = maskNamesInText(maskNumbersInText(value), names);
  }
  return out as T;
}

/** Whether a command's fields carry free text (COMMAND_TEXT_FIELDS) that could name someone. */
export const hasCommandText = (fields: object): boolean =>
  COMMAND_TEXT_FIELDS.some((key) => typeof (fields as Record<string, unknown>)[key] === 'string' && (fields as Record<string, string>)[key] !== '');
