import { register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RevocationList } from '../src/auth.ts';
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
    const list = new RevocationList(async () => ['c-revoked'], { clock });
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
        return ['c-revoked'];
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
    const list = new RevocationList(() => new Promise<string[]>(() => {}), { firstLoadTimeoutMs: 20, logger: warnings().logger });
    await list.start();
    list.stop();
    expect(list.stale).toBe(true);
  });

  it('reports its age as a gauge while running', async () => {
    const clock = new ManualClock();
    const list = new RevocationList(async () => [], { clock });
    await list.start();
    clock.advance(42_000);
    const gauge = await register.getSingleMetric('gridcase_revocation_list_age_seconds')!.get();
    list.stop();
    expect(gauge.values[0]?.value).toBe(42);
  });
});
