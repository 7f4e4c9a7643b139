import { describe, expect, it } from 'vitest';
import { maskNumbersInJson, maskNumbersInText, maskNumbersInUrl, maskReportText, maskReporter, personalData, reporterAccess, reporterFlags } from '../src/domain/reporter.ts';

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
  it('is the text as written when numbers were masked in it, also for a report with no reporter', () => {
    expect(personalData(undefined, { description: '电话13800138000' })).toEqual({
      name: null,
      phone: null,
      idNumber: null,
      email: null,
      anonymous: false,
      written: { description: '电话13800138000' },
    });
    expect(personalData({ anonymous: true }, { title: '13800138000' })).toMatchObject({ anonymous: true, written: { title: '13800138000' } });
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
  it('masks the text as written as every copy of the report has it', () => {
    const data = {
      name: null,
      phone: null,
      idNumber: null,
      email: null,
      anonymous: false,
      written: { description: '联系人李四电话13800138000', address: '座机0931-8123456', attachments: ['https://x.cn/13800138000.jpg?tel=13800138000'] },
    };
    expect(maskReporter(data).written).toEqual({
      description: '联系人李四电话138****8000',
      address: '座机0931******56',
      // As report.received has it: the query masked, the path as sent.
      attachments: ['https://x.cn/13800138000.jpg?tel=138****8000'],
    });
  });
  it('keeps absent fields absent', () => {
    const none = { name: null, phone: null, idNumber: null, email: null, anonymous: true };
    expect(maskReporter(none)).toEqual(none);
  });
});

