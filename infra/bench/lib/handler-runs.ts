import type { InboundRecord, TransactionalHandler } from '@gridcase/messaging';
import type pg from 'pg';
import { cpuSeconds } from './procstat.ts';

/**
 * Drives a transactional handler as the consumer runner does: each partition's records in runs of
 * `run` per transaction, the partitions at once, each run's after-commit actions once it committed.
 */
export async function driveInRuns(handler: TransactionalHandler<any>, partitions: readonly (readonly InboundRecord[])[], run: number): Promise<void> {
  await Promise.all(
    partitions.map(async (records) => {
      for (let i = 0; i < records.length; i += run) {
        const batch = records.slice(i, i + run);
        const after = await handler.transaction(async (tx) => {
          const actions = [];
          for (const record of batch) actions.push(await handler.handle(tx, record));
          return actions;
        });
        for (const action of after) action?.();
      }
    }),
  );
}

/** CPU seconds the Postgres backends now serving `database` have used (utime + stime from /proc). */
export async function backendCpuSeconds(admin: pg.Client, database: string): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]);
  return rows.reduce((sum, r) => sum + (cpuSeconds(r.pid) ?? 0), 0);
}
