import type { Principal } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { HttpProblem, type TokenSigner } from '@gridcase/service-kit';
import { findClient } from './db/queries.ts';

const unauthorized = (detail: string) =>
  new HttpProblem(401, 'Unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } });

/**
 * Intake owns the clients table, so it checks it on every request instead of waiting for the
 * revocation list other services poll: a revoked (or unknown) client is refused at once.
 */
export async function assertClientActive(db: Db, principal: Principal): Promise<void> {
  if (principal.clientId === 'admin') return;
  const client = await findClient(db, principal.clientId);
  if (!client) throw unauthorized('the token names an unknown client');
  if (client.revokedAt) throw unauthorized('the token was revoked');
}

/** The principal of a token given outside the Authorization header (Open311's api_key). */
export async function principalOf(db: Db, signer: TokenSigner, token: string | undefined): Promise<Principal> {
  if (!token) throw unauthorized('an api_key (or a bearer token) is required');
  const principal = signer.verify(token);
  if (!principal) throw unauthorized('the api_key is invalid');
  await assertClientActive(db, principal);
  return principal;
}

export { bearerToken } from '@gridcase/service-kit';

/** Roles that may read any report; a reporter client reads only its own. */
export const READ_ANY = ['desk', 'officer', 'supervisor'] as const;
