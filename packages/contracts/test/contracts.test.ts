import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CLOCK_SKEW_MS,
  ContractError,
  AcknowledgeBody,
  describeIssues,
  INSTANT_EXPECTED,
  deadlinesOrderProblem,
  instantCursor,
  NOT_THIS_LISTS_CURSOR,
  cursorParam,
  pageCursor,
  instantAfter,
  explainBodyWith,
  ExtensionBody,
  ExtensionRejectBody,
  fieldIssues,
  GridGeometry,
  Kind,
  storableUrl,
  URL_EXPECTED,
  FollowUpBody,
  HoldBody,
  Location,
  makeMessage,
  NoteBody,
  newId,
  occurredAtProblem,
  parseDuration,
  parseMessage,
  parseMessageOf,
  QueryInstant,
  randomHex,
  ReassignBody,
  ReopenBody,
  ReportBody,
  ResolveBody,
  Severity,
  reportBodyWith,
  VerifyBody,
} from '../src/index.ts';

const validReport = {
  externalId: 'hotline-1',
  description: '邻居夫妻吵架一整夜',
  location: { gridCode: 'CG-01-01' },
};

describe('ReportBody', () => {
  it('accepts a minimal report and Chinese text', () => {
    expect(ReportBody.safeParse(validReport).success).toBe(true);
  });

  it('names every bad field', () => {
    const result = ReportBody.safeParse({ externalId: 'x'.repeat(129), description: '', location: { lat: 38.2 }, category: 'nope', extra: 1 });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['externalId', 'description', 'location.lng', 'category', '']));
  });

  it('needs at least one way to place the report', () => {
    const result = ReportBody.safeParse({ ...validReport, location: {} });
    expect(result.error!.issues[0]!.message).toMatch(/at least one of/);
  });

  it('does not count a location field that says nothing, naming each such field when nothing else places the report (audit11 #4)', () => {
    const issues = (location: Record<string, unknown>) => ReportBody.safeParse({ ...validReport, location }).error?.issues.map((i) => [i.path.join('.'), i.message]);
    for (const blank of ['   ', '.', '\u3000\u200b', ' - ', '~~', '★', '→→']) {
      expect(issues({ address: blank })).toEqual([['location.address', expect.stringMatching(/^says nothing .*at least one of lat\+lng, gridCode, communityCode, address/)]]);
    }
    expect(issues({ gridCode: ' ', communityCode: '。' })?.map(([path]) => path)).toEqual(['location.gridCode', 'location.communityCode']);
    // Beside a field that does place it, a blank one is taken as sent, as before (a retry keeps its answer).
    expect(ReportBody.safeParse({ ...validReport, location: { gridCode: 'CG-01-01', address: '  ' } }).success).toBe(true);
    expect(ReportBody.safeParse({ ...validReport, location: { lat: 36.06, lng: 103.83, address: '.' } }).success).toBe(true);
    expect(ReportBody.safeParse({ ...validReport, location: { address: '3号楼' } }).success).toBe(true);
    // An event's location is read as loosely as before, so one already published stays readable.
    expect(Location.safeParse({ address: '   ' }).success).toBe(true);
  });

  it('refuses lat 0, lng 0 as the only place, a GPS default, naming location, on every sender path; an event keeps it readable (audit17 #2)', () => {
    const issues = (schema: z.ZodType, location: Record<string, unknown>) =>
      schema.safeParse({ ...validReport, location }).error?.issues.map((i) => [i.path.join('.'), i.message]);
    const gpsDefault = ['location', 'lat 0, lng 0 is a GPS default, not a place; leave lat and lng out when not known'];
    const inbound = reportBodyWith(() => true, () => new Date('2026-06-01T02:00:00Z'));
    for (const schema of [ReportBody, inbound, explainBodyWith(() => true)]) {
      for (const location of [{ lat: 0, lng: 0 }, { address: '   ', lat: -0, lng: 0 }]) expect(issues(schema, location)).toEqual([gpsDefault]);
      // Beside a place that says something it is a WGS 84 point like any other (triage compares no such point).
      for (const location of [{ gridCode: 'CG-01-01', lat: 0, lng: 0 }, { address: '宝河苑', lat: -0, lng: 0 }]) expect(issues(schema, location)).toBeUndefined();
    }
    // Beside other bad fields, each named.
    expect(issues(ReportBody, { lat: 0, lng: 0, floor: 1 })).toEqual([gpsDefault, ['location', expect.stringMatching(/floor/)]]);
    // Only both at 0: the equator and the prime meridian are real places.
    expect(ReportBody.safeParse({ ...validReport, location: { lat: 0, lng: 103.83 } }).success).toBe(true);
    expect(ReportBody.safeParse({ ...validReport, location: { lat: 36.06, lng: 0 } }).success).toBe(true);
    expect(Location.safeParse({ lat: 0, lng: 0 }).success).toBe(true);
  });

  it('refuses an externalId of white space or invisible characters only, naming it (audit11 #4)', () => {
    for (const externalId of ['   ', '\t\n', '\u3000', '\u200b\ufeff']) {
      expect(ReportBody.safeParse({ ...validReport, externalId }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['externalId', 'is only white space or invisible characters: an externalId must identify the report'],
      ]);
    }
    expect(ReportBody.safeParse({ ...validReport, externalId: ' a ' }).success).toBe(true);
    expect(ReportBody.safeParse({ ...validReport, externalId: '-' }).success).toBe(true);
  });

  it("refuses a key a sender's location does not have, beside its other problems; an event's location is read loosely", () => {
    const result = ReportBody.safeParse({ ...validReport, location: { lat: 38.2, floor: { a: { b: 1 } } } });
    expect(result.error!.issues.map((i) => [i.code, i.path.join('.')])).toEqual(
      expect.arrayContaining([
        ['unrecognized_keys', 'location'],
        ['custom', 'location.lng'],
      ]),
    );
    expect(Location.safeParse({ gridCode: 'CG-01-01', floor: 3 }).success).toBe(true);
  });

  it('requires RFC 3339 instants with an offset', () => {
    expect(ReportBody.safeParse({ ...validReport, respondBy: '2026-01-01 10:00' }).success).toBe(false);
    expect(ReportBody.safeParse({ ...validReport, respondBy: '2026-01-01T10:00:00+08:00' }).success).toBe(true);
  });
});

