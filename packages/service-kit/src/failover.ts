/** The URLs of a setting that names one service's instances: one URL, or several comma-separated. */
export const urlsOf = (setting: string): string[] =>
  setting
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);

/**
 * Requests to one of several instances of a service (INTAKE_URL with several URLs, where no load
 * balancer stands in front of them: infra/dev with GRIDCASE_INSTANCES > 1). The instance that answered
 * last is asked first; one that does not answer (refused, reset, timed out) or answers 503 (starting,
 * shutting down, its database away) is passed over for the next; the last 503 is the answer when every
 * one gives it. Any other HTTP answer is the answer: a 500 or 429 is that instance's to give. Only for
 * requests that may be sent twice (GETs). With one instance hung (kill -STOP), every other service
 * refused every client token 90 s later, its revoked-token list stale, though a second intake was up
 * (audit25 #5).
 */
export class Failover {
  readonly urls: readonly string[];
  #preferred = 0;

  constructor(setting: string) {
    this.urls = urlsOf(setting);
    if (!this.urls.length) throw new Error('Failover: no URL given');
  }

  /** The instances' origins, comma-separated: how a message names the service that did not answer. */
  get origins(): string {
    return this.urls.map((url) => new URL(url).origin).join(', ');
  }

  /** GET/POST `path` on the first instance that answers, each given `timeoutMs`; throws the last failure when none answers. */
  async fetch(path: string, init: RequestInit & { timeoutMs: number }): Promise<{ res: Response; url: URL }> {
    const { timeoutMs, ...rest } = init;
    let failure: unknown;
    let unavailable: { res: Response; url: URL } | undefined;
    for (let i = 0; i < this.urls.length; i++) {
      const at = (this.#preferred + i) % this.urls.length;
      const url = new URL(path, this.urls[at]);
      try {
        const res = await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) });
        if (res.status === 503 && i < this.urls.length - 1) {
          // Kept read, so it is still the answer (with its detail) should no other instance answer at all.
          unavailable = { res: new Response(await res.text(), { status: 503, headers: res.headers }), url };
          continue;
        }
        if (res.status !== 503) this.#preferred = at;
        return { res, url };
      } catch (err) {
        failure = err;
      }
    }
    if (unavailable) return unavailable;
    throw failure;
  }
}

const byValue = new Map<string, Failover>();

/** One Failover per setting, so every caller shares what it learned of which instance answers. */
export function failoverFor(setting: string): Failover {
  const found = byValue.get(setting) ?? new Failover(setting);
  byValue.set(setting, found);
  return found;
}
