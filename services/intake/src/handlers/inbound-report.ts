import { describeIssues, isStorableText, reportBodyWith, UNSTORABLE_TEXT } from '@gridcase/contracts';
import { childTraceparent, InvalidMessageError, PoisonError, type RecordHandler } from '@gridcase/messaging';
import { decodeUtf8 } from '@gridcase/service-kit';
import { refreshCatalogue } from '../db/catalogue.ts';
import { findClient } from '../db/queries.ts';
import { CLIENT_ID_HEADER, restoreDeadLetter } from './dead-letter.ts';
import { type IntakeDeps, receiveReport, stationScopeRefusal } from './receive-report.ts';

export { CLIENT_ID_HEADER };

/**
 * Raw report bodies from other systems. Valid ones take the same path as POST /v1/reports; the
 * (client, externalId) key makes a redelivered or re-produced record a no-op. Anything that can
 * never succeed is a PoisonError, so it goes to gridcase.dlq with the reason at once: an
 * InvalidMessageError (label invalid-message) for a record malformed as sent, its client-id naming
 * no client included (the sender's to fix); a plain PoisonError (rejected) for a rule refusing a
 * well-formed record of a known client. Reasons never quote the value: they end up in the DLQ's headers.
 */
export function inboundReportHandler(deps: IntakeDeps): RecordHandler {
  const ReportBody = reportBodyWith(deps.categories.has, () => deps.clock.now());
  return async (replayed) => {
    // Kafka lets a record carry a header twice: taking the first would let the second name anyone.
    const claimed = replayed.repeatedHeaders?.[CLIENT_ID_HEADER];
    if (claimed) throw new InvalidMessageError(`record has ${claimed.length} ${CLIENT_ID_HEADER} headers; give exactly one`);
    const clientId = replayed.headers[CLIENT_ID_HEADER];
    if (!clientId) throw new InvalidMessageError(`record has no ${CLIENT_ID_HEADER} header`);
    // Postgres would refuse it, and that is no reason to retry.
    if (!isStorableText(clientId)) throw new InvalidMessageError(`the ${CLIENT_ID_HEADER} header ${UNSTORABLE_TEXT}`);
    // A replayed dead letter gets back the personal data inboundDeadLetterValue took out of it.
    const record = await restoreDeadLetter(deps.db, replayed);
    const client = await findClient(deps.db, clientId);
    // Not quoted: a client-id that names no client is the sender's own text (it may be a phone number).
    if (!client) throw new InvalidMessageError(`the ${CLIENT_ID_HEADER} header names no client of this install`);
    if (client.revokedAt) throw new PoisonError(`client ${clientId} was revoked at ${client.revokedAt.toISOString()}`);
    // As its token is refused from then on, so are its records (a record is judged when it is handled).
    if (client.expiresAt && client.expiresAt.getTime() <= deps.clock.now().getTime()) {
      throw new PoisonError(`client ${clientId} expired at ${client.expiresAt.toISOString()}`);
    }
    if (!client.roles.includes('reporter')) throw new PoisonError(`client ${clientId} lacks the reporter role`);
    const outOfStation = await stationScopeRefusal(deps, client.stations);
    if (outOfStation) throw new PoisonError(`client ${clientId}: ${outOfStation}`);
    if (!record.value || record.value.length === 0) throw new InvalidMessageError('record has no value');

    // As an HTTP body: bytes that are not UTF-8 are refused, never stored as U+FFFD.
    const text = decodeUtf8(record.value);
    if (text === undefined) throw new InvalidMessageError('value is not valid UTF-8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // JSON.parse's message quotes the value.
      throw new InvalidMessageError('value is not JSON');
    }
    await refreshCatalogue(deps.db, deps.categories);
    const parsed = ReportBody.safeParse(json);
    if (!parsed.success) throw new InvalidMessageError(`invalid report body: ${describeIssues(parsed.error)}`);
    const body = parsed.data;
    if (record.key !== null && record.key !== body.externalId) {
      throw new InvalidMessageError("the record key differs from the body's externalId; they must be equal");
    }

    const result = await receiveReport(deps, {
      clientId,
      body,
      traceparent: childTraceparent(record.headers.traceparent),
      via: 'kafka',
    });
    if (result.outcome === 'conflict') {
      throw new PoisonError(
        `the body's externalId of client ${clientId} already holds report ${result.reportId} with a different body; send a changed report under a new externalId`,
      );
    }
  };
}
