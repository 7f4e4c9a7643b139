import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface AddressPolicy {
  /** 127.0.0.0/8 and ::1; for local development and tests only. */
  allowLoopback: boolean;
  /** RFC 1918, CGNAT and unique-local ranges, for receivers inside the same network. */
  allowPrivate: boolean;
}

const subnets = (list: BlockList, ranges: [string, number, 'ipv4' | 'ipv6'][]) => {
  for (const [net, prefix, type] of ranges) list.addSubnet(net, prefix, type);
  return list;
};

// Never reachable by a webhook, whatever is configured: link-local (cloud metadata lives there),
// cloud metadata addresses outside it, "this network", multicast and broadcast.
const ALWAYS_REFUSED = subnets(new BlockList(), [
  ['0.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['100.100.100.200', 32, 'ipv4'], // Alibaba Cloud metadata
  ['168.63.129.16', 32, 'ipv4'], // Azure host endpoint
  ['224.0.0.0', 4, 'ipv4'],
  ['255.255.255.255', 32, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fd00:ec2::254', 128, 'ipv6'], // AWS metadata over IPv6
  ['ff00::', 8, 'ipv6'],
]);
const LOOPBACK = subnets(new BlockList(), [
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
const PRIVATE = subnets(new BlockList(), [
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
]);

/** Why `address` (an IP) may not receive webhooks under `policy`; undefined when it may. */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  // An IPv4-mapped IPv6 address is the IPv4 address it maps.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (ALWAYS_REFUSED.check(ip, type)) return 'a link-local, metadata or reserved address';
  if (!policy.allowLoopback && LOOPBACK.check(ip, type)) return 'a loopback address';
  if (!policy.allowPrivate && PRIVATE.check(ip, type)) return 'a private address';
  return undefined;
}

/**
 * Why `url` may not receive webhooks: not http(s), credentials in it, or a host that resolves to
 * any refused address (every address counts: the connection may use any of them).
 */
export async function refusedUrl(url: string, policy: AddressPolicy): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'not http or https';
  if (parsed.username || parsed.password) return 'has credentials in it';
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return 'its host does not resolve';
  }
  for (const address of addresses) {
    const why = refusedAddress(address, policy);
    if (why) return `its host is ${why}`;
  }
  return undefined;
}

/**
 * A `lookup` for http.request that refuses a connection when the host resolves to a refused
 * address: checked on the very resolution the socket connects to, so a name that resolves
 * elsewhere between the check and the connection (DNS rebinding) cannot slip through.
 */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as LookupAddress[];
      const refused = list.map((a) => refusedAddress(a.address, policy)).find(Boolean);
      if (refused || !list[0]) {
        const error = Object.assign(new Error(`address refused: its host is ${refused ?? 'unresolvable'}`), { code: 'EADDRREFUSED' });
        return callback(error, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}
