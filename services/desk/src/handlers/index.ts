import { parseMessage } from '@gridcase/contracts';
import type { Tx } from '@gridcase/db';
import type { TransactionalHandler } from '@gridcase/messaging';
import { type CaseEvent, isCaseEventType } from '../domain/project.ts';
import { type ProjectionDeps, projectCaseEvent } from './case-event.ts';

/**
 * Every case event type goes through the one projection (the pure reducer tells them apart);
 * anything else on the topic is acknowledged and skipped. A record that breaks the contract
 * throws a ContractError and is dead-lettered. Runs of a partition's events share a transaction.
 */
export function deskHandler(deps: ProjectionDeps): TransactionalHandler<Tx> {
  return {
    transaction: (work) => deps.db.transaction(work),
    handle: async (tx, record) => {
      const message = parseMessage(record.value);
      if (!isCaseEventType(message.type)) return;
      const event = {
        id: message.id,
        type: message.type,
        time: new Date(message.time),
        data: message.data,
        traceparent: record.headers.traceparent,
      } as CaseEvent;
      return projectCaseEvent(tx, deps, event);
    },
  };
}
