import type pg from 'pg';

export interface ListenOptions {
  pool: pg.Pool;
  channel: string;
  onNotification: (payload: string | undefined) => void;
  /** Called once when the connection is lost; the caller decides when to listen again. */
  onLost: (err?: Error) => void;
}

/**
 * LISTENs on a dedicated pooled connection. A lost connection is destroyed (never returned to the
 * pool) and reported once through `onLost`. Resolves with a release function; rejects if it could
 * not LISTEN (the connection is destroyed then too).
 */
export async function listenOn(o: ListenOptions): Promise<() => void> {
  const client = await o.pool.connect();
  let done = false;
  const finish = (err?: Error) => {
    if (done) return false;
    done = true;
    client.release(err);
    return true;
  };
  const lost = (err?: Error) => {
    if (finish(err ?? new Error('LISTEN connection ended'))) o.onLost(err);
  };
  client.on('notification', (n) => o.onNotification(n.payload));
  client.on('error', lost);
  client.on('end', () => lost());
  try {
    await client.query(`listen ${o.channel}`);
  } catch (err) {
    finish(err as Error);
    throw err;
  }
  return () => void finish();
}
