import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';

// kafkajs 2.2.4 as patched by infra/patches/kafkajs@2.2.4.patch (package.json's patchedDependencies).
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js');

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
type Queue = {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  maxInFlightRequests: number;
  checkPendingRequests(): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  push(request: { entry: { correlationId: number; apiKey: number; apiName: string; apiVersion: number; resolve(): void; reject(): void }; expectResponse: boolean; sendRequest(): void }): void;
  destroy(): void;
};
const makeQueue = (): Queue => new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 't', broker: 'b', logger: quiet });
const request = (correlationId: number, sent: number[]) => ({
  entry: { correlationId, apiKey: 1, apiName: 'Fetch', apiVersion: 11, resolve() {}, reject() {} },
  expectResponse: false,
  sendRequest: () => sent.push(correlationId),
});

const until = (done: () => boolean) =>
  new Promise<void>((resolve) => {
    const poll = () => (done() ? resolve() : setImmediate(poll));
    poll();
  });

describe("kafkajs's request queue, patched", () => {
  const queues: Queue[] = [];
  const queue = () => {
    const q = makeQueue();
    queues.push(q);
    return q;
  };
  afterEach(() => {
    for (const q of queues.splice(0)) q.destroy();
  });

  it('arms no timer when nothing is pending and nothing throttles it (the check re-armed itself every millisecond)', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still sends a request held back by a broker throttle once the throttle ends', async () => {
    const q = queue();
    const sent: number[] = [];
    q.throttledUntil = Date.now() + 30;
    q.push(request(1, sent));
    expect(sent).toEqual([]);
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    await until(() => sent.length > 0);
    expect(sent).toEqual([1]);
    // Drained and past the throttle: the check that sent it armed nothing more.
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('sends a request held back by the in-flight limit once the one in flight is answered, then arms nothing more', async () => {
    const q = queue();
    const sent: number[] = [];
    q.push({ ...request(1, sent), expectResponse: true });
    q.push(request(2, sent));
    expect(sent).toEqual([1]);
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(sent).toEqual([1, 2]);
    // The 10 ms check armed while request 2 waited fires once and finds nothing: before the patch it
    // re-armed itself for good, and this wait would time out.
    await until(() => q.throttleCheckTimeoutId === null);
  });
});
