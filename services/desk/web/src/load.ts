import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { retryDelayMs } from './retry.ts';

export interface Loaded<T> {
  data: T | undefined;
  /** The last failure; cleared by the next success. */
  error: ApiError | undefined;
  /** True only while nothing has been loaded yet for this query (a reload keeps showing the old data). */
  loading: boolean;
  /** Loads again now (a "retry" button), whatever the backoff is waiting for. */
  retry(): void;
}

/** What a load holds, with the query its data and error answer. */
export interface Held<T> extends Omit<Loaded<T>, 'retry'> {
  query: readonly unknown[];
}

/** The same query: each part the same value (as hooks compare their deps). */
export const sameQuery = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * What the page shows of `held` while `query` is asked: a reload of the same query keeps its data on
 * screen; another query's data and error are not shown at all (audit20 #3: after a change of filter whose
 * load failed, the new filter was shown over the previous filter's rows, read as the answer to it).
 */
export function shownFor<T>(held: Held<T>, query: readonly unknown[], active: boolean): Held<T> {
  return sameQuery(held.query, query) ? held : { query, data: undefined, error: undefined, loading: active };
}

/** The state as a request for `query` starts: loading only when there is nothing of this query to show. */
export const starting = <T>(held: Held<T>, query: readonly unknown[]): Held<T> => {
  const shown = shownFor(held, query, true);
  return { ...shown, loading: shown.data === undefined };
};

/** The state once a request for `query` failed: the error beside this query's data, if it has any. */
export const failed = <T>(held: Held<T>, query: readonly unknown[], error: ApiError): Held<T> => ({ ...shownFor(held, query, true), error, loading: false });

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
