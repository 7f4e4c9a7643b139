import { describe, expect, it } from 'vitest';
import { hasRole, TokenSigner } from '../src/auth.ts';

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
  });

  it('rejects tokens signed under another key', () => {
    const other = new TokenSigner('another-admin-token-987654');
    expect(signer.verify(other.issue({ clientId: 'c1', name: 'n', roles: ['desk'] }))).toBeUndefined();
  });

  it('lets admin do everything and others only their roles', () => {
    expect(hasRole({ clientId: 'a', name: 'a', roles: ['admin'] }, ['desk'])).toBe(true);
    expect(hasRole({ clientId: 'b', name: 'b', roles: ['reporter'] }, ['desk', 'officer'])).toBe(false);
    expect(hasRole({ clientId: 'b', name: 'b', roles: ['officer'] }, ['desk', 'officer'])).toBe(true);
  });
});
