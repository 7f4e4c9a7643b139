import type { Db, Tx } from '@gridcase/db';
import { eq } from 'drizzle-orm';
import { clients } from './schema.ts';

export type ClientRow = typeof clients.$inferSelect;

export async function findClient(db: Db | Tx, clientId: string): Promise<ClientRow | undefined> {
  const [row] = await db.select().from(clients).where(eq(clients.clientId, clientId));
  return row;
}
