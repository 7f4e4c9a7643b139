import { type DataOf, makeMessage, newId, TOPICS } from '@gridcase/contracts';
import { activeTraceparent, type Db, type OutgoingMessage, type Tx, writeOutbox } from '@gridcase/db';
import { untraced } from '@gridcase/messaging';
import { classify } from '../domain/classify.ts';
import { computeDeadlines, pickPolicy } from '../domain/deadlines.ts';
import { findRepeats, type IndexedCase, relapseOf, relapseRaises, relapseRule } from '../domain/duplicates.ts';
import { gradeAfterRelapse } from '../domain/grade.ts';
import { type Place, placeOf } from '../domain/place.ts';
import { type CandidatePlace, claimReports, indexCases, isCandidateFor, noteReports, numberCases, placeCandidates } from '../db/case-index.ts';
import { type Reference, referenceCache } from '../db/reference.ts';
import { outbox } from '../db/schema.ts';
import { learnedModelsFor } from '../learned-models.ts';
import { reportsGraded } from '../metrics.ts';

export interface TriageDeps {
  db: Db;
  groupId: string;
  station: string;
  source: string;
}

type Report = DataOf<'gridcase.report.received.v1'>;

/** An event to write once the run's cases are numbered (a case.opened carries its number). */
type Outgoing = (numbers: ReadonlyMap<string, string>) => OutgoingMessage;

/**
 * What case.opened and report-merged say of a report's reporter: only whether a reachable, named one
 * exists (it decides follow-up, 回访); nothing when the report named nobody (not "anonymous": nobody asked to be).
 */
const reporterOf = (report: Pick<Report, 'reporter'>) =>
  report.reporter.absent ? {} : { reporter: { anonymous: report.reporter.anonymous, hasContact: report.reporter.hasContact } };

/** A report the run has been given, with the trace of the span that handed it over. */
interface Given {
  eventId: string;
  report: Report;
  headers: { traceparent: string } | undefined;
}

/**
 * Received reports handled in one transaction (one report, or a run of a partition's reports): each
 * becomes a new case or joins the open case it repeats. They are decided when the run ends (`finish`),
 * with as few statements as one report needs: every report's inbox claim and place locks in one, the
 * candidates near every place in one, then each report decided in order in memory, so a report sees
 * the cases the reports before it opened or joined; then the new cases indexed, the merges noted, the
 * cases numbered with one counter update, the report→case rows and the events written at once, in the
 * order of the reports.
 */
export class ReportRun {
  readonly #given: Given[] = [];
  readonly #opened: { caseId: string; prefix: string }[] = [];
  readonly #reportCases: { reportId: string; caseId: string }[] = [];
  readonly #outgoing: Outgoing[] = [];
  /** The grades of the cases this run opens, counted once it commits. */
  readonly #graded: { severity: string; decided_by: string; graded_by: string }[] = [];

  readonly #deps: TriageDeps;

  constructor(deps: TriageDeps) {
    this.#deps = deps;
  }

  /** Takes a report into the run; it is decided when the run ends. */
  add(eventId: string, report: Report, traceparent?: string): void {
    // The span handling this report (the run's events are written at its end, outside any one report's span).
    const tracing = activeTraceparent() ?? traceparent;
    this.#given.push({ eventId, report, headers: tracing ? { traceparent: tracing } : undefined });
  }

