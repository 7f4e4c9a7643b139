import { auditTable, inboxTable, outboxTable, timestamptz } from '@gridcase/db';
import type { Assignee, ClientRole, RuleCategory } from '@gridcase/contracts';
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgSchema, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const intake = pgSchema('intake');
export const outbox = outboxTable(intake);
export const audit = auditTable(intake);
export const inbox = inboxTable(intake);

/** API clients (systems and desk users). The token is never stored: it is signed and shown once. */
export const clients = intake.table('clients', {
  clientId: text('client_id').primaryKey(),
  name: text('name').notNull(),
  roles: jsonb('roles').$type<ClientRole[]>().notNull(),
  stations: jsonb('stations').$type<string[]>(),
  /** Community grids a `community` token sees (given, or its grid worker's grid when issued). */
  grids: jsonb('grids').$type<string[]>(),
  /**
   * A community client whose grids were not given but are its grid worker's (officerId): it sees the
   * grid that worker serves in the current staff map, not `grids` (the one when issued). Migration
   * 0022 set it on the clients before it that could only have been issued so (see the intake README).
   */
  gridsFollowOfficer: boolean('grids_follow_officer').notNull().default(false),
  /** The officer or grid worker the client's token acts as (a person's token), if any. */
  officerId: text('officer_id'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  revokedAt: timestamptz('revoked_at'),
  /** When the client's token stops working, if it was issued with an end (the token carries it too). */
  expiresAt: timestamptz('expires_at'),
  /** Requests a minute the client may make; null: the install's RATE_LIMIT_PER_MINUTE. */
  ratePerMinute: integer('rate_per_minute'),
});

/**
 * Reports as received, without personal data (that lives in `reporters`).
 * `(client_id, external_id)` is the idempotency key; `body_hash` and `body_hash_utc` tell a repeat from
 * a changed body (decideIdempotency).
 */
export const reports = intake.table(
  'reports',
  {
    reportId: text('report_id').primaryKey(),
    clientId: text('client_id').notNull(),
    externalId: text('external_id').notNull(),
    /** sha256 of the canonical body as sent (asSentBodyHash): every report's, whichever instance stored it. */
    bodyHash: text('body_hash').notNull(),
    /** sha256 of the canonical body with its instants in UTC (utcBodyHash); null for reports stored before it (migration 0020). */
    bodyHashUtc: text('body_hash_utc'),
    /** The report.received data as emitted (no personal data: numbers in its text masked); Open311 reads description and place from it. */
    report: jsonb('report').$type<Record<string, unknown>>().notNull(),
    receivedAt: timestamptz('received_at').notNull(),
    /** received → triaged → assigned, or received → merged. */
    status: text('status').notNull().default('received'),
    caseId: text('case_id'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reports_idempotency_key').on(t.clientId, t.externalId),
    index('reports_case_idx').on(t.caseId),
    // GET /v1/reports pages a client's reports by (received_at, report_id), newest first: read backwards.
    // Partial on a predicate only the list query states (received_at is never null): a post's key lookup
    // (client_id, external_id) cannot take it, where a young table's kept plan tied it with the unique key
    // and read every report of the client for each post (BENCHMARKS.md).
    index('reports_client_received_idx').on(t.clientId, t.receivedAt, t.reportId).where(sql`received_at is not null`),
  ],
);

/**
 * Reporter personal data, stored once, one row per report that carried any: in its `reporter`, or as
 * phone or ID numbers written into its text (then the name and numbers may all be null).
 */
export const reporters = intake.table('reporters', {
  reportId: text('report_id')
    .primaryKey()
    .references(() => reports.reportId),
  name: text('name'),
  phone: text('phone'),
  idNumber: text('id_number'),
  email: text('email'),
  anonymous: boolean('anonymous').notNull(),
  /** The report's title, description and location address as written, each only when masking its numbers changed it (`report` holds the masked text). */
  writtenTitle: text('written_title'),
  writtenDescription: text('written_description'),
  writtenAddress: text('written_address'),
  /** The location's grid and community codes as written, each only when masking a name or number in it changed it (audit14 #1). */
  writtenGridCode: text('written_grid_code'),
  writtenCommunityCode: text('written_community_code'),
  /** Every attachment URL as sent, in order, only when masking a URL's query changed one (`report` holds the masked URLs). */
  writtenAttachments: jsonb('written_attachments').$type<string[]>(),
});


/** A summary of each case a report became or joined, projected from gridcase.cases. */
export const cases = intake.table('cases', {
  caseId: text('case_id').primaryKey(),
  caseNumber: text('case_number').notNull(),
  /** Null for cases projected before the station was kept. */
  station: text('station'),
  status: text('status').notNull(),
  level: integer('level').notNull(),
  category: text('category').notNull(),
  severity: text('severity').notNull(),
  assignees: jsonb('assignees').$type<Assignee[]>().notNull(),
  respondBy: timestamptz('respond_by').notNull(),
  resolveBy: timestamptz('resolve_by').notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * Personal data taken out of dead-lettered inbound records, so gridcase.dlq never holds it. Only
 * intake reads it, to put it back when the record is replayed. Both columns hold escaped text
 * (JSON text, base64), so any input fits, including what Postgres would refuse as text.
 */
export const deadLetterPersonal = intake.table('dead_letter_personal', {
  id: text('id').primaryKey(),
  /** The record's sender as inboundSender reads it (null: none, or two different clients named); a replay from another client cannot claim it. */
  clientId: text('client_id'),
  /** JSON text of the record's `reporter`, when the value was a JSON object. */
  reporter: text('reporter'),
  /** The whole value as base64, when it was anything else. */
  raw: text('raw'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/**
 * Records of gridcase.reports.inbound that intake refused (dead-lettered), by the sending client and
 * the externalId they carried: GET /v1/reports?externalId lists them, so a sender can tell "refused,
 * fix and send again" from "not handled yet". The reason never quotes the value (PoisonError's rule).
 */
export const inboundRejections = intake.table(
  'inbound_rejections',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    clientId: text('client_id').notNull(),
    externalId: text('external_id').notNull(),
    reason: text('reason').notNull(),
    rejectedAt: timestamptz('rejected_at').notNull().defaultNow(),
    /** Where the record was on gridcase.reports.inbound: one refusal per record, however often it is dead-lettered again (a redelivery). */
    sourcePartition: integer('source_partition').notNull(),
    sourceOffset: text('source_offset').notNull(),
  },
  (t) => [
    index('inbound_rejections_key_idx').on(t.clientId, t.externalId),
    uniqueIndex('inbound_rejections_record_key').on(t.sourcePartition, t.sourceOffset),
    // For pruning by age (INBOUND_REJECTIONS_RETENTION_DAYS).
    index('inbound_rejections_rejected_at_idx').on(t.rejectedAt),
  ],
);

/** Fixed-window request counters shared by every intake instance (the rate limit's store). */
export const rateLimits = intake.table('rate_limits', {
  key: text('key').primaryKey(),
  /** The window's number: milliseconds since the epoch divided by the window length. */
  window: bigint('window', { mode: 'number' }).notNull(),
  hits: integer('hits').notNull(),
});

/**
 * Intake's copy of triage's category catalogue (gridcase.reference, key `categories`): one row,
 * replaced only by a higher version. Until a row exists the built-in list applies.
 */
export const categoryCatalogue = intake.table('category_catalogue', {
  key: text('key').primaryKey(),
  version: integer('version').notNull(),
  categories: jsonb('categories').$type<RuleCategory[]>().notNull(),
  updatedAt: timestamptz('updated_at').notNull(),
});

/** A client's webhook subscriptions. The secret signs each delivery; it is never shown again. */
export const webhooks = intake.table(
  'webhooks',
  {
    webhookId: text('webhook_id').primaryKey(),
    clientId: text('client_id').notNull(),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    /** Only these event types; null: every one. */
    events: jsonb('events').$type<string[]>(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('webhooks_client_idx').on(t.clientId)],
);

/**
 * The outbox of deliveries: one row per case event per webhook, written in the transaction that
 * projects the event. `seq` orders a webhook's deliveries of one case: the next waits for the
 * earlier to be delivered or parked. `created_at`, `next_attempt_at` and `leased_until` are on the
 * service's clock.
 */
export const webhookDeliveries = intake.table(
  'webhook_deliveries',
  {
    deliveryId: text('delivery_id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.webhookId, { onDelete: 'cascade' }),
    caseId: text('case_id').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The event exactly as it was on gridcase.cases: the body sent and signed. */
    payload: text('payload').notNull(),
    /** pending → delivered, pending → parked after the retry window, or pending → dropped once its client was revoked or expired. */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    /**
     * While set and ahead, a worker is sending this delivery (claimed in a short transaction, sent
     * with none open); past, the sender died without an outcome and the delivery is due again.
     */
    leasedUntil: timestamptz('leased_until'),
    /** The claim's own token: an outcome is recorded only by the send that holds it. */
    leaseToken: text('lease_token'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_key').on(t.webhookId, t.eventId),
    index('webhook_deliveries_pending_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_case_idx').on(t.webhookId, t.caseId, t.seq),
  ],
);

/** Every try of a delivery: the status code or the error, and when the next try is due. */
export const webhookAttempts = intake.table(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.deliveryId, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    at: timestamptz('at').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    nextAttemptAt: timestamptz('next_attempt_at'),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId)],
);

/** Assignment's staff map from gridcase.reference: which community grid a grid worker serves, to scope community tokens. */
export const staff = intake.table('staff', {
  officerId: text('officer_id').primaryKey(),
  role: text('role').notNull(),
  gridCode: text('grid_code'),
  policeGridCode: text('police_grid_code'),
  station: text('station').notNull(),
  version: integer('version').notNull(),
});

/** The station's community grids from the same staff map (absent from maps published before it carried them). */
export const staffGrids = intake.table('staff_grids', {
  gridCode: text('grid_code').primaryKey(),
  version: integer('version').notNull(),
});
