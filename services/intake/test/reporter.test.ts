import { describe, expect, it } from 'vitest';
import { maskNumbersInJson, maskUrl, maskReportText, maskReporter, personalData, reporterAccess, reporterFlags } from '../src/domain/reporter.ts';

describe('reporter flags that travel in report.received', () => {
  it('treats a report without reporter as anonymous and unreachable', () => {
    // No reporter at all: nobody to call back, and not one who asked to stay anonymous.
    expect(reporterFlags(undefined)).toEqual({ anonymous: true, hasContact: false, absent: true });
    expect(reporterFlags({})).toEqual({ anonymous: true, hasContact: false, absent: true });
    expect(reporterFlags({ anonymous: true })).toEqual({ anonymous: true, hasContact: false });
    // Not anonymous, but naming nobody and no way to reach them: no reporter to follow up with (audit19 #5).
    expect(reporterFlags({ anonymous: false })).toEqual({ anonymous: false, hasContact: false, absent: true });
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
      written: { description: '联系人李四电话13800138000', address: '座机0931-8123456', attachments: ['https://x.cn/13800138000.jpg?tel=13800138000&token=abc'] },
    };
    expect(maskReporter(data).written).toEqual({
      description: '联系人李四电话138****8000',
      address: '座机0931******56',
      // As report.received has it: the numbers in its path and query masked, the token too.
      attachments: ['https://x.cn/138****8000.jpg?tel=138****8000&token=***'],
    });
  });
  it('keeps absent fields absent', () => {
    const none = { name: null, phone: null, idNumber: null, email: null, anonymous: true };
    expect(maskReporter(none)).toEqual(none);
  });
});

describe('the numbers in every string of a JSON value (maskNumbersInJson, for the DLQ copy)', () => {
  it('masks every string of a JSON value, keys and other values as they are', () => {
    expect(maskNumbersInJson({ title: '张三 13912340000', location: { address: '电话0931-8123456' }, n: 13912340000, tags: ['13912340000'] })).toEqual({
      title: '张三 139****0000',
      location: { address: '电话0931******56' },
      n: 13912340000,
      tags: ['139****0000'],
    });
  });
});

describe('an attachment URL (maskUrl)', () => {
  it('masks the values of credential-like query keys, keeping the key and the URL valid', () => {
    const url =
      'https://s3.example.com/b/k.jpg?X-Amz-Date=20261201T013000Z&X-Amz-Credential=AKIA%2F20261201%2Fs3&X-Amz-Signature=ab13912345678cd0a9&w=2';
    const masked = maskUrl(url);
    expect(masked).toBe('https://s3.example.com/b/k.jpg?X-Amz-Date=20261201T013000Z&X-Amz-Credential=***&X-Amz-Signature=***&w=2');
    expect(new URL(masked).searchParams.get('X-Amz-Signature')).toBe('***');
    for (const key of ['token', 'access_token', 'signature', 'sig', 'key', 'api_key', 'apikey', 'password', 'pwd', 'secret', 'auth', 'X-Goog-Signature', 'TOKEN']) {
      expect(maskUrl(`https://x.cn/a.jpg?${key}=abc&size=2#top`)).toBe(`https://x.cn/a.jpg?${key}=***&size=2#top`);
    }
    // An empty value has nothing to hide; a key that only contains a credential word is no credential.
    expect(maskUrl('https://x.cn/a?token=&monkey=abc&tokens=1')).toBe('https://x.cn/a?token=&monkey=abc&tokens=1');
  });

  it('masks phone and ID numbers in its path segments and fragment, numbers touching letters left as they are', () => {
    expect(maskUrl('https://files.example.com/13811113333/b.jpg#13800001111')).toBe('https://files.example.com/138****3333/b.jpg#138****1111');
    expect(maskUrl('https://x.cn/u/620321198001011234.png?w=1#page=2&tel=13800001111')).toBe(
      'https://x.cn/u/6203**********1234.png?w=1#page=2&tel=138****1111',
    );
    expect(maskUrl(`https://x.cn/${encodeURIComponent('１３９１２３４５６７２')}/a.jpg`)).toBe('https://x.cn/139****5672/a.jpg');
    for (const url of ['https://x.cn/ab13912345678cd/a.jpg', 'https://x.cn/a.jpg#frag13800001111', 'https://x.cn/2026/11/30/a.jpg', 'https://139.12.34.56/a.jpg']) {
      expect(maskUrl(url)).toBe(url);
    }
  });

  it('masks userinfo credentials of an older copy, keeping the host', () => {
    expect(maskUrl('https://user:pw@files.example.com/a.jpg')).toBe('https://***@files.example.com/a.jpg');
    // As the DLQ copy of a refused record has it.
    expect(maskNumbersInJson({ attachments: [{ url: 'https://user:pw@x.cn/a.jpg?token=abc' }] })).toEqual({ attachments: [{ url: 'https://***@x.cn/a.jpg?token=***' }] });
    // A URL is masked as report.received's attachments are, once: a number touching letters (a signature) stays whole.
    const signed = 'https://x.com/a1b13912345678c/p.jpg?phone=13811112222';
    expect(maskNumbersInJson({ url: signed })).toEqual({ url: maskUrl(signed) });
    expect(maskUrl(signed)).toContain('a1b13912345678c');
  });

  it("masks the numbers and email addresses in its query's values, keeping it a valid URL and the rest byte for byte", () => {
    const url = 'https://files.example.cn/u/1/p.jpg?phone=13811112222&id=620321198001011234&size=2&mail=zhang%40example.com#top';
    const masked = maskUrl(url);
    expect(masked).toBe('https://files.example.cn/u/1/p.jpg?phone=138****2222&id=6203**********1234&size=2&mail=z****%40example.com#top');
    expect(new URL(masked).searchParams.get('phone')).toBe('138****2222');
    // Full-width digits, percent-encoded, come back masked in ASCII.
    expect(maskUrl(`https://x.cn/a?tel=${encodeURIComponent('１３９１２３４５６７２')}`)).toBe('https://x.cn/a?tel=139****5672');
  });

  it('leaves a URL without such values as it is, opaque tokens included', () => {
    for (const url of [
      'https://x.cn/a.jpg',
      'https://x.cn/a.jpg?w=100&h=80&flag',
      'https://s3.example.com/b/k.jpg?X-Amz-Date=20261201T013000Z&v=ab13912345678cd0a9',
      'https://x.cn/a?q=%E4%BD%A0+%E5%A5%BD&bad=%E4%ZZ',
    ]) {
      expect(maskUrl(url)).toBe(url);
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
      description: '我父亲有老年痴呆，今天早上出门后走丢了 联系人李*电话138****8000身份证6203**********1234',
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
      description: '邻居吵架 联系我 ＋８６１３９１２３４５６７１ 或 １３９１２３４５６７２ 身份证６２０３２１１９８００１０１１２３４ 邮箱 zhang@example.com 银行卡6222021234567890128',
      location: { gridCode: 'CG-01-01' },
      attachments: [
        { url: 'https://x.cn/a.jpg?phone=13811112222&id=620321198001011234', mediaType: 'image/jpeg' },
        { url: 'https://x.cn/b.jpg', mediaType: 'image/jpeg' },
      ],
    };
    const { body: masked, written } = maskReportText(typed);
    expect(masked.description).toBe('邻居吵架 联系我 +86*******5671 或 139****5672 身份证6203**********1234 邮箱 z****@example.com 银行卡***************0128');
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
