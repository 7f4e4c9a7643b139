import { makeMessage, TOPICS } from '@gridcase/contracts';
import { claimInbox, type Db, type OutgoingMessage, type Tx, writeOutbox } from '@gridcase/db';
import { PoisonError } from '@gridcase/messaging';
import type { Clock, createLogger } from '@gridcase/service-kit';
import { lockCase, saveCase } from '../db/cases.ts';
import { inbox, outbox } from '../db/schema.ts';
import type { CaseEvent, CaseRecord } from '../domain/case.ts';

type Logger = ReturnType<typeof createLogger>;

export interface AssignmentDeps {
  db: Db;
  /** The consumer group suffix, also the inbox group. */
  groupId: string;
  source: string;
  clock: Clock;
  logger: Logger;
}

export const SCHEMA = 'assignment';

/** Case events in their envelopes, in order, bound for gridcase.cases keyed by case id, carrying the record's traceparent. */
export function caseMessages(deps: AssignmentDeps, events: readonly CaseEvent[], now: Date, traceparent?: string): OutgoingMessage[] {
  return events.map((event) => {
    const message = makeMessage(event.type, { source: deps.source, subject: event.data.caseId, data: event.data as never, time: now });
    return { topic: TOPICS.cases, key: event.data.caseId, message, headers: traceparent ? { traceparent } : undefined };
  });
}

/** What the case of record made of a timer's fact: nothing (`ignored`), or the changed case and its events. */
type FactDecision = { kind: 'ignored' } | { kind: string; record: CaseRecord; events: CaseEvent[] };

/**
 * A fact from the timers about a case (a deadline passed, a hold's end), decided in the consumer's
 * transaction under the case's row lock, with the inbox claim: a redelivered fact changes nothing
 * (undefined). A change is saved with its events; an ignored fact writes nothing.
 */
export async function decideFact<D extends FactDecision>(
  tx: Tx,
  deps: AssignmentDeps,
  fact: { eventId: string; type: string; caseId: string; now: Date; traceparent?: string | undefined },
  decide: (record: CaseRecord) => D | Promise<D>,
): Promise<D | undefined> {
  if (!(await claimInbox(tx, inbox, deps.groupId, fact.eventId))) return undefined;
  const record = await lockCase(tx, fact.caseId);
  // Timers follow deadlines-set, which follows case.opened on the same partition: a broken stream, keep it for replay.
  if (!record) throw new PoisonError(`${fact.type} for unknown case ${fact.caseId}`);
  const decision = await decide(record);
  if ('record' in decision) {
    await saveCase(tx, decision.record);
    await writeOutbox(tx, outbox, SCHEMA, caseMessages(deps, decision.events, fact.now, fact.traceparent));
  }
  return decision;
}
