import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { retryDelayMs } from './retry.ts';

export interface Loaded<T> {
  data: T | undefined;
  /** The last failure; cleared by the next success. */
  error: ApiError | undefined;
  /** True only while nothing has been loaded yet (a reload keeps showing the old data). */
  loading: boolean;
  /** Loads again now (a "retry" button), whatever the backoff is waiting for. */
  retry(): void;
}

/**
 * Runs `load` whenever `deps` change, keeping the previous data on screen while it reloads and
 * dropping answers that arrive after a newer request started. A failure that may pass is retried
 * with backoff: the live stream reloads a list only when an event comes, so a reload that failed
 * during a short network drop would otherwise leave the list stale under a stream that is up again.
 */
export function useLoad<T>(load: ((signal: AbortSignal) => Promise<T>) | null, deps: unknown[]): Loaded<T> {
  const [again, setAgain] = useState(0);
  const retry = useRef(() => setAgain((n) => n + 1)).current;
  const [state, setState] = useState<Omit<Loaded<T>, 'retry'>>({ data: undefined, error: undefined, loading: !!load });
  const latest = useRef(0);
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
    setState((s) => ({ ...s, loading: s.data === undefined }));
    load(controller.signal).then(
      (data) => {
        if (request !== latest.current) return;
        failures.current = 0;
        setState({ data, error: undefined, loading: false });
      },
      (err: unknown) => {
        if (controller.signal.aborted || request !== latest.current) return;
        const error = err instanceof ApiError ? err : new ApiError(0, String((err as Error)?.message ?? err));
        setState((s) => ({ ...s, error, loading: false }));
        const delay = retryDelayMs(error, failures.current++);
        if (delay !== undefined) timer = setTimeout(retry, delay);
      },
    );
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [...deps, again]);
  return { ...state, retry };
}
