/**
 * Whether a Postgres error (its SQLSTATE and message) says the database is not there for us right
 * now, rather than that the statement is wrong: a connection lost or refused (class 08), the server
 * out of resources (class 53), shutting down, starting, dropped or timing a session out (57P01-57P05),
 * no such database (3D000: while one is restored), a login refused (28000, 28P01: a password being
 * rotated), or a database closed to connections for maintenance (55000 with that message: 55000 is
 * otherwise a mistake of ours). The same statement will work once it is back: consumers retry it,
 * HTTP answers 503. The one list both use.
 */
export function isDatabaseUnavailable(code: string, error: { message?: unknown; routine?: unknown } = {}): boolean {
  if (code.startsWith('08') || code.startsWith('53')) return true;
  if (UNAVAILABLE.has(code)) return true;
  // The routine that refuses a closed database names it whatever language the server speaks (lc_messages).
  return code === '55000' && (error.routine === CLOSED_TO_CONNECTIONS_ROUTINE || (typeof error.message === 'string' && CLOSED_TO_CONNECTIONS.test(error.message)));
}

const UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '57P04', '57P05', '3D000', '28000', '28P01']);
const CLOSED_TO_CONNECTIONS = /is not currently accepting connections/;
const CLOSED_TO_CONNECTIONS_ROUTINE = 'CheckMyDatabase';
