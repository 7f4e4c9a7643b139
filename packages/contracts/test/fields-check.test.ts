import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldIssues, MAX_UNKNOWN_KEYS_NAMED, WITHHELD_UNEXPECTED_VALUE, WITHHELD_UNKNOWN_FIELD, withFieldsCheck, withholdUnknownFields } from '../src/http.ts';
import { ReportBody } from '../src/reports.ts';

const Range = z.strictObject({ name: z.string().max(3), tags: z.array(z.string()).max(1).optional(), from: z.number(), to: z.number() });
const checked = withFieldsCheck(Range, ['from', 'to'], (r, ctx) => {
  if (r.from >= r.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must be before to' });
});
const paths = (input: unknown) => {
  const parsed = checked.safeParse(input);
  return parsed.success ? [] : fieldIssues(parsed.error).map((e) => e.path);
};

describe('withFieldsCheck', () => {
  it('runs the check beside problems of other fields, even those that stop an object refinement', () => {
    expect(paths({ name: 'toolong', tags: ['a', 'b'], from: 2, to: 1 })).toEqual(['name', 'tags', 'from']);
    expect(paths({ name: 7, from: 2, to: 1 })).toEqual(['name', 'from']);
  });

  it('skips the check while a field it reads is wrong, and lets a sound input through unchanged', () => {
    expect(paths({ name: 'ok', from: 'x', to: 1 })).toEqual(['from']);
    expect(checked.parse({ name: 'ok', from: 1, to: 2 })).toEqual({ name: 'ok', from: 1, to: 2 });
  });

  it('keeps a strict object strict, also through a check of a check: an unknown key is refused beside the check', () => {
    const twice = withFieldsCheck(checked, z.object({ name: z.string() }), () => {});
    for (const schema of [checked, twice]) {
      const parsed = schema.safeParse({ name: 'ok', from: 2, to: 1, extra: true });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((i) => i.code).sort()).toEqual(['custom', 'unrecognized_keys']);
      expect(fieldIssues(parsed.error!).map((e) => e.path)).toEqual(expect.arrayContaining(['extra', 'from']));
    }
  });

  it('names the first 100 unknown keys and counts the rest, also through a check of a check (zod reconciles them pairwise)', () => {
    const twice = withFieldsCheck(checked, z.object({ name: z.string() }), () => {});
    const input: Record<string, unknown> = { name: 'ok', from: 1, to: 2 };
    for (let i = 0; i < 50_000; i++) input[`k${i}`] = 1;
    for (const schema of [checked, twice]) {
      const parsed = schema.safeParse(input);
      const issues = parsed.success ? [] : fieldIssues(parsed.error);
      expect(issues).toHaveLength(MAX_UNKNOWN_KEYS_NAMED + 1);
      expect(issues).toContainEqual({ path: '(body)', message: `${50_000 - MAX_UNKNOWN_KEYS_NAMED} more unknown fields, not named` });
      expect(issues).toContainEqual({ path: 'k99', message: 'unknown field' });
      expect(issues).not.toContainEqual({ path: 'k100', message: 'unknown field' });
    }
  });
});

describe('withholdUnknownFields (a refused value copied without what its schema gives no meaning, audit17 #5)', () => {
  it('withholds the value of each unknown key, at any depth and through checks and transforms, keeping known fields as sent', () => {
    const sent = {
      externalId: 'k-unk',
      description: '金川路5号 王五',
      location: { gridCode: 'CG-02-01', floor: '5', '王五 13900004444': 1 },
      attachments: [{ url: 'https://x.cn/a.jpg', mediaType: 'image/jpeg', owner: '王五' }],
      contactPhone: '13900002222',
      reporterName: '王五',
    };
    const taken: unknown[] = [];
    expect(withholdUnknownFields(ReportBody, sent, (v) => taken.push(v))).toEqual({
      externalId: 'k-unk',
      description: '金川路5号 王五',
      // A key that is no field name may be the text itself: left out, as the reason counts it without naming it.
      location: { gridCode: 'CG-02-01', floor: WITHHELD_UNKNOWN_FIELD },
      attachments: [{ url: 'https://x.cn/a.jpg', mediaType: 'image/jpeg', owner: WITHHELD_UNKNOWN_FIELD }],
      contactPhone: WITHHELD_UNKNOWN_FIELD,
      reporterName: WITHHELD_UNKNOWN_FIELD,
    });
    expect(taken).toEqual(['5', 1, '王五', '13900002222', '王五']);
    expect(sent.location.floor).toBe('5');
  });

  it('withholds an object or list where the field takes another kind of value, and keeps a wrong plain value for masking', () => {
    expect(withholdUnknownFields(ReportBody, { description: { name: '王五' }, title: ['王五'], location: [1], attachments: { url: 'x' }, kind: 7 })).toEqual({
      description: WITHHELD_UNEXPECTED_VALUE,
      title: WITHHELD_UNEXPECTED_VALUE,
      location: WITHHELD_UNEXPECTED_VALUE,
      attachments: WITHHELD_UNEXPECTED_VALUE,
      kind: 7,
    });
    expect(withholdUnknownFields(ReportBody, '王五 13900002222')).toBe('王五 13900002222');
  });
});
