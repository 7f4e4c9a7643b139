import type { ApiError } from './api.ts';

const FIRST_RETRY_MS = 2000;
const LAST_RETRY_MS = 30_000;

/**
 * How long to wait before loading again after `error`, the `attempt`-th failure in a row (0 first),
 * or undefined when loading again cannot help. A network failure, 429 and 5xx pass (the desk or
 * what it reads is away for a moment); any other answer is about the request and stays until
 * something changes it.
 */
export function retryDelayMs(error: ApiError, attempt: number): number | undefined {
  if (error.status !== 0 && error.status !== 429 && error.status < 500) return undefined;
  return Math.min(FIRST_RETRY_MS * 2 ** attempt, LAST_RETRY_MS);
}
