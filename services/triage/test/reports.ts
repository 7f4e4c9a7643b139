import { makeMessage, newId } from '@gridcase/contracts';

/** A report.received event as intake would send it, for a grid in the demo station. */
export function receivedReport(description: string, extra: Record<string, unknown> = {}) {
  const reportId = newId();
  const now = new Date().toISOString();
  return makeMessage('gridcase.report.received.v1', {
    source: '/test',
    subject: reportId,
    data: {
      reportId,
      clientId: 'c1',
      externalId: `ext-${reportId}`,
      receivedAt: now,
      occurredAt: now,
      description,
      location: { gridCode: 'CG-01-01' },
      reporter: { anonymous: true, hasContact: false },
      attachments: [],
      ...extra,
    },
  });
}
