import { describe, expect, it } from 'vitest';
import { fullName, mediaTypeOf, open311Field, statusNotes, toReportBody } from '../src/domain/open311.ts';

describe('Open311 request → report body', () => {
  it('maps service_code, place, reporter and media', () => {
    expect(
      toReportBody(
        { service_code: 'hazard.fire', description: '煤气味', lat: '38.2', long: '101.9', address_string: '宝河苑', first_name: '秀兰', last_name: '李', phone: '139', media_url: 'https://a/b.png?x=1' },
        'open311-1',
      ),
    ).toEqual({
      externalId: 'open311-1',
      category: 'hazard.fire',
      kind: 'hazard',
      description: '煤气味',
      location: { lat: 38.2, lng: 101.9, address: '宝河苑' },
      reporter: { name: '李秀兰', phone: '139' },
      attachments: [{ url: 'https://a/b.png?x=1', mediaType: 'image/png' }],
    });
  });
  it('leaves out what was not sent, and keeps a bad number as NaN for the schema to reject', () => {
    const body = toReportBody({ lat: 'north', address_string: ' ' }, 'e');
    expect(body).toEqual({ externalId: 'e', description: '', location: { lat: Number.NaN } });
  });
  it('writes Chinese names family name first, others given name first', () => {
    expect(fullName('秀兰', '李')).toBe('李秀兰');
    expect(fullName('John', 'Smith')).toBe('John Smith');
    expect(fullName(undefined, '李')).toBe('李');
    expect(fullName(' ', undefined)).toBeUndefined();
  });
  it('guesses a media type from the extension', () => {
    expect(mediaTypeOf('https://a/b.JPG')).toBe('image/jpeg');
    expect(mediaTypeOf('https://a/b')).toBe('application/octet-stream');
  });
  it('names errors by the Open311 field the sender used', () => {
    expect(open311Field('category')).toBe('service_code');
    expect(open311Field('location.lng')).toBe('long');
    expect(open311Field('reporter.email')).toBe('email');
    expect(open311Field('attachments.0.url')).toBe('media_url');
    expect(open311Field('description')).toBe('description');
  });
});

describe('status notes', () => {
  const c = { caseNumber: 'CG-2026-000001', status: 'acknowledged', level: 0, category: 'x', resolveBy: new Date(), updatedAt: new Date() };
  it('say where the report and its case stand', () => {
    expect(statusNotes('received', undefined)).toBe('received; awaiting triage');
    expect(statusNotes('assigned', c)).toBe('assigned; case CG-2026-000001: acknowledged');
    expect(statusNotes('merged', { ...c, status: 'open', level: 2 })).toBe('merged into case CG-2026-000001: open, escalated to level 2');
  });
});
