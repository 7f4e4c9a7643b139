import { makeMessage, TOPICS } from '@gridcase/contracts';
import type { Db, OutgoingMessage } from '@gridcase/db';
import type { Clock, createLogger } from '@gridcase/service-kit';
import type { CaseEvent } from '../domain/case.ts';

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
