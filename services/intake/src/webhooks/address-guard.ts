import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { carriesCredentials } from '@gridcase/contracts';
import ipaddr from 'ipaddr.js';

export interface AddressPolicy {
  /** 127.0.0.0/8 and ::1; for local development and tests only. */
  allowLoopback: boolean;
  /** RFC 1918, CGNAT and unique-local ranges, for receivers inside the same network. */
  allowPrivate: boolean;
}

const cidrs = (list: string[]) => list.map((cidr) => ipaddr.parseCIDR(cidr));
const inAny = (ip: ipaddr.IPv4 | ipaddr.IPv6, list: ReturnType<typeof cidrs>) =>
  list.some(([net, prefix]) => net.kind() === ip.kind() && ip.match(net, prefix));

// Cloud metadata endpoints that are not link-local; refused whatever is configured.
const METADATA = cidrs([
  '100.100.100.200/32', // Alibaba Cloud, inside 100.64.0.0/10
  '168.63.129.16/32', // Azure host endpoint, a global address
  'fd00:ec2::254/128', // AWS over IPv6, inside fc00::/7
]);
// Global unicast IPv6 is 2000::/3; ipaddr.js names the special ranges inside it (documentation,
// 6to4, Teredo, benchmarking, ...) but not the unassigned space outside it.
const GLOBAL_UNICAST_V6 = cidrs(['2000::/3']);
// RFC 6052 well-known NAT64 prefix: the last 32 bits are the IPv4 address the gateway connects to.
const NAT64_WELL_KNOWN = cidrs(['64:ff9b::/96']);

/** Why an IPv4 address may not receive webhooks under `policy`. */
function refusedV4(ip: ipaddr.IPv4, policy: AddressPolicy): string | undefined {
  if (inAny(ip, METADATA)) return 'a link-local, metadata or reserved address';
  const range = ip.range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback') return policy.allowLoopback ? undefined : 'a loopback address';
  if (range === 'private' || range === 'carrierGradeNat') return policy.allowPrivate ? undefined : 'a private address';
  return 'a link-local, metadata or reserved address';
}

/**
 * Why `address` (an IP) may not receive webhooks under `policy`; undefined when it may. Only plain
 * global unicast passes, save loopback and private ranges where `policy` allows them. An IPv4-mapped
 * address is judged as the IPv4 address it maps; a NAT64 address (64:ff9b::/96) as the IPv4 address
 * it embeds, which must be global (a NAT64 gateway has no business reaching loopback or private
 * addresses); other transition forms (6to4, Teredo, local-use NAT64, IPv4-compatible) are refused.
 */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  const family = isIP(address);
  if (!family) return 'not an IP address';
  // ipaddr.js reads the deprecated IPv4-compatible "::a.b.c.d" as IPv4-mapped; the WHATWG URL
  // serializer writes every IPv6 address in hex ("::808:808"), which it reads as it is. A zone id
  // ("%eth0") only matters on link-local and multicast addresses, refused either way.
  const ip = ipaddr.parse(family === 6 ? new URL(`http://[${address.replace(/%.*$/, '')}]/`).hostname.slice(1, -1) : address);
  if (ip.kind() === 'ipv4') return refusedV4(ip as ipaddr.IPv4, policy);
  const v6 = ip as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return refusedV4(v6.toIPv4Address(), policy);
  if (inAny(v6, NAT64_WELL_KNOWN)) {
    return refusedV4(ipaddr.fromByteArray(v6.toByteArray().slice(12)) as ipaddr.IPv4, { allowLoopback: false, allowPrivate: false });
  }
  if (inAny(v6, METADATA)) return 'a link-local, metadata or reserved address';
  const range = v6.range();
  if (range === 'loopback') return policy.allowLoopback ? undefined : 'a loopback address';
  if (range === 'uniqueLocal') return policy.allowPrivate ? undefined : 'a private address';
  if (range === 'unicast' && inAny(v6, GLOBAL_UNICAST_V6)) return undefined;
  return 'a link-local, metadata or reserved address';
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
  if (carriesCredentials(url)) return 'has credentials in it';
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
