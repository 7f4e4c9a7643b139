import type { Actor } from '@gridcase/contracts';
import { type Db, type OutgoingMessage, writeOutbox } from '@gridcase/db';
import { eq } from 'drizzle-orm';
import type { CommandName } from '../domain/commands.ts';
import { commands, outbox } from './schema.ts';

/** A command the desk sends to the case of record, as it records it while the answer is pending. */
export interface IssuedCommand {
  commandId: string;
  caseId: string;
  type: CommandName;
  issuedBy: Actor;
  issuedAt: Date;
}

/** Records `command` as pending and writes its message to the outbox in one transaction: both are kept, or neither. */
export async function recordCommand(db: Db, command: IssuedCommand, message: OutgoingMessage): Promise<void> {
  const { commandId, caseId, type, issuedBy, issuedAt } = command;
  await db.transaction(async (tx) => {
    await tx.insert(commands).values({ commandId, caseId, type, status: 'pending', issuedBy, issuedAt });
    await writeOutbox(tx, outbox, 'desk', [message]);
  });
}

/** Where a recorded command stands (pending, applied or rejected, with a rejection's reason and code); undefined when unknown. */
export async function commandOutcome(db: Db, commandId: string) {
  const [cmd] = await db.select({ status: commands.status, reason: commands.reason, code: commands.code }).from(commands).where(eq(commands.commandId, commandId));
  return cmd;
}
