import type { Assignee, CaseStatus, ReportStatus, Severity } from '@gridcase/contracts';
import type pg from 'pg';
import type { CaseSummary } from '../domain/case-summary.ts';

// The projection of case events into reports and case summaries, as two prepared statements per event
// (parsed once per connection) instead of four to seven built by drizzle per event: its query
// building cost more CPU than the statements did. Read first (locking what it will change), decide in
// the pure domain, then write everything in one statement.

export interface ReportLink {
  reportId: string;
  clientId: string;
  status: ReportStatus;
  caseId: string | null;
}

export interface Webhook {
  webhookId: string;
  clientId: string;
  /** The event types it wants; null for all. */
  events: string[] | null;
  /** Whether its client has a report on the case already (else only through the event's report). */
  owner: boolean;
  /** Why its client may no longer hear of anything (revoked, or its token's end passed); null while it may. */
  ended: ClientEnd | null;
}

/** Why a client's webhooks are silent: its client was revoked, or its token's `expiresAt` passed. */
export type ClientEnd = 'client-revoked' | 'client-expired';

export interface CaseRead {
  summary: CaseSummary | undefined;
  /** The report case.opened or case.report-merged names, locked; undefined when intake has no such report. */
  named: ReportLink | undefined;
  /** With `linked`: the reports on the case, locked (for case.assigned). */
  linked: ReportLink[];
  /** The webhooks of the clients with a report on the case, or of the named report's client. */
  hooks: Webhook[];
}

// The inbox claim and, only when it claims: the case summary and the reports the event moves, locked
// in that order (the order the handler always took them in), and the webhooks that may hear of it.
const CLAIM_AND_READ: pg.QueryConfig = {
  name: 'intake_case_projection_claim_and_read',
  text: `
    with claim as (
      insert into intake.inbox (consumer_group, event_id) values ($1, $2) on conflict do nothing returning true as claimed
    )
    select claim.claimed,
      (select row_to_json(c) from (
         select case_id as "caseId", case_number as "caseNumber", station, status, level, category, severity, assignees,
                respond_by as "respondBy", resolve_by as "resolveBy"
           from intake.cases where case_id = $3 and claim.claimed for update) c) as summary,
      (select row_to_json(r) from (
         select report_id as "reportId", client_id as "clientId", status, case_id as "caseId"
           from intake.reports where report_id = $4 and claim.claimed for update) r) as named,
      (select coalesce(json_agg(r), '[]') from (
         select report_id as "reportId", client_id as "clientId", status, case_id as "caseId"
           from intake.reports where case_id = $3 and $5::boolean and claim.claimed for update) r) as linked,
      (select coalesce(json_agg(w), '[]') from (
         select w.webhook_id as "webhookId", w.client_id as "clientId", w.events,
                w.client_id in (select client_id from intake.reports where case_id = $3) as owner,
                case when c.revoked_at is not null then 'client-revoked'
                     when c.expires_at <= $6::timestamptz then 'client-expired' end as ended
           from intake.webhooks w left join intake.clients c on c.client_id = w.client_id
          where claim.claimed
            and (w.client_id in (select client_id from intake.reports where case_id = $3)
                 or w.client_id = (select client_id from intake.reports where report_id = $4))) w) as hooks
      from (select) one left join claim on true`,
};

interface ReadRow {
  claimed: boolean | null;
  summary: (Omit<CaseSummary, 'respondBy' | 'resolveBy'> & { respondBy: string; resolveBy: string }) | null;
  named: ReportLink | null;
  linked: ReportLink[];
  hooks: Webhook[];
}

/**
 * Claims the event in the inbox and, when this group had not handled it, reads what it may change:
 * the case summary, the report it names (`reportId`) or with `linked` every report on the case, each
 * locked, and the webhooks, each with its client's standing at `now`. Undefined: handled before,
 * nothing read or locked, change nothing.
 */
export async function claimAndRead(
  client: pg.PoolClient,
  claim: { groupId: string; eventId: string },
  caseId: string,
  wants: { reportId: string | undefined; linked: boolean },
  now: Date,
): Promise<CaseRead | undefined> {
  const { rows } = await client.query<ReadRow>({
    ...CLAIM_AND_READ,
    values: [claim.groupId, claim.eventId, caseId, wants.reportId ?? null, wants.linked, now.toISOString()],
  });
  const row = rows[0];
  if (!row?.claimed) return undefined;
  const s = row.summary;
  return {
    summary: s
      ? { ...s, status: s.status as CaseStatus, severity: s.severity as Severity, assignees: s.assignees as Assignee[], respondBy: new Date(s.respondBy), resolveBy: new Date(s.resolveBy) }
      : undefined,
    named: row.named ?? undefined,
    linked: row.linked,
    hooks: row.hooks,
  };
}

