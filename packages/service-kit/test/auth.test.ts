import { describe, expect, it } from 'vitest';
import { hasRole, TokenSigner } from '../src/auth.ts';
import { ManualClock } from '../src/clock.ts';

describe('TokenSigner', () => {
  const signer = new TokenSigner('admin-token-0123456789');

  it('accepts the admin token as the admin principal', () => {
    expect(signer.verify('admin-token-0123456789')).toMatchObject({ clientId: 'admin', roles: ['admin'] });
  });

  it('verifies tokens it issued and rejects tampered ones', () => {
    const token = signer.issue({ clientId: 'c1', name: '12345', roles: ['reporter'], stations: ['CG'] });
    expect(signer.verify(token)).toMatchObject({ clientId: 'c1', roles: ['reporter'], stations: ['CG'] });
    const [v, payload, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ clientId: 'c1', name: 'x', roles: ['admin'] })).toString('base64url');
    expect(signer.verify(`${v}.${forged}.${sig}`)).toBeUndefined();
    expect(signer.verify(`${v}.${payload}.${sig}x`)).toBeUndefined();
    expect(signer.verify('garbage')).toBeUndefined();
    // A valid token with parts appended is not that token (audit19b #3: each such string verified, and filled the cache).
    for (const more of [`${token}.AAAA`, `${token}.`, `${token}.${sig}`]) expect(signer.verify(more), more).toBeUndefined();
  });

  it('remembers a good token: the same frozen principal again, and a tampered copy still refused', () => {
    const token = signer.issue({ clientId: 'c3', name: 'n', roles: ['reporter'], stations: ['CG'] });
    const first = signer.verify(token);
    expect(first).toMatchObject({ clientId: 'c3', stations: ['CG'] });
    expect(signer.verify(token)).toBe(first);
    // Shared by every request of the client, so no request may change it.
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.stations)).toBe(true);
    const [v, payload, sig] = token.split('.');
    expect(signer.verify(`${v}.${payload}.${sig}x`)).toBeUndefined();
    expect(signer.verify(`${v}.${payload}x.${sig}`)).toBeUndefined();
  });

  it('refuses a token from its expiresAt on, a remembered one too, and never the admin token', () => {
    const clock = new ManualClock(new Date('2026-03-01T08:00:00Z'));
    const timed = new TokenSigner('admin-token-0123456789', undefined, undefined, clock);
    const token = timed.issue({ clientId: 'c4', name: 'n', roles: ['desk'], expiresAt: '2026-03-01T09:00:00Z' });
    expect(timed.verify(token)).toMatchObject({ clientId: 'c4', expiresAt: '2026-03-01T09:00:00Z' });
    clock.advance(3_600_000 - 1);
    expect(timed.verify(token)).toMatchObject({ clientId: 'c4' });
    clock.advance(1);
    expect(timed.verify(token)).toBeUndefined();
    expect(timed.verify('admin-token-0123456789')).toMatchObject({ clientId: 'admin' });
  });

  it('rejects tokens signed under another key', () => {
    const other = new TokenSigner('another-admin-token-987654');
    expect(signer.verify(other.issue({ clientId: 'c1', name: 'n', roles: ['desk'] }))).toBeUndefined();
  });

  it('during a rotation, verifies tokens of the previous key too and signs with the new one', () => {
    const before = new TokenSigner('admin-token-0123456789', 'old-token-secret-0123456789');
    const during = new TokenSigner('admin-token-0123456789', 'new-token-secret-0123456789', 'old-token-secret-0123456789');
    const after = new TokenSigner('admin-token-0123456789', 'new-token-secret-0123456789');
    const old = before.issue({ clientId: 'c1', name: 'n', roles: ['desk'] });
    expect(during.verify(old)).toMatchObject({ clientId: 'c1' });
    expect(after.verify(old)).toBeUndefined();
    const fresh = during.issue({ clientId: 'c2', name: 'n', roles: ['desk'] });
    expect(after.verify(fresh)).toMatchObject({ clientId: 'c2' });
    expect(before.verify(fresh)).toBeUndefined();
    // A signature made with neither key is still refused.
    const [v, payload] = old.split('.');
    expect(during.verify(`${v}.${payload}.${'A'.repeat(43)}`)).toBeUndefined();
  });

  it('lets admin do everything and others only their roles', () => {
    expect(hasRole({ clientId: 'a', name: 'a', roles: ['admin'] }, ['desk'])).toBe(true);
    expect(hasRole({ clientId: 'b', name: 'b', roles: ['reporter'] }, ['desk', 'officer'])).toBe(false);
    expect(hasRole({ clientId: 'b', name: 'b', roles: ['officer'] }, ['desk', 'officer'])).toBe(true);
  });
});
