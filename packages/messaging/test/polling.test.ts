import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../infra/test/poll.ts';
import { PollingLoop } from '../src/polling.ts';

describe('PollingLoop', () => {
  it('runs another pass at once when woken while a pass runs, instead of sleeping a whole poll interval', async () => {
    let passes = 0;
    let release: (() => void) | undefined;
    const loop = new PollingLoop({
      name: 'test',
      // Far longer than the test may take: only a wake-up can start the second pass.
      pollMs: 3_600_000,
      batchSize: 100,
      logger: pino({ level: 'silent' }),
      pass: async () => {
        passes++;
        if (passes === 1) await new Promise<void>((r) => (release = r));
        return 0;
      },
    });
    loop.start();
    await eventually('the first pass to start', () => (release ? true : undefined));
    // What LISTEN/NOTIFY does when a row is committed after the pass read the outbox.
    loop.wakeNow();
    release!();
    await eventually('a second pass', () => (passes >= 2 ? true : undefined));
    // …and then it sleeps: a wake-up is not a loop.
    expect(passes).toBe(2);
    await loop.stop();
  });

  it('names a failed pass without quoting it: /readyz shows it to anyone', async () => {
    // What drizzle throws around a pg error: its message lists the query and its parameters.
    const failed = Object.assign(new Error('Failed query: select * from intake.reporters where phone = $1\nparams: 13912345678'), {
      name: 'DrizzleQueryError',
      cause: Object.assign(new Error('database "gridcase" is not currently accepting connections'), { code: '55000' }),
    });
    const loop = new PollingLoop({ name: 'test', pollMs: 3_600_000, batchSize: 100, logger: pino({ level: 'silent' }), pass: async () => {
        throw failed;
      },
    });
    loop.start();
    const reason = await eventually('the pass to fail', () => loop.lastError);
    expect(reason).toBe('DrizzleQueryError: database error 55000');
    await loop.stop();
  });

  it('wakes from its sleep at once, and sleeps the poll interval otherwise', async () => {
    let passes = 0;
    const loop = new PollingLoop({ name: 'test', pollMs: 3_600_000, batchSize: 100, logger: pino({ level: 'silent' }), pass: async () => {
        passes++;
        return 0;
      },
    });
    loop.start();
    await eventually('the first pass', () => (passes === 1 ? true : undefined));
    loop.wakeNow();
    await eventually('a pass after the wake-up', () => (passes === 2 ? true : undefined));
    await loop.stop();
    expect(passes).toBe(2);
  });
});

describe('PollingLoop while a dependency is away', () => {
  it('logs the first failed pass and the recovery, not every retry (audit 24 #1)', async () => {
    const lines: { level: number; msg: string; heldBack?: number }[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    let passes = 0;
    const loop = new PollingLoop({ name: 'outbox relay', pollMs: 1, maxBackoffMs: 1, batchSize: 100, logger, pass: async () => {
        passes++;
        if (passes <= 5) throw Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSConnectionError' });
        return 0;
      },
    });
    loop.start();
    await eventually('a pass after five failed', () => (passes >= 6 && loop.lastError === undefined ? true : undefined));
    await loop.stop();
    const told = lines.filter((l) => l.level >= 30).map((l) => [l.level, l.msg]);
    expect(told).toEqual([
      [50, 'outbox relay pass failed; retrying until one succeeds (one line when it does)'],
      [30, 'outbox relay recovered'],
    ]);
    // The first failure is the line; the four after it are counted.
    expect(lines.find((l) => l.msg === 'outbox relay recovered')?.heldBack).toBe(4);
  });
});
