import { describe, expect, it } from 'vitest';
import { maskReporter, personalData, reporterFlags } from '../src/domain/reporter.ts';

describe('reporter flags that travel in report.received', () => {
  it('treats a report without reporter as anonymous and unreachable', () => {
    // No reporter at all: nobody to call back, and not one who asked to stay anonymous.
    expect(reporterFlags(undefined)).toEqual({ anonymous: true, hasContact: false, absent: true });
    expect(reporterFlags({})).toEqual({ anonymous: true, hasContact: false, absent: true });
    expect(reporterFlags({ anonymous: true })).toEqual({ anonymous: true, hasContact: false });
  });
  it('treats a named reporter as not anonymous unless they ask', () => {
    expect(reporterFlags({ name: '李秀兰' })).toEqual({ anonymous: false, hasContact: false });
    expect(reporterFlags({ phone: '13912345678', anonymous: true })).toEqual({ anonymous: true, hasContact: true });
    expect(reporterFlags({ email: 'a@b.cn' })).toEqual({ anonymous: false, hasContact: true });
  });
});

describe('personal data stored', () => {
  it('is nothing when the reporter gave nothing personal', () => {
    expect(personalData(undefined)).toBeUndefined();
    expect(personalData({ anonymous: true })).toBeUndefined();
  });
  it('keeps every field given', () => {
    expect(personalData({ name: '王', phone: '110' })).toEqual({ name: '王', phone: '110', idNumber: null, email: null, anonymous: false });
    expect(personalData({ email: 'a@b.cn' })).toMatchObject({ email: 'a@b.cn', name: null });
  });
});

describe('masking', () => {
  it('masks names by character, phones and id numbers keeping their ends', () => {
    expect(
      maskReporter({ name: '李秀兰', phone: '13912345678', idNumber: '620321195802021234', email: 'li.xiulan@example.cn', anonymous: false }),
    ).toEqual({
      name: '李**',
      phone: '139****5678',
      idNumber: '6203**********1234',
      email: 'l********@example.cn',
      anonymous: false,
    });
  });
  it('never returns a short value whole', () => {
    const masked = maskReporter({ name: '王', phone: '110', idNumber: '12345678', email: 'a@b.cn', anonymous: true });
    expect(masked).toEqual({ name: '*', phone: '1**', idNumber: '1*******', email: '*@b.cn', anonymous: true });
  });
  it('keeps absent fields absent', () => {
    const none = { name: null, phone: null, idNumber: null, email: null, anonymous: true };
    expect(maskReporter(none)).toEqual(none);
  });
});
