import { Agent, request } from 'node:http';

/** What one request came to: its HTTP status (0 for a network error) and how long it took. */
export interface Outcome {
  status: number;
  ms: number;
  /** A network error's code, when status is 0. */
  error?: string;
  body?: string;
}

/** Counts of outcomes by status ('ECONNRESET' and the like for network errors). */
export type Tally = Record<string, number>;

export function tally(outcomes: readonly Outcome[]): Tally {
  const out: Tally = {};
  for (const o of outcomes) {
    const key = o.status ? String(o.status) : (o.error ?? 'network');
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export const describeTally = (t: Tally) =>
  Object.entries(t)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}×${n}`)
    .join(' ');

/**
 * A JSON POST client on keep-alive sockets (up to `maxSockets` at once; more requests wait in the
 * agent, so an open-loop run past that many in flight queues here, which its send rate shows).
 */
export class JsonClient {
  private readonly agent: Agent;
  private readonly base: string;
  private readonly token: string;

  constructor(base: string, token: string, maxSockets = 64) {
    this.base = base;
    this.token = token;
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(path: string, body: unknown, keepBody = false): Promise<Outcome> {
    const started = performance.now();
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve) => {
      const req = request(
        `${this.base}${path}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization: `Bearer ${this.token}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status, ms: performance.now() - started, ...(keepBody || status >= 500 ? { body: text } : {}) });
          });
          res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, ms: performance.now() - started, error: err.code ?? err.name }));
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, ms: performance.now() - started, error: err.code ?? err.name }));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface RunResult {
  outcomes: Outcome[];
  /** Wall seconds from the first send to the last answer. */
  seconds: number;
  /** Wall seconds over which the requests were started (open loop: how well the rate was held). */
  sendSeconds: number;
}

/** Open loop: starts request i at i/rate seconds whatever the answers do, then waits for every answer. */
export async function openLoop(rate: number, count: number, send: (i: number) => Promise<Outcome>): Promise<RunResult> {
  const start = performance.now();
  const inflight: Promise<Outcome>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(send(i));
  }
  const sendSeconds = (performance.now() - start) / 1000;
  const outcomes = await Promise.all(inflight);
  return { outcomes, seconds: (performance.now() - start) / 1000, sendSeconds };
}

/** Closed loop: `concurrency` workers each send the next request once the last is answered. */
export async function closedLoop(concurrency: number, count: number, send: (i: number) => Promise<Outcome>): Promise<RunResult> {
  const start = performance.now();
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) outcomes.push(await send(i));
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { outcomes, seconds, sendSeconds: seconds };
}
