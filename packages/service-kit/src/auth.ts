import { createHmac, timingSafeEqual } from 'node:crypto';
import { type ClientRole, Principal } from '@gridcase/contracts';
import type { Logger } from 'pino';
import { Counter, Gauge, register } from 'prom-client';
import { type Clock, systemClock } from './clock.ts';

/** The principal of ADMIN_TOKEN, the one token that needs no revocation list. */
export const ROOT_CLIENT_ID = 'admin';

/** How many verified client tokens a signer keeps (a few hundred bytes each). */
const VERIFIED_TOKENS_KEPT = 10_000;

/** Freezes an object and every object or array in it: a principal shared by requests must not be changed by one. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * Client tokens are signed, so every service verifies them without a shared table:
 * `gc1.<base64url(payload)>.<base64url(hmac-sha256)>`. Revocation is a list every service
 * refreshes from intake (see RevocationList), so a revoked token dies everywhere within a minute.
 */
export class TokenSigner {
  private readonly key: Buffer;
  /** Verifies only, during a rotation: tokens signed before it keep working until it is removed. */
  private readonly previousKey: Buffer | undefined;
  private readonly adminToken: Buffer;

  /** Reads the time a token's expiresAt is compared with. */
  private readonly clock: Clock;

  constructor(adminToken: string, tokenSecret?: string, previousTokenSecret?: string, clock: Clock = systemClock) {
    this.clock = clock;
    this.adminToken = Buffer.from(adminToken);
    this.key = tokenSecret
      ? Buffer.from(tokenSecret)
      : createHmac('sha256', adminToken).update('gridcase client token key v1').digest();
    this.previousKey = previousTokenSecret ? Buffer.from(previousTokenSecret) : undefined;
  }

  issue(principal: Principal): string {
    const payload = Buffer.from(JSON.stringify({ ...principal, iat: Date.now() })).toString('base64url');
    return `gc1.${payload}.${this.sign(payload)}`;
  }

  /**
   * Client tokens this signer verified, with what they prove. A token's principal depends on nothing
   * but the token and the keys, which never change for a signer, so a client's every request after
   * its first costs a lookup instead of an HMAC, a base64 decode and a zod parse (the largest cost of
   * intake's request hooks). Only good tokens are kept; revocation is checked elsewhere, on every request.
   */
  readonly #verified = new Map<string, Principal>();

  /** The principal a bearer token proves, or undefined for a bad or expired token. Treat it as read-only: it is shared. */
  verify(token: string): Principal | undefined {
    const principal = this.#verify(token);
    // Checked on every use, the remembered tokens too: a token may expire while it is remembered.
    if (principal?.expiresAt && Date.parse(principal.expiresAt) <= this.clock.now().getTime()) return undefined;
    return principal;
  }

  #verify(token: string): Principal | undefined {
    const known = this.#verified.get(token);
    if (known) return known;
    const given = Buffer.from(token);
    if (given.length === this.adminToken.length && timingSafeEqual(given, this.adminToken)) {
      return { clientId: ROOT_CLIENT_ID, name: 'admin', roles: ['admin'] };
    }
    const principal = this.verifySignature(token);
    if (principal) {
      // Bounded: past this many clients at once, start over rather than keep track of which is oldest.
      if (this.#verified.size >= VERIFIED_TOKENS_KEPT) this.#verified.clear();
      this.#verified.set(token, deepFreeze(principal));
    }
    return principal;
  }

  private verifySignature(token: string): Principal | undefined {
    // Exactly three parts: a valid token with more appended is another string, not the same token (audit19b #3).
    const parts = token.split('.');
    const [version, payload, signature] = parts;
    if (parts.length !== 3 || version !== 'gc1' || !payload || !signature) return undefined;
    const actual = Buffer.from(signature);
    const signedBy = (key: Buffer) => {
      const expected = Buffer.from(this.sign(payload, key));
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    };
    if (!signedBy(this.key) && !(this.previousKey && signedBy(this.previousKey))) return undefined;
    try {
      const parsed = Principal.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString()));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(payload: string, key: Buffer = this.key): string {
    return createHmac('sha256', key).update(payload).digest('base64url');
  }
}

/** Admin may do everything; otherwise the principal needs one of the roles. */
/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 9110 §11.1). */
export const bearerToken = (header: string | undefined): string | undefined => /^bearer +(\S.*)$/i.exec(header ?? '')?.[1]?.trim();

export const hasRole = (principal: Principal, roles: readonly ClientRole[]): boolean =>
  principal.roles.includes('admin') || roles.some((r) => principal.roles.includes(r));

/**
 * What every service refreshes of intake's clients: the revoked ones, and the grids a community
 * client acting as a grid worker sees now (`workerGrids`, by client id). Such a client's grids were
 * not given when its token was issued but follow its grid worker's grid in the current staff map
 * (CONTRACT "Scope and roles"), so the grids its token carries are only those of the day it was issued.
 */
export interface ClientStanding {
  revoked: readonly string[];
  workerGrids?: Readonly<Record<string, readonly string[]>>;
}

/** Where the clients' standing comes from: intake's HTTP list elsewhere, its own table in intake. */
export type RevocationSource = () => Promise<ClientStanding>;

const sameCodes = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  a === b || (!!a && !!b && a.length === b.length && a.every((code, i) => code === b[i]));

/**
 * The principal a request acts with: the token's, with `grids` put in place of what the token
 * carries when the client's grids follow its grid worker's (`current`, from ClientStanding). The
 * token's own principal (shared by every request of the token) is never changed: a new frozen one
 * is made, and the same one is given back while nothing differs.
 */
export function withCurrentGrids(principal: Principal, current: readonly string[] | undefined): Principal {
  if (current === undefined || sameCodes(principal.grids, current)) return principal;
  return deepFreeze({ ...principal, grids: [...current] });
}

