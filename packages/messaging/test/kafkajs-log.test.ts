import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkajsLogLevel } from '../src/kafka.ts';

describe("kafkajs's lines in our log", () => {
  it('warns, not errors, of a broker answer it retries while the broker starts or moves a leader or coordinator', () => {
    for (const error of [
      'The coordinator is loading and hence can\'t process requests for this group',
      'The group coordinator is not available',
      'This server is not the leader for that topic-partition',
      'There is no leader for this topic-partition as we are in the middle of a leadership election',
    ]) {
      expect(kafkajsLogLevel(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', error), error).toBe('warn');
    }
  });

  it('keeps other errors at error, drops rebalance noise, and keeps the other levels as kafkajs gave them', () => {
    expect(kafkajsLogLevel(logLevel.ERROR, 'Response Produce(key: 0, version: 7)', 'The request included a message larger than the max message size the server will accept')).toBe('error');
    expect(kafkajsLogLevel(logLevel.ERROR, 'Response JoinGroup(key: 11, version: 5)', 'The group is rebalancing, so a rejoin is needed')).toBeUndefined();
    expect(kafkajsLogLevel(logLevel.WARN, 'Response Metadata(key: 3, version: 6)', 'The coordinator is loading and hence can\'t process requests for this group')).toBe('warn');
    expect(kafkajsLogLevel(logLevel.INFO, 'Consumer has joined the group', '')).toBe('info');
  });
});
