import { failoverFor, HttpProblem, unavailable } from '@gridcase/service-kit';
import { MAX_REPORTERS_PER_LOOKUP, ReporterLookup, type ReporterView } from '@gridcase/contracts';
import type { z } from 'zod';

/** How long the desk waits for another service before answering without it. */
const UPSTREAM_TIMEOUT_MS = 5000;

/**
 * GET `path` from another gridcase service with the caller's own token, so that service decides what
 * the caller may see, as it would if asked directly. `base` is its URL, or its instances' URLs
 * comma-separated (INTAKE_URL in infra/dev): the first that answers is asked (Failover). Its 401/403
 * are the caller's, said as that service said them, and so is its 429 (the caller's own rate there is
 * spent), with its Retry-After; its 404 is `undefined`; anything else it cannot answer is the desk's 503.
 */
export async function getWithToken<T extends z.ZodType>(base: string, path: string, authorization: string | undefined, schema: T): Promise<z.infer<T> | undefined> {
  const upstream = failoverFor(base);
  let answer: { res: Response; url: URL };
  try {
    answer = await upstream.fetch(path, { headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) }, timeoutMs: UPSTREAM_TIMEOUT_MS });
  } catch {
    throw unavailable(`${upstream.origins} did not answer ${new URL(path, upstream.urls[0]).pathname}; the page shows it once it does`);
  }
  const { res, url } = answer;
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status === 401 || res.status === 403) {
    throw new HttpProblem(res.status, res.status === 401 ? 'Unauthorized' : 'Forbidden', `${url.pathname} refused this token: ${detailOf(body)}`);
  }
  if (res.status === 429) {
    const retryAfter = res.headers.get('retry-after');
    throw new HttpProblem(429, 'Too Many Requests', `${url.pathname} refused this token for now, its rate at ${url.origin} spent: ${detailOf(body)}`, {
      headers: retryAfter ? { 'retry-after': retryAfter } : {},
    });
  }
  if (res.status === 404) return undefined;
  if (!res.ok) throw unavailable(`${url.origin}${url.pathname} answered ${res.status}: ${detailOf(body)}`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw unavailable(`${url.origin}${url.pathname} answered a body the desk does not understand`);
  return parsed.data;
}

const detailOf = (body: unknown) =>
  body && typeof body === 'object' && 'detail' in body && typeof body.detail === 'string' ? body.detail : 'no detail';

/** A case with more reports than this shows the reporters of its first ones (the first reporter is the one owed the 回访). */
export const MAX_REPORTERS = MAX_REPORTERS_PER_LOOKUP;

/**
 * The reporters of a case's first MAX_REPORTERS reports, in the case's order, as intake shows them to the
 * caller: one request (GET /v1/reporters) with the caller's token, so intake decides whole, masked or left
 * out, audits each read, and counts one request against the caller's rate, not one per report (audit25 #1).
 * A report intake leaves out (no reporter data, or a tip's informant withheld from the caller) is not in the
 * list. A refusal of the whole request with one of the `leftOut` statuses is an empty list; any other is thrown.
 */
export async function caseReporters(intakeUrl: string, reportIds: readonly string[], authorization: string | undefined, leftOut: readonly number[]): Promise<ReporterView[]> {
  const asked = reportIds.slice(0, MAX_REPORTERS);
  if (!asked.length) return [];
  const path = `/v1/reporters?reportIds=${asked.map(encodeURIComponent).join(',')}`;
  const found = await getWithToken(intakeUrl, path, authorization, ReporterLookup).catch((err: unknown) => {
    if (err instanceof HttpProblem && leftOut.includes(err.status)) return null;
    throw err;
  });
  // 404 for the whole lookup: an intake without the route (an older one mid-deploy, a wrong INTAKE_URL). Not
  // "no reporters": a command's text would go out with the names unmasked.
  if (found === undefined) throw unavailable(`${failoverFor(intakeUrl).origins} has no GET /v1/reporters (404): the case's reporters cannot be read`);
  return found?.items ?? [];
}

/**
 * The names of a case's reporters, read from intake with the caller's token, to mask them in the free
 * text of a staff command (audit13 #1): the names themselves go nowhere else and are never logged.
 * A report intake will not show this caller (401: a client intake does not hold, which the desk's own
 * checks let through; 403: a tip's informant, or a role that may not read reporters) names no one, nor
 * does a name intake shows masked (an officer not on the case, an anonymous reporter): 周** finds nothing.
 * Intake not answering is a 503 naming intake, with Retry-After: the command is not sent with text that
 * may hold a name unmasked.
 */
export async function reporterNames(intakeUrl: string, reportIds: readonly string[], authorization: string | undefined): Promise<string[]> {
  const views = await caseReporters(intakeUrl, reportIds, authorization, [401, 403]).catch((err: unknown) => {
    if (err instanceof HttpProblem && err.status === 503) {
      throw unavailable("intake did not answer for the case's reporters, whose names the desk masks in a command's text; retry the command");
    }
    throw err;
  });
  return views.flatMap((v) => (!v.masked && v.name ? [v.name] : []));
}
