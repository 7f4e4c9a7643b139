import { maskNumbersInText, newId, ReportBody, Reporter, withholdUnknownFields, withinCopiedDepth } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { classifyError, describeError, type InboundRecord, PoisonError } from '@gridcase/messaging';
import type { Logger } from 'pino';
import { and, eq, isNull } from 'drizzle-orm';
import { recordInboundRejection } from '../db/inbound-rejections.ts';
import { deadLetterPersonal } from '../db/schema.ts';
import { maskNumbersInJson } from '../domain/reporter.ts';

const REF_PREFIX = 'intake-dlq:';
/** A reporter's name is at most this long, so a longer text in an unknown field is not looked for as one. */
const MAX_NAME_LENGTH = Reporter.shape.name.unwrap().maxLength ?? 100;
const MAX_MAYBE_NAMES = 10;

const UUID_IN_TEXT = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;
/**
 * An inbound record's key as it leaves intake (the DLQ, trace spans): it is the sender's externalId, which
 * a sender may make of a phone number (tel-13893569999 → tel-138****9999), masked as the DLQ copy's value masks it.
 */
export const inboundKeyOut = (key: string): string =>
  // A UUID's digits can look like a phone number (about 1 in 400 do): it stays whole, or `ext-<uuid>` would not be found again.
  key
    .split(UUID_IN_TEXT)
    .map((part, i) => (i % 2 === 1 ? part : maskNumbersInText(part)))
    .join('');
/** Header naming the client that produced a raw report onto gridcase.reports.inbound. */
export const CLIENT_ID_HEADER = 'client-id';

/**
 * The client that sent an inbound record, as far as it says: its `client-id` header, or the one client all of its
 * `client-id` headers name; undefined when it has none or they name different clients.
 */
export function inboundSender(record: InboundRecord): string | undefined {
  const all = record.repeatedHeaders?.[CLIENT_ID_HEADER];
  if (all) return all.every((id) => id === all[0]) ? all[0] : undefined;
  return record.headers[CLIENT_ID_HEADER] || undefined;
}

/**
 * The sender of an inbound record as it may leave intake (the dead-letter log line): inboundSender's, so the log
 * names whom the refusal is kept for. A client of ours has a UUID for an id (newId), logged whole; any other
 * `client-id` names no client and is the sender's own text, masked as a key is (it may be a phone number).
 */
