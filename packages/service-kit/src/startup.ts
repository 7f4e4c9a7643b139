import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { classifyError, describeError } from '@gridcase/messaging';
import type { Logger } from 'pino';
import { register } from 'prom-client';
import { namedParts, notReadyProblem, problemType, RETRY_AFTER_SECONDS } from './problem.ts';

/** The wait before the next attempt after `failures` failed ones: 0.5 s, doubling, at most 10 s. */
export function backoffMs(failures: number, initialMs = 500, capMs = 10_000): number {
  return Math.min(capMs, initialMs * 2 ** Math.max(0, failures - 1));
}

/**
 * The port while a service waits for its database and broker: `/healthz` 200 (the process lives),
 * `/readyz` 503 naming each part not up yet and why, `/metrics`, and 503 with Retry-After on every
 * other path. Every answer closes its connection, so none is left on this server when the service's
 * own takes the port over (close, then the app listens on the same port).
 */
export class StartupGate {
  readonly #service: string;
  readonly #pending = new Map<string, string>();
  #server: Server | undefined;

  constructor(service: string) {
    this.#service = service;
  }

  /** What `part` is doing while not up ("connecting: Error ECONNREFUSED"). */
  set(part: string, status: string): void {
    this.#pending.set(part, status);
  }

  done(part: string): void {
    this.#pending.delete(part);
  }

  /** Each part not up yet, with what it is doing. */
  get pending(): Record<string, string> {
    return Object.fromEntries(this.#pending);
  }

  /** Opens the port (a port in use fails the start at once); resolves with the port it got. */
  async listen(host: string, port: number, requestTimeoutMs: number): Promise<number> {
    const server = createServer({ requestTimeout: requestTimeoutMs, headersTimeout: Math.min(60_000, requestTimeoutMs) }, (req, res) =>
      this.#answer(req, res),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    return (server.address() as AddressInfo).port;
  }

  /** Stops taking connections: the port is free once this returns. Idempotent. */
  close(): void {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.close();
    server.closeIdleConnections();
  }

  #answer(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const read = req.method === 'GET' || req.method === 'HEAD';
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('connection', 'close');
    if (read && path === '/healthz') {
      send(res, 200, 'application/json', { status: 'ok' });
      return;
    }
    if (read && path === '/metrics') {
      void register.metrics().then(
        (text) => send(res, 200, register.contentType, text),
        () => send(res, 500, 'text/plain', 'metrics unavailable'),
      );
      return;
    }
    const failing = Object.keys(this.pending).length ? this.pending : { startup: 'starting' };
    if (read && path === '/readyz') {
      send(res, 503, 'application/problem+json', notReadyProblem(failing));
      return;
    }
    res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    // A person's browser (the desk page reloaded while the service restarts): a page that says so and
    // reloads itself, not a JSON document they must know to reload (audit 23 #5).
    if (read && wantsHtml(req.headers.accept)) {
      send(res, 503, 'text/html; charset=utf-8', STARTING_PAGE(this.#service));
      return;
    }
    send(res, 503, 'application/problem+json', {
      type: problemType(503),
      title: 'Service Unavailable',
      status: 503,
      detail: `${this.#service} is starting and not ready yet: ${namedParts(failing)}; retry later`,
      failing,
    });
  }
}

/** Whether a request is a browser's navigation: it names text/html (an API client asks for JSON or anything). */
const wantsHtml = (accept: string | undefined): boolean => /(^|,)\s*text\/html\b/i.test(accept ?? '');

const STARTING_PAGE = (service: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>正在启动 · ${service}</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem">
<h1>服务正在启动</h1><p>${service} 尚未就绪，本页 ${RETRY_AFTER_SECONDS} 秒后自动刷新。</p>
<p lang="en">${service} is starting; this page reloads in ${RETRY_AFTER_SECONDS} s.</p>
</body></html>
`;

function send(res: ServerResponse, status: number, type: string, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export interface WaitOptions {
  gate: StartupGate;
  logger: Logger;
  /** Give up (throw, so the process exits 1) once this time (ms since the epoch) passes; none: wait for good. */
  deadline?: number | undefined;
  /** SIGTERM while waiting. */
  signal: AbortSignal;
}

/**
 * The database refused the login (SQLSTATE class 28: no such role, a wrong password, no pg_hba entry):
 * at start that is DATABASE_URL's fault, an error to fix rather than a database to wait for. Running
 * services still retry it (a password being rotated), as isDatabaseUnavailable has it.
 */
export function refusedLogin(err: unknown): Error | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code !== 'string' || !e.code.startsWith('28')) return undefined;
  // Postgres's own words name the role or the host, which is what to fix; never the password.
  const why = typeof e.message === 'string' ? `: ${e.message}` : '';
  return new Error(`DATABASE_URL: the database refused the login (SQLSTATE ${e.code}${why}); fix the user or password`);
}

/**
 * Runs `attempt` until it succeeds, while /readyz names `part` with its status. An attempt that fails
 * because the dependency is away (classifyError: transient) is retried after backoffMs, one log line
 * per failed attempt; any other error (a migration that fails, a refused request) fails the start.
 */
export async function waitFor(
  part: string,
  attempt: (status: (s: string) => void) => Promise<void>,
  options: WaitOptions & { fatal?: (err: unknown) => Error | undefined },
): Promise<void> {
  const { gate, logger, deadline, signal, fatal } = options;
  gate.set(part, 'connecting');
  for (let failures = 0; ; ) {
    signal.throwIfAborted();
    try {
      await attempt((status) => gate.set(part, status));
      gate.done(part);
      if (failures) logger.info({ dependency: part, attempts: failures + 1 }, `${part} is up`);
      return;
    } catch (err) {
      signal.throwIfAborted();
      const misconfigured = fatal?.(err);
      if (misconfigured) throw misconfigured;
      if (classifyError(err) !== 'transient') throw err;
      failures++;
      const reason = describeError(err);
      gate.set(part, `connecting: ${reason}`);
      const delay = backoffMs(failures);
      if (deadline !== undefined && Date.now() + delay > deadline) {
        throw new Error(`${part} still unreachable at the end of STARTUP_DEPENDENCY_TIMEOUT_MS: ${reason}`);
      }
      logger.warn({ dependency: part, attempt: failures, retryInMs: delay, reason }, `${part} not reachable yet; retrying`);
      await sleep(delay, undefined, { signal });
    }
  }
}
