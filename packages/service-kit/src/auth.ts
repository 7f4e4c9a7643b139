import { createHmac, timingSafeEqual } from 'node:crypto';
import { type ClientRole, Principal } from '@gridcase/contracts';

/**
 * Client tokens are signed, so every service verifies them without a shared table:
 * `gc1.<base64url(payload)>.<base64url(hmac-sha256)>`. Revocation is a list every service
 * refreshes from intake (see RevocationList), so a revoked token dies everywhere within a minute.
 */
export class TokenSigner {
  private readonly key: Buffer;
  private readonly adminToken: Buffer;

  constructor(adminToken: string, tokenSecret?: string) {
    this.adminToken = Buffer.from(adminToken);
    this.key = tokenSecret
      ? Buffer.from(tokenSecret)
      : createHmac('sha256', adminToken).update('gridcase client token key v1').digest();
  }

  issue(principal: Principal): string {
    const payload = Buffer.from(JSON.stringify({ ...principal, iat: Date.now() })).toString('base64url');
    return `gc1.${payload}.${this.sign(payload)}`;
  }

  /** The principal a bearer token proves, or undefined for a bad token. */
  verify(token: string): Principal | undefined {
    const given = Buffer.from(token);
    if (given.length === this.adminToken.length && timingSafeEqual(given, this.adminToken)) {
      return { clientId: 'admin', name: 'admin', roles: ['admin'] };
    }
    const [version, payload, signature] = token.split('.');
    if (version !== 'gc1' || !payload || !signature) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    try {
      const parsed = Principal.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString()));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** Admin may do everything; otherwise the principal needs one of the roles. */
export const hasRole = (principal: Principal, roles: readonly ClientRole[]): boolean =>
  principal.roles.includes('admin') || roles.some((r) => principal.roles.includes(r));

/** Clients whose tokens were revoked; refreshed from a source (intake's list) on an interval. */
export class RevocationList {
  private revoked = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly source: () => Promise<string[]>;
  private readonly intervalMs: number;
  private readonly onError: (err: unknown) => void;

  constructor(source: () => Promise<string[]>, intervalMs = 30_000, onError: (err: unknown) => void = () => {}) {
    this.source = source;
    this.intervalMs = intervalMs;
    this.onError = onError;
  }

  has(clientId: string): boolean {
    return this.revoked.has(clientId);
  }

  async refresh(): Promise<void> {
    try {
      this.revoked = new Set(await this.source());
    } catch (err) {
      this.onError(err);
    }
  }

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
