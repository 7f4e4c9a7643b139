import { parseMessageOf } from '@gridcase/contracts';
import type { Tx } from '@gridcase/db';
import type { InboundRecord, TransactionalHandler } from '@gridcase/messaging';
import { handleCaseStatus, INDEXED_STATUS_TYPES, indexStatusAfter } from './case-status.ts';
import { ReportRun, type TriageDeps } from './report-received.ts';

/**
 * Reports and case events, one consumer; types triage does not care about are acknowledged and
 * skipped. Runs of a partition's records share a transaction (packages/messaging
 * `TransactionalHandler`): a run of reports is classified report by report, then numbered and
 * published once, when it ends.
 *
 * Runs of reports take turns in this process: a run holds the place locks of all its reports to its
 * commit, so two at once (three partitions are consumed at once) would wait on each other's places
 * and on the case-number counter, or deadlock. Between instances that can still happen; Postgres
 * then rolls one run back and the runner handles its records one by one. Case events take no turn:
 * each touches the index row of one case.
 */
export function triageHandler(deps: TriageDeps): TransactionalHandler<Tx> {
  const runs = new WeakMap<Tx, Run>();
  const nextTurn = turns();
  return {
    transaction: async (work) => {
      const run = new Run(new ReportRun(deps), nextTurn);
      try {
        const result = await deps.db.transaction(async (tx) => {
          runs.set(tx, run);
          const result = await work(tx);
          await run.reports.finish(tx);
          return result;
        });
        run.reports.committed();
        return result;
      } finally {
        run.end();
      }
    },
    handle: async (tx, record) => {
      const run = runs.get(tx);
      if (!run) throw new Error('triage handled a record outside a transaction of its own handler');
      await handleRecord(tx, deps, run, record);
      return undefined;
    },
  };
}

/** One transaction of the consumer: its reports, and its turn once it holds one. */
class Run {
  readonly reports: ReportRun;
  readonly #nextTurn: () => Promise<() => void>;
  #release: (() => void) | undefined;

  constructor(reports: ReportRun, nextTurn: () => Promise<() => void>) {
    this.reports = reports;
    this.#nextTurn = nextTurn;
  }

  /** Waits for this run's turn, before its first report takes any lock. */
  async takeTurn(): Promise<void> {
    this.#release ??= await this.#nextTurn();
  }

  /** Committed or rolled back: the next run may go. */
  end(): void {
    this.#release?.();
  }
}

/** One holder at a time, first come first served; a turn is taken by awaiting and given back by calling what it returns. */
function turns(): () => Promise<() => void> {
  let last = Promise.resolve();
  return async () => {
    const before = last;
    let release!: () => void;
    last = new Promise<void>((resolve) => (release = resolve));
    await before;
    return release;
  };
}

/** Reports, and the case events that move a case in the index; other case events are skipped unread. */
const HANDLED = new Set(['gridcase.report.received.v1', ...INDEXED_STATUS_TYPES] as const);

async function handleRecord(tx: Tx, deps: TriageDeps, run: Run, record: InboundRecord): Promise<void> {
  const message = parseMessageOf(record.value, HANDLED);
  if (!message) return;
  switch (message.type) {
    case 'gridcase.report.received.v1':
      await run.takeTurn();
      return run.reports.add(message.id, message.data, record.headers.traceparent);
    default: {
      const status = indexStatusAfter(message);
      if (status && 'caseId' in message.data && 'at' in message.data) {
        return handleCaseStatus(tx, deps, message.id, message.data.caseId, status, new Date(message.data.at));
      }
      return;
    }
  }
}
