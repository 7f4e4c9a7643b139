import type { Severity } from '@gridcase/contracts';
import { withoutBoilerplate } from './boilerplate.ts';
import { type Place, samePlace, samePlaceForRelapse } from './place.ts';
import { segment } from './segment.ts';
import { contentWords, jaccard, wordFeatures } from './similarity.ts';

/** A repeat must be this close to the open case (both points), else at the same address/grid. */
export const DUPLICATE_RADIUS_M = 250;
/** A relapse is this close to the settled case, else at the same address (never the same grid alone). */
export const RELAPSE_RADIUS_M = 100;
/** A relapse is a report within this many days after the earlier case was resolved or closed. */
export const RELAPSE_WINDOW_DAYS = 90;

/**
 * How long after the newest report of an open case a new one may still be a repeat of it, in hours,
 * by category, else by kind. A quarrel flares and calms within a day, so a report the next day is
 * news; a hazard, a land or wage dispute and a tip stand for days, and residents report them again.
 */
export const MERGE_WINDOW_HOURS: { readonly byCategory: Readonly<Record<string, number>>; readonly byKind: Readonly<Record<string, number>> } = {
  byCategory: { 'dispute.land': 72, 'dispute.labour': 72, 'dispute.debt': 72, 'dispute.fight': 12 },
  byKind: { dispute: 24, hazard: 72, service: 24, tip: 168, unclassified: 24 },
};

export function mergeWindowHours(kind: string, category: string): number {
  return MERGE_WINDOW_HOURS.byCategory[category] ?? MERGE_WINDOW_HOURS.byKind[kind] ?? 24;
}

/**
 * Jaccard similarity of the word features (segmented words minus stop words, plus their characters)
 * at or above which two reports at the same place tell the same trouble. Chosen on
 * eval/duplicate-pairs.ts (README, "Duplicates and relapses", says why).
 */
export const SIMILARITY_THRESHOLD = 0.35;

/**
 * A missing person is only the same missing person when the reports say so closely: two callers at
 * one community looking for an old man and a small child share most of their words (有…在小区走丢了，
 * 穿…外套) and scored 0.56, and the child's report vanished into the old man's case with no clock of
 * its own (audit 9). A wrong merge there loses a person; a missed one costs a second case. So a
 * missing-person report needs this much more similarity, and never joins a case whose person it
 * tells apart (ageOf, lifeStageOf).
 */
export const MISSING_PERSON_SIMILARITY = 0.6;
const MISSING_PERSON = 'service.missing-person';

