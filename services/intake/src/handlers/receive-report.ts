import type { Logger } from 'pino';
import { makeMessage, newId, type ReportBody, TOPICS } from '@gridcase/contracts';
import { type Db, writeOutbox } from '@gridcase/db';
import { and, eq } from 'drizzle-orm';
import type { Clock, } from '@gridcase/service-kit';
import { outbox, reporters, reports } from '../db/schema.ts';
import type { CategoryHolder } from '../domain/categories.ts';
import { bodyHash, decideIdempotency, type IdempotencyDecision } from '../domain/idempotency.ts';
import { personalData } from '../domain/reporter.ts';
import { toReportReceived } from '../domain/report.ts';


export interface IntakeDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** CloudEvents `source` of what intake emits. */
  source: string;
  /** The category codes a report may name (triage's catalogue from gridcase.reference). */
  categories: CategoryHolder;
}

export type ReceiveResult = { outcome: 'created'; reportId: string } | Exclude<IdempotencyDecision, { outcome: 'created' }>;

/**
 * The one path every report takes, whether it came over HTTP, Kafka or Open311. In one transaction:
 * the report row (its idempotency key unique), the reporter's personal data in its own table,
 * and report.received in the outbox. A repeat of a stored report changes nothing.
 */
export async function receiveReport(
  deps: IntakeDeps,
  input: { clientId: string; body: ReportBody; traceparent: string; via: 'http' | 'kafka' | 'open311' },
): Promise<ReceiveResult> {
  const { clientId, body, via } = input;
  const hash = bodyHash(body);
  const result = await deps.db.transaction(async (tx): Promise<ReceiveResult> => {
    const existingUnderKey = async () => {
      const [row] = await tx
        .select({ reportId: reports.reportId, bodyHash: reports.bodyHash })
        .from(reports)
        .where(and(eq(reports.clientId, clientId), eq(reports.externalId, body.externalId)));
      return row;
    };
    const decision = decideIdempotency(await existingUnderKey(), hash);
    if (decision.outcome !== 'created') return decision;

    const reportId = newId();
    const receivedAt = deps.clock.now();
    const data = toReportReceived(body, { reportId, clientId }, receivedAt);
    const inserted = await tx
      .insert(reports)
      .values({ reportId, clientId, externalId: body.externalId, bodyHash: hash, report: data, receivedAt })
      .onConflictDoNothing({ target: [reports.clientId, reports.externalId] })
      .returning({ reportId: reports.reportId });
    if (inserted.length === 0) {
      // A concurrent request with the same key committed first; judge this one against it.
      const raced = decideIdempotency(await existingUnderKey(), hash);
      if (raced.outcome === 'created') throw new Error(`idempotency key (${clientId}, ${body.externalId}) conflicted but holds no report`);
      return raced;
    }
    const personal = personalData(body.reporter);
    if (personal) await tx.insert(reporters).values({ reportId, ...personal });
    const message = makeMessage('gridcase.report.received.v1', { source: deps.source, subject: reportId, data, time: receivedAt });
    await writeOutbox(tx, outbox, 'intake', [
      { topic: TOPICS.reports, key: reportId, message, headers: { traceparent: input.traceparent } },
    ]);
    return { outcome: 'created', reportId };
  });

  const log = { reportId: result.reportId, clientId, externalId: body.externalId, via };
  if (result.outcome === 'created') deps.logger.info(log, 'report received');
  else if (result.outcome === 'repeat') deps.logger.info(log, 'report repeated under the same key; nothing created');
  else deps.logger.warn(log, 'report rejected: a different body under an idempotency key already used');
  return result;
}
