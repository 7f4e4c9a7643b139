import type pg from 'pg';

export interface PruneOptions {
  /** Rows older than this go. */
  retainMs: number;
  /** Rows per delete statement: each is its own short transaction, so no lock is held for long. */
  batchSize?: number;
  /** Stops after this many batches; the next run carries on. */
  maxBatches?: number;
}

export interface PruneInboxOptions extends Partial<PruneOptions> {
  /** Rows handled longer ago than this go; far longer than any redelivery (a week by default). */
  retainMs?: number;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Deletes a table's rows whose timestamp `column` is older than the retention, in small batches,
 * and says how many went. The column should be indexed: each batch looks the oldest rows up by it.
 */
export async function pruneOlderThan(pool: pg.Pool, schema: string, table: string, column: string, opts: PruneOptions): Promise<number> {
  const { retainMs, batchSize = 1000, maxBatches = 100 } = opts;
  const target = `${quoted(schema)}.${quoted(table)}`;
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const res = await pool.query(
      `delete from ${target} where ctid = any(array(
         select ctid from ${target} where ${quoted(column)} < now() - make_interval(secs => $1) limit $2))`,
      [retainMs / 1000, batchSize],
    );
    deleted += res.rowCount ?? 0;
    if ((res.rowCount ?? 0) < batchSize) break;
  }
  return deleted;
}

/**
 * Deletes a schema's inbox rows older than the retention, in small batches. A redelivery older
 * than the retention would be handled again, which is why it is days, not minutes.
 */
export function pruneInbox(pool: pg.Pool, schema: string, opts: PruneInboxOptions = {}): Promise<number> {
  return pruneOlderThan(pool, schema, 'inbox', 'processed_at', { ...opts, retainMs: opts.retainMs ?? 7 * 24 * 3_600_000 });
}