/** The ages a text gives (80岁, 五岁, 七十多岁: 80, 5, 70), in digits or Chinese numerals up to 99. */
function agesOf(text: string): Set<number> {
  const ages = new Set<number>();
  for (const m of text.matchAll(/([0-9０-９]{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:多|来)?\s*(?:岁|周岁)/gu)) {
    const age = m[1] ? numberOf(m[1]) : undefined;
    if (age !== undefined) ages.add(age);
  }
  return ages;
}

const CN_DIGIT: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

function numberOf(written: string): number | undefined {
  const ascii = written.replace(/[０-９]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (/^[0-9]+$/.test(ascii)) return Number(ascii);
  // 十 = 10, 十五 = 15, 五十 = 50, 五十五 = 55, 五 = 5.
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/u.exec(written);
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  if (!m[2]) return m[3] ? undefined : CN_DIGIT[m[1] as string];
  return (m[1] ? (CN_DIGIT[m[1]] as number) : 1) * 10 + (m[3] ? (CN_DIGIT[m[3]] as number) : 0);
}

const CHILD = /小孩|孩子|儿童|男孩|女孩|小朋友|宝宝|婴儿|幼儿|娃|儿子|女儿|孙子|孙女|外孙|学生/u;
const ELDER = /老人|老年|老头|老太|老大爷|大爷|大妈|奶奶|爷爷|姥姥|姥爷|外婆|外公|老伴|老父亲|老母亲/u;

/** Whether a text tells of a child or an old person (or neither, or both: then it says nothing apart). */
function lifeStageOf(text: string): 'child' | 'elder' | undefined {
  const child = CHILD.test(text);
  const elder = ELDER.test(text);
  return child === elder ? undefined : child ? 'child' : 'elder';
}

/** Whether two missing-person texts tell of different people: ages that differ, or a child against an old person. */
export function differentPeople(a: string, b: string): boolean {
  const agesA = agesOf(a);
  const agesB = agesOf(b);
  if (agesA.size && agesB.size && ![...agesA].some((age) => agesB.has(age))) return true;
  const stageA = lifeStageOf(a);
  const stageB = lifeStageOf(b);
  return stageA !== undefined && stageB !== undefined && stageA !== stageB;
}

/** Catch-all categories a reworded report may fall into instead of its kind's specific one. */
export const CATCH_ALL: Readonly<Record<string, string>> = { dispute: 'dispute.general', service: 'service.general' };

/**
 * Same kind and category family: the same category, or one of the two is its kind's catch-all
 * (a report that says 吵架 and one that says 邻居吵架 land in dispute.general and dispute.neighbour).
 * An unclassified report is of no family but its own: joined to a case of another category, a trouble
 * no rule read would hide inside someone else's case, unrouted and ungraded as its own.
 */
export function sameFamily(a: { kind: string; category: string }, b: { kind: string; category: string }): boolean {
  if (a.kind !== b.kind) return false;
  if (a.category === b.category) return true;
  const catchAll = CATCH_ALL[a.kind];
  return catchAll !== undefined && (a.category === catchAll || b.category === catchAll);
}

/** A case as triage's index knows it (triage.case_index). */
export interface IndexedCase {
  caseId: string;
  kind: string;
  category: string;
  place: Place;
  /** What the case's first report said (title and description), for word-level similarity. */
  text: string;
  status: 'open' | 'resolved' | 'closed';
  /**
   * The grade the case was opened with; null for a case indexed before grades were kept (ranked
   * lowest, so a report graded above `service` never joins it unseen).
   */
  severity: Severity | null;
  /** The newest report opened or merged into the case. */
  lastReportAt: Date;
  /** When it was last resolved or closed; null while it has never been. */
  settledAt: Date | null;
}

export interface NewReport {
  kind: string;
  category: string;
  place: Place;
  text: string;
  receivedAt: Date;
  /** The report's own grade (before any relapse raise). */
  severity: Severity;
}

/** Lowest first; `statutory` is a kind of deadline, not a risk, and ranks with `service`. */
const RANK: Readonly<Record<Severity, number>> = { service: 0, statutory: 0, yellow: 1, orange: 2, red: 3 };

/**
 * Whether a report's grade is above the open case's: such a report does not join the case (its
 * grade, clocks and owners would stay the case's lower ones, and the new danger would go unseen);
 * it opens its own case, related to this one.
 */
export const gradedAbove = (report: Severity, open: Severity | null): boolean => RANK[report] > (open === null ? 0 : RANK[open]);

/**
 * What similarity compares of a text: its content words and their characters, without the address, preamble
 * and contact lines (boilerplate.ts): two troubles reported from one address by one contact are not alike.
 */
export const featuresOf = (text: string, dictionary: readonly string[]) => wordFeatures(contentWords(segment(withoutBoilerplate(text), dictionary)));

const HOUR_MS = 3_600_000;

export interface Repeat {
  case: IndexedCase;
  similarity: number;
}

/**
 * The open cases a new report repeats: same kind and family, within 250 m (or the same address or
 * grid), within the category's window after the case's newest report, and similar words. Most
 * similar first (then the newest).
 */
function repeats(candidates: readonly IndexedCase[], report: NewReport, dictionary: readonly string[]): Repeat[] {
  const words = featuresOf(report.text, dictionary);
  const windowMs = mergeWindowHours(report.kind, report.category) * HOUR_MS;
  const found: Repeat[] = [];
  for (const c of candidates) {
    if (c.status !== 'open' || !sameFamily(c, report) || !samePlace(c.place, report.place, DUPLICATE_RADIUS_M)) continue;
    const age = report.receivedAt.getTime() - c.lastReportAt.getTime();
    if (age > windowMs) continue;
    const similarity = jaccard(words, featuresOf(c.text, dictionary));
    if (similarity < SIMILARITY_THRESHOLD) continue;
    if (report.category === MISSING_PERSON || c.category === MISSING_PERSON) {
      if (similarity < MISSING_PERSON_SIMILARITY || differentPeople(report.text, c.text)) continue;
    }
    found.push({ case: c, similarity });
  }
  return found.sort((a, b) => b.similarity - a.similarity || b.case.lastReportAt.getTime() - a.case.lastReportAt.getTime());
}

/**
 * What a new report does to the open cases it repeats: `merge`, the most similar one graded the
 * same as the report or higher, which it joins; else `outgraded`, the ones it repeats but is graded
 * above (most similar first), which it does not join: it opens its own case naming them.
 */
export function findRepeats(candidates: readonly IndexedCase[], report: NewReport, dictionary: readonly string[]): { merge?: Repeat; outgraded: Repeat[] } {
  const found = repeats(candidates, report, dictionary);
  const merge = found.find((r) => !gradedAbove(report.severity, r.case.severity));
  return merge ? { merge, outgraded: [] } : { outgraded: found };
}

/**
 * 回潮: the resolved or closed cases a new report of the same kind brings back — within 100 m or at the
 * same address (a grid or community alone is not the place), within 90 days after each was settled — newest first.
 * Empty when the report is no relapse. The words need not match: the same trouble at the same place.
 * Kind, not family (CONTRACT.md: "a new report of the same kind"): the classifier may read one flat's quarrel
 * as dispute.neighbour once and dispute.family the next time (audit 14). Merging open cases keeps to the family.
 */
export function relapseOf(candidates: readonly IndexedCase[], report: Omit<NewReport, 'text' | 'severity'>): string[] {
  return candidates
    .filter((c) => relapses(c, report))
    .sort((a, b) => (b.settledAt as Date).getTime() - (a.settledAt as Date).getTime())
    .map((c) => c.caseId);
}

/**
 * Whether a relapse raises the report's grade (gradeAfterRelapse). A service report only for a settled case of its
 * family: help, lost property or a missing person at an address where another kind of help was given is no
 * trouble come back (a lost wallet there does not make a missing adult red); the same need again is.
 */
export function relapseRaises(candidates: readonly IndexedCase[], report: Omit<NewReport, 'text' | 'severity'>): boolean {
  return candidates.some((c) => relapses(c, report) && (report.kind !== 'service' || sameFamily(c, report)));
}

function relapses(c: IndexedCase, report: Omit<NewReport, 'text' | 'severity'>): boolean {
  // Stricter than a merge: no words need match, so an unclassified report brings nothing back.
  if (c.status === 'open' || !c.settledAt || c.kind === 'unclassified' || report.kind === 'unclassified' || c.kind !== report.kind) return false;
  const since = report.receivedAt.getTime() - c.settledAt.getTime();
  return since >= 0 && since <= RELAPSE_WINDOW_DAYS * 24 * HOUR_MS && samePlaceForRelapse(c.place, report.place, RELAPSE_RADIUS_M);
}

/**
 * What a relapse adds to a case's rule line (case.opened and explain say the same): none when it is
 * none. `withIds: false` leaves out which cases (explain to a token that may not see them).
 */
export const relapseRule = (related: readonly string[], graded: Severity, severity: Severity, withIds = true): string => {
  if (!related.length) return '';
  const of = `; relapse${withIds ? ` of ${related.join(', ')}` : ''}`;
  // Not raised (gradeAfterRelapse, relapseRaises): the words had already counted the recurrence, the grade has no step
  // above, or a service report follows another family's case.
  return graded === severity ? `${of}: ${graded}, not raised again` : `${of}: ${graded} → ${severity}`;
};
