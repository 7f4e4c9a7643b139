import { activeTraceparent, wakeOutboxRelays } from '@gridcase/db';
import type { ReportStatus } from '@gridcase/contracts';
import type pg from 'pg';
import type { StoredReportKey } from '../domain/idempotency.ts';
import type { PersonalData } from '../domain/reporter.ts';

export interface NewReport {
  reportId: string;
  clientId: string;
  externalId: string;
  /** The body's hash as sent (asSentBodyHash), what every report holds and older instances compare. */
  bodyHash: string;
  /** The body's hash with its instants in UTC (utcBodyHash). */
  bodyHashUtc: string;
  /** report.received's data, stored as the report row. */
  report: unknown;
  receivedAt: Date;
  personal: PersonalData | undefined;
  outbox: { topic: string; message: unknown; headers: Record<string, string> };
}

/** What the idempotency key held: the report just stored, or the one stored before under it. */
export type Stored = { created: true } | { created: false; existing: StoredReportKey | undefined };

// One statement, so one round trip and one transaction: the key looked up, the report inserted only
// when the key holds nothing (ON CONFLICT covers a concurrent insert), its personal data and its outbox
// row only when the report was. A prepared statement: parsed once per connection. No NOTIFY in it
// (a notifying transaction would hold a database-wide lock until its commit is flushed): storeReport
// wakes the relays after the commit, as every transaction that writes the outbox does (@gridcase/db).
/** A report under its client's key: the post's first read (query-plans holds it to reports_idempotency_key). */
export const KEY_LOOKUP = 'select report_id, body_hash, body_hash_utc, status from intake.reports where client_id = $1::text and external_id = $2::text';

const STORE_REPORT = {
  name: 'intake_store_report',
  text: `
    with existing as (
      ${KEY_LOOKUP}
    ), report as (
      insert into intake.reports (report_id, client_id, external_id, body_hash, body_hash_utc, report, received_at)
      select $3::text, $1::text, $2::text, $4::text, $22::text, $5::jsonb, $6::timestamptz
       where not exists (select from existing)
      on conflict (client_id, external_id) do nothing
      returning report_id
    ), reporter as (
      insert into intake.reporters (report_id, name, phone, id_number, email, anonymous, written_title, written_description, written_address, written_attachments, written_grid_code, written_community_code)
      select report_id, $8::text, $9::text, $10::text, $11::text, $12::boolean, $16::text, $17::text, $18::text, $19::jsonb, $20::text, $21::text from report where $7::boolean
    ), sent as (
      insert into intake.outbox (topic, key, value, headers)
      select $13::text, report_id, $14::jsonb, $15::jsonb from report
    )
    select (select report_id from report) as created,
           (select report_id from existing) as existing_id,
           (select body_hash from existing) as existing_hash,
           (select body_hash_utc from existing) as existing_hash_utc,
           (select status from existing) as existing_status`,
};

/**
 * Stores a report under its idempotency key (client, externalId) with its reporter's personal data
 * and report.received in the outbox, in one statement; stores nothing when the key holds a report.
 * Once a report is stored (committed) the relays are woken.
 */
export async function storeReport(pool: pg.Pool, r: NewReport): Promise<Stored> {
  // With tracing on, the row carries the span writing it, as writeOutbox does.
  const traceparent = activeTraceparent();
  const headers = traceparent ? { ...r.outbox.headers, traceparent } : r.outbox.headers;
  const p = r.personal;
  const { rows } = await pool.query<{ created: string | null; existing_id: string | null; existing_hash: string | null; existing_hash_utc: string | null; existing_status: ReportStatus | null }>({
    ...STORE_REPORT,
    values: [
      r.clientId,
      r.externalId,
      r.reportId,
      r.bodyHash,
      JSON.stringify(r.report),
      r.receivedAt.toISOString(),
      p !== undefined,
      p?.name ?? null,
      p?.phone ?? null,
      p?.idNumber ?? null,
      p?.email ?? null,
      p?.anonymous ?? false,
      r.outbox.topic,
      JSON.stringify(r.outbox.message),
      JSON.stringify(headers),
      p?.written?.title ?? null,
      p?.written?.description ?? null,
      p?.written?.address ?? null,
      p?.written?.attachments ? JSON.stringify(p.written.attachments) : null,
      p?.written?.gridCode ?? null,
      p?.written?.communityCode ?? null,
      r.bodyHashUtc,
    ],
  });
  const row = rows[0];
  if (row?.created) {
    wakeOutboxRelays(pool, 'intake');
    return { created: true };
  }
  if (row?.existing_id && row.existing_hash && row.existing_status) {
    return { created: false, existing: { reportId: row.existing_id, bodyHash: row.existing_hash, bodyHashUtc: row.existing_hash_utc, status: row.existing_status } };
  }
  // A concurrent request under the same key committed after this statement's snapshot: read what it stored.
  const again = await pool.query<{ report_id: string; body_hash: string; body_hash_utc: string | null; status: ReportStatus }>(
    KEY_LOOKUP,
    [r.clientId, r.externalId],
  );
  const raced = again.rows[0];
  return { created: false, existing: raced && { reportId: raced.report_id, bodyHash: raced.body_hash, bodyHashUtc: raced.body_hash_utc, status: raced.status } };
}
