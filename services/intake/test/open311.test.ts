import { describe, expect, it } from 'vitest';
import { ReportBody } from '@gridcase/contracts';
import { fullName, mediaTypeOf, open311Field, open311Issue, statusNotes, toOpen311Errors, toReportBody, toServiceRequest, UNKNOWN_SERVICE } from '../src/domain/open311.ts';

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

describe("Open311's 400 messages (audit14 #9)", () => {
  const issuesOf = (form: Parameters<typeof toReportBody>[0]) => {
    const parsed = ReportBody.safeParse(toReportBody({ service_code: 'dispute.neighbour', ...form }, 'open311-1'));
    return parsed.success ? [] : parsed.error.issues.map(open311Issue);
  };

  it("say what is wrong in Open311's field names, not zod's text or the REST body's fields", () => {
    expect(issuesOf({ description: '', address_string: '宝河苑' })).toEqual([{ path: 'description', message: 'must not be empty' }]);
    expect(issuesOf({ description: '路灯坏了' })).toEqual([{ path: 'lat/long or address_string', message: 'required: lat and long together, or address_string' }]);
    expect(issuesOf({ description: '路灯坏了', lat: '38.2' })).toEqual([
      { path: 'long', message: 'lat and long must be given together' },
      { path: 'lat/long or address_string', message: 'required: lat and long together, or address_string' },
    ]);
    const [nowhere] = issuesOf({ description: '路灯坏了', address_string: '.' });
    expect(nowhere).toEqual({ path: 'address_string', message: expect.stringMatching(/^says nothing .*: give lat and long together, or address_string that does$/) });
    for (const issue of [...issuesOf({ description: '路灯坏了' }), nowhere!]) expect(issue.message).not.toMatch(/gridCode|communityCode|lng/);
  });

  it('refuse lat 0, long 0 as the only place, a GPS default, in their own field names (audit17 #2)', () => {
    const gpsDefault = { path: 'lat/long', message: 'lat 0, long 0 is a GPS default, not a place; leave lat and long out when not known' };
    expect(issuesOf({ description: '路灯坏了', lat: '0', long: '0' })).toEqual([gpsDefault]);
    expect(issuesOf({ description: '路灯坏了', lat: '0.0', long: '-0', address_string: ' ' })).toEqual([gpsDefault]);
    expect(issuesOf({ description: '路灯坏了', lat: '0.0', long: '-0', address_string: '宝河苑' })).toEqual([]);
    expect(issuesOf({ description: '路灯坏了', lat: '0', long: '101.9' })).toEqual([]);
  });

  it('say where the service codes are for an unknown service_code, not the REST catalogue', () => {
    expect(issuesOf({ service_code: 'no.such', description: '路灯坏了', address_string: '宝河苑' })).toEqual([
      { path: 'service_code', message: 'not a service here; GET /open311/v2/services.json lists them' },
    ]);
    expect(UNKNOWN_SERVICE).toBe('not a service here; GET /open311/v2/services.json lists them');
  });
});

describe('status notes', () => {
  const c = { caseNumber: 'CG-2026-000001', status: 'acknowledged', level: 0, category: 'x', resolveBy: new Date(), updatedAt: new Date() };
  it('say where the report and its case stand', () => {
    expect(statusNotes('received', undefined)).toBe('received; awaiting triage');
    expect(statusNotes('assigned', c)).toBe('assigned; case CG-2026-000001: acknowledged');
    expect(statusNotes('merged', { ...c, status: 'open', level: 2 })).toBe('merged into case CG-2026-000001: open, escalated to level 2');
    expect(statusNotes('assigned', { ...c, status: 'follow-up' })).toBe('assigned; case CG-2026-000001: verified, awaiting follow-up with the reporter');
  });
  it('close the request only when the case is closed: resolved, follow-up and on hold stay open', () => {
    const request = { reportId: 'r1', status: 'assigned', receivedAt: new Date(), updatedAt: new Date(), report: { description: 'x', location: {}, attachments: [] } as never };
    const statusAt = (status: string) => toServiceRequest(request, { ...c, status }).status;
    expect(['open', 'acknowledged', 'resolved', 'follow-up', 'on-hold'].map(statusAt)).toEqual(['open', 'open', 'open', 'open', 'open']);
    expect(statusAt('closed')).toBe('closed');
    expect(toServiceRequest(request, { ...c, status: 'resolved' }).status_notes).toBe('assigned; case CG-2026-000001: resolved, awaiting verification');
  });
  it('show a media_url only when it is an http(s) link, whatever a report stored before that was required', () => {
    const withMedia = (url: string) => ({
      reportId: 'r1',
      status: 'assigned',
      receivedAt: new Date(),
      updatedAt: new Date(),
      report: { description: 'x', location: {}, attachments: [{ url, mediaType: 'image/png' }] } as never,
    });
    expect(toServiceRequest(withMedia('https://example.cn/a.png'), undefined).media_url).toBe('https://example.cn/a.png');
    expect(toServiceRequest(withMedia('javascript:alert(1)'), undefined).media_url).toBeNull();
    expect(toServiceRequest(withMedia('file:///etc/passwd'), undefined).media_url).toBeNull();
  });
});

describe("Open311's error body", () => {
  it('has one entry per bad field, query-string fields named bare', () => {
    const problem = {
      status: 400,
      title: 'Bad Request',
      detail: 'invalid querystring: querystring.page_size',
      errors: [
        { path: 'querystring.page_size', message: 'Too big' },
        { path: 'description', message: 'contains a NUL character or an unpaired surrogate' },
      ],
    };
    expect(toOpen311Errors(problem)).toEqual([
      { code: 400, description: 'page_size: Too big' },
      { code: 400, description: 'description: contains a NUL character or an unpaired surrogate' },
    ]);
  });

  it('carries the detail when no field is named', () => {
    expect(toOpen311Errors({ status: 429, title: 'Too Many Requests', detail: 'over 10 requests per minute' })).toEqual([
      { code: 429, description: 'over 10 requests per minute' },
    ]);
  });
});
