import type { ApiError } from './api.ts';

// The pure steps of useLoad (load.ts), apart from preact so that unit tests type-check without the DOM.

/** What a load holds, with the query its data and error answer. */
export interface Held<T> {
  data: T | undefined;
  /** The last failure; cleared by the next success. */
  error: ApiError | undefined;
  /** True only while nothing has been loaded yet for this query (a reload keeps showing the old data). */
  loading: boolean;
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
