import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/api.ts';
import { retryDelayMs } from '../../web/src/retry.ts';

describe('desk page: loading again after a failure', () => {
  it('retries what may pass — no network, 429, 5xx — backing off from 2 s to 30 s', () => {
    const network = new ApiError(0, 'network');
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(network, n))).toEqual([2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(retryDelayMs(new ApiError(503, 'intake is starting'), 0)).toBe(2000);
    expect(retryDelayMs(new ApiError(429, 'too many'), 1)).toBe(4000);
    expect(retryDelayMs(new ApiError(500, 'bug'), 0)).toBe(2000);
  });

  it('leaves an answer about the request as it is: 400, 403, 404 come again until something changes', () => {
    for (const status of [400, 401, 403, 404, 409]) expect(retryDelayMs(new ApiError(status, 'no'), 0)).toBeUndefined();
  });
});
