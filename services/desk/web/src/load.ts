import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { failed, type Held, shownFor, starting } from './held.ts';
import { retryDelayMs } from './retry.ts';

export interface Loaded<T> extends Omit<Held<T>, 'query'> {
  /** Loads again now (a "retry" button), whatever the backoff is waiting for. */
  retry(): void;
}

/**
 * Runs `load` whenever `query` or `reloads` change, dropping answers that arrive after a newer request
 * started. A change of `query` (what is asked: the token, the filter, the case) drops what the previous
 * query loaded; a change of `reloads` (a live event's counter, a longer page of the same list) loads the
 * same question again and keeps its data on screen meanwhile. A failure that may pass is retried with
 * backoff: the live stream reloads a list only when an event comes, so a reload that failed during a
 * short network drop would otherwise leave the list stale under a stream that is up again.
 */
export function useLoad<T>(load: ((signal: AbortSignal) => Promise<T>) | null, query: unknown[], reloads: unknown[] = []): Loaded<T> {
  const [again, setAgain] = useState(0);
  const retry = useRef(() => setAgain((n) => n + 1)).current;
  const [held, setHeld] = useState<Held<T>>({ query, data: undefined, error: undefined, loading: !!load });
  const latest = useRef(0);
  const deps = [...query, ...reloads];
  // Failures in a row since the last success or change of deps (this effect runs before the load's).
  const failures = useRef(0);
  useEffect(() => {
    failures.current = 0;
  }, deps);
  useEffect(() => {
    if (!load) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const request = ++latest.current;
    setHeld((h) => starting(h, query));
    load(controller.signal).then(
      (data) => {
        if (request !== latest.current) return;
        failures.current = 0;
        setHeld({ query, data, error: undefined, loading: false });
      },
      (err: unknown) => {
        if (controller.signal.aborted || request !== latest.current) return;
        const error = err instanceof ApiError ? err : new ApiError(0, String((err as Error)?.message ?? err));
        setHeld((h) => failed(h, query, error));
        const delay = retryDelayMs(error, failures.current++);
        if (delay !== undefined) timer = setTimeout(retry, delay);
      },
    );
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [...deps, again]);
  // Rendered before the effect above has run for a new query: still nothing of the old one.
  const { data, error, loading } = shownFor(held, query, !!load);
  return { data, error, loading, retry };
}