/** Whether two principals see the same community grids (a stream opened with one must end when they differ). */
export const sameGrids = (a: Principal, b: Principal): boolean => sameCodes(a.grids, b.grids);

export interface RevocationOptions {
  /** How often a good list is refreshed. */
  intervalMs?: number;
  /** How soon a failed refresh is retried. */
  retryMs?: number;
  /** A list older than this (or never loaded) fails closed: only the admin token is accepted. */
  maxAgeMs?: number;
  /** How long start() waits for the first load before the service takes requests anyway (failing closed). */
  firstLoadTimeoutMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
  clock?: Clock;
}

const refreshFailures = () =>
  (register.getSingleMetric('gridcase_revocation_refresh_failures_total') as Counter | undefined) ??
  new Counter({ name: 'gridcase_revocation_refresh_failures_total', help: 'Failed refreshes of the revoked-token list' });

/** Lists this process runs; the age gauge reports the oldest, the one that fails closed first. */
const running = new Set<RevocationList>();
if (!register.getSingleMetric('gridcase_revocation_list_age_seconds')) {
  new Gauge({
    name: 'gridcase_revocation_list_age_seconds',
    help: 'Seconds since the revoked-token list was last loaded (since start while never loaded)',
    collect() {
      const ages = [...running].map((l) => l.ageMs / 1000);
      if (ages.length) this.set(Math.max(...ages));
    },
  });
}

/**
 * Clients whose tokens were revoked, and the current grids of those whose grids follow their grid
 * worker's (ClientStanding), refreshed from a source on an interval. A list that could
 * not be loaded lately is not trusted: past `maxAgeMs` (or before the first load) `stale` is true,
 * the HTTP layer refuses every non-admin token with 503, and `failure` tells /readyz why.
 */
export class RevocationList {
  private revoked = new Set<string>();
  private workerGrids = new Map<string, readonly string[]>();
  /** The principal last made for a token's principal, with the grids it was made from: one object per change, not per request. */
  readonly #current = new WeakMap<Principal, { grids: readonly string[]; principal: Principal }>();
  private loadedAt: number | undefined;
  private lastError: string | undefined;
  private readonly createdAt: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly source: RevocationSource;
  private readonly opts: Required<Omit<RevocationOptions, 'logger'>> & Pick<RevocationOptions, 'logger'>;
  private readonly failures = refreshFailures();

  constructor(source: RevocationSource, options: RevocationOptions = {}) {
    this.source = source;
    this.opts = {
      intervalMs: 30_000,
      retryMs: 5_000,
      maxAgeMs: 90_000,
      firstLoadTimeoutMs: 5_000,
      clock: systemClock,
      ...options,
    };
    this.createdAt = this.now();
  }

  private now(): number {
    return this.opts.clock.now().getTime();
  }

  has(clientId: string): boolean {
    return this.revoked.has(clientId);
  }

  /**
   * The principal a request acts with (withCurrentGrids): the token's, or, for a client whose grids
   * follow its grid worker's, one with the grids the last load named. Until a load names them the
   * token's own grids hold.
   */
  current(principal: Principal): Principal {
    const grids = this.workerGrids.get(principal.clientId);
    if (grids === undefined) return principal;
    const made = this.#current.get(principal);
    if (made?.grids === grids) return made.principal;
    const current = withCurrentGrids(principal, grids);
    this.#current.set(principal, { grids, principal: current });
    return current;
  }

  /** Milliseconds since the last successful load (since construction while never loaded). */
  get ageMs(): number {
    return this.now() - (this.loadedAt ?? this.createdAt);
  }

  get stale(): boolean {
    return this.loadedAt === undefined || this.ageMs > this.opts.maxAgeMs;
  }

  /** Why the list is not trusted, for /readyz; undefined while it is fresh. */
  get failure(): string | undefined {
    if (!this.stale) return undefined;
    const why = this.lastError ? `; last refresh failed: ${this.lastError}` : '';
    return this.loadedAt === undefined
      ? `revocation list not loaded yet${why}`
      : `revocation list is stale (${Math.round(this.ageMs / 1000)} s old)${why}`;
  }

  /** Loads the list once; true when it worked. A failure keeps the last list, logs and counts. */
  async refresh(): Promise<boolean> {
    try {
      const standing = await this.source();
      this.revoked = new Set(standing.revoked);
      this.workerGrids = new Map(Object.entries(standing.workerGrids ?? {}));
      this.loadedAt = this.now();
      this.lastError = undefined;
      return true;
    } catch (err) {
      this.lastError = (err as Error)?.message ?? String(err);
      this.failures.inc();
      this.opts.logger?.warn({ err, ageSeconds: Math.round(this.ageMs / 1000) }, 'could not refresh revoked tokens');
      return false;
    }
  }

  /** Loads the list (waiting at most firstLoadTimeoutMs), then keeps it fresh until stop(). */
  async start(): Promise<void> {
    this.stopped = false;
    running.add(this);
    let bound: NodeJS.Timeout | undefined;
    const first = this.refresh();
    const ok = await Promise.race([
      first,
      new Promise<false>((resolve) => {
        bound = setTimeout(() => resolve(false), this.opts.firstLoadTimeoutMs);
      }),
    ]);
    clearTimeout(bound);
    if (!ok) this.opts.logger?.warn('revoked-token list not loaded at start; refusing client tokens until it is');
    // A first load still under way schedules the next one itself.
    void first.then((loaded) => this.schedule(loaded));
  }

  private schedule(loaded: boolean): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => void this.refresh().then((l) => this.schedule(l)),
      loaded ? this.opts.intervalMs : this.opts.retryMs,
    );
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    running.delete(this);
    clearTimeout(this.timer);
  }
}
