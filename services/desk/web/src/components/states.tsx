import type { ApiError } from '../api.ts';
import { useDesk } from '../context.ts';
import { problemText } from '../refusals.ts';

/**
 * An error where the data would be: what failed, in the page's words, and a retry when one helps. The
 * server's own account (its problem+json detail, English) is on hover.
 */
export function Problem({ error, text: given, onRetry }: { error: ApiError | undefined; text?: string; onRetry?: () => void }) {
  const { tr, lang } = useDesk();
  if (!error) return null;
  const text = given ?? problemText(lang, error);
  return (
    <div class="problem" role="alert" title={error.status === 0 ? undefined : error.message} data-testid="problem">
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
