import type pg from 'pg';

export interface PruneInboxOptions {
  /** Rows handled longer ago than this go; far longer than any redelivery (a week by default). */
  retainMs?: number;
  /** Rows per delete statement: each is its own short transaction, so no lock is held for long. */
  batchSize?: number;
  /** Stops after this many batches; the next run carries on. */
  maxBatches?: number;
}

/**
 * Deletes a schema's inbox rows older than the retention, in small batches. A redelivery older
 * than the retention would be handled again, which is why it is days, not minutes.
 */
export async function pruneInbox(pool: pg.Pool, schema: string, opts: PruneInboxOptions = {}): Promise<number> {
  const { retainMs = 7 * 24 * 3_600_000, batchSize = 1000, maxBatches = 100 } = opts;
  const table = `"${schema.replaceAll('"', '""')}".inbox`;
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const res = await pool.query(
      `delete from ${table} where ctid = any(array(
         select ctid from ${table} where processed_at < now() - make_interval(secs => $1) limit $2))`,
      [retainMs / 1000, batchSize],
    );
    deleted += res.rowCount ?? 0;
    if ((res.rowCount ?? 0) < batchSize) break;
  }
  return deleted;
}
