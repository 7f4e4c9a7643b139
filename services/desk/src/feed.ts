/** A case event as the desk projected it; what the SSE stream sends. */
export interface FeedEntry {
  /** Position in the desk's timeline (commit order); increases along the feed. */
  seq: number;
  eventId: string;
  caseId: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
  /** Where the case is (as the read model has it when the entry is read): what a token's scope is judged on. */
  place: {
    station: string | null;
    gridCode: string | null;
    category: string | null;
    /** The case has no grid yet because it is not routed yet (case.opened named none): its grid is still to come. */
    gridPending: boolean;
  };
}

type Listener = (entry: FeedEntry) => void;

/**
 * In-process notifier fed by the TimelineFollower with every projected event (of any desk
 * instance), in seq order: the SSE streams and waiting commands listen here.
 */
export class CaseFeed {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(entry: FeedEntry): void {
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch {
        // One broken listener (a dead stream) must not stop the others or the projection.
      }
    }
  }

  /** Resolves at the next event of the case, or after `timeoutMs`, whichever comes first. */
  next(caseId: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      const unsubscribe = this.subscribe((e) => {
        if (e.caseId === caseId) done();
      });
    });
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
