import { describe, expect, it } from 'vitest';
import { headersAsSent, readHeaders } from '../src/headers.ts';
import { recordBytes } from '../src/record-bytes.ts';

describe('recordBytes', () => {
  it("counts a record's UTF-8 bytes, not its characters: key, value, header names and values", () => {
    // 城关 is 2 characters, 6 bytes; 挂账 likewise; é is 1 character, 2 bytes; 🚓 is 2 UTF-16 units, 4 bytes.
    expect(recordBytes({ key: '城关', value: '', headers: {} })).toBe(6);
    expect(recordBytes({ key: '', value: '{"note":"挂账"}', headers: {} })).toBe(11 + 6);
    expect(recordBytes({ key: '', value: '', headers: { 'café': '🚓' } })).toBe(5 + 4);
    expect(recordBytes({ key: 'c-1', value: '城关é', headers: { a: 'b', 'x-城': 'ab' } })).toBe(3 + 8 + 2 + 5 + 2);
  });

  it('counts Buffers by their length and an absent key or value as 0', () => {
    const value = Buffer.from('回访', 'utf8');
    expect(recordBytes({ key: null, value, headers: {} })).toBe(6);
    expect(recordBytes({ key: Buffer.from([0xff, 0x00, 0xfe]), value: null, headers: { k: '' } })).toBe(3 + 1);
    expect(recordBytes({ key: undefined, value: undefined, headers: {} })).toBe(0);
  });
});

describe('readHeaders and headersAsSent (a header a record carries more than once)', () => {
  it('reads the first value into headers and every value into repeatedHeaders, and writes them all back', () => {
    const read = readHeaders({ 'client-id': [Buffer.from('c-1'), Buffer.from('c-2')], traceparent: Buffer.from('00-ab'), gone: undefined });
    expect(read).toEqual({ headers: { 'client-id': 'c-1', traceparent: '00-ab' }, repeatedHeaders: { 'client-id': ['c-1', 'c-2'] } });
    expect(headersAsSent(read)).toEqual({ 'client-id': ['c-1', 'c-2'], traceparent: '00-ab' });
    // No header repeats: no repeatedHeaders at all.
    expect(readHeaders({ 'client-id': Buffer.from('c-1') })).toEqual({ headers: { 'client-id': 'c-1' } });
    expect(readHeaders(undefined)).toEqual({ headers: {} });
  });

  it('counts each value of a repeated header with its name', () => {
    expect(recordBytes({ key: null, value: null, headers: { 'client-id': ['c-1', 'c-22'], a: 'b' } })).toBe(9 + 3 + 9 + 4 + 1 + 1);
  });
});
