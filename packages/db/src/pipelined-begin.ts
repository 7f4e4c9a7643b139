import pg from 'pg';

// A transaction's BEGIN costs a round trip of its own: drizzle sends it and waits for its answer
// before the first statement. Most of our transactions are a handful of statements (an event's
// inbox claim, its effects, its outbox row), and at low load every event is one, so that round trip
// (a write and a wake-up on each side) is a good share of what an event costs. Here a pool client
// holds drizzle's `begin` back and sends it with the transaction's first statement: BEGIN's
// Parse/Bind/Execute, then the statement's, then one Sync: one round trip, the same effects (the
// server runs them in order; an error in the statement leaves the transaction aborted, as before,
// and the caller's ROLLBACK ends it). A transaction that sends nothing before its COMMIT or
// ROLLBACK sends neither.

/** The answer to a BEGIN, COMMIT or ROLLBACK that was held back or never needed sending. */
const completed = (command: string) => ({ command, rowCount: null, oid: null, rows: [], fields: [] });

interface QueryConfigLike {
  text?: string;
  name?: string;
  values?: unknown[];
  submit?: unknown;
  rows?: number;
  queryMode?: string;
}

const textOf = (config: unknown): string | undefined =>
  typeof config === 'string' ? config : typeof config === 'object' && config !== null ? (config as QueryConfigLike).text : undefined;

/** drizzle's `begin` (without isolation options), which is held back. */
const isPlainBegin = (config: unknown, values: unknown) =>
  textOf(config)?.trim().toLowerCase() === 'begin' && !(config as QueryConfigLike).name && !(Array.isArray(values) && values.length > 0);

const endCommand = (config: unknown): 'COMMIT' | 'ROLLBACK' | undefined => {
  const text = textOf(config)?.trim().toLowerCase();
  return text === 'commit' ? 'COMMIT' : text === 'rollback' ? 'ROLLBACK' : undefined;
};

/**
 * A statement pg sends by the extended protocol (parameters or a name: one statement, whole rows),
 * which can follow BEGIN before the Sync; not a cursor or other submittable, nor a paged portal.
 */
function oneExtendedStatement(config: unknown, values: unknown): boolean {
  if (typeof config === 'string') return Array.isArray(values) && values.length > 0;
  if (typeof config !== 'object' || config === null) return false;
  const c = config as QueryConfigLike;
  if (typeof c.submit === 'function' || c.rows) return false;
  if (c.queryMode === 'extended' || c.name) return true;
  const params = Array.isArray(values) ? values : c.values;
  return Array.isArray(params) && params.length > 0;
}

interface QueryInternals {
  name?: string;
  hasBeenParsed(connection: unknown): boolean;
  prepare(connection: unknown): void;
  handleCommandComplete(msg: unknown, connection: unknown): void;
  handleError(err: unknown, connection: unknown): void;
}
interface Connection {
  stream: { cork?: () => void; uncork?: () => void };
  parsedStatements: Record<string, string>;
  parse(q: { text: string; name: string; types: unknown[] }): void;
  bind(q: { portal: string; statement: string; values: unknown[] }): void;
  execute(q: { portal: string; rows: number }): void;
}
// pg's Query, whose protocol handling this extends; not in its typings.
const Query = (pg as unknown as { Query: new (config: unknown, values?: unknown, callback?: unknown) => QueryInternals }).Query;

/** A statement sent after a BEGIN in the same round trip (both on the unnamed statement and portal, one Sync). */
class BeginThenQuery extends Query {
  private begun = false;
  private parsedBefore = true;

  submit(connection: Connection): null {
    this.parsedBefore = this.hasBeenParsed(connection);
    connection.stream.cork?.();
    try {
      connection.parse({ text: 'begin', name: '', types: [] });
      connection.bind({ portal: '', statement: '', values: [] });
      connection.execute({ portal: '', rows: 0 });
      this.prepare(connection);
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  override handleCommandComplete(msg: unknown, connection: unknown): void {
    // The first is BEGIN's: the caller's result is the statement's alone.
    if (!this.begun) {
      this.begun = true;
      return;
    }
    super.handleCommandComplete(msg, connection);
  }

  override handleError(err: unknown, connection: Connection): void {
    // BEGIN's ParseComplete made pg note a named statement as parsed; if the statement's own Parse
    // failed it is not, and must be parsed again next time.
    if (!this.parsedBefore && this.name) delete connection.parsedStatements[this.name];
    super.handleError(err, connection);
  }
}

/**
 * Makes a pool client hold a plain `begin` back until the next statement and send the two in one
 * round trip (for a statement with parameters or a name, i.e. one the extended protocol carries;
 * before any other the BEGIN goes first as before). Installed on every client of createPool's pools.
 */
export function pipelineBegin(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let heldBack = false;
  const answer = (result: unknown, callback: unknown) => {
    if (typeof callback === 'function') {
      process.nextTick(() => callback(null, result));
      return undefined;
    }
    return Promise.resolve(result);
  };
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    const cb = typeof values === 'function' ? values : callback;
    if (!heldBack) {
      if (!isPlainBegin(config, values)) return query(config, values, callback);
      heldBack = true;
      return answer(completed('BEGIN'), cb);
    }
    heldBack = false;
    const end = endCommand(config);
    // Nothing was sent since the BEGIN: there is no transaction to end.
    if (end) return answer(completed(end), cb);
    if (oneExtendedStatement(config, values)) {
      const params = typeof values === 'function' ? undefined : values;
      if (typeof cb === 'function') {
        query(new BeginThenQuery(config, params, cb));
        return undefined;
      }
      return new Promise((resolve, reject) => {
        query(new BeginThenQuery(config, params, (err: unknown, res: unknown) => (err ? reject(err) : resolve(res))));
      });
    }
    // A simple-protocol statement (it may hold several) or a cursor: BEGIN first, as before; pg sends them in order.
    (query('begin') as Promise<unknown>).catch(() => {});
    return query(config, values, callback);
  };
}
