import { TOPICS, type Topic } from '@gridcase/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { type ReadRecord, readTopic } from '../harness.ts';
import { eventually } from '../poll.ts';
import { type Ledger, PII_PATTERNS } from './load.ts';

type Data = Record<string, unknown>;
const data = (r: ReadRecord) => (r.message?.data ?? {}) as Data;
const typed = (records: ReadRecord[], type: string) => records.filter((r) => r.message?.type === `gridcase.${type}.v1`);

/** Distinct event ids per key: a record the relay re-published (same event id) is not a double. */
function eventsBy(records: ReadRecord[], key: (r: ReadRecord) => string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of records) {
    const k = key(r);
    if (!out.has(k)) out.set(k, new Set());
    out.get(k)!.add(r.message!.id);
  }
  return out;
}

export interface Figures {
  lost: number;
  doubled: number;
  deadLettered: number;
  /** What the figures are made of, for the report when one is not 0. */
  detail: Record<string, unknown>;
}

export interface AuditOptions {
  env: Record<string, string>;
  ledger: Ledger;
  /** GET of intake's report view as admin. */
  reportView: (reportId: string) => Promise<{ status: number; body: any }>;
  /** Bound on waiting for the pipeline to drain. */
  drainMs?: number;
}

/** Reads all five topics of a stack from the beginning (the caller closes them). */
export async function readAllTopics(env: Record<string, string>) {
  const topics = Object.values(TOPICS) as Topic[];
  const readers = await Promise.all(topics.map((t) => readTopic(env, t)));
  const byTopic = Object.fromEntries(topics.map((t, i) => [t, readers[i]!.records])) as Record<Topic, ReadRecord[]>;
  const admin = new Kafka({ brokers: env.KAFKA_BROKERS!.split(','), clientId: 'faults-audit', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  return {
    byTopic,
    /** Waits until every reader holds every record now on its topic (no transactions: offsets are contiguous). */
    caughtUp: () =>
      eventually('topic readers to catch up', async () => {
        for (const t of topics) {
          const offsets = await admin.fetchTopicOffsets(`${env.KAFKA_TOPIC_PREFIX ?? ''}${t}`);
          const total = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
          if (byTopic[t].length < total) return undefined;
        }
        return true;
      }, 60_000),
    close: async () => {
      await admin.disconnect();
      await Promise.all(readers.map((r) => r.close()));
    },
  };
}

/**
 * Waits (bounded) for every accepted report to be handled, then counts:
 * lost — an accepted report with no case.opened and no case.report-merged, an opened case with no
 * level-0 case.assigned, or a report view that never reaches assigned/merged;
 * doubled — more than one case.opened (or opened and merged) per report, more than one level-0
 * case.assigned per case, an escalation twice for the same case, deadline and level, or one
 * (client, externalId) answered with two report ids;
 * dead-lettered — every record on gridcase.dlq.
 */
export async function auditPipeline(opts: AuditOptions, byTopic: Record<Topic, ReadRecord[]>): Promise<Figures> {
  const drainMs = opts.drainMs ?? 240_000;
  const accepted = opts.ledger.reportIds();
  const cases = byTopic[TOPICS.cases];
  const handled = () => {
    const ids = new Set<string>();
    for (const r of typed(cases, 'case.opened')) ids.add(data(r).reportId as string);
    for (const r of typed(cases, 'case.report-merged')) ids.add(data(r).reportId as string);
    return ids;
  };
  const unhandled = () => {
    const ids = handled();
    return accepted.filter((id) => !ids.has(id));
  };
  const openedCases = () => new Set(typed(cases, 'case.opened').map((r) => data(r).caseId as string));
  const unassigned = () => {
    const assigned = new Set(typed(cases, 'case.assigned').filter((r) => data(r).level === 0).map((r) => data(r).caseId as string));
    return [...openedCases()].filter((c) => !assigned.has(c));
  };
  await eventually('every accepted report to open or join a case, each case assigned', () =>
    unhandled().length === 0 && unassigned().length === 0 ? true : undefined, drainMs).catch(() => undefined);

  // Intake's views follow from the same events; read them a few at a time so the reads do not starve the pipeline.
  let notFinal = accepted.filter((id) => handled().has(id));
  await eventually('every handled report view to show assigned or merged', async () => {
    const still: string[] = [];
    const queue = [...notFinal];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          const v = await opts.reportView(id).catch(() => undefined);
          if (!(v?.status === 200 && ['assigned', 'merged'].includes(v.body?.status))) still.push(id);
        }
      }),
    );
    notFinal = still;
    return still.length === 0 ? true : undefined;
  }, 60_000).catch(() => undefined);

  const lostReports = unhandled();
  const lostAssignments = unassigned();

  const openedPerReport = eventsBy(typed(cases, 'case.opened'), (r) => data(r).reportId as string);
  const mergedReports = new Set(typed(cases, 'case.report-merged').map((r) => data(r).reportId as string));
  const doubleOpened = [...openedPerReport].filter(([id, ev]) => ev.size > 1 || mergedReports.has(id)).map(([id]) => id);
  const assignedPerCase = eventsBy(typed(cases, 'case.assigned').filter((r) => data(r).level === 0), (r) => data(r).caseId as string);
  const doubleAssigned = [...assignedPerCase].filter(([, ev]) => ev.size > 1).map(([id]) => id);
  const escalations = eventsBy(typed(cases, 'case.escalated'), (r) => {
    const d = data(r);
    return `${d.caseId} ${d.fromLevel} ${d.reason} ${d.deadline}`;
  });
  const doubleEscalated = [...escalations].filter(([, ev]) => ev.size > 1).map(([k]) => k);

  const dlq = byTopic[TOPICS.dlq];
  return {
    lost: lostReports.length + lostAssignments.length + notFinal.length,
    doubled: doubleOpened.length + doubleAssigned.length + doubleEscalated.length + opts.ledger.intakeDoubles,
    deadLettered: dlq.length,
    detail: {
      lostReports: lostReports.slice(0, 5),
      lostReportCount: lostReports.length,
      openedButUnassigned: lostAssignments.slice(0, 5),
      openedButUnassignedCount: lostAssignments.length,
      viewsNotFinal: notFinal.slice(0, 5),
      viewsNotFinalCount: notFinal.length,
      doubleOpened: doubleOpened.slice(0, 5),
      doubleAssigned: doubleAssigned.slice(0, 5),
      doubleEscalated: doubleEscalated.slice(0, 5),
      intakeDoubles: opts.ledger.intakeDoubles,
      dlqErrors: [...new Set(dlq.map((r) => `${r.headers['dlq-consumer-group']}: ${r.headers['dlq-error']?.slice(0, 200)}`))].slice(0, 5),
      statuses: Object.fromEntries(opts.ledger.statuses),
    },
  };
}

