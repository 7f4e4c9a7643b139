import type { Logger } from 'pino';
import { envelopeOf, newId, type ReportBody, TOPICS } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import type pg from 'pg';
import type { Clock } from '@gridcase/service-kit';
import type { InstallStation } from '../db/staff.ts';
import { storeReport } from '../db/store-report.ts';
import { reportsReceivedTotal } from '../metrics.ts';
import type { CategoryHolder } from '../domain/categories.ts';
import { bodyHashes, decideIdempotency, type IdempotencyDecision } from '../domain/idempotency.ts';
import { maskReportText, personalData } from '../domain/reporter.ts';
import { toReportReceived } from '../domain/report.ts';
import { stationRefusal } from '../domain/station-scope.ts';


export interface IntakeDeps {
  db: Db;
  /** The pool under `db`, for the report's one prepared statement. */
  pool: pg.Pool;
  clock: Clock;
  logger: Logger;
  /** CloudEvents `source` of what intake emits. */
  source: string;
  /** The category codes a report may name (triage's catalogue from gridcase.reference). */
  categories: CategoryHolder;
  /** The station this install serves, for the station scope of a report's client. */
  station: InstallStation;
}

/**
 * Why a client of these `stations` may not post a report here (its token is scoped to other
 * stations), or undefined; the same judgement on HTTP, Open311 and Kafka. An unscoped client costs
 * nothing: the station is read only for a scoped one.
 */
export async function stationScopeRefusal(deps: Pick<IntakeDeps, 'station'>, stations: readonly string[] | null | undefined): Promise<string | undefined> {
  return stations ? stationRefusal(stations, await deps.station.current()) : undefined;
}

export type ReceiveResult = { outcome: 'created'; reportId: string } | Exclude<IdempotencyDecision, { outcome: 'created' }>;

/**
 * The one path every report takes, whether it came over HTTP, Kafka or Open311. In one statement (so
 * one round trip and one transaction, db/store-report.ts): the report row (its idempotency key
 * unique), the reporter's personal data in its own table, and report.received in the outbox. A repeat
 * of a stored report changes nothing. Phone and ID numbers and the reporter's name written into the
 * report's text, codes, attachments and externalId are masked before report.received is built
 * (maskReportText), so no copy downstream (topics, triage, desk, webhooks) nor the log holds them; the
 * text as written is kept with the reporter's personal data, the externalId whole in the report's row.
 */
export async function receiveReport(
  deps: IntakeDeps,
  input: { clientId: string; body: ReportBody; traceparent: string; via: 'http' | 'kafka' | 'open311' },
): Promise<ReceiveResult> {
  const { clientId, body, via } = input;
  // The body as sent: a repeat is judged by what the sender sends, not by what intake passes on.
  const hashes = bodyHashes(body);
  const reportId = newId();
  const receivedAt = deps.clock.now();
  const { body: masked, written } = maskReportText(body);
  const data = toReportReceived(masked, { reportId, clientId }, receivedAt);
  // The body was parsed on receipt (every path: HTTP, Open311, Kafka); report.test.ts holds
  // toReportReceived to the event's schema, so the data is not parsed a second time.
  const message = envelopeOf('gridcase.report.received.v1', { source: deps.source, subject: reportId, data, time: receivedAt });
  const stored = await storeReport(deps.pool, {
    reportId,
    clientId,
    externalId: body.externalId,
    // body_hash stays the hash as sent, the one instances older than body_hash_utc compare.
    bodyHash: hashes.asSent,
    bodyHashUtc: hashes.utc,
    report: data,
    receivedAt,
    personal: personalData(body.reporter, written),
    outbox: { topic: TOPICS.reports, message, headers: { traceparent: input.traceparent } },
  });
  let result: ReceiveResult;
  if (stored.created) {
    result = { outcome: 'created', reportId };
  } else {
    const decision = decideIdempotency(stored.existing, hashes);
    if (decision.outcome === 'created') throw new Error(`idempotency key (${clientId}, ${body.externalId}) conflicted but holds no report`);
    result = decision;
  }

  reportsReceivedTotal.inc({ via, outcome: result.outcome });
  // The externalId as report.received carries it: a sender may have made it of a phone number.
  const log = { reportId: result.reportId, clientId, externalId: masked.externalId, via };
  if (result.outcome === 'created') deps.logger.info(log, 'report received');
  else if (result.outcome === 'repeat') deps.logger.info(log, 'report repeated under the same key; nothing created');
  else deps.logger.warn(log, 'report rejected: a different body under an idempotency key already used');
  return result;
}
