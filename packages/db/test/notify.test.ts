import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CommitNotifier, commitNotifier, notifyOnCommit } from '../src/notify.ts';

/** A pool whose queries stay on their way until the test settles them. */
function heldPool() {
  const sent: { channel: string; settle: (err?: Error) => void }[] = [];
  const pool = {
    query: (_text: string, values: string[]) =>
      new Promise((resolve, reject) => sent.push({ channel: values[0]!, settle: (err) => (err ? reject(err) : resolve({ rows: [] })) })),
  } as unknown as pg.Pool;
  return { pool, sent };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('CommitNotifier', () => {
  it('sends one NOTIFY for the wake-ups asked for while one is on its way, after it', async () => {
    const { pool, sent } = heldPool();
    const notifier = new CommitNotifier(pool);
    notifier.notify('a');
    notifier.notify('a');
    notifier.notify('a');
    expect(sent.map((s) => s.channel)).toEqual(['a']);
    sent[0]!.settle();
    await settled();
    // The two commits after the first NOTIFY left are followed by one that leaves after them.
    expect(sent.map((s) => s.channel)).toEqual(['a', 'a']);
    sent[1]!.settle();
    await settled();
    expect(sent).toHaveLength(2);
    notifier.notify('a');
    expect(sent).toHaveLength(3);
  });

  it('coalesces each channel on its own', () => {
    const { pool, sent } = heldPool();
    const notifier = new CommitNotifier(pool);
    notifier.notify('a');
    notifier.notify('b');
    notifier.notify('a');
    expect(sent.map((s) => s.channel)).toEqual(['a', 'b']);
  });

  it('tells the logger of a NOTIFY that failed and still sends the next', async () => {
    const { pool, sent } = heldPool();
    const warnings: unknown[] = [];
    const notifier = new CommitNotifier(pool, { warn: (obj: unknown) => warnings.push(obj) });
    notifier.notify('a');
    notifier.notify('a');
    sent[0]!.settle(new Error('connection terminated'));
    await settled();
    expect(warnings).toEqual([{ channel: 'a', reason: 'connection terminated' }]);
    expect(sent).toHaveLength(2);
  });
});

describe('CommitNotifier.serveHere', () => {
  it('wakes the listener here instead of sending a NOTIFY, until it stops; other channels still NOTIFY', async () => {
    const { pool, sent } = heldPool();
    const notifier = new CommitNotifier(pool);
    let woken = 0;
    const stop = notifier.serveHere('outbox', () => woken++);
    notifier.notify('outbox');
    notifier.notify('outbox');
    notifier.notify('timeline');
    expect(woken).toBe(2);
    expect(sent.map((s) => s.channel)).toEqual(['timeline']);
    // notifyAll reaches the other processes' listeners, whoever serves the channel here.
    notifier.notifyAll('outbox');
    expect(sent.map((s) => s.channel)).toEqual(['timeline', 'outbox']);
    sent[1]!.settle();
    await settled();
    stop();
    notifier.notify('outbox');
    expect(woken).toBe(2);
    expect(sent.map((s) => s.channel)).toEqual(['timeline', 'outbox', 'outbox']);
  });
});

describe('commitNotifier', () => {
  it('gives one notifier per pool, which keeps the first logger given after one without', async () => {
    const { pool, sent } = heldPool();
    const warnings: unknown[] = [];
    const first = commitNotifier(pool);
    expect(commitNotifier(pool, { warn: (obj: unknown) => warnings.push(obj) })).toBe(first);
    first.notify('a');
    sent[0]!.settle(new Error('pool ended'));
    await settled();
    expect(warnings).toEqual([{ channel: 'a', reason: 'pool ended' }]);
  });
});

describe('notifyOnCommit', () => {
  it('refuses a transaction that no createDb handle opened, which would never send it', () => {
    expect(() => notifyOnCommit({}, 'a')).toThrow(/not opened by createDb/);
  });
});
