import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@gridcase/contracts';
import { bodyHash, decideIdempotency } from '../src/domain/idempotency.ts';

describe('canonical body hash', () => {
  it('ignores key order and undefined members at every depth', () => {
    const a = { externalId: 'e1', location: { lat: 38.2, lng: 101.9 }, description: '门禁坏了', title: undefined };
    const b = { description: '门禁坏了', location: { lng: 101.9, lat: 38.2 }, externalId: 'e1' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(bodyHash(a)).toBe(bodyHash(b));
  });

  it('tells apart any change of value, including Chinese text and array order', () => {
    const base = { externalId: 'e1', description: '邻居吵架', attachments: [{ url: 'https://a/1' }, { url: 'https://a/2' }] };
    expect(bodyHash({ ...base, description: '邻里吵架' })).not.toBe(bodyHash(base));
    expect(bodyHash({ ...base, attachments: [...base.attachments].reverse() })).not.toBe(bodyHash(base));
    expect(bodyHash({ ...base, extra: null })).not.toBe(bodyHash(base));
  });

  it('writes sorted, whitespace-free JSON', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: true }], a: null })).toBe('{"a":null,"b":[1,{"c":true,"d":"x"}]}');
  });

  it('writes what it always wrote, so hashes stored before still match: the plain definition, for any value JSON can carry', () => {
    const plain = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : plain(v))).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${plain(v)}`).join(',')}}`;
    };
    fc.assert(fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (value) => canonicalJson(value) === plain(value)), { numRuns: 2000 });
    expect(canonicalJson({ '中': 1, a: undefined, Z: [undefined, '\u0000'], '': {} })).toBe(plain({ '中': 1, a: undefined, Z: [undefined, '\u0000'], '': {} }));
  });
});

describe('idempotency decision', () => {
  it('creates under an unused key', () => {
    expect(decideIdempotency(undefined, 'h1')).toEqual({ outcome: 'created' });
  });
  it('repeats the stored report for the same body', () => {
    expect(decideIdempotency({ reportId: 'r1', bodyHash: 'h1', status: 'assigned' }, 'h1')).toEqual({ outcome: 'repeat', reportId: 'r1', status: 'assigned' });
  });
  it('conflicts for another body under a used key', () => {
    expect(decideIdempotency({ reportId: 'r1', bodyHash: 'h1', status: 'received' }, 'h2')).toEqual({ outcome: 'conflict', reportId: 'r1' });
  });
});