export function inboundSenderOut(record: InboundRecord): string | undefined {
  const sender = inboundSender(record);
  return sender === undefined ? sender : inboundKeyOut(sender);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The id of a `{"$ref": "intake-dlq:<id>"}` placeholder, or undefined. */
const refId = (v: unknown): string | undefined => {
  if (!isObject(v) || Object.keys(v).length !== 1) return undefined;
  return heldId(v);
};
/** The id of the `$ref` of a value whose original intake holds (a masked copy carries it beside its fields), or undefined. */
const heldId = (v: unknown): string | undefined => {
  if (!isObject(v) || typeof v.$ref !== 'string') return undefined;
  return v.$ref.startsWith(REF_PREFIX) ? v.$ref.slice(REF_PREFIX.length) : undefined;
};
const parseJson = (value: Buffer): unknown => {
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * The value to dead-letter for a raw inbound report: its `reporter` (or, when the value is not a
 * JSON object, the whole value) is kept in intake's own table and replaced by a reference, so
 * gridcase.dlq holds no personal data. Phone and ID numbers and the reporter's own name written into
 * its text (description, title, address…) are masked in the copy, the value of a field a report body does not
 * have is withheld (withholdUnknownFields: its key kept when the reason names it), and whatever nests deeper
 * than 64 levels is cut (withinCopiedDepth: a value 50 000 lists deep is more than JSON.stringify takes); then
 * the whole original is kept instead, and the copy names it with a `$ref` beside its fields. A copy larger than
 * the dead letter has room for is that `$ref` alone (the consumer would write a stub, which no replay can use). A
 * value already holding a reference is passed on as it is.
 * The refusal is kept first, under the sender's externalId (the body's, else the record's key), for
 * GET /v1/reports?externalId: the sender cannot read gridcase.dlq, and it learns of its refusal even when no
 * copy can be made (the consumer then writes a stub).
 */
export function inboundDeadLetterValue(db: Db, logger: Logger) {
  return async (record: InboundRecord, reason: string, room = Number.POSITIVE_INFINITY): Promise<Buffer | null> => {
    const sent = record.value && record.value.length > 0 ? parseJson(record.value) : undefined;
    const json = withinCopiedDepth(sent);
    await keepRefusal(db, logger, record, json, reason);
    return personalDataOut(db, record, json, json !== sent, room);
  };
}

/** Keeps the refusal of an inbound record for its sender; throws only when the database is away (the record then waits). */
async function keepRefusal(db: Db, logger: Logger, record: InboundRecord, json: unknown, reason: string): Promise<void> {
  // Shown to the one client that sent it: a record whose client-id headers name two clients is refused for it, unlisted.
  const clientId = inboundSender(record);
  const externalId = isObject(json) && typeof json.externalId === 'string' ? json.externalId : record.key;
  if (!clientId || !externalId) return;
  const rejection = { clientId, externalId, reason, sourcePartition: record.partition, sourceOffset: record.offset };
  try {
    await recordInboundRejection(db, rejection);
  } catch (err) {
    // The database away: the record waits and all is done again (both writes are idempotent enough: one
    // refusal per record, a second reference for the same reporter). Anything else must not cost the
    // dead letter its value (a stub could not be replayed): the sender just does not see this refusal.
    if (classifyError(err) === 'transient') throw err;
    logger.warn({ partition: record.partition, offset: record.offset, reason: describeError(err) }, 'could not keep the refusal of an inbound record for its sender');
  }
}

/**
 * `json` is the value as sent with what nests deeper than a copy may cut (`cut`: something was). A dead letter's
 * value larger than `room` would be written as a stub no replay can use: the whole original is kept instead, and
 * the dead letter is its reference alone, as for a value that is not a JSON object.
 */
async function personalDataOut(db: Db, record: InboundRecord, json: unknown, cut: boolean, room: number): Promise<Buffer | null> {
  if (record.value === null || record.value.length === 0) return record.value;
  if (refId(json) !== undefined) return record.value;
  const id = newId();
  const ref = { $ref: `${REF_PREFIX}${id}` };
  // The sender as the refusal reads it: a record whose client-id headers name two clients is kept for neither.
  const clientId = inboundSender(record) ?? null;
  const original = record.value;
  /** Keeps the whole original under `ref`; the dead letter is `copy`, or `ref` alone when `copy` does not fit. */
  const keptWhole = async (copy: Json = ref): Promise<Buffer> => {
    await db.insert(deadLetterPersonal).values({ id, clientId, raw: original.toString('base64') });
    const value = Buffer.from(JSON.stringify(copy));
    return value.length <= room ? value : Buffer.from(JSON.stringify(ref));
  };
  if (!isObject(json)) return keptWhole();
  // A copy of ours nests no deeper than its cut: one that does is the sender's own.
  if (!cut && (await isOurCopy(db, json, clientId))) return record.value;
  const { reporter, ...rest } = json;
  // A field the body does not have is nothing the copy can mask (reporterName: "王五"): its value is withheld. Its
  // text may be a name also written into the report's text, and is masked there as a name (at most a few: each is one more pass).
  const maybeNames: string[] = [];
  const known = withholdUnknownFields(ReportBody, rest, (taken) => {
    if (typeof taken === 'string' && taken.length <= MAX_NAME_LENGTH && maybeNames.length < MAX_MAYBE_NAMES) maybeNames.push(taken);
  });
  // The reporter's own name written into the text is masked as report.received masks it.
  const name = isObject(reporter) && typeof reporter.name === 'string' ? reporter.name : undefined;
  const masked = maskNumbersInJson(known, name, maybeNames) as Json;
  if (cut || JSON.stringify(masked) !== JSON.stringify(rest)) {
    // The copy no longer replays as sent: the whole original is kept, reporter and all.
    // A field the sender named $ref is no reference of ours: the copy's own stands in its place.
    return keptWhole({ ...ref, ...masked, ...ref, ...('reporter' in json ? { reporter: ref } : {}) });
  }
  if (!('reporter' in json) || refId(reporter) !== undefined) return record.value.length <= room ? record.value : keptWhole();
  const copy = Buffer.from(JSON.stringify({ ...json, reporter: ref }));
  if (copy.length > room) return keptWhole();
  // JSON text escapes NUL and lone surrogates, so whatever the sender put there fits a text column.
  await db.insert(deadLetterPersonal).values({ id, clientId, reporter: JSON.stringify(json.reporter) });
  return copy;
}

/**
 * Whether a record is a copy this dead letter made before, going again: its `$ref` is held here for its
 * client and it carries nothing to withhold or mask. A sender's own `$ref` beside a reporter or an
 * unknown field is no copy of ours (it went to the DLQ as sent, review of audit17 #5).
 */
async function isOurCopy(db: Db, json: Record<string, unknown>, clientId: string | null): Promise<boolean> {
  const id = heldId(json);
  if (id === undefined) return false;
  const { $ref: _ref, reporter, ...fields } = json;
  if (reporter !== undefined && refId(reporter) === undefined) return false;
  const cleaned = maskNumbersInJson(withholdUnknownFields(ReportBody, fields, () => {}), undefined, []);
  if (JSON.stringify(cleaned) !== JSON.stringify(fields)) return false;
  const [row] = await db.select({ id: deadLetterPersonal.id }).from(deadLetterPersonal).where(and(eq(deadLetterPersonal.id, id), heldFor(clientId))).limit(1);
  return row !== undefined;
}

/**
 * The rows a record may have back: those kept for the sender it names, or, naming none (or two), those kept
 * for none. A client naming itself cannot claim a row kept for no client: whose it was is not known.
 */
const heldFor = (clientId: string | null | undefined) => (clientId ? eq(deadLetterPersonal.clientId, clientId) : isNull(deadLetterPersonal.clientId));

/**
 * A replayed dead letter with its personal data put back from intake's table; any other record as
 * it is. Only the client that sent it gets it back.
 */
export async function restoreDeadLetter(db: Db, record: InboundRecord): Promise<InboundRecord> {
  if (record.value === null || record.value.length === 0) return record;
  const json = parseJson(record.value);
  const wholeId = heldId(json);
  const reporterId = isObject(json) ? refId(json.reporter) : undefined;
  const id = wholeId ?? reporterId;
  if (id === undefined) return record;
  // A copy of ours nests no deeper than its cut: a value that does and names a reporter reference is the sender's
  // own, refused as sent (putting the reporter back would take JSON.stringify through all of it).
  if (wholeId === undefined && withinCopiedDepth(json) !== json) return record;
  const clientId = inboundSender(record);
  const [row] = await db
    .select()
    .from(deadLetterPersonal)
    .where(and(eq(deadLetterPersonal.id, id), heldFor(clientId)));
  if (!row) throw new PoisonError('the record refers to dead-lettered personal data that intake does not hold for this client');
  if (wholeId !== undefined) {
    const raw = Buffer.from(row.raw ?? '', 'base64');
    // The key the DLQ kept masked (inboundKeyOut) is the externalId of the value as sent: put back, it matches again.
    const sent = parseJson(raw);
    const externalId = isObject(sent) && typeof sent.externalId === 'string' ? sent.externalId : undefined;
    const key = externalId !== undefined && record.key !== null && record.key !== externalId && inboundKeyOut(externalId) === record.key ? externalId : record.key;
    return { ...record, key, value: raw };
  }
  const restored = JSON.stringify({ ...(json as Json), reporter: JSON.parse(row.reporter ?? 'null') });
  return { ...record, value: Buffer.from(restored) };
}