describe('phone and ID numbers written into free text (for the DLQ copy)', () => {
  it('masks resident IDs (18 digits, X last; 15-digit old form), mobiles and landlines with area code, keeping the rest', () => {
    expect(maskNumbersInText('我是王小明，身份证620302198805051234，电话13912345678，家住宝河苑')).toBe('我是王小明，身份证6203**********1234，电话139****5678，家住宝河苑');
    expect(maskNumbersInText('身份证号62030219880505123X。')).toBe('身份证号6203**********123X。');
    expect(maskNumbersInText('老身份证620302880505123')).toBe('老身份证6203*******5123');
    expect(maskNumbersInText('张三 139-1234-0000 或 +86 139 1234 0000')).toBe('张三 139******0000 或 +86**********0000');
    expect(maskNumbersInText('座机0931-8123456，北京(010)12345678，010 87654321')).toBe('座机0931******56，北京(010*******78，010 ******21');
  });

  it('masks numbers typed in full-width digits (a Chinese IME), replacing only each number by its masked ASCII form', () => {
    expect(maskNumbersInText('联系我 ＋８６１３９１２３４５６７１ 或 １３９１２３４５６７２，身份证６２０３２１１９８００１０１１２３４。')).toBe(
      '联系我 +86*******5671 或 139****5672，身份证6203**********1234。',
    );
    expect(maskNumbersInText('电话１３９－１２３４－５６７２　身份证号６２０３２１１９８００１０１１２３Ｘ，座机（０９３１）８１２３４５６')).toBe(
      '电话139******5672　身份证号6203**********123X，座机(093*******56',
    );
    // The rest of the text keeps its width: full-width letters, digits in words and punctuation stay as typed.
    expect(maskNumbersInText('ＡＢＣ小区５栋３０２室，欠薪１２０００元')).toBe('ＡＢＣ小区５栋３０２室，欠薪１２０００元');
  });

  it('masks email addresses (the mailbox; the domain kept), also in full width and named by a phone number', () => {
    expect(maskNumbersInText('邮箱 zhang@example.com，或li.xiulan@mail.example.cn。')).toBe('邮箱 z****@example.com，或l********@mail.example.cn。');
    expect(maskNumbersInText('邮箱13912345678@163.com')).toBe('邮箱1**********@163.com');
    expect(maskNumbersInText('邮箱ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('邮箱z****@example.com');
  });

  it('masks bank card numbers (16 to 19 digits, or in groups of four), keeping the last four', () => {
    expect(maskNumbersInText('银行卡6222021234567890123')).toBe('银行卡***************0123');
    expect(maskNumbersInText('卡号 6222 0212 3456 7890 123，另一张4111-1111-1111-1111')).toBe('卡号 ***************0123，另一张************1111');
    expect(maskNumbersInText('卡号６２２２０２１２３４５６７８９０')).toBe('卡号************7890');
  });

  it('leaves other numbers alone: case numbers, dates, short or longer digit runs, amounts', () => {
    for (const text of ['CG-2026-000123', '2026-11-30 19:20', '5栋302室', '欠薪 12000 元', '订单12345678901234567890', '12345678901', '报警电话110', '１１０']) {
      expect(maskNumbersInText(text)).toBe(text);
    }
  });

  it('masks every string of a JSON value, keys and other values as they are', () => {
    expect(maskNumbersInJson({ title: '张三 13912340000', location: { address: '电话0931-8123456' }, n: 13912340000, tags: ['13912340000'] })).toEqual({
      title: '张三 139****0000',
      location: { address: '电话0931******56' },
      n: 13912340000,
      tags: ['139****0000'],
    });
  });
});

describe('an attachment URL (maskNumbersInUrl)', () => {
  it("masks the numbers and email addresses in its query's values, keeping it a valid URL and the rest byte for byte", () => {
    const url = 'https://files.example.cn/u/1/p.jpg?phone=13811112222&id=620321198001011234&size=2&mail=zhang%40example.com#top';
    const masked = maskNumbersInUrl(url);
    expect(masked).toBe('https://files.example.cn/u/1/p.jpg?phone=138****2222&id=6203**********1234&size=2&mail=z****%40example.com#top');
    expect(new URL(masked).searchParams.get('phone')).toBe('138****2222');
    // Full-width digits, percent-encoded, come back masked in ASCII.
    expect(maskNumbersInUrl(`https://x.cn/a?tel=${encodeURIComponent('１３９１２３４５６７２')}`)).toBe('https://x.cn/a?tel=139****5672');
  });

  it('leaves a URL without such values as it is, opaque tokens included', () => {
    for (const url of [
      'https://x.cn/a.jpg',
      'https://x.cn/a.jpg?w=100&h=80&flag',
      'https://s3.example.com/b/k.jpg?X-Amz-Date=20261201T013000Z&X-Amz-Signature=ab13912345678cd0a9',
      'https://x.cn/a?q=%E4%BD%A0+%E5%A5%BD&bad=%E4%ZZ',
    ]) {
      expect(maskNumbersInUrl(url)).toBe(url);
    }
  });
});

describe('a report body before report.received is built (maskReportText)', () => {
  const body = {
    externalId: 'e1',
    title: '老人走失 13800138000',
    description: '我父亲有老年痴呆，今天早上出门后走丢了 联系人李四电话13800138000身份证620321199001011234',
    location: { gridCode: 'CG-04-01', address: '宝河苑3栋 座机0931-8123456' },
    reporter: { name: '李四' },
  };

  it('masks phone and ID numbers in the title, the description and the address, and returns each as written', () => {
    const { body: masked, written } = maskReportText(body);
    expect(masked).toEqual({
      ...body,
      title: '老人走失 138****8000',
      description: '我父亲有老年痴呆，今天早上出门后走丢了 联系人李四电话138****8000身份证6203**********1234',
      location: { gridCode: 'CG-04-01', address: '宝河苑3栋 座机0931******56' },
    });
    expect(written).toEqual({ title: body.title, description: body.description, address: body.location.address });
    // The body as sent is left as it was: the idempotency hash is taken on it.
    expect(body.description).toContain('13800138000');
  });

  it('keeps only the fields masking changed, and leaves a body without such numbers as it is', () => {
    const some = { ...body, title: '老人走失', location: { gridCode: 'CG-04-01' } };
    expect(maskReportText(some).written).toEqual({ description: body.description });
    expect(maskReportText(some).body).not.toHaveProperty('location.address');
    const none = {
      externalId: 'e2',
      description: '5栋302室 欠薪 12000 元，报警电话110',
      location: { address: '宝河苑' },
      attachments: [{ url: 'https://x.cn/a.jpg?w=100', mediaType: 'image/jpeg' }],
    };
    expect(maskReportText(none)).toEqual({ body: none, written: undefined });
  });

  it("masks full-width numbers, email addresses and bank cards in the text, and the numbers in attachments' URL queries", () => {
    const typed = {
      externalId: 'e3',
      description: '邻居吵架 联系我 ＋８６１３９１２３４５６７１ 或 １３９１２３４５６７２ 身份证６２０３２１１９８００１０１１２３４ 邮箱 zhang@example.com 银行卡6222021234567890123',
      location: { gridCode: 'CG-01-01' },
      attachments: [
        { url: 'https://x.cn/a.jpg?phone=13811112222&id=620321198001011234', mediaType: 'image/jpeg' },
        { url: 'https://x.cn/b.jpg', mediaType: 'image/jpeg' },
      ],
    };
    const { body: masked, written } = maskReportText(typed);
    expect(masked.description).toBe('邻居吵架 联系我 +86*******5671 或 139****5672 身份证6203**********1234 邮箱 z****@example.com 银行卡***************0123');
    expect(masked.attachments).toEqual([
      { url: 'https://x.cn/a.jpg?phone=138****2222&id=6203**********1234', mediaType: 'image/jpeg' },
      { url: 'https://x.cn/b.jpg', mediaType: 'image/jpeg' },
    ]);
    // Every URL as sent, in order, so the desk can still open a link whose query was masked.
    expect(written).toEqual({ description: typed.description, attachments: typed.attachments.map((a) => a.url) });
    const urlOnly = { ...typed, description: '路灯坏了' };
    expect(maskReportText(urlOnly)).toEqual({ body: { ...urlOnly, attachments: masked.attachments }, written: { attachments: written!.attachments } });
  });
});

describe('who sees a reporter whole (reporterAccess, need to know)', () => {
  const ordinary = { category: 'dispute.neighbour', assignees: [{ officerId: 'officer-CG-01' }, { officerId: 'worker-CG-01-01' }] };
  const tip = { ...ordinary, category: 'tip.vice' };

  it('shows it whole to the desk, supervisors and admin, whatever the case', () => {
    for (const roles of [['desk'], ['supervisor'], ['admin'], ['officer', 'supervisor']] as const) {
      expect(reporterAccess({ roles: [...roles] }, ordinary)).toBe('whole');
      expect(reporterAccess({ roles: [...roles] }, tip)).toBe('whole');
      expect(reporterAccess({ roles: [...roles] }, undefined)).toBe('whole');
    }
  });

  it("shows it whole to an officer who owns the case; masked to other officers, and a tip's informant not at all", () => {
    expect(reporterAccess({ roles: ['officer'], officerId: 'officer-CG-01' }, ordinary)).toBe('whole');
    expect(reporterAccess({ roles: ['officer'], officerId: 'officer-CG-01' }, tip)).toBe('whole');
    expect(reporterAccess({ roles: ['officer'], officerId: 'officer-CG-09' }, ordinary)).toBe('masked');
    expect(reporterAccess({ roles: ['officer'] }, ordinary)).toBe('masked');
    expect(reporterAccess({ roles: ['officer'], officerId: 'officer-CG-09' }, undefined)).toBe('masked');
    expect(reporterAccess({ roles: ['officer'], officerId: 'officer-CG-09' }, tip)).toBe('refused');
  });

  it('shows it masked to the posting client', () => {
    expect(reporterAccess({ roles: ['reporter'] }, ordinary)).toBe('masked');
    expect(reporterAccess({ roles: ['reporter'] }, tip)).toBe('masked');
  });
});