export interface CaseWrites {
  /** The summary to store, when the event changed it. */
  summary: CaseSummary | undefined;
  /** Reports whose status (and case) change. */
  reports: { reportId: string; status: ReportStatus; caseId: string | null }[];
  /** Deliveries to queue, one per webhook, each with the body its webhook is sent. */
  deliveries: { deliveryId: string; webhookId: string; payload: string }[];
  event: { id: string; type: string; caseId: string };
  /** updated_at of the summary and the reports (the wall clock, as before). */
  updatedAt: Date;
  /** created_at and next_attempt_at of the deliveries (the service's clock). */
  now: Date;
}

// The summary upserted if it changed, the reports moved, the deliveries queued: one statement.
// The plan a prepared statement keeps is made while the table is young (no statistics: Postgres takes it
// for 10 pages), and kept as the table grows (autovacuum's ANALYZE would re-plan it; without it, never).
// Joined to unnest, or restated as `report_id = any($13)`, reports are moved by a sequential scan of
// every report once the row is a little wider (a column added) than a 10-page guess makes worth an
// index. `limit cardinality($13)` takes nothing away (one row per report), but a generic plan cannot
// read it and counts a tenth of unnest's guessed 10 rows: one report, found by reports_pkey whatever
// the row's width.
export const WRITE: pg.QueryConfig = {
  name: 'intake_case_projection_write',
  text: `
    with upserted as (
      insert into intake.cases (case_id, case_number, station, status, level, category, severity, assignees, respond_by, resolve_by, updated_at)
      select $1::text, $2::text, $3::text, $4::text, $5::integer, $6::text, $7::text, $8::jsonb, $9::timestamptz, $10::timestamptz, $11::timestamptz
       where $12::boolean
      on conflict (case_id) do update set
        case_id = excluded.case_id, case_number = excluded.case_number, station = excluded.station, status = excluded.status,
        level = excluded.level, category = excluded.category, severity = excluded.severity, assignees = excluded.assignees,
        respond_by = excluded.respond_by, resolve_by = excluded.resolve_by, updated_at = excluded.updated_at
    ), moved as (
      update intake.reports r set status = u.status, case_id = u.case_id, updated_at = $11::timestamptz
        from (select * from unnest($13::text[], $14::text[], $15::text[]) limit cardinality($13::text[])) as u(report_id, status, case_id)
       where r.report_id = u.report_id
    )
    insert into intake.webhook_deliveries (delivery_id, webhook_id, case_id, event_id, event_type, payload, next_attempt_at, created_at)
    select u.delivery_id, u.webhook_id, $1::text, $16::text, $17::text, u.payload, $19::timestamptz, $19::timestamptz
      from unnest($20::text[], $21::text[], $18::text[]) with ordinality as u(delivery_id, webhook_id, payload, n)
     order by u.n
    on conflict do nothing`,
};

/** Writes what the event changed; nothing (no round trip) when it changed nothing. */
export async function writeCaseEvent(client: pg.PoolClient, w: CaseWrites): Promise<void> {
  if (!w.summary && w.reports.length === 0 && w.deliveries.length === 0) return;
  const s = w.summary;
  await client.query({
    ...WRITE,
    values: [
      w.event.caseId,
      s?.caseNumber ?? null,
      s?.station ?? null,
      s?.status ?? null,
      s?.level ?? null,
      s?.category ?? null,
      s?.severity ?? null,
      s ? JSON.stringify(s.assignees) : null,
      s?.respondBy.toISOString() ?? null,
      s?.resolveBy.toISOString() ?? null,
      w.updatedAt.toISOString(),
      s !== undefined,
      w.reports.map((r) => r.reportId),
      w.reports.map((r) => r.status),
      w.reports.map((r) => r.caseId),
      w.event.id,
      w.event.type,
      w.deliveries.map((d) => d.payload),
      w.now.toISOString(),
      w.deliveries.map((d) => d.deliveryId),
      w.deliveries.map((d) => d.webhookId),
    ],
  });
}
