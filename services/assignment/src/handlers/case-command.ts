import { maskCommandText } from '@gridcase/contracts';
import { claimInbox, type Tx, writeOutbox } from '@gridcase/db';
import { lockCase, saveCase } from '../db/cases.ts';
import { loadCalendar } from '../db/clock-data.ts';
import { dutyOf } from '../db/roster.ts';
import { routingCache } from '../db/routing-cache.ts';
import { caseNotes, inbox, outbox } from '../db/schema.ts';
import { type CaseCommand, type CommandDecision, commandName, decideCommand } from '../domain/case.ts';
import { type AssignmentDeps, caseMessages, SCHEMA } from './deps.ts';

/**
 * A command on the case of record: the domain decides, and the change (or the rejection) is written
 * with its events and the inbox claim in the consumer's transaction, under the case's row lock. The
 * envelope id is the command id. Returns the log line to write once committed.
 */
export async function handleCaseCommand(tx: Tx, deps: AssignmentDeps, eventId: string, command: CaseCommand, traceparent?: string): Promise<() => void> {
  const now = deps.clock.now();
  // The desk masks the numbers in notes and reasons before it sends a command; a command another producer
  // put on the topic is masked here, so none reaches the case's events, its notes or the read models.
  const masked = { ...command, data: maskCommandText(command.data) } as CaseCommand;
  const decision = await decideAndWrite(tx, deps, eventId, masked, now, traceparent);
  return () => logDecision(deps, command, decision);
}

async function decideAndWrite(tx: Tx, deps: AssignmentDeps, eventId: string, command: CaseCommand, now: Date, traceparent?: string): Promise<CommandDecision | undefined> {
  if (!(await claimInbox(tx, inbox, deps.groupId, eventId))) return undefined;
  const record = await lockCase(tx, command.data.caseId);
  const reassign = command.type === 'gridcase.case-command.reassign.v1';
  // The roster and shifts of the reference version this transaction sees (the routing cache's, read once
  // per version), and the leave of only the people a reassign names: whether one is away now, or off shift.
  const roster = reassign ? await routingCache(deps.db).current(tx) : undefined;
  const officers = roster?.officers ?? [];
  const duty = roster && reassign ? await dutyOf(tx, roster.shifts, command.data.officerIds) : undefined;
  const decision = decideCommand(record, command, { now, officers, calendar: await loadCalendar(tx), ...(duty ? { duty } : {}) });
  if (decision.kind === 'accepted') {
    await saveCase(tx, decision.record);
    if (decision.note) {
      await tx
        .insert(caseNotes)
        .values({ commandId: command.data.commandId, caseId: command.data.caseId, text: decision.note.text, by: command.data.by, at: now })
        .onConflictDoNothing();
    }
  }
  await writeOutbox(tx, outbox, SCHEMA, caseMessages(deps, decision.events, now, traceparent));
  return decision;
}

function logDecision(deps: AssignmentDeps, command: CaseCommand, decision: CommandDecision | undefined): void {
  if (!decision) return;
  const name = commandName(command.type);
  const fields = { caseId: command.data.caseId, commandId: command.data.commandId, command: name, by: command.data.by.clientId };
  if (decision.kind === 'rejected') {
    deps.logger.info({ ...fields, code: decision.code, reason: decision.reason }, `command ${name} on case ${command.data.caseId} rejected (${decision.code}): ${decision.reason}`);
  } else {
    const types = decision.events.map((e) => e.type);
    deps.logger.info(
      { ...fields, status: decision.record.status, version: decision.record.deadlineVersion, events: types },
      `command ${name} on case ${decision.record.caseNumber} applied → ${decision.record.status} (${types.join(', ')})`,
    );
  }
}
