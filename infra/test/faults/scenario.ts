import { auditPipeline, type PiiHit, readAllTopics, scanForPii } from './audit.ts';
import { Ledger, type Reporter, startLoad } from './load.ts';

/** One line of the closing table; a figure that does not apply to a scenario is null. */
export interface Row {
  scenario: string;
  offered: number | null;
  accepted: number | null;
  fiveXX: number | null;
  lost: number | null;
  doubled: number | null;
  deadLettered: number | null;
  piiHits: number | null;
  seconds: number;
  /** What the figures are made of, printed when an assertion fails. */
  detail: Record<string, unknown>;
  hits: PiiHit[];
}

export const rows: Row[] = [];

/** What a scenario runs against: a Stack of the suite's, or a deployment made by `infra/dev up`. */
export interface Target {
  env: Record<string, string>;
  adminToken: string;
  /** The intake instances a sender may post to now (a load balancer's live list). */
  intakeUrls(): string[];
  assignmentUrl: string;
  logFiles(): string[];
}

async function json(url: string, init: RequestInit & { token: string }) {
  const res = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${init.token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

export async function makeReporters(target: Target, count = 4): Promise<Reporter[]> {
  const out: Reporter[] = [];
  for (let i = 0; i < count; i++) {
    const res = await json(`${target.intakeUrls()[0]}/v1/clients`, {
      method: 'POST',
      token: target.adminToken,
      body: JSON.stringify({ name: `faults reporter ${i}`, roles: ['reporter'] }),
    });
    if (res.status !== 201) throw new Error(`POST /v1/clients answered ${res.status}: ${JSON.stringify(res.body)}`);
    out.push({ clientId: res.body.clientId, token: res.body.token });
  }
  return out;
}

export const reportView = (target: Target) => (reportId: string) =>
  json(`${target.intakeUrls()[0]}/v1/reports/${reportId}`, { method: 'GET', token: target.adminToken });

export type Load = ReturnType<typeof startLoad>;

/**
 * Runs one fault under a steady stream of reports: starts the load, lets `act` do the damage
 * (and wait, bounded, for the platform to come back), stops the load, retries what got no
 * accepting answer as a sender would, then audits the topics and views and scans for personal
 * data. The row is recorded even when `act` fails, then the failure is rethrown.
 */
export async function underLoad(
  name: string,
  target: Target,
  ratePerSecond: number,
  act: (load: Load) => Promise<void>,
): Promise<Row> {
  const started = Date.now();
  const ledger = new Ledger();
  const reporters = await makeReporters(target);
  const grids = await json(`${target.assignmentUrl}/v1/grids`, { method: 'GET', token: target.adminToken });
  const gridCodes: string[] = grids.body.items.map((g: { code: string }) => g.code);
  const load = startLoad({ tag: name.replace(/\W+/g, '-'), ratePerSecond, reporters, gridCodes, intakeUrls: () => target.intakeUrls(), ledger });
  let failure: unknown;
  try {
    await act(load);
  } catch (err) {
    failure = err;
  } finally {
    await load.stop();
  }
  const tokenToClient = new Map(reporters.map((r) => [r.token, r.clientId]));
  await load.retryUnanswered((token) => tokenToClient.get(token)!);

  const topics = await readAllTopics(target.env);
  try {
    const figures = await auditPipeline({ env: target.env, ledger, reportView: reportView(target) }, topics.byTopic);
    await topics.caughtUp().catch(() => undefined);
    const hits = scanForPii(target.logFiles(), topics.byTopic);
    const row: Row = {
      scenario: name,
      offered: ledger.offered,
      accepted: ledger.accepted.size,
      fiveXX: ledger.fiveXX,
      lost: figures.lost,
      doubled: figures.doubled,
      deadLettered: figures.deadLettered,
      piiHits: hits.length,
      seconds: Math.round((Date.now() - started) / 1000),
      detail: { ...figures.detail, skippedByCap: load.skipped, ...(failure ? { failure: String(failure) } : {}) },
      hits,
    };
    rows.push(row);
    if (failure) throw failure;
    return row;
  } finally {
    await topics.close();
  }
}

/** The failure message of a row: its detail and the first personal-data hits. */
export const explain = (row: Row) => JSON.stringify({ ...row.detail, piiSamples: row.hits.slice(0, 5) });

export function table(all: Row[]): string {
  const head = ['scenario', 'offered', 'accepted', '5xx', 'lost', 'doubled', 'dead-lettered', 'PII hits', 'seconds'];
  const body = all.map((r) =>
    [r.scenario, r.offered, r.accepted, r.fiveXX, r.lost, r.doubled, r.deadLettered, r.piiHits, r.seconds].map((v) => (v === null ? '–' : String(v))),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