export interface PiiHit {
  where: string;
  kind: string;
  sample: string;
}

function scanText(text: string, where: string, hits: PiiHit[]) {
  for (const [kind, re] of Object.entries(PII_PATTERNS)) {
    for (const m of text.matchAll(re)) hits.push({ where, kind, sample: m[0] });
  }
}

/**
 * Greps every log file and every record of every topic (key, value and headers, the DLQ's too) for
 * the reporters' personal data. `ownInbound` are values the suite itself produced onto
 * gridcase.reports.inbound as "another system": that system's own record is not a leak.
 */
export function scanForPii(logFiles: string[], byTopic: Record<Topic, ReadRecord[]>, ownInbound: Set<string> = new Set()): PiiHit[] {
  const hits: PiiHit[] = [];
  for (const file of logFiles) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) scanText(line, `${file}:${i + 1}`, hits);
  }
  for (const [topic, records] of Object.entries(byTopic)) {
    records.forEach((r, i) => {
      if (topic === TOPICS.reportsInbound && r.value !== null && ownInbound.has(r.value)) return;
      scanText([r.key ?? '', r.value ?? '', ...Object.entries(r.headers).map(([k, v]) => `${k}=${v}`)].join('\n'), `${topic}#${i}`, hits);
    });
  }
  return hits;
}
