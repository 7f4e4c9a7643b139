import { describe, expect, it } from 'vitest';
import { ContractError, makeMessage, newId, OCCURRED_AT_SKEW_MS, occurredAtProblem, parseDuration, parseMessage, parseMessageOf, randomHex, ReportBody, reportBodyWith } from '../src/index.ts';

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
    expect(occurredAtProblem(later(OCCURRED_AT_SKEW_MS), receivedAt)).toBeUndefined();
    expect(occurredAtProblem(later(OCCURRED_AT_SKEW_MS + 1000), receivedAt)).toMatch(/after the time of receipt .* 10-minute clock-skew allowance/);
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

describe('parseDuration', () => {
  it.each([
    ['PT30M', 30 * 60_000],
    ['PT1H30M', 90 * 60_000],
    ['P1D', 86_400_000],
    ['PT45S', 45_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['30m', 'P', 'PT', '', 'P1H'])('rejects %s', (text) => expect(parseDuration(text)).toBeUndefined());
});
