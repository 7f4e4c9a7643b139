import { parseMessageOf } from '@gridcase/contracts';
import { activeTraceparent, type Tx } from '@gridcase/db';
import type { TransactionalHandler } from '@gridcase/messaging';
import { mirrorDeadlines } from '../db/store.ts';
import type { HandlerDeps } from './deps.ts';

/** Events other than deadlines-set are none of escalation's: skipped unread. */
const HANDLED = new Set(['gridcase.case.deadlines-set.v1'] as const);

/**
 * Mirrors `case.deadlines-set` into durable timers; every other case event is ignored (assignment
 * decides what they mean and says so in its next deadlines-set). Idempotent by version, not by the
 * inbox: a redelivery, a replay or an overtaken set is not newer than what was applied, and changes
 * nothing however long after it comes. Runs of a partition's events share a transaction.
 */
export function escalationHandler(deps: HandlerDeps): TransactionalHandler<Tx> {
  return {
    transaction: (work) => deps.db.transaction(work),
    handle: async (tx, record) => {
      const message = parseMessageOf(record.value, HANDLED);
      if (!message) return;
      const set = message.data;
      const now = deps.clock.now();
      // With tracing on, the span handling this record; the timers' facts continue the trace from it.
      const traceparent = activeTraceparent() ?? record.headers.traceparent;
      const plan = await mirrorDeadlines(tx, set, now, traceparent);
      const fields = { caseId: set.caseId, version: set.version, eventId: message.id };
      return plan.apply
        ? () => deps.logger.info({ ...fields, running: set.running.map((d) => d.kind), holdUntil: set.holdUntil, timers: plan.create.length }, 'deadlines mirrored')
        : () => deps.logger.info({ ...fields, why: plan.why }, 'deadlines-set changes nothing');
    },
  };
}
