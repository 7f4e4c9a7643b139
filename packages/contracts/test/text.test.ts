import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as contracts from '../src/index.ts';
import { CreateClientBody, describeIssues, isStorableText, makeMessage, NoteBody, parseMessage, ReportBody, ResolveBody, showsSomething } from '../src/index.ts';

const NUL = 'a\u0000b';
const LONE = 'x\ud800y';

describe('isStorableText', () => {
  it.each([
    ['plain', true],
    ['中文与 emoji 🚒', true],
    ['\ud83d\ude92', true],
    [NUL, false],
    ['\u0000', false],
    [LONE, false],
    ['\udc00', false],
    ['end\ud83d', false],
  ])('%j → %s', (s, ok) => expect(isStorableText(s)).toBe(ok));
});

const report = { externalId: 'hotline-1', description: '邻居吵架', location: { gridCode: 'CG-01-01' } };

describe('unstorable text in a report', () => {
  it.each([
    ['externalId', { ...report, externalId: NUL }],
    ['title', { ...report, title: LONE }],
    ['description', { ...report, description: NUL }],
    ['location.gridCode', { ...report, location: { gridCode: LONE } }],
    ['reporter.name', { ...report, reporter: { name: NUL } }],
    ['attachments.0.url', { ...report, attachments: [{ url: 'https://a.example/\u0000', mediaType: 'image/png' }] }],
  ])('is refused at %s without echoing it', (path, body) => {
    const result = ReportBody.safeParse(body);
    expect(result.success).toBe(false);
    const text = describeIssues(result.error!);
    expect(text).toContain(`${path}: contains a NUL character or an unpaired surrogate`);
    expect(isStorableText(text)).toBe(true);
  });

  it('makes a Kafka record a contract violation, not a database error', () => {
    const message = makeMessage('gridcase.case.report-merged.v1', {
      source: '/t',
      subject: 'c',
      data: { caseId: 'c', reportId: 'r', reason: 'same', mergedAt: new Date().toISOString() },
    });
    const raw = JSON.stringify({ ...message, data: { ...message.data, reason: NUL } });
    expect(() => parseMessage(raw)).toThrow(/data: reason: contains a NUL/);
    expect(() => parseMessage(JSON.stringify({ ...message, subject: LONE }))).toThrow(/envelope: subject: contains a NUL/);
  });
});

describe('text of invisible characters only', () => {
  // Zero-width space, non-joiner and joiner, word joiner, BOM, soft hyphen, left-to-right mark, a bidi isolate: format characters (\p{Cf}) that show nothing.
  // Then the Hangul fillers (choseong, jungseong, compatibility, halfwidth), the blank Braille pattern and a variation selector, which are no Cf but show nothing either.
  const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u2066', '\u115f', '\u1160', '\u3164', '\uffa0', '\u2800', '\ufe0f'];
  const issues = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues.map((i) => [i.path.join('.'), i.message]);

  it.each(INVISIBLE.map((c) => [c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0'), c]))('U+%s alone, or with white space, shows nothing', (_code, c) => {
    expect(showsSomething(c)).toBe(false);
    expect(showsSomething(`${c}${c} \u3000${c}`)).toBe(false);
    expect(showsSomething(`${c}邻居吵架`)).toBe(true);
  });

  it('is refused as a description, at the field, with the message a blank one gets', () => {
    const blank = issues(ReportBody, { ...report, description: ' \t ' });
    expect(blank).toEqual([['description', expect.stringMatching(/only white space/)]]);
    expect(issues(ReportBody, { ...report, description: '\u200b\u200b' })).toEqual(blank);
    expect(issues(ReportBody, { ...report, description: INVISIBLE.join(' ') })).toEqual(blank);
    expect(issues(ReportBody, { ...report, description: '\u3164\u3164\u2800' })).toEqual(blank);
  });

  it('is refused as a required note or reason, as white space is', () => {
    expect(issues(NoteBody, { text: '\u200b\u2060' })).toEqual(issues(NoteBody, { text: '  ' }));
    expect(issues(ResolveBody, { outcome: 'mediated', note: '\ufeff\u200d' })).toEqual([['note', expect.stringMatching(/only white space/)]]);
  });

  it('says nothing with punctuation, marks on nothing, private-use, unassigned or placeholder characters only (audit 10)', () => {
    const blank = issues(ReportBody, { ...report, description: ' ' });
    for (const nothing of ['.', '？', '……', '!?', '\ue000\ue001', '\u0301\u0302\u0303', '\u0378\u0379', '\u1cbb', '\ufffc', '\ufffc。']) {
      expect(showsSomething(nothing), JSON.stringify(nothing)).toBe(false);
      expect(issues(ReportBody, { ...report, description: nothing })).toEqual(blank);
    }
    // A letter, a digit or a symbol says something: one character of Chinese, a number, an emoji.
    for (const something of ['火', '3', '🔥', '？火', '¥', 'é']) expect(showsSomething(something), something).toBe(true);
  });

  it('leaves out an optional title that shows nothing, as a blank one', () => {
    expect(ReportBody.parse({ ...report, title: '\u200b \u200c' }).title).toBeUndefined();
  });

  it('keeps text in which the same characters join visible ones, as sent', () => {
    const family = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467} 走失';
    expect(ReportBody.parse({ ...report, description: family }).description).toBe(family);
    expect(ReportBody.parse({ ...report, description: '\u200b有人打架\u200b' }).description).toBe('\u200b有人打架\u200b');
    // A Braille pattern with dots is a character that shows; a filler beside a Hangul syllable keeps it.
    expect(showsSomething('\u2801')).toBe(true);
    expect(ReportBody.parse({ ...report, description: '\u3164싸움' }).description).toBe('\u3164싸움');
  });
});

