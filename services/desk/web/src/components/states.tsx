import type { ApiError } from '../api.ts';
import { useDesk } from '../context.ts';

/** An error where the data would be: what failed, in words, and a retry when one helps. */
export function Problem({ error, text: given, onRetry }: { error: ApiError | undefined; text?: string; onRetry?: () => void }) {
  const { tr } = useDesk();
  if (!error) return null;
  const text = given ?? (error.status === 0 && error.message === 'network' ? tr('error.network') : tr('error.generic', { e: error.message }));
  return (
    <div class="problem" role="alert">
      {text}
      {onRetry ? (
        <button type="button" class="secondary" onClick={onRetry}>
          {tr('error.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ text }: { text: string }) {
  return (
    <p class="loading" aria-busy="true">
      {text}
    </p>
  );
}
