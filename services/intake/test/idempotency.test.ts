import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@gridcase/contracts';
import { asSentBodyHash, bodyHashes, decideIdempotency, type StoredReportKey, utcBodyHash, utcInstant } from '../src/domain/idempotency.ts';

describe('canonical body hash', () => {
  it('ignores key order and undefined members at every depth', () => {
    const a = { externalId: 'e1', location: { lat: 38.2, lng: 101.9 }, description: '门禁坏了', title: undefined };
    const b = { description: '门禁坏了', location: { lng: 101.9, lat: 38.2 }, externalId: 'e1' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(utcBodyHash(a)).toBe(utcBodyHash(b));
  });

  it('tells apart any change of value, including Chinese text and array order', () => {
    const base = { externalId: 'e1', description: '邻居吵架', attachments: [{ url: 'https://a/1' }, { url: 'https://a/2' }] };
    expect(utcBodyHash({ ...base, description: '邻里吵架' })).not.toBe(utcBodyHash(base));
    expect(utcBodyHash({ ...base, attachments: [...base.attachments].reverse() })).not.toBe(utcBodyHash(base));
    expect(utcBodyHash({ ...base, extra: null })).not.toBe(utcBodyHash(base));
  });

  it('takes no attachments written as an empty list as the same body as none (a serializer that writes empty lists)', () => {
    const base = { externalId: 'e1', description: '邻居吵架' };
    expect(utcBodyHash({ ...base, attachments: [] })).toBe(utcBodyHash(base));
    expect(utcBodyHash({ ...base, attachments: [{ url: 'https://a/1' }] })).not.toBe(utcBodyHash(base));
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
    expect(utcBodyHash(east)).toBe(utcBodyHash(utc));
    for (const field of ['occurredAt', 'respondBy', 'resolveBy'] as const) {
      expect(utcBodyHash({ ...utc, [field]: east[field] }), field).toBe(utcBodyHash(utc));
      // Another instant is another body.
      expect(utcBodyHash({ ...utc, [field]: '2026-11-01T00:00:01Z' }), field).not.toBe(utcBodyHash(utc));
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
    expect(utcBodyHash({ ...base, occurredAt: '2026-11-01T00:00:00.1234Z' })).not.toBe(utcBodyHash({ ...base, occurredAt: '2026-11-01T00:00:00.1235Z' }));
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
        return utcBodyHash({ ...base, occurredAt: `${local}${frac}${offset}` }) === utcBodyHash({ ...base, occurredAt: utc });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps body_hash the hash of the body as sent, what every report held there and older instances compare', () => {
    const sent = { ...base, occurredAt: '2026-11-01T08:00:00+08:00' };
    // sha256 of the canonical body as sent, as intake has always computed it.
    expect(asSentBodyHash(sent)).toBe('e57ddf3ef81d250695e1262c03743ae57c339610f7573099f14605b724a5cd7b');
    expect(bodyHashes(sent)).toEqual({ asSent: asSentBodyHash(sent), utc: utcBodyHash(sent) });
    expect(utcBodyHash(sent)).not.toBe(asSentBodyHash(sent));
    // A body whose instants are written as utcInstant writes them has one hash.
    expect(utcBodyHash({ ...base, occurredAt: '2026-11-01T00:00:00Z' })).toBe(asSentBodyHash({ ...base, occurredAt: '2026-11-01T00:00:00Z' }));
  });
});

describe('idempotency decision', () => {
  const base = { externalId: 'e1', description: '门禁坏了', location: { gridCode: 'CG-01' } };
  const east = { ...base, occurredAt: '2026-11-01T08:00:00+08:00' };
  const utc = { ...base, occurredAt: '2026-11-01T00:00:00Z' };
  const changed = { ...east, description: '另一件事' };
  const key = (bodyHash: string, bodyHashUtc: string | null): StoredReportKey => ({ reportId: 'r1', bodyHash, bodyHashUtc, status: 'assigned' });
  /** The key as this code stores it: both hashes of the body. */
  const stored = (body: unknown) => key(asSentBodyHash(body), utcBodyHash(body));
  const repeat = { outcome: 'repeat', reportId: 'r1', status: 'assigned' };
  const conflict = { outcome: 'conflict', reportId: 'r1' };

  it('creates under an unused key', () => {
    expect(decideIdempotency(undefined, bodyHashes(east))).toEqual({ outcome: 'created' });
  });
  it('repeats the stored report for the same body, in any offset, and conflicts for another body', () => {
    expect(decideIdempotency(stored(east), bodyHashes(east))).toEqual(repeat);
    expect(decideIdempotency(stored(east), bodyHashes(utc))).toEqual(repeat);
    expect(decideIdempotency(stored(utc), bodyHashes(east))).toEqual(repeat);
    expect(decideIdempotency(stored(east), bodyHashes(changed))).toEqual(conflict);
  });
  it('repeats a report stored before body_hash_utc (the hash as sent alone) for an identical body only', () => {
    const legacy = key(asSentBodyHash(east), null);
    expect(decideIdempotency(legacy, bodyHashes(east))).toEqual(repeat);
    expect(decideIdempotency(legacy, bodyHashes(changed))).toEqual(conflict);
    // Its stored hash kept the offset as first sent, and nothing else says which instant it was.
    expect(decideIdempotency(legacy, bodyHashes(utc))).toEqual(conflict);
  });
  it('repeats a report stored while body_hash held the UTC hash, for the same body in any offset', () => {
    const interim = key(utcBodyHash(east), null);
    expect(decideIdempotency(interim, bodyHashes(east))).toEqual(repeat);
    expect(decideIdempotency(interim, bodyHashes(utc))).toEqual(repeat);
    expect(decideIdempotency(interim, bodyHashes(changed))).toEqual(conflict);
  });
});
