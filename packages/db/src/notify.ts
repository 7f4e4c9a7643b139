import type pg from 'pg';
import type { Logger } from 'pino';

/**
 * NOTIFYs that wake listeners (the outbox relays, the desk's timeline followers) once work has
 * committed, sent after the commit rather than inside the transaction: a transaction that notifies
 * takes one lock for the whole database at its commit and holds it until the commit is flushed, so
 * every notifying transaction of every service would commit one at a time. Sent on its own, a
 * NOTIFY writes no data and waits for no flush.
 *
 * One NOTIFY per channel is on its way at a time; wake-ups asked for meanwhile fold into one sent
 * after it. So every commit is followed by a NOTIFY that left after it (and its rows are visible to
 * whoever it wakes), while many commits share one. Listeners in every process hear it.
 *
 * Nothing is lost if the process dies (or the NOTIFY fails) between a commit and its NOTIFY: the
 * listeners also poll what they follow (`sent_at is null`, `seq > last`), and polling is the truth;
 * the NOTIFY only shortens the wait.
 */
export class CommitNotifier {
  readonly #pool: pg.Pool;
  /** Told of a NOTIFY that failed; the first one given (see commitNotifier). */
  logger: Pick<Logger, 'warn'> | undefined;
  /** Channels with a NOTIFY on its way, and whether another was asked for meanwhile. */
  readonly #sending = new Map<string, { again: boolean }>();
  /** Channels that a listener in this process serves for everyone (see serveHere), and how to wake it. */
  readonly #servedHere = new Map<string, () => void>();

  constructor(pool: pg.Pool, logger?: Pick<Logger, 'warn'>) {
    this.#pool = pool;
    this.logger = logger;
  }

  /**
   * Lets a listener in this process take the wake-ups of a channel where one woken listener anywhere
   * does all the work (an outbox relay publishes every pending row, whoever wrote it): they call `wake`
   * directly and send no NOTIFY, which costs Postgres a commit record each time and the listener a round
   * trip. The listener must NOTIFY the channel itself when it cannot do the work (another instance holds
   * it), so that instance runs again. Returns what stops it; until then NOTIFYs on the channel are sent as usual.
   */
  serveHere(channel: string, wake: () => void): () => void {
    this.#servedHere.set(channel, wake);
    return () => {
      if (this.#servedHere.get(channel) === wake) this.#servedHere.delete(channel);
    };
  }

  /** Call after the commit; returns at once. */
  notify(channel: string): void {
    const here = this.#servedHere.get(channel);
    if (here) {
      here();
      return;
    }
    this.notifyAll(channel);
  }

  /** A NOTIFY on the channel for every process that LISTENs, even where a listener here serves it. */
  notifyAll(channel: string): void {
    const sending = this.#sending.get(channel);
    if (sending) {
      sending.again = true;
      return;
    }
    const state = { again: false };
    this.#sending.set(channel, state);
    this.#pool
      .query('select pg_notify($1, $2)', [channel, ''])
      .catch((err: Error) => this.logger?.warn({ channel, reason: err.message }, 'could not NOTIFY after a commit; listeners find the work at their next poll'))
      .finally(() => {
        this.#sending.delete(channel);
        if (state.again) this.notifyAll(channel);
      });
  }
}

const notifiers = new WeakMap<pg.Pool, CommitNotifier>();

/**
 * The pool's one notifier, so that everything committed through the pool shares its coalescing. It
 * keeps the first logger given, also when an earlier caller gave none (the migrations' createDb).
 */
export function commitNotifier(pool: pg.Pool, logger?: Pick<Logger, 'warn'>): CommitNotifier {
  let notifier = notifiers.get(pool);
  if (!notifier) {
    notifier = new CommitNotifier(pool, logger);
    notifiers.set(pool, notifier);
  }
  notifier.logger ??= logger;
  return notifier;
}

/** Channels to notify once a transaction commits, by transaction (see createDb). */
const pendingByTx = new WeakMap<object, Set<string>>();

/** Called by createDb's `transaction` for each transaction it opens; returns what to notify once it commits. */
export function trackCommitNotices(tx: object): Set<string> {
  const channels = new Set<string>();
  pendingByTx.set(tx, channels);
  return channels;
}

/**
 * Asks for a NOTIFY on `channel` once `tx` commits; nothing is sent if it rolls back. `tx` must be a
 * transaction opened by a Db from createDb (not a nested one, a savepoint), which sends it.
 */
export function notifyOnCommit(tx: object, channel: string): void {
  const channels = pendingByTx.get(tx);
  if (!channels) {
    throw new Error(`notifyOnCommit(${channel}): the transaction was not opened by createDb's db.transaction (a nested transaction is not supported)`);
  }
  channels.add(channel);
}
