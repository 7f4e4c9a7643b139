import { type DataOf, makeMessage, newId, TOPICS } from '@gridcase/contracts';
import { claimInbox, type Db, type Tx, writeOutbox } from '@gridcase/db';
import { and, eq, sql } from 'drizzle-orm';
import { classify } from '../domain/classify.ts';
import { computeDeadlines, pickPolicy } from '../domain/deadlines.ts';
import { findDuplicate, fingerprint, locationKey } from '../domain/duplicates.ts';
import { loadCalendar } from '../db/calendar.ts';
import { caseNumbers, inbox, openCases, outbox, reportCases } from '../db/schema.ts';
import { loadPolicies } from '../db/policies.ts';

export interface TriageDeps {
  db: Db;
  groupId: string;
  station: string;
  source: string;
}

/**
 * A received report becomes a new case, or joins the open case it repeats.
 * One transaction: inbox claim, case bookkeeping, and the outgoing event.
 */
export async function handleReportReceived(
  deps: TriageDeps,
  eventId: string,
  report: DataOf<'gridcase.report.received.v1'>,
  traceparent?: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await claimInbox(tx, inbox, deps.groupId, eventId))) return;
    const already = await tx.select().from(reportCases).where(eq(reportCases.reportId, report.reportId));
    if (already.length) return;

    const { category, severity, rule } = classify(report);
    const receivedAt = new Date(report.receivedAt);
    const place = locationKey(report.location);
    const print = fingerprint(report.description);
    // Reports that could repeat each other arrive on different partitions; without this lock two of
    // them can both see no open case and both open one. Held to commit, taken before the check.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`triage.duplicate:${category.code}|${place}|${print}`}, 0))`);
    const candidates = await tx
      .select()
      .from(openCases)
      .where(and(eq(openCases.category, category.code), eq(openCases.locationKey, place), eq(openCases.fingerprint, print)));
    const duplicate = findDuplicate(candidates, { category: category.code, locationKey: place, fingerprint: print, receivedAt });
    const headers = traceparent ? { traceparent } : undefined;

    if (duplicate) {
      await tx.insert(reportCases).values({ reportId: report.reportId, caseId: duplicate.caseId });
      const merged = makeMessage('gridcase.case.report-merged.v1', {
        source: deps.source,
        subject: duplicate.caseId,
        data: {
          caseId: duplicate.caseId,
          reportId: report.reportId,
          reason: `same category, place and description as open case ${duplicate.caseId}`,
          mergedAt: new Date().toISOString(),
        },
      });
      await writeOutbox(tx, outbox, 'triage', [{ topic: TOPICS.cases, key: duplicate.caseId, message: merged, headers }]);
      return;
    }

    const policy = pickPolicy(await loadPolicies(tx), category.code, severity);
    const deadlines = computeDeadlines(policy, receivedAt, report, await loadCalendar(tx));
    const caseId = newId();
    await tx.insert(reportCases).values({ reportId: report.reportId, caseId });
    // The counter row serialises every triage transaction, so it is taken as late as it can be.
    const caseNumber = await nextCaseNumber(tx, deps.station, receivedAt);
    await tx.insert(openCases).values({ caseId, caseNumber, category: category.code, locationKey: place, fingerprint: print, openedAt: receivedAt });
    const opened = makeMessage('gridcase.case.opened.v1', {
      source: deps.source,
      subject: caseId,
      data: {
        caseId,
        caseNumber,
        reportId: report.reportId,
        station: deps.station,
        kind: category.kind,
        category: category.code,
        severity,
        title: report.title,
        description: report.description,
        location: report.location,
        respondBy: deadlines.respondBy.toISOString(),
        resolveBy: deadlines.resolveBy.toISOString(),
        budgets: { respond: policy.respond, resolve: policy.resolve },
        // Only whether a reachable, named reporter exists travels: it decides follow-up (回访).
        reporter: report.reporter,
        rule: `${rule}; deadlines: respondBy from ${deadlines.source.respondBy}, resolveBy from ${deadlines.source.resolveBy}`,
        openedAt: new Date().toISOString(),
      },
    });
    await writeOutbox(tx, outbox, 'triage', [{ topic: TOPICS.cases, key: caseId, message: opened, headers }]);
  });
}

/** The next human case number for the station and year, e.g. CG-2026-000123. */
async function nextCaseNumber(tx: Tx, station: string, at: Date): Promise<string> {
  const prefix = `${station}-${at.getUTCFullYear()}`;
  const [counter] = await tx
    .insert(caseNumbers)
    .values({ prefix, last: 1 })
    .onConflictDoUpdate({ target: caseNumbers.prefix, set: { last: sql`${caseNumbers.last} + 1` } })
    .returning({ last: caseNumbers.last });
  return `${prefix}-${String(counter?.last ?? 1).padStart(6, '0')}`;
}
