import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { consumerStalled, watchConsumer } from '../src/metrics.ts';
import { StallWatch } from '../src/stall.ts';

/** A watch on a clock the test moves, and the lines it logs. */
function watched() {
  let now = Date.parse('2026-03-01T08:00:00Z');
  const lines: { level: number; msg: string; group?: string; secondsSinceHeartbeat?: number; stalledSeconds?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const watch = new StallWatch({ group: 'g-test', logger, now: () => now });
  return { watch, lines, pass: (ms: number) => (now += ms) };
}

describe('a stalled consumer', () => {
  it('is stalled once a minute passes without a heartbeat, and no longer at the next one', () => {
    const { watch, pass } = watched();
    pass(60_000);
    expect(watch.stalled).toBe(false);
    pass(1);
    expect(watch.stalled).toBe(true);
    watch.beat();
    expect(watch.stalled).toBe(false);
  });

  it('logs one warn line when a stall is first noticed and one info line when it ends, however often it is asked', () => {
    const { watch, lines, pass } = watched();
    pass(30_000);
    watch.beat();
    pass(75_000);
    for (let check = 0; check < 3; check++) {
      expect(watch.stalled).toBe(true);
      pass(5_000);
    }
    watch.beat();
    watch.beat();
    expect(watch.stalled).toBe(false);
    expect(lines.map(({ level, msg, group, secondsSinceHeartbeat, stalledSeconds }) => ({ level, msg, group, secondsSinceHeartbeat, stalledSeconds }))).toEqual([
      { level: 40, msg: 'consumer stalled: no heartbeat', group: 'g-test', secondsSinceHeartbeat: 75, stalledSeconds: undefined },
      { level: 30, msg: 'consumer recovered from a stall', group: 'g-test', secondsSinceHeartbeat: undefined, stalledSeconds: 90 },
    ]);
  });

  it('logs nothing when heartbeats keep coming, nor for a silence nobody asked about', () => {
    const { watch, lines, pass } = watched();
    for (let beat = 0; beat < 5; beat++) {
      pass(59_000);
      expect(watch.stalled).toBe(false);
      watch.beat();
    }
    pass(120_000);
    watch.beat();
    expect(lines).toEqual([]);
  });
});

describe('the stalled gauge', () => {
  const read = async (group: string) => (await consumerStalled.get()).values.find((v) => v.labels.group === group)?.value;

  it('shows each watched group at 0 from the start, 1 while one of its consumers fails, and 0 once it is no longer watched', async () => {
    const failing = { a: false, b: false };
    expect(await read('stall-a')).toBeUndefined();
    const unwatchA = watchConsumer('stall-a', () => failing.a);
    const unwatchB = watchConsumer('stall-a', () => failing.b);
    expect(await read('stall-a')).toBe(0);
    failing.b = true;
    expect(await read('stall-a')).toBe(1);
    failing.b = false;
    expect(await read('stall-a')).toBe(0);
    failing.a = true;
    unwatchB();
    expect(await read('stall-a')).toBe(1);
    unwatchA();
    expect(await read('stall-a')).toBe(0);
  });
});
