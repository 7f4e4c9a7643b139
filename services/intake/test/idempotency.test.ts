import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@gridcase/contracts';
import { bodyHash, decideIdempotency, legacyBodyHash, utcInstant } from '../src/domain/idempotency.ts';

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

describe("the body hash's instants", () => {
  const base = { externalId: 'e1', description: '门禁坏了', location: { gridCode: 'CG-01' } };

  it('takes the same instant in another offset for the same body: occurredAt, respondBy and resolveBy', () => {
    const east = { ...base, occurredAt: '2026-11-01T08:00:00+08:00', respondBy: '2027-01-01T02:00:00+08:00', resolveBy: '2027-01-03T18:00:00+08:00' };
    const utc = { ...base, occurredAt: '2026-11-01T00:00:00Z', respondBy: '2026-12-31T18:00:00Z', resolveBy: '2027-01-03T10:00:00Z' };
    expect(bodyHash(east)).toBe(bodyHash(utc));
    for (const field of ['occurredAt', 'respondBy', 'resolveBy'] as const) {
      expect(bodyHash({ ...utc, [field]: east[field] }), field).toBe(bodyHash(utc));
      // Another instant is another body.
      expect(bodyHash({ ...utc, [field]: '2026-11-01T00:00:01Z' }), field).not.toBe(bodyHash(utc));
    }
  });

  it('writes each instant in UTC, keeping every digit of its fraction of a second', () => {
    expect(utcInstant('2026-11-01T08:00:00+08:00')).toBe('2026-11-01T00:00:00Z');
    expect(utcInstant('2026-11-01T00:00:00-00:00')).toBe('2026-11-01T00:00:00Z');
    expect(utcInstant('2026-11-01T23:30:00-05:30')).toBe('2026-11-02T05:00:00Z');
    expect(utcInstant('2027-01-01T02:00:00.1234560+08:00')).toBe('2026-12-31T18:00:00.123456Z');
    // Trailing zeros say nothing of the instant.
    expect(utcInstant('2026-11-01T00:00:00.500Z')).toBe('2026-11-01T00:00:00.5Z');
    expect(utcInstant('2026-11-01T00:00:00.000+00:00')).toBe('2026-11-01T00:00:00Z');
    // A microsecond apart is two instants, though Date reads both as the same millisecond.
    expect(bodyHash({ ...base, occurredAt: '2026-11-01T00:00:00.1234Z' })).not.toBe(bodyHash({ ...base, occurredAt: '2026-11-01T00:00:00.1235Z' }));
    expect(utcInstant('not an instant')).toBe('not an instant');
  });

  it('hashes any instant written in any offset, to any precision, as its UTC writing', () => {
    const instant = fc.record({
      ms: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 11, 31) }),
      fraction: fc.stringMatching(/^[0-9]{0,9}$/),
      offsetMinutes: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    });
    const pad = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(instant, ({ ms, fraction, offsetMinutes }) => {
        const whole = Math.floor(ms / 1000) * 1000;
        const frac = fraction ? `.${fraction}` : '';
        const local = new Date(whole + offsetMinutes * 60_000).toISOString().slice(0, 19);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
        const utc = `${new Date(whole).toISOString().slice(0, 19)}${frac}Z`;
        return bodyHash({ ...base, occurredAt: `${local}${frac}${offset}` }) === bodyHash({ ...base, occurredAt: utc });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the hash reports stored before held, for the fallback', () => {
    const stored = { ...base, occurredAt: '2026-11-01T08:00:00+08:00' };
    // What bodyHash wrote before it wrote instants in UTC: sha256 of the canonical body as sent.
    expect(legacyBodyHash(stored)).toBe('e57ddf3ef81d250695e1262c03743ae57c339610f7573099f14605b724a5cd7b');
    expect(bodyHash(stored)).not.toBe(legacyBodyHash(stored));
    // A body whose instants are UTC already hashes as it always did.
    expect(bodyHash({ ...base, occurredAt: '2026-11-01T00:00:00Z' })).toBe(legacyBodyHash({ ...base, occurredAt: '2026-11-01T00:00:00Z' }));
  });
});

describe('idempotency decision', () => {
  it('creates under an unused key', () => {
    expect(decideIdempotency(undefined, ['h1', 'h1-legacy'])).toEqual({ outcome: 'created' });
  });
  it('repeats the stored report for the same body', () => {
    expect(decideIdempotency({ reportId: 'r1', bodyHash: 'h1', status: 'assigned' }, ['h1', 'h1-legacy'])).toEqual({ outcome: 'repeat', reportId: 'r1', status: 'assigned' });
  });
  it('repeats a report stored before instants were hashed in UTC, whose hash is the legacy one', () => {
    expect(decideIdempotency({ reportId: 'r1', bodyHash: 'h1-legacy', status: 'triaged' }, ['h1', 'h1-legacy'])).toEqual({ outcome: 'repeat', reportId: 'r1', status: 'triaged' });
  });
  it('conflicts for another body under a used key', () => {
    expect(decideIdempotency({ reportId: 'r1', bodyHash: 'h1', status: 'received' }, ['h2', 'h2-legacy'])).toEqual({ outcome: 'conflict', reportId: 'r1' });
  });
});