/** Every string schema reachable from `schema`, with its path. */
function strings(schema: z.core.$ZodType, path: string, seen = new Set<unknown>()): [string, z.core.$ZodType][] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const inner = (key: string, at = path) => strings(def[key] as z.core.$ZodType, at, seen);
  switch (def.type) {
    case 'string':
      return [[path, schema]];
    case 'object':
      return Object.entries(def.shape as Record<string, z.core.$ZodType>).flatMap(([k, s]) => strings(s, `${path}.${k}`, seen));
    case 'array':
      return inner('element', `${path}[]`);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return inner('innerType');
    case 'pipe':
      return [...inner('in'), ...inner('out')];
    // withFieldsCheck: the schema beside its cross-field check.
    case 'intersection':
      return [...inner('left'), ...inner('right')];
    case 'union':
      return (def.options as z.core.$ZodType[]).flatMap((o) => strings(o, path, seen));
    case 'record':
      return [...inner('keyType', `${path}{key}`), ...inner('valueType', `${path}{}`)];
    case 'tuple':
      return [...(def.items as z.core.$ZodType[]).flatMap((s) => strings(s, path, seen)), ...(def.rest ? inner('rest') : [])];
    default:
      return [];
  }
}

describe('every string in the contracts', () => {
  const all = Object.entries(contracts)
    .filter(([, v]) => v instanceof z.ZodType)
    .flatMap(([name, v]) => strings(v as z.core.$ZodType, name));
  const messages = Object.entries(contracts.MESSAGE_SCHEMAS).flatMap(([type, s]) => strings(s, type));

  it('covers the schemas', () => expect(all.length + messages.length).toBeGreaterThan(100));

  it.each([...all, ...messages])('%s refuses a NUL and a lone surrogate', (_path, schema) => {
    expect(z.safeParse(schema, NUL).success).toBe(false);
    expect(z.safeParse(schema, LONE).success).toBe(false);
  });
});

describe('error messages never echo what was sent', () => {
  it('names unrecognized keys only when they look like field names', () => {
    const keys = ReportBody.safeParse({ ...report, extra: 1 });
    expect(describeIssues(keys.error!)).toBe('extra: unknown field');
    const personal = ReportBody.safeParse({ ...report, '张三 13800000000': 1 });
    const text = describeIssues(personal.error!);
    expect(text).toBe('(root): 1 unknown field (not named: not field names)');
    expect(text).not.toContain('13800000000');
    // An identifier carrying a phone or ID number is no field name either (review of audit17 #5).
    for (const key of ['tel13812345678', 'id620321199001011234', 'phone_8221234']) {
      const numbered = describeIssues(ReportBody.safeParse({ ...report, [key]: 1 }).error!);
      expect(numbered).toBe('(root): 1 unknown field (not named: not field names)');
    }
    expect(describeIssues(ReportBody.safeParse({ ...report, line2: 1 }).error!)).toBe('line2: unknown field');
  });

  it('says which type was expected, not which value came', () => {
    const text = describeIssues(ReportBody.safeParse({ ...report, externalId: 13800000000, kind: '13800000001' }).error!);
    expect(text).not.toMatch(/1380000000/);
  });
});

describe('CreateClientBody limits', () => {
  const client = { name: 'hotline', roles: ['reporter'] };
  it('accepts up to 50 station codes of up to 32 characters', () => {
    expect(CreateClientBody.safeParse({ ...client, stations: Array.from({ length: 50 }, (_, i) => String(i).padStart(32, 'S')) }).success).toBe(true);
  });
  it('names a station or grid listed twice and a name that says nothing (audit26 #4)', () => {
    expect(describeIssues(CreateClientBody.safeParse({ ...client, stations: ['CG', 'CG'], grids: ['BHY-01', 'BHY-02', 'BHY-01'] }).error!)).toBe(
      'stations: lists CG more than once; grids: lists BHY-01 more than once',
    );
    for (const name of ['   ', '\u200b', '\u3000']) {
      expect(describeIssues(CreateClientBody.safeParse({ ...client, name }).error!)).toBe(
        'name: says nothing (only white space, punctuation or invisible characters): a name must tell one thing from another',
      );
    }
    expect(CreateClientBody.safeParse({ ...client, name: '东城派出所 12345 热线' }).success).toBe(true);
  });
  it.each([
    ['51 stations', { stations: Array.from({ length: 51 }, (_, i) => `S${i}`) }],
    ['a 33-character station', { stations: ['S'.repeat(33)] }],
    ['a station with a NUL', { stations: [NUL] }],
    ['a 201-character name', { name: 'n'.repeat(201) }],
    ['seven roles', { roles: ['reporter', 'desk', 'officer', 'supervisor', 'admin', 'community', 'admin'] }],
  ])('refuses %s', (_what, change) => expect(CreateClientBody.safeParse({ ...client, ...change }).success).toBe(false));
});
