import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../stack.ts';

describe('freePort (the test stacks)', () => {
  it("hands out ports below the kernel's ephemeral range, so no outgoing connection or listen(0) can take one first", async () => {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports) expect(port).toBeLessThan(ephemeralLow!);
  });

  it('never hands out a port twice in a row, and skips one something listens on', async () => {
    const first = await freePort();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(first + 1, '127.0.0.1', resolve));
    try {
      const next = [await freePort(), await freePort()];
      expect(new Set([first, ...next]).size).toBe(3);
      expect(next).not.toContain(first + 1);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