describe('occurredAt against the time of receipt', () => {
  const receivedAt = new Date('2026-06-01T02:00:00Z');
  const later = (ms: number) => new Date(receivedAt.getTime() + ms).toISOString();

  it('allows the past and a sender clock a little ahead, and refuses the far future saying why', () => {
    expect(occurredAtProblem('2026-05-31T20:00:00+08:00', receivedAt)).toBeUndefined();
    expect(occurredAtProblem(later(CLOCK_SKEW_MS), receivedAt)).toBeUndefined();
    expect(occurredAtProblem(later(CLOCK_SKEW_MS + 1000), receivedAt)).toMatch(/after the time of receipt .* 10-minute clock-skew allowance/);
    expect(occurredAtProblem('2099-01-01T00:00:00+08:00', receivedAt)).toMatch(/after the time of receipt/);
  });

  it('is checked by the body schema when it is given the clock, beside every other bad field', () => {
    const body = reportBodyWith(() => true, () => receivedAt);
    const result = body.safeParse({ ...validReport, description: '', occurredAt: '2099-01-01T00:00:00+08:00' });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['description', expect.any(String)],
      ['occurredAt', expect.stringMatching(/after the time of receipt/)],
    ]);
    expect(body.safeParse({ ...validReport, occurredAt: later(60_000) }).success).toBe(true);
    expect(body.safeParse({ ...validReport, occurredAt: 'tomorrow' }).error?.issues).toHaveLength(1);
  });

  it('judges only an instant: one without an offset gets the one error that says so, not a second from reading it as local time', () => {
    // A day after the receipt in any time zone, had Date.parse read it.
    const naive = '2026-06-02T10:00:00';
    expect(occurredAtProblem(naive, receivedAt)).toBeUndefined();
    const result = reportBodyWith(() => true, () => receivedAt).safeParse({ ...validReport, occurredAt: naive });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['occurredAt', INSTANT_EXPECTED]]);
  });
});

