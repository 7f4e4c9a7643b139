import { HttpProblem, unavailable } from '@gridcase/service-kit';
import type { z } from 'zod';

/** How long the desk waits for another service before answering without it. */
const UPSTREAM_TIMEOUT_MS = 5000;

/**
 * GET `path` from another gridcase service with the caller's own token, so that service decides what
 * the caller may see, as it would if asked directly. Its 401/403 are the caller's, said as that service
 * said them; its 404 is `undefined`; anything else it cannot answer is the desk's 503.
 */
export async function getWithToken<T extends z.ZodType>(base: string, path: string, authorization: string | undefined, schema: T): Promise<z.infer<T> | undefined> {
  const url = new URL(path, base);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    });
  } catch {
    throw unavailable(`${url.origin} did not answer ${path}; the page shows it once it does`);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status === 401 || res.status === 403) {
    throw new HttpProblem(res.status, res.status === 401 ? 'Unauthorized' : 'Forbidden', `${path} refused this token: ${detailOf(body)}`);
  }
  if (res.status === 404) return undefined;
  if (!res.ok) throw unavailable(`${url.origin}${path} answered ${res.status}: ${detailOf(body)}`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw unavailable(`${url.origin}${path} answered a body the desk does not understand`);
  return parsed.data;
}

const detailOf = (body: unknown) =>
  body && typeof body === 'object' && 'detail' in body && typeof body.detail === 'string' ? body.detail : 'no detail';
