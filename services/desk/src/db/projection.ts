import { driverColumns, driverValues } from '@gridcase/db';
import type pg from 'pg';
import type { CaseEvent, CaseState, CommandOutcome } from '../domain/project.ts';
import { type CaseRow, rowToState } from './rows.ts';
import { cases } from './schema.ts';

// The projection's SQL, as two prepared statements per event (parsed once per connection) instead of
// six or seven built by drizzle per event: its query building cost more CPU than the statements did.
// The column lists come from the drizzle schema, once, so the schema stays the one definition.

const columns = driverColumns(cases);
const quote = (name: string) => `"${name}"`;

/** Serialises the last step of projections so the timeline's seq follows commit order. */
const TIMELINE_LOCK = `hashtextextended('desk.timeline.seq', 0)`;

// The inbox claim and, only when it claims, the case row locked and read, then the timeline lock.
// The lock comes last (the select list is computed after the row is locked, the order the handler
// always took them in), and in a statement before the timeline insert, so that insert's snapshot sees
// every entry committed by the lock's previous holders: seq = max + 1 under it is gap-free and in
// commit order. It is held to commit (in a run, from the first event on; taking it again returns at once).
const CLAIM_AND_READ: pg.QueryConfig = {
  name: 'desk_projection_claim_and_read',
  text: `
    with claim as (
      insert into desk.inbox (consumer_group, event_id) values ($1, $2) on conflict do nothing returning true as claimed
    )
    select claim.claimed, c.*,
           case when claim.claimed then pg_advisory_xact_lock(${TIMELINE_LOCK}) end as timeline_locked
      from (select) one
      left join claim on true
      left join lateral (
        select ${columns.map((c) => `${quote(c.name)} as ${quote(c.key)}`).join(', ')}
          from desk.cases where case_id = $3 and claim.claimed for update
      ) c on true`,
};

const CASE_PARAMS = columns.length;
// The case row upserted (every column: the projection computed the whole row), the desk command the
// event decides settled if still pending, and the timeline entry; one statement, one round trip.
const WRITE: pg.QueryConfig = {
  name: 'desk_projection_write',
  text: `
    with upserted as (
      insert into desk.cases (${columns.map((c) => quote(c.name)).join(', ')})
      values (${columns.map((_, i) => `$${i + 1}`).join(', ')})
      on conflict (case_id) do update set ${columns
        .filter((c) => c.key !== 'caseId')
        .map((c) => `${quote(c.name)} = excluded.${quote(c.name)}`)
        .join(', ')}
    ), settled as (
      update desk.commands
         set status = $${CASE_PARAMS + 1}, reason = $${CASE_PARAMS + 2}, code = $${CASE_PARAMS + 3}, decided_at = $${CASE_PARAMS + 4}
       where command_id = $${CASE_PARAMS + 5} and status = 'pending'
      returning command_id, type
    ), entry as (
      insert into desk.timeline (event_id, seq, case_id, type, time, data)
      values ($${CASE_PARAMS + 6}, (select coalesce(max(seq), 0) + 1 from desk.timeline), $${columns.findIndex((c) => c.key === 'caseId') + 1},
              $${CASE_PARAMS + 7}, $${CASE_PARAMS + 4}, $${CASE_PARAMS + 8})
      on conflict do nothing
      returning seq
    )
    select (select seq from entry) as seq, command_id as "commandId", type from (select) one left join settled on true`,
};

/**
 * Claims the event in the inbox and, when this group had not handled it, locks and reads its case
 * row and takes the timeline lock. `claimed` false: handled before, nothing locked, change nothing.
 */
export async function claimAndReadCase(client: pg.PoolClient, groupId: string, eventId: string, caseId: string): Promise<{ claimed: boolean; state: CaseState | undefined }> {
  const { rows } = await client.query<Partial<CaseRow> & { claimed: boolean | null }>({ ...CLAIM_AND_READ, values: [groupId, eventId, caseId] });
  const row = rows[0];
  if (!row?.claimed) return { claimed: false, state: undefined };
  return { claimed: true, state: row.caseId ? rowToState(row as CaseRow) : undefined };
}

export interface ProjectionWritten {
  /** The timeline entry's seq; undefined when the event had an entry already. */
  seq: number | undefined;
  /** The desk command the event decided, if it was pending here. */
  settled: { commandId: string; type: string } | undefined;
}

/** Writes the projected case row, settles the command the event decides, and appends the timeline entry. */
export async function writeProjection(client: pg.PoolClient, event: CaseEvent, next: CaseState, outcome: CommandOutcome | undefined): Promise<ProjectionWritten> {
  const values = driverValues(columns, next);
  const rejected = outcome?.status === 'rejected' ? outcome : undefined;
  values.push(
    outcome?.status ?? null,
    rejected?.reason ?? null,
    rejected?.code ?? null,
    event.time.toISOString(),
    outcome?.commandId ?? null,
    event.id,
    event.type,
    JSON.stringify(event.data),
  );
  const { rows } = await client.query<{ seq: string | null; commandId: string | null; type: string | null }>({ ...WRITE, values });
  const row = rows[0];
  return {
    seq: row?.seq == null ? undefined : Number(row.seq),
    settled: row?.commandId && row.type ? { commandId: row.commandId, type: row.type } : undefined,
  };
}