describe('occurredAt before 2000 (Asia/Shanghai)', () => {
  it('is refused as a default date, naming occurredAt, with or without a clock', () => {
    const atReceipt = reportBodyWith(() => true, () => new Date('2026-06-01T02:00:00Z'));
    for (const occurredAt of ['1900-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '1999-12-31T23:59:59+08:00']) {
      for (const body of [ReportBody, atReceipt]) {
        expect(body.safeParse({ ...validReport, occurredAt }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
          ['occurredAt', expect.stringMatching(/^is before 2000-01-01 \(Asia\/Shanghai\): a default date/)],
        ]);
      }
    }
    // The bound is the Asia/Shanghai midnight, as the calendar's years are.
    expect(atReceipt.safeParse({ ...validReport, occurredAt: '1999-12-31T16:00:00Z' }).success).toBe(true);
    expect(atReceipt.safeParse({ ...validReport, occurredAt: '2003-04-05T06:07:08+08:00' }).success).toBe(true);
  });
});

describe('deadlines the sender requires', () => {
  it('are taken as sent, past or ahead, when in order: a retry of a report accepted in time is not refused later', () => {
    const receivedAt = new Date('2026-06-01T02:00:00Z');
    const body = reportBodyWith(() => true, () => receivedAt);
    for (const [respondBy, resolveBy] of [
      ['2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z'],
      ['2026-06-01T03:00:00Z', '2026-06-01T03:00:00Z'],
      ['2026-06-02T00:00:00+08:00', '2026-06-01T17:00:00Z'],
    ]) {
      expect(body.safeParse({ ...validReport, respondBy, resolveBy }).success).toBe(true);
    }
  });

  it('refuse a resolveBy before respondBy, naming resolveBy beside every other bad field, whatever the clock', () => {
    expect(deadlinesOrderProblem({ respondBy: '2026-06-02T00:00:00Z', resolveBy: '2026-06-01T23:59:59Z' })).toMatch(/^is before respondBy/);
    // Offsets are read: 08:00+08:00 is 00:00Z, the same instant.
    expect(deadlinesOrderProblem({ respondBy: '2026-06-02T00:00:00Z', resolveBy: '2026-06-02T08:00:00+08:00' })).toBeUndefined();
    expect(deadlinesOrderProblem({ resolveBy: '2026-06-01T00:00:00Z' })).toBeUndefined();
    expect(deadlinesOrderProblem({ respondBy: 'soon', resolveBy: '2026-06-01T00:00:00Z' })).toBeUndefined();
    const crossed = { respondBy: '2026-06-02T00:00:00Z', resolveBy: '2026-06-01T03:00:00Z' };
    const issues = (schema: z.ZodType, extra: object) => schema.safeParse({ ...validReport, ...extra }).error?.issues.map((i) => [i.path.join('.'), i.message]);
    const resolveByCrossed = ['resolveBy', expect.stringMatching(/^is before respondBy/)];
    expect(issues(ReportBody, crossed)).toEqual([resolveByCrossed]);
    expect(issues(reportBodyWith(() => true, () => new Date('2026-06-01T02:00:00Z')), { ...crossed, description: '', externalId: 7 })).toEqual([
      ['externalId', expect.any(String)],
      ['description', expect.any(String)],
      resolveByCrossed,
    ]);
    expect(issues(explainBodyWith(() => true), { ...crossed, externalId: undefined, receivedAt: '2026-05-01T00:00:00Z' })).toEqual([resolveByCrossed]);
    // A deadline that is itself wrong is named once, for what is wrong with it.
    expect(issues(ReportBody, { respondBy: '2026-06-02T00:00:00Z', resolveBy: '1990-01-01T00:00:00Z' })).toEqual([['resolveBy', expect.stringMatching(/years 2000/)]]);
  });

  it('are refused outside the calendar years 2000–2100 (Asia/Shanghai), naming the field', () => {
    const body = reportBodyWith(() => true, () => new Date('2026-06-01T02:00:00Z'));
    const message = 'must be in the years 2000–2100 (Asia/Shanghai), the years the working calendar covers';
    const paths = (extra: object) => body.safeParse({ ...validReport, ...extra }).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(paths({ respondBy: '9999-12-31T10:00:00+08:00', resolveBy: '0001-01-01T00:00:00Z' })).toEqual([
      ['respondBy', message],
      ['resolveBy', message],
    ]);
    // The bounds are Asia/Shanghai midnights: 2000-01-01T00:00+08:00 is in, 2101-01-01T00:00+08:00 is not.
    expect(paths({ respondBy: '1999-12-31T15:59:59Z' })).toEqual([['respondBy', message]]);
    expect(paths({ respondBy: '1999-12-31T16:00:00Z', resolveBy: '2100-12-31T23:59:59+08:00' })).toBeUndefined();
    expect(paths({ resolveBy: '2100-12-31T16:00:00Z' })).toEqual([['resolveBy', message]]);
    // Not an instant at all: named once, as such, not also as out of range.
    expect(paths({ respondBy: 'yesterday' })).toEqual([['respondBy', expect.not.stringMatching(/years 2000/)]]);
  });
});

describe("a hold's and an extension's until", () => {
  it('is refused outside the calendar years 2000–2100, naming until; any instant inside is the case of record to judge', () => {
    const message = 'must be in the years 2000–2100 (Asia/Shanghai), the years the working calendar covers';
    const problems = (body: typeof HoldBody | typeof ExtensionBody, until: string) =>
      body.safeParse({ reason: '等待鉴定', until }).error?.issues.map((i) => [i.path.join('.'), i.message]);
    for (const body of [HoldBody, ExtensionBody]) {
      expect(problems(body, '9999-12-31T00:00:00Z')).toEqual([['until', message]]);
      expect(problems(body, '1970-01-01T00:00:00Z')).toEqual([['until', message]]);
      expect(problems(body, '2026-06-01T10:00:00+08:00')).toBeUndefined();
    }
    expect(HoldBody.safeParse({ reason: '等待鉴定' }).success).toBe(true);
  });
});

describe('case command bodies', () => {
  const paths = (body: { safeParse: (v: unknown) => { error?: { issues: { path: PropertyKey[] }[] } } }, value: unknown) =>
    body.safeParse(value).error?.issues.map((i) => i.path.join('.'));

  it('require a note on resolve, verify and follow-up (the contract gives it bare there), naming note when it is missing or empty', () => {
    const cases = [
      [ResolveBody, { outcome: 'mediated' }],
      [VerifyBody, { result: 'passed' }],
      [FollowUpBody, { satisfaction: 'unreachable' }],
    ] as const;
    for (const [body, fields] of cases) {
      expect(paths(body, fields)).toEqual(['note']);
      expect(paths(body, { ...fields, note: '' })).toEqual(['note']);
      expect(paths(body, { ...fields, note: 'x'.repeat(4001) })).toEqual(['note']);
      expect(paths(body, { ...fields, note: '已调解，双方签字' })).toBeUndefined();
    }
    // Acknowledge's note stays optional ({note?}).
    expect(paths(AcknowledgeBody, {})).toBeUndefined();
  });

  it('take an optional reason on reassign, up to 1000 characters', () => {
    expect(paths(ReassignBody, { officerIds: ['officer-CG-01'] })).toBeUndefined();
    expect(ReassignBody.parse({ officerIds: ['officer-CG-01'], reason: '原民警休假' })).toEqual({ officerIds: ['officer-CG-01'], reason: '原民警休假' });
    expect(paths(ReassignBody, { officerIds: ['officer-CG-01'], reason: '' })).toEqual(['reason']);
    expect(paths(ReassignBody, { officerIds: ['officer-CG-01'], reason: 'x'.repeat(1001) })).toEqual(['reason']);
    // Ids bounded as the roster's are, each named once (audit22 #1, #5).
    expect(paths(ReassignBody, { officerIds: ['officer-CG-01', 'a'.repeat(65)] })).toEqual(['officerIds.1']);
    expect(ReassignBody.safeParse({ officerIds: ['officer-CG-01', 'worker-CG-01-01', 'officer-CG-01'] }).error?.issues).toMatchObject([
      { path: ['officerIds', 2], message: 'names the same person as officerIds.0' },
    ]);
  });

  it('refuse a required note or reason of white space only, naming it once with why', () => {
    const issues = (body: { safeParse: (v: unknown) => { error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown) =>
      body.safeParse(value).error?.issues.map((i) => [i.path.join('.'), i.message]);
    const blank = ' \t\n\u3000 ';
    const cases = [
      [ResolveBody, { outcome: 'mediated', note: blank }, 'note'],
      [VerifyBody, { result: 'passed', note: blank }, 'note'],
      [FollowUpBody, { satisfaction: 'satisfied', note: '\t\n' }, 'note'],
      [NoteBody, { text: blank }, 'text'],
      [ReopenBody, { reason: blank }, 'reason'],
      [HoldBody, { reason: blank }, 'reason'],
      [ExtensionBody, { until: '2030-01-01T00:00:00Z', reason: blank }, 'reason'],
      [ExtensionRejectBody, { reason: blank }, 'reason'],
      [ReassignBody, { officerIds: ['officer-CG-01'], reason: blank }, 'reason'],
    ] as const;
    for (const [body, value, field] of cases) expect(issues(body, value)).toEqual([[field, expect.stringMatching(/only white space/)]]);
    expect(paths(ResolveBody, { outcome: 'mediated', note: ' 已调解 ' })).toBeUndefined();
  });
});

describe('report text, attachments and nested objects', () => {
  const problems = (extra: object) => ReportBody.safeParse({ ...validReport, ...extra }).error?.issues.map((i) => [i.path.join('.'), i.message]);

  it('refuses a description of white space only, once; keeps any other description as sent', () => {
    expect(problems({ description: ' \t\n\u3000 ' })).toEqual([['description', expect.stringMatching(/only white space/)]]);
    expect(problems({ description: '' })).toHaveLength(1);
    expect(ReportBody.parse({ ...validReport, description: '  有人打架 ' }).description).toBe('  有人打架 ');
  });

  it('leaves out a title that says nothing, as if it were not sent, and keeps any other title as sent', () => {
    expect(ReportBody.parse({ ...validReport, title: '   ' })).not.toHaveProperty('title', expect.anything());
    expect(ReportBody.parse({ ...validReport, title: '' }).title).toBeUndefined();
    expect(ReportBody.parse({ ...validReport, title: ' 吵架 ' }).title).toBe(' 吵架 ');
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>x</b>', 'http:example.cn', '/relative/a.png'])(
    'refuses the attachment URL %s naming the field, without quoting it',
    (url) => {
      expect(problems({ attachments: [{ url, mediaType: 'image/png' }] })).toEqual([['attachments.0.url', 'must be an absolute http or https URL']]);
    },
  );

  it.each(['https://user:pw@files.example.cn/a.jpg', 'http://user@files.example.cn/a.jpg', 'https://:secret@files.example.cn/a.jpg'])(
    'refuses the attachment URL %s with credentials in it, naming the field without quoting it',
    (url) => {
      const attachments = [{ url: 'https://files.example.cn/ok.jpg', mediaType: 'image/jpeg' }, { url, mediaType: 'image/jpeg' }];
      expect(problems({ attachments })).toEqual([['attachments.1.url', 'must not carry credentials']]);
    },
  );

  it('refuses an attachment URL longer than 4000 characters, which with ten of them made a report.received too large for the broker (audit18 #6)', () => {
    const url = (length: number) => `https://files.example.cn/${'a'.repeat(length - 'https://files.example.cn/'.length)}`;
    expect(problems({ attachments: [{ url: url(4000), mediaType: 'image/jpeg' }] })).toBeUndefined();
    expect(problems({ attachments: [{ url: url(4001), mediaType: 'image/jpeg' }] })).toEqual([['attachments.0.url', 'must be at most 4000 characters']]);
  });

  it('accepts http and https attachments with a media type, parameters included', () => {
    const attachments = [
      { url: 'https://files.example.cn/a.jpg', mediaType: 'image/jpeg' },
      { url: 'http://10.1.2.3/v.mp4', mediaType: 'video/mp4' },
      { url: 'https://files.example.cn/n.txt', mediaType: 'text/plain; charset="utf-8"' },
      { url: 'https://files.example.cn/d.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    ];
    expect(problems({ attachments })).toBeUndefined();
  });

  it.each(['not a media type', 'image', 'image/', '/png', 'image/png;', 'image/png; charset', 'image/png/x', 'image/p g'])(
    'refuses the media type %j naming the field',
    (mediaType) => {
      expect(problems({ attachments: [{ url: 'https://a.example.cn/x', mediaType }] })).toEqual([['attachments.0.mediaType', expect.stringMatching(/must be a media type/)]]);
    },
  );

  it('refuses unknown keys inside reporter and attachments as at the top level; a reporter may carry an email', () => {
    const reporter = { name: '张三', anonymous: true, nickname: 'x' };
    const attachments = [{ url: 'https://a.example.cn/x.png', mediaType: 'image/png', size: 3 }];
    expect(problems({ reporter, attachments })?.map(([path]) => path)).toEqual(['reporter', 'attachments.0']);
    expect(problems({ reporter: { name: '张三', email: 'zhang@example.cn' } })).toBeUndefined();
  });

  it.each(['a@b.c', 'li.si+tag@example.com.cn', '12345@qq.com', 'o\'brien@mail.example.ie', '张三@例子.中国', 'user@localhost'])('takes the valid email address %j (audit9 #19)', (email) => {
    expect(problems({ reporter: { email } })).toBeUndefined();
  });

  it.each(['not an email', 'a@', '@b.c', 'a@@b.c', 'a@b..c', 'a@-b.c', 'a@b.c.', 'a b@c.d', `a@${'b'.repeat(64)}.cn`])('refuses %j as an email address, naming the field', (email) => {
    expect(problems({ reporter: { email } })?.map(([path]) => path)).toEqual(['reporter.email']);
  });
});

describe('the CloudEvents envelope', () => {
  const opened = () =>
    makeMessage('gridcase.case.report-merged.v1', {
      source: '/test',
      subject: 'case-1',
      data: { caseId: 'case-1', reportId: 'r-1', reason: 'same', mergedAt: new Date().toISOString() },
    });

  it('round-trips through JSON with a UUIDv7 id', () => {
    const message = opened();
    expect(message.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(parseMessage(JSON.stringify(message))).toEqual(message);
  });

  it('refuses to build a message whose data breaks its schema', () => {
    expect(() =>
      makeMessage('gridcase.case.report-merged.v1', { source: '/t', subject: 's', data: { caseId: 'c' } as never }),
    ).toThrow();
  });

  it('names what is wrong with a bad record', () => {
    expect(() => parseMessage('not json')).toThrow(ContractError);
    expect(() => parseMessage(null)).toThrow(/no value/);
    expect(() => parseMessage(JSON.stringify({ ...opened(), type: 'gridcase.case.unknown.v1' }))).toThrow(/unknown type/);
    expect(() => parseMessage(JSON.stringify({ ...opened(), data: { caseId: 1 } }))).toThrow(/data: caseId/);
    expect(() => parseMessage(JSON.stringify({ ...opened(), specversion: '0.3' }))).toThrow(/envelope: specversion/);
  });

  it('parses only the types a consumer acts on, skips the rest (a newer producer\'s type too), and still refuses a broken record', () => {
    const merged = new Set(['gridcase.case.report-merged.v1'] as const);
    const others = new Set(['gridcase.case.opened.v1'] as const);
    const message = opened();
    expect(parseMessageOf(JSON.stringify(message), merged)).toEqual(message);
    // Another consumer's type is skipped unread: its data is not even validated.
    expect(parseMessageOf(JSON.stringify({ ...opened(), data: { caseId: 1 } }), others)).toBeUndefined();
    expect(() => parseMessageOf(JSON.stringify({ ...opened(), data: { caseId: 1 } }), merged)).toThrow(/data: caseId/);
    expect(() => parseMessageOf('not json', others)).toThrow(ContractError);
    expect(parseMessageOf(JSON.stringify({ ...opened(), type: 'gridcase.case.unknown.v1' }), others)).toBeUndefined();
    expect(() => parseMessageOf(JSON.stringify({ ...opened(), type: undefined }), others)).toThrow(/envelope: type/);
  });

  it('makes time-ordered ids', () => {
    const a = newId();
    const b = newId();
    expect(a < b).toBe(true);
  });

  it('makes UUIDv7s in order and unique even thousands to a millisecond, across refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.every((id, i) => i === 0 || ids[i - 1]! < id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives random hex of the length asked, never the same twice', () => {
    const drawn = Array.from({ length: 1000 }, () => randomHex(8));
    for (const hex of drawn) expect(hex).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(drawn).size).toBe(drawn.length);
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('fieldIssues: readable messages for the commonest issues (audit6 #13)', () => {
  const issues = (schema: z.ZodType, value: unknown, where?: string) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? [] : fieldIssues(parsed.error, where);
  };

  it('says required, must not be empty and must be an integer, keeping the path', () => {
    expect(issues(ResolveBody, { outcome: 'mediated' })).toEqual([{ path: 'note', message: 'required' }]);
    expect(issues(ReopenBody, { reason: '' })).toEqual([{ path: 'reason', message: 'must not be empty' }]);
    const Query = z.strictObject({ limit: z.coerce.number().int().min(1).max(200), q: z.string().min(3).max(5), ids: z.array(z.string()).min(1) });
    expect(issues(Query, { limit: '1.5', q: 'ab', ids: [] }, 'querystring')).toEqual([
      { path: 'querystring.limit', message: 'must be an integer' },
      { path: 'querystring.q', message: 'must be at least 3 characters' },
      { path: 'querystring.ids', message: 'must have at least 1 item' },
    ]);
    expect(issues(Query, { limit: '0', q: 'abcdef', ids: ['a'] })).toEqual([
      { path: 'limit', message: 'must be at least 1' },
      { path: 'q', message: 'must be at most 5 characters' },
    ]);
    expect(issues(Query, { limit: 'x', q: 'abc', ids: ['a'] })).toEqual([{ path: 'limit', message: 'must be a number' }]);
  });

  it("says a union's values, a geometry's types and what a URL must be, not zod's Invalid input (audit26 #2)", () => {
    const Category = z.strictObject({ kind: z.union([Kind, z.literal('unclassified')]) });
    expect(issues(Category, { kind: 'foo' })).toEqual([{ path: 'kind', message: 'must be one of: dispute, hazard, service, tip, unclassified' }]);
    expect(issues(Category, { kind: 7 })).toEqual([{ path: 'kind', message: 'must be one of: dispute, hazard, service, tip, unclassified' }]);
    const Grid = z.strictObject({ geometry: GridGeometry });
    expect(issues(Grid, { geometry: { type: 'Point', coordinates: [1, 2] } })).toEqual([{ path: 'geometry.type', message: 'must be one of: Polygon, MultiPolygon' }]);
    expect(issues(Grid, { geometry: { coordinates: [] } })).toEqual([{ path: 'geometry.type', message: 'must be one of: Polygon, MultiPolygon' }]);
    expect(issues(z.strictObject({ url: storableUrl() }), { url: 'https://example.cn:99999/hook' })).toEqual([{ path: 'url', message: URL_EXPECTED }]);
    // A union of other shapes keeps zod's word: there is no one thing to say it must be.
    expect(issues(z.union([z.string(), z.number()]), true)).toEqual([{ path: '(body)', message: 'Invalid input' }]);
  });

  it('says what a date-time, a string, true/false, an object and an array must be, in the sender\'s terms (audit14 #9)', () => {
    expect(INSTANT_EXPECTED).toBe('must be an RFC 3339 date-time with an offset and a capital T and Z, e.g. 2026-12-01T08:00:00+08:00');
    expect(issues(ReportBody, { ...validReport, occurredAt: '2026-12-01 10:00', reporter: { phone: 12345, anonymous: 'no' } })).toEqual([
      { path: 'occurredAt', message: INSTANT_EXPECTED },
      { path: 'reporter.phone', message: 'must be a string' },
      { path: 'reporter.anonymous', message: 'must be true or false' },
    ]);
    expect(issues(ReportBody, { ...validReport, occurredAt: 1764547200000 })).toEqual([{ path: 'occurredAt', message: INSTANT_EXPECTED }]);
    expect(issues(ReportBody, { ...validReport, reporter: { email: 'not-an-email' } })).toEqual([{ path: 'reporter.email', message: 'must be an email address, e.g. li.si@example.cn' }]);
    expect(issues(ReportBody, { ...validReport, location: 'CG-01-01', attachments: {} })).toEqual([
      { path: 'location', message: 'must be an object' },
      { path: 'attachments', message: 'must be an array' },
    ]);
    // A required instant left out is still "required"; one of zod's own date-times reads like Instant's.
    expect(issues(z.object({ at: z.iso.datetime({ offset: true }) }), {})).toEqual([{ path: 'at', message: 'required' }]);
    expect(issues(z.object({ at: z.iso.datetime({ offset: true }) }), { at: 'today' })).toEqual([{ path: 'at', message: INSTANT_EXPECTED }]);
  });

  it('words a DLQ reason as the 400 words it (describeIssues)', () => {
    const parsed = ReportBody.safeParse({ ...validReport, occurredAt: '2026-12-01 10:00', reporter: { phone: 12345 } });
    expect(describeIssues(parsed.error!)).toBe(`occurredAt: ${INSTANT_EXPECTED}; reporter.phone: must be a string`);
  });

  it('says which values an enum or a literal takes, bare, not in zod\'s quoting', () => {
    const Query = z.strictObject({ wait: z.enum(['true', 'false']).optional(), severity: Severity.optional(), format: z.literal('csv').optional(), limit: z.literal([10, 50]).optional() });
    expect(issues(Query, { wait: 'maybe', severity: 'purple', format: 'pdf', limit: 20 }, 'querystring')).toEqual([
      { path: 'querystring.wait', message: 'must be one of: true, false' },
      { path: 'querystring.severity', message: 'must be one of: red, orange, yellow, service, statutory' },
      { path: 'querystring.format', message: 'must be csv' },
      { path: 'querystring.limit', message: 'must be one of: 10, 50' },
    ]);
    expect(issues(z.enum(['a', 'b'], { error: 'pick a or b' }), 'c')).toEqual([{ path: '(body)', message: 'pick a or b' }]);
  });

  it('names a field of the wrong type once, without the length checks zod runs on whatever has a length (audit17 #8)', () => {
    expect(issues(ReassignBody, { officerIds: 'officer-CG-01' })).toEqual([{ path: 'officerIds', message: 'must be an array' }]);
    expect(issues(ReassignBody, { officerIds: ['officer-CG-01'], reason: ['x'.repeat(1001)] })).toEqual([{ path: 'reason', message: 'must be a string' }]);
    // A length problem of a field of the right type is still said.
    expect(issues(ReassignBody, { officerIds: Array(11).fill('officer-CG-01') })).toEqual([{ path: 'officerIds', message: 'must have at most 10 items' }]);
  });

  it("keeps a schema's own message as written", () => {
    expect(issues(z.object({ code: z.string().min(1, 'give a category code') }), { code: '' })).toEqual([{ path: 'code', message: 'give a category code' }]);
  });
});

describe('QueryInstant', () => {
  const parse = (value: unknown) => z.strictObject({ from: QueryInstant.optional() }).safeParse({ from: value });

  it.each(['1970-01-01T00:00:00Z', '2026-12-01T08:00:00+08:00', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z'])('takes %s as written', (at) =>
    expect(parse(at)).toEqual({ success: true, data: { from: at } }),
  );

  it('moves an instant whose UTC form leaves the four-digit years to the nearest a query can hold', () => {
    expect(parse('0001-01-01T00:00:00+08:00')).toEqual({ success: true, data: { from: '0001-01-01T00:00:00.000Z' } });
    expect(parse('0000-06-01T00:00:00Z')).toEqual({ success: true, data: { from: '0001-01-01T00:00:00.000Z' } });
    expect(parse('9999-12-31T23:00:00-05:00')).toEqual({ success: true, data: { from: '9999-12-31T23:59:59.999Z' } });
  });

  it('names something that is no instant once, as Instant does', () => {
    const parsed = parse('2026-12-01');
    expect(parsed.success ? [] : fieldIssues(parsed.error, 'querystring')).toEqual([{ path: 'querystring.from', message: INSTANT_EXPECTED }]);
    expect(parse(undefined)).toEqual({ success: true, data: {} });
  });
});

describe('instantAfter', () => {
  it('is now + window, kept at or before 9999-12-31T23:59:59.999Z', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(instantAfter(now, 60_000).toISOString()).toBe('2026-12-01T00:01:00.000Z');
    expect(instantAfter(now, parseDuration('P99999999W') ?? 0).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(instantAfter(now, Number.POSITIVE_INFINITY).toISOString()).toBe('9999-12-31T23:59:59.999Z');
  });
});

describe('page cursors', () => {
  const reports = instantCursor('intake.reports');
  const cursor = (iso: string, key = 'r-1', list = 'intake.reports') => Buffer.from(JSON.stringify([list, iso, key])).toString('base64url');

  it('reads back the position it was made from, and nothing else', () => {
    const at = new Date('2026-12-01T08:00:00.123Z');
    expect(reports.decode(reports.encode({ at, key: 'r-1' }))).toEqual({ at, key: 'r-1' });
    expect(reports.decode('not-a-cursor')).toBeUndefined();
    expect(reports.decode(cursor('2026-12-01T16:00:00.123+08:00'))).toBeUndefined();
    expect(reports.decode(cursor('2026-12-01T08:00:00.123Z', ''))).toBeUndefined();
  });

  it("refuses another list's cursor of the same shape, and one without a list (audit19 #7: a timer's was read as a case's)", () => {
    const at = new Date('2026-12-01T08:00:00.123Z');
    const timers = instantCursor('escalation.timers');
    expect(reports.decode(timers.encode({ at, key: 'r-1' }))).toBeUndefined();
    expect(timers.decode(reports.encode({ at, key: 'r-1' }))).toBeUndefined();
    // As cursors were before they named their list.
    expect(reports.decode(Buffer.from(JSON.stringify([at.toISOString(), 'r-1'])).toString('base64url'))).toBeUndefined();
    const audit = pageCursor<number>('desk.audit', { write: (id) => [id], read: ([id]) => (Number.isSafeInteger(id) ? (id as number) : undefined) });
    expect(audit.decode(audit.encode(42))).toBe(42);
    expect(pageCursor<number>('intake.audit', { write: (id) => [id], read: ([id]) => id as number }).decode(audit.encode(42))).toBeUndefined();
    expect(audit.decode('1')).toBeUndefined();
  });

  it('reads only the token as given out: characters base64 decoding would skip make it another', () => {
    const token = reports.encode({ at: new Date('2026-12-01T08:00:00.123Z'), key: 'r-1' });
    expect(reports.decode(`${token}!`)).toBeUndefined();
    expect(reports.decode(`${token.slice(0, 4)}.${token.slice(4)}`)).toBeUndefined();
  });

  it('names the parameter with one wording in every service', () => {
    const result = z.object({ cursor: cursorParam(200, (c) => reports.decode(c)) }).safeParse({ cursor: 'bm90' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(NOT_THIS_LISTS_CURSOR);
  });

  it('refuses an expanded year, which reads back the same but no query holds (review of the report list)', () => {
    expect(reports.decode(cursor('+275760-09-13T00:00:00.000Z'))).toBeUndefined();
    expect(reports.decode(cursor('-000001-01-01T00:00:00.000Z'))).toBeUndefined();
    expect(reports.decode(cursor('0000-06-01T00:00:00.000Z'))).toBeUndefined();
    expect(reports.decode(cursor('0001-01-01T00:00:00.000Z'))).toEqual({ at: new Date('0001-01-01T00:00:00.000Z'), key: 'r-1' });
  });
});

describe('parseDuration', () => {
  it.each([
    ['PT30M', 30 * 60_000],
    ['PT1H30M', 90 * 60_000],
    ['P1D', 86_400_000],
    ['PT45S', 45_000],
    // Weeks are ISO 8601 too (audit6 #13).
    ['P1W', 7 * 86_400_000],
    ['P2W1DT1H', (15 * 24 + 1) * 3_600_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['30m', 'P', 'PT', '', 'P1H', 'P1M', 'P1Y', 'PW', 'P1D1W'])('rejects %s', (text) => expect(parseDuration(text)).toBeUndefined());
});
