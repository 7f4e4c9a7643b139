import type { Db, Tx } from '@gridcase/db';
import { eq, isNotNull } from 'drizzle-orm';
import { clients } from './schema.ts';

export type ClientRow = typeof clients.$inferSelect;

export async function findClient(db: Db | Tx, clientId: string): Promise<ClientRow | undefined> {
  const [row] = await db.select().from(clients).where(eq(clients.clientId, clientId));
  return row;
}

/** Ids of revoked clients: what every service refuses (served at /v1/clients/revoked, read directly by intake). */
export async function revokedClientIds(db: Db): Promise<string[]> {
  const rows = await db.select({ clientId: clients.clientId }).from(clients).where(isNotNull(clients.revokedAt));
  return rows.map((r) => r.clientId);
}
