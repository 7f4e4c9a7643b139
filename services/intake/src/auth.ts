import type { Principal } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { HttpProblem, ROOT_CLIENT_ID, systemClock, type Clock, type TokenSigner } from '@gridcase/service-kit';
import type { ChangeListener } from './db/change-notices.ts';
import { findClient } from './db/queries.ts';

const unauthorized = (detail: string) =>
  new HttpProblem(401, 'Unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } });

type Standing = 'active' | 'revoked' | 'unknown';
/** What the directory holds of a client: its standing, and its own rate limit if it has one. */
type Held = { standing: Standing; ratePerMinute: number | undefined };

/**
 * Whether a client may still act, and at what rate, as intake's clients table says. Intake owns the table, so it does
 * not wait for the revocation list other services poll; but it does not read the row on every
 * request either. A client's standing is kept in memory and forgotten as soon as a trigger on the
 * table NOTIFYs a change (migration 0009, heard by ChangeNotices), on this instance or any other.
 * Staleness is bounded twice over: while the LISTEN connection is down every request reads the
 * table, and no standing is trusted for longer than `maxAgeMs` (30 s) even with it up, should
 * notices stop arriving on a connection that looks alive. A revoked token so stops here within
 * milliseconds, and within 30 s at worst: inside the contract's minute.
 */
export class ClientDirectory implements ChangeListener {
  readonly #db: Db;
  readonly #isListening: () => boolean;
  readonly #maxAgeMs: number;
  readonly #clock: Clock;
  readonly #known = new Map<string, Held & { at: number }>();
  /** Reads of the table under way, by client. */
  readonly #reading = new Map<string, Promise<Held>>();
  /** Moves on every change heard: a read that began before one must not store what it read. */
  #epoch = 0;

  constructor(db: Db, options: { isListening: () => boolean; maxAgeMs?: number; clock?: Clock }) {
    this.#db = db;
    this.#isListening = options.isListening;
    this.#maxAgeMs = options.maxAgeMs ?? 30_000;
    this.#clock = options.clock ?? systemClock;
  }

  onChange(payload: string): void {
    if (payload.startsWith('client:')) this.forget(payload.slice('client:'.length));
  }

  /** Forgets a client's standing now: the instance that revokes a token refuses it from its next request, before the notice comes back. */
  forget(clientId: string): void {
    this.#epoch++;
    this.#known.delete(clientId);
    // A read begun before the change may have read the row before it: the next ask reads again.
    this.#reading.delete(clientId);
  }

  onReset(): void {
    this.#epoch++;
    this.#known.clear();
    this.#reading.clear();
  }

  async #held(clientId: string): Promise<Held> {
    const now = this.#clock.now().getTime();
    const known = this.#known.get(clientId);
    if (known && this.#isListening() && now - known.at <= this.#maxAgeMs) return known;
    // One read per client at a time: a request asks for its standing and then its rate, and while
    // LISTEN is down (nothing is remembered) both would otherwise read the table.
    let reading = this.#reading.get(clientId);
    if (!reading) {
      reading = this.#read(clientId, now).finally(() => {
        if (this.#reading.get(clientId) === reading) this.#reading.delete(clientId);
      });
      this.#reading.set(clientId, reading);
    }
    return reading;
  }

  async #read(clientId: string, now: number): Promise<Held> {
    const epoch = this.#epoch;
    const row = await findClient(this.#db, clientId);
    const held: Held = { standing: !row ? 'unknown' : row.revokedAt ? 'revoked' : 'active', ratePerMinute: row?.ratePerMinute ?? undefined };
    if (epoch === this.#epoch && this.#isListening()) this.#known.set(clientId, { ...held, at: now });
    return held;
  }

  async standingOf(clientId: string): Promise<Standing> {
    return (await this.#held(clientId)).standing;
  }

  /** The client's own requests a minute (PATCH /v1/clients/{id}), or undefined for the install's default. */
  async rateOf(clientId: string): Promise<number | undefined> {
    return (await this.#held(clientId)).ratePerMinute;
  }

  /** Throws 401 for a revoked client or one the table does not know; the root token has no row. */
  async assertActive(principal: Principal): Promise<void> {
    if (principal.clientId === ROOT_CLIENT_ID) return;
    const standing = await this.standingOf(principal.clientId);
    if (standing === 'unknown') throw unauthorized('the token names an unknown client');
    if (standing === 'revoked') throw unauthorized('the token was revoked');
  }
}

/** The principal of a token given outside the Authorization header (Open311's api_key). */
export async function principalOf(clients: ClientDirectory, signer: TokenSigner, token: string | undefined): Promise<Principal> {
  if (!token) throw unauthorized('an api_key (or a bearer token) is required');
  const principal = signer.verify(token);
  if (!principal) throw unauthorized('the api_key is invalid');
  await clients.assertActive(principal);
  return principal;
}

export { bearerToken } from '@gridcase/service-kit';

/** Roles that may read any report; a reporter client reads only its own. */
export const READ_ANY = ['desk', 'officer', 'supervisor'] as const;
