import { ContractError } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { deadLetterReason, InvalidMessageError, PoisonError, partitionLag } from '../src/index.ts';

describe('consumer lag of a partition', () => {
  it('is the high watermark minus the committed offset', () => {
    expect(partitionLag('120', '0', '100')).toBe(20);
    expect(partitionLag('120', '0', '120')).toBe(0);
  });
  it('counts from the log start when the group never committed', () => {
    expect(partitionLag('120', '30', '-1')).toBe(90);
    expect(partitionLag('0', '0', '-1')).toBe(0);
  });
  it('is never negative (a commit read after the high watermark)', () => {
    expect(partitionLag('100', '0', '105')).toBe(0);
  });
});

describe('the reason label of a dead letter', () => {
  it('names what made a message poison, looking through wrapped causes', () => {
    expect(deadLetterReason(new ContractError('bad envelope'))).toBe('invalid-message');
    expect(deadLetterReason({ name: 'ZodError', issues: [] })).toBe('invalid-message');
    expect(deadLetterReason(new PoisonError('no such case'))).toBe('rejected');
    expect(deadLetterReason(new Error('Failed query', { cause: { code: '22P02' } }))).toBe('bad-data');
  });
  it("is invalid-message for a record malformed as sent, rejected only for a rule's refusal", () => {
    expect(deadLetterReason(new InvalidMessageError('value is not JSON'))).toBe('invalid-message');
    expect(deadLetterReason(new Error('handler failed', { cause: new InvalidMessageError('record has no client-id header') }))).toBe('invalid-message');
    expect(deadLetterReason(new PoisonError('client c-1 was revoked at 2026-12-01T00:00:00.000Z'))).toBe('rejected');
  });
  it('is retries-exhausted for anything else (a bug, a constraint that never cleared)', () => {
    expect(deadLetterReason(new TypeError('x is undefined'))).toBe('retries-exhausted');
    expect(deadLetterReason({ code: '23505' })).toBe('retries-exhausted');
  });
});