  /** Decides the run's reports and writes what it decided; in the run's transaction, just before it commits. */
  async finish(tx: Tx): Promise<void> {
    if (!this.#given.length) return;
    const deps = this.#deps;
    const given = this.#given.map((g) => ({ ...g, place: placeOf(g.report.location), receivedAt: new Date(g.report.receivedAt) }));
    // Taken before reading candidates and held to commit: two matching reports never both open cases.
    const { claimed, withCase } = await claimReports(
      tx,
      deps.groupId,
      given.map((g) => ({ eventId: g.eventId, reportId: g.report.reportId, place: g.place })),
    );
    const toDecide = given.filter((g) => claimed.has(g.eventId) && !withCase.has(g.report.reportId));
    if (toDecide.length) {
      // Read in this transaction: the case names the version that decided it (case.opened ruleVersion).
      const reference = await referenceCache(deps.db).current(tx);
      const candidates = await placeCandidates(tx, toDecide);
      const cases = new RunCases();
      for (const [i, g] of toDecide.entries()) {
        if (this.#reportCases.some((r) => r.reportId === g.report.reportId)) continue;
        cases.apply(await this.#decide(g, reference, cases.around(candidates[i] ?? [], g)));
      }
      await indexCases(tx, cases.opened());
      await noteReports(tx, cases.mergedInto());
    }
    if (!this.#reportCases.length) return;
    const numbers = await numberCases(tx, this.#opened, this.#reportCases);
    const messages = this.#outgoing.map((outgoing) => outgoing(numbers));
    // Untraced: each row keeps the traceparent of the report it answers, not whatever span is active now.
    await untraced(() => writeOutbox(tx, outbox, 'triage', messages));
  }

  /** Decides one report: a merge into the case it repeats, or a case of its own; returns what it changed in the index. */
  async #decide(g: Given & { place: Place; receivedAt: Date }, reference: Reference, candidates: IndexedCase[]): Promise<CaseChange> {
    const deps = this.#deps;
    const { report, place, receivedAt, headers } = g;
    const { rules, policies, calendar } = reference;
    const learned = await learnedModelsFor(rules.document);
    const { category, severity: graded, rule, rules: matched, decidedBy, gradedBy } = classify(report, rules.document, learned);
    const text = `${report.title ?? ''}\n${report.description}`.trim();
    const newReport = { kind: category.kind, category: category.code, place, text, receivedAt, severity: graded };
    const { merge: duplicate, outgraded } = findRepeats(candidates, newReport, rules.document.dictionary);

    if (duplicate) {
      const { caseId: target } = duplicate.case;
      this.#reportCases.push({ reportId: report.reportId, caseId: target });
      const merged = makeMessage('gridcase.case.report-merged.v1', {
        source: deps.source,
        subject: target,
        data: {
          caseId: target,
          reportId: report.reportId,
          reason: `same kind and place as open case ${target}, words ${Math.round(duplicate.similarity * 100)}% alike`,
          mergedAt: new Date().toISOString(),
          // As case.opened carries it: a reachable reporter of any of the case's reports is called back (回访).
          ...reporterOf(report),
          // What it said, and the deadlines its sender required (the case keeps the earlier of each).
          title: report.title,
          description: report.description,
          respondBy: report.respondBy,
          resolveBy: report.resolveBy,
        },
      });
      this.#outgoing.push(() => ({ topic: TOPICS.cases, key: target, message: merged, headers }));
      return { merged: target, at: receivedAt };
    }

    // 回潮: the same trouble back at a place where a case was resolved or closed is graded one step up.
    const relapsed = relapseOf(candidates, newReport);
    const severity = gradeAfterRelapse(graded, relapseRaises(candidates, newReport), { category, rules: matched }, rules.document.grading);
    // Graded above the open cases it repeats: a case of its own, naming them, so the desk sees they belong together.
    const repeated = outgraded.map((r) => r.case.caseId);
    const relatedCaseIds = [...repeated, ...relapsed];
    const outgradedRule = outgraded.length
      ? `; repeats open case ${outgraded.map((r) => `${r.case.caseId} (${r.case.severity ?? 'grade unknown'}, words ${Math.round(r.similarity * 100)}% alike)`).join(', ')} but graded ${graded}: not merged`
      : '';
    const decidedAt = new Date();
    const policy = pickPolicy(policies, category.code, severity);
    const deadlines = computeDeadlines(policy, receivedAt, report, calendar);
    const caseId = newId();
    this.#opened.push({ caseId, prefix: `${deps.station}-${receivedAt.getUTCFullYear()}` });
    this.#reportCases.push({ reportId: report.reportId, caseId });
    this.#graded.push({ severity, decided_by: decidedBy.by, graded_by: severity !== graded ? 'relapse' : gradedBy });
    const data = {
      caseId,
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
      ...reporterOf(report),
      rule: `${rule}${outgradedRule}${relapseRule(relapsed, graded, severity)}; deadlines: respondBy from ${deadlines.source.respondBy}, resolveBy from ${deadlines.source.resolveBy}`,
      openedAt: decidedAt.toISOString(),
      ruleVersion: rules.version,
      decidedBy,
      ...(relapsed.length ? { relapse: true } : {}),
      ...(relatedCaseIds.length ? { relatedCaseIds } : {}),
    };
    this.#outgoing.push((numbers) => {
      const caseNumber = numbers.get(caseId);
      if (!caseNumber) throw new Error(`case ${caseId} was not numbered`);
      // Stamped when it was decided, not when the run numbers its cases: a merge into it decided later in
      // the run is written after it and must not carry an earlier time.
      const opened = makeMessage('gridcase.case.opened.v1', { source: deps.source, subject: caseId, time: decidedAt, data: { ...data, caseNumber } });
      return { topic: TOPICS.cases, key: caseId, message: opened, headers };
    });
    return { opened: { caseId, kind: category.kind, category: category.code, severity, place, text, status: 'open', lastReportAt: receivedAt, settledAt: null, openedAt: receivedAt } };
  }

  /** The run's transaction committed: its cases are counted (a run rolled back counts nothing; its reports are handled again). */
  committed(): void {
    for (const labels of this.#graded) reportsGraded.inc(labels);
  }
}

/** What deciding a report changed in the index: a case it opened, or the case it joined and when. */
type CaseChange = { opened: IndexedCase & { openedAt: Date } } | { merged: string; at: Date };

/** The case index as a run's reports change it, for the reports after them: the cases the run opened, and its merges. */
class RunCases {
  readonly #opened = new Map<string, IndexedCase & { openedAt: Date }>();
  /** The newest report the run merged into each case read from the index. */
  readonly #merged = new Map<string, Date>();

  /** A report's candidates: those read for its place, as the run changed them, and the cases the run opened near it. */
  around(read: readonly IndexedCase[], at: CandidatePlace): IndexedCase[] {
    const asChanged = read.map((c) => {
      const merged = this.#merged.get(c.caseId);
      return merged && merged > c.lastReportAt ? { ...c, lastReportAt: merged } : c;
    });
    return [...asChanged, ...[...this.#opened.values()].filter((c) => isCandidateFor(c, at))];
  }

  apply(change: CaseChange): void {
    if ('opened' in change) {
      this.#opened.set(change.opened.caseId, change.opened);
      return;
    }
    const own = this.#opened.get(change.merged);
    if (own) {
      if (change.at > own.lastReportAt) this.#opened.set(own.caseId, { ...own, lastReportAt: change.at });
      return;
    }
    const before = this.#merged.get(change.merged);
    if (!before || change.at > before) this.#merged.set(change.merged, change.at);
  }

  /** The cases to index, each with the newest report merged into it. */
  opened(): (IndexedCase & { openedAt: Date })[] {
    return [...this.#opened.values()];
  }

  /** The newest report merged into each case that was in the index already. */
  mergedInto(): ReadonlyMap<string, Date> {
    return this.#merged;
  }
}

/** One received report in a transaction of its own: a new case, or a merge into the open case it repeats. */
export async function handleReportReceived(deps: TriageDeps, eventId: string, report: Report, traceparent?: string): Promise<void> {
  const run = new ReportRun(deps);
  await deps.db.transaction(async (tx) => {
    run.add(eventId, report, traceparent);
    await run.finish(tx);
  });
  run.committed();
}
