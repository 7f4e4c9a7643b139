/** Calls to this desk's API with the signed-in token; errors carry the problem+json detail. */

export class ApiError extends Error {
  readonly status: number;
  /** The fields a validation problem named (`until`, `officerIds.0`), for the page to put in its own words. */
  readonly fields: string[];
  /** Each field the problem named with the server's reason (problem+json `errors[]`), for the page to show. */
  readonly problems: { path: string; message: string }[];
  /** The problem's `detail` (or `title`), when it gave one. */
  readonly detail: string | undefined;
  constructor(status: number, message: string, problems: { path: string; message: string }[] = [], detail?: string) {
    super(message);
    this.status = status;
    this.problems = problems;
    this.fields = problems.map((p) => p.path);
    this.detail = detail;
  }
}

interface Problem {
  detail?: string;
  title?: string;
  errors?: { path: string; message: string }[];
}

const describe = (status: number, body: unknown, fallback: string) => {
  const p = (body ?? {}) as Problem;
  if (p.errors?.length) return p.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return p.detail ?? p.title ?? `${status} ${fallback}`;
};

let onUnauthorized: (() => void) | undefined;

/**
 * What the page does when the desk answers 401 to a signed-in call (the token was revoked or expired
 * meanwhile): end the session, rather than keep showing a board that no longer updates.
 */
export function whenUnauthorized(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

/** The desk refused the token: every caller (an API call, the live stream) reports it here. */
export const unauthorized = () => onUnauthorized?.();

export async function api<T>(token: string, path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}) {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network');
  }
  const body: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401) unauthorized();
  if (!res.ok) {
    const p = (body ?? {}) as Problem;
    throw new ApiError(res.status, describe(res.status, body, res.statusText), p.errors ?? [], p.detail ?? p.title);
  }
  return { status: res.status, body: body as T };
}
