import { type DataOf, makeMessage, newId, TOPICS } from '@gridcase/contracts';
import { claimInbox, type Db, type Tx, writeOutbox } from '@gridcase/db';
import { eq, sql } from 'drizzle-orm';
import { classify } from '../domain/classify.ts';
import { computeDeadlines, pickPolicy } from '../domain/deadlines.ts';
import { findDuplicate, relapseOf } from '../domain/duplicates.ts';
import { raiseOneStep } from '../domain/grade.ts';
import { placeOf } from '../domain/place.ts';
import { loadCalendar } from '../db/calendar.ts';
import { indexCase, lockPlace, noteReport, placeCandidates } from '../db/case-index.ts';
import { caseNumbers, inbox, outbox, reportCases } from '../db/schema.ts';
import { loadPolicies } from '../db/policies.ts';
import { ruleBook } from '../db/rules.ts';
import { trainingSet } from '../training-set.ts';

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

    // Read in this transaction: the case names the version that decided it (case.opened ruleVersion).
    const rules = await ruleBook(deps.db).current(tx);
    const { category, severity: graded, rule, decidedBy } = classify(report, rules.document, trainingSet());
    const receivedAt = new Date(report.receivedAt);
    const place = placeOf(report.location);
    const text = `${report.title ?? ''}\n${report.description}`.trim();
    const newReport = { kind: category.kind, category: category.code, place, text, receivedAt };
    // Taken before reading candidates and held to commit: two matching reports never both open cases.
    await lockPlace(tx, place);
    const candidates = await placeCandidates(tx, place, receivedAt);
    const duplicate = findDuplicate(candidates, newReport, rules.document.dictionary);
    const headers = traceparent ? { traceparent } : undefined;

    if (duplicate) {
      const { caseId: target } = duplicate.case;
      await tx.insert(reportCases).values({ reportId: report.reportId, caseId: target });
      await noteReport(tx, target, receivedAt);
      const merged = makeMessage('gridcase.case.report-merged.v1', {
        source: deps.source,
        subject: target,
        data: {
          caseId: target,
          reportId: report.reportId,
          reason: `same kind and place as open case ${target}, words ${Math.round(duplicate.similarity * 100)}% alike`,
          mergedAt: new Date().toISOString(),
        },
      });
      await writeOutbox(tx, outbox, 'triage', [{ topic: TOPICS.cases, key: target, message: merged, headers }]);
      return;
    }

    // 回潮: the same trouble back at a place where a case was resolved or closed is graded one step up.
    const relatedCaseIds = relapseOf(candidates, newReport);
    const severity = relatedCaseIds.length ? raiseOneStep(graded) : graded;
    const policy = pickPolicy(await loadPolicies(tx), category.code, severity);
    const deadlines = computeDeadlines(policy, receivedAt, report, await loadCalendar(tx));
    const caseId = newId();
    await tx.insert(reportCases).values({ reportId: report.reportId, caseId });
    // The counter row serialises every triage transaction, so it is taken as late as it can be.
    const caseNumber = await nextCaseNumber(tx, deps.station, receivedAt);
    await indexCase(tx, { caseId, caseNumber, kind: category.kind, category: category.code, place, text, openedAt: receivedAt });
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
        rule: `${rule}${relatedCaseIds.length ? `; relapse of ${relatedCaseIds.join(', ')}: ${graded} → ${severity}` : ''}; deadlines: respondBy from ${deadlines.source.respondBy}, resolveBy from ${deadlines.source.resolveBy}`,
        openedAt: new Date().toISOString(),
        ruleVersion: rules.version,
        decidedBy,
        ...(relatedCaseIds.length ? { relapse: true, relatedCaseIds } : {}),
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
