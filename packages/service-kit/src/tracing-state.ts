/**
 * The tracing SDK this process started, if any. Kept on a global so the runtime can flush spans on
 * shutdown without importing the SDK (which only tracing.ts loads, and only when tracing is on).
 */
const KEY = Symbol.for('gridcase.tracing');

export interface TracingHandle {
  /** Exports every finished span still buffered. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

type Holder = { [KEY]?: TracingHandle };

export const setTracing = (handle: TracingHandle | undefined): void => {
  (globalThis as Holder)[KEY] = handle;
};

export const currentTracing = (): TracingHandle | undefined => (globalThis as Holder)[KEY];

/**
 * Exports the spans still buffered before the process exits; bounded, so a collector that does not
 * answer cannot hold up a shutdown. A flush, not a shutdown: tests run several services in one process.
 */
export async function flushTracing(timeoutMs = 3000): Promise<void> {
  const handle = currentTracing();
  if (!handle) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    handle.flush().catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
