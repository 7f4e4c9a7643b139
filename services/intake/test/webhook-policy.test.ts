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
    for (const ip of ['169.254.169.254', '169.254.0.1', 'fe80::1', '100.100.100.200', 'fd00:ec2::254', '::ffff:169.254.169.254', '0.0.0.0', '168.63.129.16']) {
      expect(refusedAddress(ip, open), ip).toBeDefined();
    }
  });

  it('refuses loopback and private ranges unless configured', () => {
    for (const ip of ['127.0.0.1', '127.255.0.1', '::1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '100.64.0.1', '100.127.255.254', 'fd12::1', 'fc00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(refusedAddress(ip, strict), ip).toBeDefined();
      expect(refusedAddress(ip, open), ip).toBeUndefined();
    }
    expect(refusedAddress('127.0.0.1', { allowLoopback: false, allowPrivate: true })).toBe('a loopback address');
  });

  it('accepts plain global unicast addresses', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '198.20.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8']) {
      expect(refusedAddress(ip, strict), ip).toBeUndefined();
    }
  });

  it('refuses every IPv4 address that is not plain global unicast, whatever is configured', () => {
    const reserved = [
      '0.0.0.0', '0.1.2.3', // "this network" 0/8
      '169.254.169.254', '169.254.0.1', // link-local
      '100.100.100.200', '168.63.129.16', // metadata
      '192.0.0.8', '192.0.0.170', // IETF protocol assignments 192.0.0/24
      '192.0.2.1', '198.51.100.7', '203.0.113.7', // documentation
      '198.18.0.1', '198.19.255.254', // benchmarking 198.18/15
      '192.88.99.1', // 6to4 relay anycast
      '224.0.0.1', '239.255.255.250', // multicast
      '240.0.0.1', '255.255.255.254', '255.255.255.255', // reserved and broadcast
    ];
    for (const ip of reserved) {
      expect(refusedAddress(ip, open), ip).toBe('a link-local, metadata or reserved address');
      expect(refusedAddress(`::ffff:${ip}`, open), `::ffff:${ip}`).toBe('a link-local, metadata or reserved address');
    }
  });

  it('refuses every IPv6 address that is not plain global unicast, whatever is configured', () => {
    const reserved = [
      '::', // unspecified
      '::a9fe:a9fe', '::8.8.8.8', // IPv4-compatible (deprecated)
      '::ffff:a9fe:a9fe', // IPv4-mapped 169.254.169.254, as the URL parser writes it
      '64:ff9b::a9fe:a9fe', '64:ff9b::169.254.169.254', '64:ff9b::c612:1', '64:ff9b::0:0', // NAT64 of reserved IPv4
      '64:ff9b:1::a9fe:a9fe', '64:ff9b:1::808:808', // local-use NAT64 64:ff9b:1::/48
      '2002:a9fe:a9fe::', '2002:808:808::1', // 6to4 2002::/16
      '2001::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo 2001::/32
      'fe80::1', 'febf::1', // link-local
      'ff02::1', 'ff0e::1', // multicast
      '2001:db8::1', '3fff::1', // documentation
      '100::1', // discard 100::/64
      '2001:2::1', // benchmarking
      'fd00:ec2::254', // AWS metadata
      '4000::1', // outside global unicast 2000::/3
    ];
    for (const ip of reserved) expect(refusedAddress(ip, open), ip).toBe('a link-local, metadata or reserved address');
  });

  it('judges a NAT64 address by the IPv4 address it embeds, which must be global even where loopback and private are allowed', () => {
    expect(refusedAddress('64:ff9b::808:808', strict)).toBeUndefined();
    expect(refusedAddress('64:ff9b::8.8.8.8', strict)).toBeUndefined();
    for (const ip of ['64:ff9b::7f00:1', '64:ff9b::a00:1', '64:ff9b::c0a8:101', '64:ff9b::6440:1']) expect(refusedAddress(ip, open), ip).toBeDefined();
  });

  it('refuses what is not an IP address', () => {
    expect(refusedAddress('1.2.3', open)).toBe('not an IP address');
    expect(refusedAddress('example.org', open)).toBe('not an IP address');
    expect(refusedAddress('fe80::1%eth0', open)).toBe('a link-local, metadata or reserved address');
  });

  it('checks what a host name resolves to, and refuses other schemes and credentials', async () => {
    expect(await refusedUrl('http://localhost:8080/hook', strict)).toMatch(/loopback/);
    expect(await refusedUrl('http://localhost:8080/hook', open)).toBeUndefined();
    expect(await refusedUrl('ftp://203.0.113.7/hook', strict)).toBe('not http or https');
    expect(await refusedUrl('https://user:pw@203.0.113.7/hook', strict)).toBe('has credentials in it');
    expect(await refusedUrl('http://[fe80::1]/hook', open)).toMatch(/link-local/);
  });

  it('refuses the URLs of audit 7 (NAT64 and 6to4 forms of the metadata address, the benchmarking range)', async () => {
    for (const url of ['http://[64:ff9b::a9fe:a9fe]/', 'http://[64:ff9b::169.254.169.254]/', 'http://[2002:a9fe:a9fe::]/', 'http://198.18.0.1/', 'http://3323068417/']) {
      expect(await refusedUrl(url, open), url).toBe('its host is a link-local, metadata or reserved address');
    }
    expect(await refusedUrl('http://[64:ff9b::808:808]/hook', strict)).toBeUndefined();
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
