// Inspect and replay gridcase.dlq (docs/operations.md, "Dead letters"):
//   node infra/scripts/dlq.ts list   [--filter KEY=VALUE]... [--json]
//   node infra/scripts/dlq.ts show   <partition:offset | offset | event id>
//   node infra/scripts/dlq.ts replay (--filter KEY=VALUE... | --all) [--dry-run]
// Filters, all of which must hold:
//   topic=<original topic, e.g. gridcase.reports>   group=<consumer group that gave up>
//   reason=<text in the error, any case>             type=<event type>   id=<event id>   key=<record key>
//   since=<ISO time | 30m | 2h | 7d> and until=<…>   on the time the consumer gave up
// Env: KAFKA_BROKERS (127.0.0.1:9092), KAFKA_TOPIC_PREFIX. Reading never moves a consumer's offsets.
import { parseArgs } from 'node:util';
import { createKafka, createProducer, type DeadLetter, headersAsSent, readDeadLetters, replayDeadLetters } from '@gridcase/messaging';
import pino from 'pino';

const FILTER_KEYS = ['topic', 'group', 'reason', 'type', 'id', 'key', 'since', 'until'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
export type Filter = Partial<Record<Exclude<FilterKey, 'since' | 'until'>, string>> & { since?: Date; until?: Date };

export class UsageError extends Error {}

const DURATION_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** An ISO time, or a duration back from `now` (`30m`, `2h`, `7d`). */
export function parseInstant(text: string, now: Date): Date {
  const ago = /^(\d+)([smhd])$/.exec(text);
  if (ago) return new Date(now.getTime() - Number(ago[1]) * DURATION_MS[ago[2] as keyof typeof DURATION_MS]);
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new UsageError(`not a time: '${text}' (an ISO time such as 2026-11-29T08:00:00Z, or 30m, 2h, 7d)`);
  return new Date(at);
}

/** `--filter` arguments (`KEY=VALUE`) as one filter; a key given twice is refused. */
export function parseFilter(args: readonly string[], now: Date): Filter {
  const filter: Filter = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = arg.slice(0, eq) as FilterKey;
    const value = arg.slice(eq + 1);
    if (eq < 1 || !FILTER_KEYS.includes(key) || value === '') {
      throw new UsageError(`bad filter '${arg}': expected KEY=VALUE with KEY one of ${FILTER_KEYS.join(', ')}`);
    }
    if (key in filter) throw new UsageError(`filter '${key}' given twice`);
    if (key === 'since' || key === 'until') filter[key] = parseInstant(value, now);
    else filter[key] = value;
  }
  return filter;
}

/** Whether a dead letter passes the filter. Groups match with or without the topic prefix. */
export function matches(entry: DeadLetter, filter: Filter, topicPrefix: string): boolean {
  if (filter.topic !== undefined && entry.origin.topic !== filter.topic) return false;
  if (filter.group !== undefined && entry.origin.group !== filter.group && entry.origin.group !== `${topicPrefix}${filter.group}`) return false;
  if (filter.reason !== undefined && !(entry.error ?? '').toLowerCase().includes(filter.reason.toLowerCase())) return false;
  if (filter.type !== undefined && entry.eventType !== filter.type) return false;
  if (filter.id !== undefined && entry.eventId !== filter.id) return false;
  if (filter.key !== undefined && entry.key !== filter.key) return false;
  if (filter.since || filter.until) {
    const failedAt = entry.failedAt ? Date.parse(entry.failedAt) : Number.NaN;
    if (Number.isNaN(failedAt)) return false;
    if (filter.since && failedAt < filter.since.getTime()) return false;
    if (filter.until && failedAt > filter.until.getTime()) return false;
  }
  return true;
}

/** What `show` accepts: `3:42` (partition:offset in the DLQ), a bare offset (any partition), or an event id. */
export function selector(arg: string): (entry: DeadLetter) => boolean {
  const at = /^(\d+):(\d+)$/.exec(arg);
  if (at) return (e) => e.partition === Number(at[1]) && e.offset === at[2];
  if (/^\d+$/.test(arg)) return (e) => e.offset === arg;
  return (e) => e.eventId === arg;
}

/** One line of `list`. */
export function summary(e: DeadLetter): string {
  const origin = `${e.origin.topic ?? '?'} ${e.origin.partition ?? '?'}@${e.origin.offset ?? '?'}`;
  const event = e.eventType ? `${e.eventType} ${e.eventId ?? ''}`.trim() : '(not an event)';
  const reason = (e.error ?? '').replace(/\s+/g, ' ');
  return [
    `${e.partition}:${e.offset}`,
    e.failedAt ?? '?',
    origin,
    e.origin.group ?? '?',
    `x${e.attempts ?? '?'}`,
    e.truncated ? `${event} [truncated]` : event,
    reason.length > 120 ? `${reason.slice(0, 119)}…` : reason,
  ].join('  ');
}

/** The whole record for `show` and `list --json`: the value as JSON when it is, else as text. */
export function detail(e: DeadLetter): Record<string, unknown> {
  let value: unknown = null;
  if (e.value) {
    const text = e.value.toString('utf8');
    try {
      value = JSON.parse(text);
    } catch {
      value = Buffer.from(text, 'utf8').equals(e.value) ? text : { base64: e.value.toString('base64') };
    }
  }
  return {
    at: `${e.partition}:${e.offset}`,
    origin: e.origin,
    failedAt: e.failedAt,
    attempts: e.attempts,
    error: e.error,
    truncated: e.truncated,
    eventId: e.eventId,
    eventType: e.eventType,
    key: e.key,
    // Every value of a header the record carried more than once.
    headers: headersAsSent(e),
    value,
  };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      filter: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
    },
  });
  const [command, target] = positionals;
  const filter = parseFilter(values.filter, new Date());
  const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const kafka = createKafka({ brokers, clientId: 'gridcase-dlq', topicPrefix: prefix }, pino({ level: 'warn' }));
  const source = { kafka, topicPrefix: prefix };

  switch (command) {
    case 'list': {
      const entries = await readDeadLetters(source, (e) => matches(e, filter, prefix));
      for (const e of entries) console.log(values.json ? JSON.stringify(detail(e)) : summary(e));
      if (!values.json) console.error(`${entries.length} dead letter(s) match`);
      return 0;
    }
    case 'show': {
      if (!target) throw new UsageError('show needs <partition:offset | offset | event id>');
      const entries = await readDeadLetters(source, selector(target));
      for (const e of entries) console.log(JSON.stringify(detail(e), null, 2));
      if (entries.length === 0) console.error(`no dead letter at ${target}`);
      return entries.length === 0 ? 1 : 0;
    }
    case 'replay': {
      if (values.filter.length === 0 && !values.all) throw new UsageError('replay needs --filter KEY=VALUE (or --all to replay every dead letter)');
      const producer = createProducer(kafka);
      await producer.connect();
      try {
        const dryRun = values['dry-run'];
        const result = await replayDeadLetters({ ...source, producer, match: (e) => matches(e, filter, prefix), dryRun });
        for (const e of result.entries) console.log(`${dryRun ? 'would replay' : 'replayed'}  ${summary(e)}`);
        console.error(`${dryRun ? 'dry run: would replay' : 'replayed'} ${result.entries.length}, left ${result.skipped}`);
      } finally {
        await producer.disconnect();
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown command '${command ?? ''}': list, show or replay`);
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`dlq: ${(err as Error).message}\nusage: node infra/scripts/dlq.ts list|show|replay (see the head of infra/scripts/dlq.ts)`);
      process.exitCode = 2;
    } else {
      throw err;
    }
  }
}
