import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Failover, urlsOf } from '../src/failover.ts';

const servers: Server[] = [];
/** A local instance: `answer` says how it answers, or never does (a hung process). */
async function instance(answer: 'ok' | 'busy' | 'fail' | 'hang') {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    if (answer === 'ok') res.writeHead(200, { 'content-type': 'application/json' }).end('{"clientIds":[]}');
    if (answer === 'busy') res.writeHead(503, { 'retry-after': '5' }).end('{"detail":"intake is shutting down"}');
    if (answer === 'fail') res.writeHead(500).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

describe('Failover: one service, several instances (audit25 #5)', () => {
  it('asks the next instance while one does not answer, and then asks the one that answered first', async () => {
    const [hung, up] = [await instance('hang'), await instance('ok')];
    const intake = new Failover(`${hung.url}, ${up.url}`);
    const first = await intake.fetch('/v1/clients/revoked', { timeoutMs: 200 });
    expect(first.res.status).toBe(200);
    expect(first.url.origin).toBe(up.url);
    await intake.fetch('/v1/clients/revoked', { timeoutMs: 200 });
    expect(hung.asked).toEqual(['/v1/clients/revoked']);
    expect(up.asked).toEqual(['/v1/clients/revoked', '/v1/clients/revoked']);
  });

  it('passes over an instance that answers 503 (starting, shutting down) to the next; any other answer is the answer', async () => {
    const [busy, up] = [await instance('busy'), await instance('ok')];
    const intake = new Failover(`${busy.url},${up.url}`);
    expect((await intake.fetch('/x', { timeoutMs: 500 })).res.status).toBe(200);
    expect([busy.asked, up.asked]).toEqual([['/x'], ['/x']]);
    // Every instance 503: the last 503 is the answer; a 503 before an instance that does not answer, the same.
    const [b1, b2, hung] = [await instance('busy'), await instance('busy'), await instance('hang')];
    expect((await new Failover(`${b1.url},${b2.url}`).fetch('/x', { timeoutMs: 500 })).res.status).toBe(503);
    const before = await new Failover(`${b1.url},${hung.url}`).fetch('/x', { timeoutMs: 100 });
    expect([before.res.status, before.url.origin]).toEqual([503, b1.url]);
    const failing = await instance('fail');
    expect((await new Failover(`${failing.url},${up.url}`).fetch('/y', { timeoutMs: 500 })).res.status).toBe(500);
    expect(up.asked).toEqual(['/x']);
  });

  it('throws when no instance answers at all', async () => {
    const [a, b] = [await instance('hang'), await instance('hang')];
    await expect(new Failover(`${a.url},${b.url}`).fetch('/x', { timeoutMs: 100 })).rejects.toThrow();
    expect([a.asked, b.asked]).toEqual([['/x'], ['/x']]);
  });

  it('reads a setting of one URL or several, comma-separated, spaces around them ignored', () => {
    expect(urlsOf('http://intake:3001')).toEqual(['http://intake:3001']);
    expect(urlsOf(' http://a:1 , http://b:2,')).toEqual(['http://a:1', 'http://b:2']);
  });
});
