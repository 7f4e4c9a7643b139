import { describe, expect, it } from 'vitest';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { refusedAddress, refusedUrl } from '../src/webhooks/address-guard.ts';
import { post } from '../src/webhooks/post.ts';
import { nextAttemptAt, RETRY_WINDOW_MS, signature } from '../src/webhooks/delivery-policy.ts';

const strict = { allowLoopback: false, allowPrivate: false };
const open = { allowLoopback: true, allowPrivate: true };

describe('webhook address guard', () => {
  it('refuses link-local and metadata addresses whatever is configured', () => {
    for (const ip of ['169.254.169.254', '169.254.0.1', 'fe80::1', '100.100.100.200', 'fd00:ec2::254', '::ffff:169.254.169.254', '0.0.0.0']) {
      expect(refusedAddress(ip, open), ip).toBeDefined();
    }
  });

  it('refuses loopback and private ranges unless configured', () => {
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3', '172.20.0.1', '192.168.1.1', 'fd12::1', '::ffff:127.0.0.1']) {
      expect(refusedAddress(ip, strict), ip).toBeDefined();
      expect(refusedAddress(ip, open), ip).toBeUndefined();
    }
    expect(refusedAddress('127.0.0.1', { allowLoopback: false, allowPrivate: true })).toBe('a loopback address');
  });

  it('accepts public addresses', () => {
    for (const ip of ['203.0.113.7', '8.8.8.8', '2001:db8::1', '172.32.0.1']) expect(refusedAddress(ip, strict), ip).toBeUndefined();
  });

  it('checks what a host name resolves to, and refuses other schemes and credentials', async () => {
    expect(await refusedUrl('http://localhost:8080/hook', strict)).toMatch(/loopback/);
    expect(await refusedUrl('http://localhost:8080/hook', open)).toBeUndefined();
    expect(await refusedUrl('ftp://203.0.113.7/hook', strict)).toBe('not http or https');
    expect(await refusedUrl('https://user:pw@203.0.113.7/hook', strict)).toBe('has credentials in it');
    expect(await refusedUrl('http://[fe80::1]/hook', open)).toMatch(/link-local/);
  });
});

describe('webhook POST', () => {
  it('refuses to connect when the name resolves to a refused address, on the lookup the connection uses', async () => {
    const server = createServer((_req, res) => res.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://localhost:${(server.address() as AddressInfo).port}/hook`;
    try {
      await expect(post(url, '{}', {}, strict, AbortSignal.timeout(5000))).rejects.toMatchObject({ code: 'EADDRREFUSED', message: /loopback/ });
      expect(await post(url, '{}', {}, open, AbortSignal.timeout(5000))).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives up on a receiver that does not answer when the signal fires (the 10 s timeout)', async () => {
    const held: ServerResponse[] = [];
    const server = createServer((_req, res) => held.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      await expect(post(url, '{}', {}, open, AbortSignal.timeout(100))).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      for (const res of held) res.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('webhook retry schedule', () => {
  const created = new Date('2026-01-01T00:00:00Z');

  it('doubles from 10 s up to an hour, jittered within the upper half', () => {
    const delay = (attempt: number, random: number) => (nextAttemptAt(attempt, created, created, random) as Date).getTime() - created.getTime();
    expect(delay(1, 0)).toBe(5_000);
    expect(delay(1, 0.5)).toBe(7_500);
    expect(delay(2, 0)).toBe(10_000);
    expect(delay(3, 0)).toBe(20_000);
    expect(delay(40, 0)).toBe(1_800_000);
    expect(delay(40, 0.999_999)).toBeLessThanOrEqual(3_600_000);
  });

  it('parks once the 24 h window is over', () => {
    const late = new Date(created.getTime() + RETRY_WINDOW_MS);
    expect(nextAttemptAt(5, created, new Date(late.getTime() - 1), 0.5)).toBeInstanceOf(Date);
    expect(nextAttemptAt(5, created, late, 0.5)).toBeUndefined();
  });

  it('signs the raw body with HMAC-SHA256', () => {
    // echo -n '{"a":1}' | openssl dgst -sha256 -hmac key
    expect(signature('key', '{"a":1}')).toBe('sha256=88a67f24bbcdaed0e6c997404bb79a743baf44c6bab2f4c27328e3009d22e342');
  });
});
