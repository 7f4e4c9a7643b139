import type { Actor } from '@gridcase/contracts';
import { type Db, type OutgoingMessage, writeOutbox } from '@gridcase/db';
import { and, eq, sql } from 'drizzle-orm';
import type { CommandName } from '../domain/commands.ts';
import { commands, outbox } from './schema.ts';

/** A command the desk sends to the case of record, as it records it while the answer is pending. */
export interface IssuedCommand {
  commandId: string;
  caseId: string;
  type: CommandName;
  issuedBy: Actor;
  issuedAt: Date;
  /** The client's `Idempotency-Key` and a hash of what it asked, when it sent one. */
  idempotency?: { key: string; requestHash: string } | undefined;
}

/** The command a client issued under an `Idempotency-Key`, with what that request asked. */
export interface KeyedCommand {
  commandId: string;
  type: string;
  requestHash: string | null;
}

/** The command `clientId` issued under `key`, or undefined. */
export async function keyedCommand(db: Db, clientId: string, key: string): Promise<KeyedCommand | undefined> {
  const [row] = await db
    .select({ commandId: commands.commandId, type: commands.type, requestHash: commands.requestHash })
    .from(commands)
    .where(and(eq(commands.clientId, clientId), eq(commands.idempotencyKey, key)));
  return row;
}

/**
 * Records `command` as pending and writes its message to the outbox in one transaction: both are
 * kept, or neither. Under an `Idempotency-Key` another request of the client took meanwhile, nothing
 * is written and that request's command comes back instead.
 */
export async function recordCommand(db: Db, command: IssuedCommand, message: OutgoingMessage): Promise<{ recorded: true } | { recorded: false; existing: KeyedCommand | undefined }> {
  const { commandId, caseId, type, issuedBy, issuedAt, idempotency } = command;
  const recorded = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(commands)
      .values({ commandId, caseId, type, status: 'pending', issuedBy, issuedAt, clientId: issuedBy.clientId, idempotencyKey: idempotency?.key, requestHash: idempotency?.requestHash })
      .onConflictDoNothing({ target: [commands.clientId, commands.idempotencyKey], where: sql`idempotency_key is not null` })
      .returning({ commandId: commands.commandId });
    if (inserted.length === 0) return false;
    await writeOutbox(tx, outbox, 'desk', [message]);
    return true;
  });
  if (recorded) return { recorded: true };
  return { recorded: false, existing: idempotency && (await keyedCommand(db, issuedBy.clientId, idempotency.key)) };
}

/** Where a recorded command stands (pending, applied or rejected, with a rejection's reason and code); undefined when unknown. */
export async function commandOutcome(db: Db, commandId: string) {
  const [cmd] = await db.select({ status: commands.status, reason: commands.reason, code: commands.code }).from(commands).where(eq(commands.commandId, commandId));
  return cmd;
}
