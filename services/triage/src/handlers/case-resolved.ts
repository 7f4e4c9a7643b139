import { claimInbox } from '@gridcase/db';
import { eq } from 'drizzle-orm';
import { inbox, openCases } from '../db/schema.ts';
import type { TriageDeps } from './report-received.ts';

/** A resolved case is no longer a target for merging. */
export async function handleCaseClosed(deps: TriageDeps, eventId: string, caseId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await claimInbox(tx, inbox, deps.groupId, eventId))) return;
    await tx.delete(openCases).where(eq(openCases.caseId, caseId));
  });
}
