import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldIssues, MAX_COPIED_DEPTH, MAX_UNKNOWN_KEYS_NAMED, withFieldsCheck, withholdUnknownFields, withinCopiedDepth } from '../src/http.ts';
import { WITHHELD_TOO_DEEP, WITHHELD_UNEXPECTED_VALUE, WITHHELD_UNKNOWN_FIELD } from '../src/fields-check.ts';
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

describe('withinCopiedDepth (a refused value nested thousands deep, audit of the inbound DLQ)', () => {
  /** `levels` lists (or `{"a": …}` objects) one inside the other around `leaf`, as JSON.parse reads them. */
  const nested = (levels: number, open: string, close: string, leaf: string) => JSON.parse(open.repeat(levels) + leaf + close.repeat(levels)) as unknown;
  /** How many levels of objects and lists a value nests, walked without recursion. */
  const depthOf = (value: unknown) => {
    let deepest = 0;
    const todo: [unknown, number][] = [[value, 1]];
    while (todo.length) {
      const [v, level] = todo.pop()!;
      if (typeof v !== 'object' || v === null) continue;
      deepest = Math.max(deepest, level);
      for (const item of Object.values(v)) todo.push([item, level + 1]);
    }
    return deepest;
  };

  it('cuts what nests deeper than 64 levels, 50 000 lists or 20 000 objects deep, so JSON.stringify takes the copy', () => {
    const lists = { externalId: 'x', description: 'x', location: { gridCode: 'CG-03-02' }, extra: nested(50_000, '[', ']', '') };
    const objects = nested(20_000, '{"a":', '}', '1');
    // What the audit saw: the value as read is more than the call stack takes.
    for (const value of [lists, objects]) expect(() => JSON.stringify(value)).toThrow(RangeError);
    for (const value of [lists, objects]) {
      const copy = withinCopiedDepth(value);
      expect(copy).not.toBe(value);
      expect(depthOf(copy)).toBe(MAX_COPIED_DEPTH);
      expect(JSON.stringify(copy)).toContain(`"${WITHHELD_TOO_DEEP}"`);
    }
    const copy = withinCopiedDepth(lists) as typeof lists;
    expect({ ...copy, extra: undefined }).toEqual({ ...lists, extra: undefined });
    // The body is level 1, `extra` level 2: the lists of levels 2 to 64 are kept, level 65 is the marker.
    expect(JSON.stringify(copy.extra)).toBe(`${'['.repeat(MAX_COPIED_DEPTH - 1)}"${WITHHELD_TOO_DEEP}"${']'.repeat(MAX_COPIED_DEPTH - 1)}`);
  });

  it('returns a value nesting 64 levels or fewer as it is (the same object), and text, numbers and null as they are', () => {
    const exactly = nested(MAX_COPIED_DEPTH, '[', ']', '"leaf"');
    expect(withinCopiedDepth(exactly)).toBe(exactly);
    const body = { externalId: 'x', location: { gridCode: 'CG-03-02' }, attachments: [{ url: 'https://a.cn/x.jpg' }], ['__proto__']: { a: 1 } };
    expect(withinCopiedDepth(body)).toBe(body);
    for (const plain of ['x', 7, null, true, undefined]) expect(withinCopiedDepth(plain)).toBe(plain);
    // One level more is cut, its siblings kept; the original is not changed.
    const over = { keep: [1, 2], deep: nested(MAX_COPIED_DEPTH, '[', ']', '"leaf"') };
    const cut = withinCopiedDepth(over) as typeof over;
    expect(cut.keep).toBe(over.keep);
    expect(JSON.stringify(cut.deep)).toContain(WITHHELD_TOO_DEEP);
    expect(JSON.stringify(over.deep)).not.toContain(WITHHELD_TOO_DEEP);
  });

  it('keeps a key named __proto__ as a field of the copy', () => {
    const sent = JSON.parse(`{"__proto__":${'['.repeat(100)}${']'.repeat(100)}}`) as Record<string, unknown>;
    const copy = withinCopiedDepth(sent) as Record<string, unknown>;
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  it('leaves withholdUnknownFields walking no deeper than the schema: a value nested 50 000 deep in any field is withheld whole', () => {
    const deep = nested(50_000, '[', ']', '');
    const sent = { externalId: 'x', description: deep, location: { gridCode: deep }, attachments: deep, reporter: { name: deep }, extra: deep };
    expect(withholdUnknownFields(ReportBody, sent)).toEqual({
      externalId: 'x',
      description: WITHHELD_UNEXPECTED_VALUE,
      location: { gridCode: WITHHELD_UNEXPECTED_VALUE },
      attachments: [WITHHELD_UNEXPECTED_VALUE],
      reporter: { name: WITHHELD_UNEXPECTED_VALUE },
      extra: WITHHELD_UNKNOWN_FIELD,
    });
  });
});
