import { CategoryDecision, explainBodyWith, type Principal, Severity } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, type Clock, hasRole, inScope, requestScope } from '@gridcase/service-kit';
import { z } from 'zod';
import { loadCalendar } from '../db/calendar.ts';
import { classify } from '../domain/classify.ts';
import { budgetFields, computeDeadlines, pickPolicy } from '../domain/deadlines.ts';
import { relapseOf, relapseRaises, relapseRule } from '../domain/duplicates.ts';
import { gradeAfterRelapse } from '../domain/grade.ts';
import { placeOf } from '../domain/place.ts';
import { placeCandidatesNow } from '../db/case-index.ts';
import { loadPolicies } from '../db/policies.ts';
import { ruleBook } from '../db/rules.ts';
import { learnedModelsFor } from '../learned-models.ts';

const Explanation = z.object({
  /** The version of the rules that decided (GET /v1/rules/{version}). */
  ruleVersion: z.number().int(),
  category: z.string(),
  kind: z.string(),
  severity: Severity,
  respondBy: z.string(),
  resolveBy: z.string(),
  rule: z.string(),
  /**
   * Every rule that matched, with the words it matched on (CONTRACT.md `rules: [{rule, matched}]`). The
   * learned model, when asked, is the entry `learned`: its words, `score` (probability) and `category`.
   */
  rules: z.array(
    z.object({ rule: z.string(), matched: z.array(z.string()), score: z.number().optional(), category: z.string().optional() }),
  ),
  /** What chose the category (as on case.opened). */
  decidedBy: CategoryDecision.optional(),
  /**
   * The earlier case this report is a relapse of (回潮), when it is one. Only to station roles (desk,
   * officer, supervisor, admin): the case may be another sender's, so a reporter is told that it is
   * a relapse (grade, `rule`) but not which case.
   */
  relapseOf: z.string().optional(),
  /** Every resolved or closed case it brings back, newest first (case.opened relatedCaseIds); station roles only, as relapseOf. */
  relatedCaseIds: z.array(z.string()).optional(),
  policy: z.object({
    category: z.string(),
    respondMinutes: z.number().optional(),
    respondWorkingDays: z.number().optional(),
    resolveMinutes: z.number().optional(),
    resolveWorkingDays: z.number().optional(),
  }),
});

/** Roles that may see which cases a report brings back (admin passes `hasRole` as well). */
const STATION_ROLES = ['desk', 'officer', 'supervisor'] as const;

export function explainRoutes(app: App, db: Db, clock: Clock, { perMinute, station }: { perMinute: number; station: string }) {
  const book = ruleBook(db);
  const isCategory = async (code: string) => (await book.current(db)).document.categories.some((c) => c.code === code);
  app.post(
    '/v1/triage/explain',
    {
      // Judges the body it is given; the station's history (relapses) only for a token of this station.
      config: {
        roles: ['reporter', 'desk', 'officer', 'supervisor'],
        scope: 'none',
        // Each call reads the rules, calendar, policies and the open cases at the place: one client looping it must not slow triage for all (audit17 #1).
        rateLimit: { max: perMinute, timeWindow: 60_000 },
        problems: { 429: "over the client's explain calls per minute: retry after `Retry-After`" },
      },
      schema: {
        summary: 'What triage would decide for a report body, without creating anything; deadlines as of receivedAt (default now)',
        // Its category is checked against the current rules (not the built-in list), beside every other field.
        body: explainBodyWith(isCategory),
        response: { 200: Explanation },
      },
    },
    async (req) => {
      const current = await book.current(db);
      const learned = await learnedModelsFor(current.document);
      const { category, severity: graded, rule, rules, decidedBy } = classify(req.body, current.document, learned);
      const receivedAt = req.body.receivedAt ? new Date(req.body.receivedAt) : clock.now();
      // As the report handler decides: a relapse (回潮) at the place raises the grade one step (gradeAfterRelapse).
      const place = placeOf(req.body.location);
      // Whether an address had a case is this station's history: a token of another station or of none
      // (only admin is station-wide) is answered as if the place had none (audit19b #2). Except a reporter of
      // none: it posts into this install (intake's stationRefusal), and is told the grade its report will get
      // (audit21 #4), as a reporter of this station is: that it is a relapse, never of which case.
      const principal = req.principal as Principal;
      const scoped = inScope(requestScope(req), { station });
      const postsHere = principal.roles.includes('reporter') && principal.stations === undefined;
      const candidates = scoped || postsHere ? await placeCandidatesNow(db, place, receivedAt) : [];
      const asReport = { kind: category.kind, category: category.code, place, receivedAt };
      const related = relapseOf(candidates, asReport);
      const severity = gradeAfterRelapse(graded, relapseRaises(candidates, asReport), { category, rules }, current.document.grading);
      // Which cases they are is the station's to know: they may be another sender's (audit 7 #9).
      const showCases = scoped && hasRole(principal, STATION_ROLES);
      if (related.length) rules.push({ rule: 'relapse', matched: showCases ? related : [] });
      const policy = pickPolicy(await loadPolicies(db), category.code, severity);
      const deadlines = computeDeadlines(policy, receivedAt, req.body, await loadCalendar(db));
      return {
        ruleVersion: current.version,
        category: category.code,
        kind: category.kind,
        severity,
        respondBy: deadlines.respondBy.toISOString(),
        resolveBy: deadlines.resolveBy.toISOString(),
        // As the case's rule says it: the relapse that raised the grade.
        rule: `${rule}${relapseRule(related, graded, severity, showCases)}`,
        rules,
        decidedBy,
        policy: { category: policy.category, ...budgetFields(policy) },
        ...(related.length && showCases ? { relapseOf: related[0], relatedCaseIds: related } : {}),
      };
    },
  );
}
