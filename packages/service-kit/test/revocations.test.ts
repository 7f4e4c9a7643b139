import { register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type ClientStanding, RevocationList, sameGrids, withCurrentGrids } from '../src/auth.ts';
import type { Principal } from '@gridcase/contracts';
import { ManualClock } from '../src/clock.ts';

const failuresCounted = async () =>
  (await register.getSingleMetric('gridcase_revocation_refresh_failures_total')!.get()).values[0]?.value ?? 0;

function warnings() {
  const seen: string[] = [];
  return { seen, logger: { warn: (_o: unknown, msg?: string) => void seen.push(msg ?? String(_o)), info: () => {} } };
}

describe('RevocationList', () => {
  it('is stale until first loaded, then knows the revoked clients', async () => {
    const clock = new ManualClock();
    const list = new RevocationList(async () => ({ revoked: ['c-revoked'] }), { clock });
    expect(list.stale).toBe(true);
    expect(list.failure).toMatch(/not loaded/);
    expect(await list.refresh()).toBe(true);
    expect(list.stale).toBe(false);
    expect(list.failure).toBeUndefined();
    expect(list.has('c-revoked')).toBe(true);
    expect(list.has('c-ok')).toBe(false);
  });

  it('keeps the last list through failed refreshes, warns and counts them, and fails closed past the bound', async () => {
    const clock = new ManualClock();
    let up = true;
    const { seen, logger } = warnings();
    const list = new RevocationList(
      async () => {
        if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:3001');
        return { revoked: ['c-revoked'] };
      },
      { clock, maxAgeMs: 90_000, logger },
    );
    await list.refresh();
    up = false;
    const before = await failuresCounted();
    clock.advance(60_000);
    expect(await list.refresh()).toBe(false);
    expect(await failuresCounted()).toBe(before + 1);
    expect(seen).toContain('could not refresh revoked tokens');
    expect(list.has('c-revoked')).toBe(true);
    expect(list.stale).toBe(false);

    clock.advance(31_000);
    expect(list.stale).toBe(true);
    expect(list.failure).toMatch(/stale \(91 s old\)/);
    await list.refresh();
    expect(list.failure).toMatch(/ECONNREFUSED/);

    up = true;
    await list.refresh();
    expect(list.stale).toBe(false);
  });

  it('start() gives up waiting for a source that never answers, leaving the list stale', async () => {
    const list = new RevocationList(() => new Promise<ClientStanding>(() => {}), { firstLoadTimeoutMs: 20, logger: warnings().logger });
    await list.start();
    list.stop();
    expect(list.stale).toBe(true);
  });

  it('reports its age as a gauge while running', async () => {
    const clock = new ManualClock();
    const list = new RevocationList(async () => ({ revoked: [] }), { clock });
    await list.start();
    clock.advance(42_000);
    const gauge = await register.getSingleMetric('gridcase_revocation_list_age_seconds')!.get();
    list.stop();
    expect(gauge.values[0]?.value).toBe(42);
  });
});

describe("a grid worker's community client, whose grids follow its worker's", () => {
  // Frozen, as a verified token's principal is: it is shared by every request of the token.
  const token: Principal = { clientId: 'c-worker', name: 'worker', roles: ['community'], officerId: 'worker-1', grids: ['G-1'] };
  Object.freeze(token.grids);
  Object.freeze(token);

  it('acts with the grids given in place of those its token carries, in a new frozen principal', () => {
    const moved = withCurrentGrids(token, ['G-2']);
    expect(moved).toEqual({ ...token, grids: ['G-2'] });
    expect(Object.isFrozen(moved)).toBe(true);
    expect(Object.isFrozen(moved.grids)).toBe(true);
    expect(token.grids).toEqual(['G-1']);
    // No grids at all (the worker left the staff map): it sees none.
    expect(withCurrentGrids(token, []).grids).toEqual([]);
  });

  it('keeps the token principal itself when nothing differs, or when no grids are known for it', () => {
    expect(withCurrentGrids(token, ['G-1'])).toBe(token);
    expect(withCurrentGrids(token, undefined)).toBe(token);
  });

  it('tells principals apart by their grids', () => {
    expect(sameGrids(token, withCurrentGrids(token, ['G-1']))).toBe(true);
    expect(sameGrids(token, withCurrentGrids(token, ['G-2']))).toBe(false);
    expect(sameGrids(token, withCurrentGrids(token, ['G-1', 'G-2']))).toBe(false);
    expect(sameGrids({ ...token, grids: undefined }, { ...token, grids: undefined })).toBe(true);
  });

  it('gets the grids of the last load, one principal per change, and leaves other clients as their tokens say', async () => {
    let grids: Record<string, string[]> = { 'c-worker': ['G-1'] };
    const list = new RevocationList(async () => ({ revoked: [], workerGrids: grids }), { clock: new ManualClock() });
    // Before any load the token's grids hold.
    expect(list.current(token)).toBe(token);
    await list.refresh();
    expect(list.current(token)).toBe(token);

    grids = { 'c-worker': ['G-2'] };
    await list.refresh();
    const moved = list.current(token);
    expect(moved.grids).toEqual(['G-2']);
    expect(list.current(token)).toBe(moved);

    const other: Principal = { clientId: 'c-given', name: 'given', roles: ['community'], grids: ['G-1'] };
    expect(list.current(other)).toBe(other);

    // A client no longer listed (revoked, or its row says its grids were given) keeps its token's.
    grids = {};
    await list.refresh();
    expect(list.current(token)).toBe(token);
  });
});
