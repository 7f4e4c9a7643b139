import { TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, expect } from 'vitest';
import { STATION_CODE } from '../env.ts';
import { isolatedEnv, readTopic } from '../harness.ts';
import { Stack } from '../stack.ts';

/** Helpers for the life-of-a-case e2e tests: the demo station's people, tokens that name them, commands. */

export interface Officer {
  officerId: string;
  name: string;
  role: string;
  policeGridCode?: string;
  gridCode?: string;
}
export interface Grid {
  code: string;
  policeGridCode: string;
}
export interface Client {
  clientId: string;
  token: string;
}
export type CaseTopic = Awaited<ReturnType<typeof readTopic>>;
type CaseRecord = CaseTopic['records'][number];

/** The desk's command paths (CONTRACT.md "The life of a case"). */
export type Command =
  | 'acknowledge'
  | 'resolve'
  | 'verify'
  | 'follow-up'
  | 'extension'
  | 'extension/approve'
  | 'extension/reject'
  | 'hold'
  | 'resume'
  | 'reopen'
  | 'reassign'
  | 'notes';

const TYPE_PREFIX = 'gridcase.case.';

/**
 * Issues a client token. A non-reporter token is scoped to the demo station: only admin is
 * station-wide without `stations` (CONTRACT.md "Scope and roles").
 */
async function issueClient(stack: Stack, name: string, roles: string[], officerId?: string): Promise<Client> {
  const stationScoped = roles.some((r) => r !== 'reporter');
  const body = { name, roles, ...(officerId ? { officerId } : {}), ...(stationScoped ? { stations: [STATION_CODE] } : {}) };
  const res = await stack.call('intake', 'POST', '/v1/clients', { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Client;
}

export class Station {
  private seq = 0;
  readonly stack: Stack;
  readonly cases: CaseTopic;
  readonly reporter: Client;
  readonly desk: Client;
  readonly grids: Grid[];
  readonly officers: Officer[];

  private constructor(parts: Pick<Station, 'stack' | 'cases' | 'reporter' | 'desk' | 'grids' | 'officers'>) {
    this.stack = parts.stack;
    this.cases = parts.cases;
    this.reporter = parts.reporter;
    this.desk = parts.desk;
    this.grids = parts.grids;
    this.officers = parts.officers;
  }

  static async open(stack: Stack): Promise<Station> {
    const reporter = await issueClient(stack, '12345 hotline', ['reporter']);
    const desk = await issueClient(stack, 'duty desk', ['desk']);
    const grids = (await stack.call('assignment', 'GET', '/v1/grids', { token: desk.token })).body.items;
    const officers = (await stack.call('assignment', 'GET', '/v1/officers', { token: desk.token })).body.items;
    return new Station({ stack, cases: await readTopic(stack.env, TOPICS.cases), reporter, desk, grids, officers });
  }

  close(): Promise<void> {
    return this.cases.close();
  }

  /** A token that acts as a person (officerId) when one is given. */
  client(name: string, roles: string[], officerId?: string): Promise<Client> {
    return issueClient(this.stack, name, roles, officerId);
  }

  officerOf(grid: Grid, role: 'officer' | 'gridWorker' | 'lead'): Officer {
    const found = this.officers.find(
      (o) => o.role === role && (role === 'gridWorker' ? o.gridCode === grid.code : o.policeGridCode === grid.policeGridCode),
    );
    if (!found) throw new Error(`no ${role} for grid ${grid.code}`);
    return found;
  }

  /** Posts a report and waits (on the case topic, not by polling HTTP) until its case is opened and assigned. */
  async openCase(extra: Record<string, unknown> = {}): Promise<{ reportId: string; caseId: string }> {
    const n = this.seq++;
    const body = {
      externalId: `life-${Date.now()}-${n}`,
      description: `第${n}号：宝河苑社区${n}号楼邻居因噪音发生纠纷`,
      location: { gridCode: this.grids[n % this.grids.length]!.code },
      ...extra,
    };
    const res = await this.stack.call('intake', 'POST', '/v1/reports', { token: this.reporter.token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const reportId: string = res.body.reportId;
    const [opened] = await this.cases.waitFor(`case of report ${reportId} opened`, (r) => this.is(r, 'opened') && (r.message!.data as { reportId: string }).reportId === reportId, 1, 60_000);
    const caseId = opened!.key!;
    await this.cases.waitFor(`case ${caseId} assigned`, (r) => this.is(r, 'assigned') && r.key === caseId, 1, 60_000);
    return { reportId, caseId };
  }

  /** A desk command; with wait the answer is the case (200) or the refusal (403/409). */
  command(client: Client, caseId: string, command: Command, body: unknown = {}, wait = true) {
    return this.stack.call('desk', 'POST', `/v1/cases/${caseId}/${command}${wait ? '?wait=true' : ''}`, { token: client.token, body });
  }

  deskCase(caseId: string) {
    return this.stack.call('desk', 'GET', `/v1/cases/${caseId}`, { token: this.desk.token });
  }

  is(record: CaseRecord, type: string): boolean {
    return record.message?.type === `${TYPE_PREFIX}${type}.v1`;
  }

  /** The distinct events of a type for a case, in topic order (a relay may publish one event twice). */
  events(caseId: string, type: string): { id: string; time: string; data: any }[] {
    const seen = new Map<string, { id: string; time: string; data: any }>();
    for (const r of this.cases.records) {
      if (r.key === caseId && this.is(r, type) && !seen.has(r.message!.id)) seen.set(r.message!.id, r.message!);
    }
    return [...seen.values()];
  }
}

/** A stack and its station, opened before a file's tests and stopped after them; read them inside tests. */
export function stationOnStack(): { readonly stack: Stack; readonly st: Station } {
  const opened: { stack?: Stack; st?: Station } = {};
  beforeAll(async () => {
    opened.stack = await Stack.start(isolatedEnv);
    opened.st = await Station.open(opened.stack);
  });
  afterAll(async () => {
    await opened.st?.close();
    await opened.stack?.stop();
  });
  return {
    get stack() {
      if (!opened.stack) throw new Error('the stack is opened before the tests');
      return opened.stack;
    },
    get st() {
      if (!opened.st) throw new Error('the station is opened before the tests');
      return opened.st;
    },
  };
}
