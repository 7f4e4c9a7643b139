import { describeIssues, ReportBody } from '@gridcase/contracts';
import { childTraceparent, PoisonError, type RecordHandler } from '@gridcase/messaging';
import { findClient } from '../db/queries.ts';
import { type IntakeDeps, receiveReport } from './receive-report.ts';

/** Header naming the client that produced a raw report onto gridcase.reports.inbound. */
export const CLIENT_ID_HEADER = 'client-id';

/**
 * Raw report bodies from other systems. Valid ones take the same path as POST /v1/reports; the
 * (client, externalId) key makes a redelivered or re-produced record a no-op. Anything that can
 * never succeed is a PoisonError, so it goes to gridcase.dlq with the reason at once.
 */
export function inboundReportHandler(deps: IntakeDeps): RecordHandler {
  return async (record) => {
    const clientId = record.headers[CLIENT_ID_HEADER];
    if (!clientId) throw new PoisonError(`record has no ${CLIENT_ID_HEADER} header`);
    const client = await findClient(deps.db, clientId);
    if (!client) throw new PoisonError(`unknown client ${clientId}`);
    if (client.revokedAt) throw new PoisonError(`client ${clientId} was revoked at ${client.revokedAt.toISOString()}`);
    if (!client.roles.includes('reporter')) throw new PoisonError(`client ${clientId} lacks the reporter role`);
    if (!record.value || record.value.length === 0) throw new PoisonError('record has no value');

    let json: unknown;
    try {
      json = JSON.parse(record.value.toString('utf8'));
    } catch (err) {
      throw new PoisonError(`value is not JSON: ${(err as Error).message}`);
    }
    const parsed = ReportBody.safeParse(json);
    if (!parsed.success) throw new PoisonError(`invalid report body: ${describeIssues(parsed.error)}`);
    const body = parsed.data;
    if (record.key !== null && record.key !== body.externalId) {
      throw new PoisonError(`record key "${record.key}" differs from the body's externalId "${body.externalId}"; they must be equal`);
    }

    const result = await receiveReport(deps, {
      clientId,
      body,
      traceparent: childTraceparent(record.headers.traceparent),
      via: 'kafka',
    });
    if (result.outcome === 'conflict') {
      throw new PoisonError(
        `externalId "${body.externalId}" of client ${clientId} already holds report ${result.reportId} with a different body; send a changed report under a new externalId`,
      );
    }
  };
}
