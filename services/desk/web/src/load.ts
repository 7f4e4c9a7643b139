import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';

export interface Loaded<T> {
  data: T | undefined;
  /** The last failure; cleared by the next success. */
  error: ApiError | undefined;
  /** True only while nothing has been loaded yet (a reload keeps showing the old data). */
  loading: boolean;
}

/**
 * Runs `load` whenever `deps` change, keeping the previous data on screen while it reloads and
 * dropping answers that arrive after a newer request started.
 */
export function useLoad<T>(load: ((signal: AbortSignal) => Promise<T>) | null, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: !!load });
  const latest = useRef(0);
  useEffect(() => {
    if (!load) return;
    const controller = new AbortController();
    const request = ++latest.current;
    setState((s) => ({ ...s, loading: s.data === undefined }));
    load(controller.signal).then(
      (data) => {
        if (request === latest.current) setState({ data, error: undefined, loading: false });
      },
      (err: unknown) => {
        if (controller.signal.aborted || request !== latest.current) return;
        const error = err instanceof ApiError ? err : new ApiError(0, String((err as Error)?.message ?? err));
        setState((s) => ({ ...s, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, deps);
  return state;
}
