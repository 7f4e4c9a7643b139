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

describe('phone and ID numbers written into free text (for the DLQ copy)', () => {
  const expectAsWritten = (texts: string[]) => {
    for (const text of texts) expect(maskNumbersInText(text)).toBe(text);
  };

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

  it('masks bank card numbers (16 to 19 digits, or in groups of four) that pass the Luhn check, keeping the last four', () => {
    expect(maskNumbersInText('银行卡6222021234567890128')).toBe('银行卡***************0128');
    expect(maskNumbersInText('卡号 6222 0212 3456 7890 128，另一张4111-1111-1111-1111')).toBe('卡号 ***************0128，另一张************1111');
    expect(maskNumbersInText('卡号６２２２０２１２３４５６７８９４')).toBe('卡号************7894');
    expect(maskNumbersInText('测试卡4111111111111111、5555555555554444')).toBe('测试卡************1111、************4444');
  });

  it('leaves a 16 to 19 digit run that is no card as written: an order number, a card-like number failing the Luhn check', () => {
    // 20261130123456789 passes the Luhn check, but no card number starts 2026.
    expectAsWritten(['订单号20261130123456789', '运单号7312345678901234', '卡号6222021234567890123', '卡号 6222 0212 3456 7890 123', '4111-1111-1111-1112']);
  });

  it('masks ID numbers in groups (6-8-4, 6-4-4-4) split by spaces, ideographic spaces, hyphens or dots, in any width', () => {
    expect(maskNumbersInText('身份证620321 19800101 1234，')).toBe('身份证6203************1234，');
    expect(maskNumbersInText('身份证６２０３２１　１９８００１０１　１２３Ｘ')).toBe('身份证6203************123X');
    expect(maskNumbersInText('620321 1980 0101 1234 和 620321-19800101-1234 和 620321.19800101.1234')).toBe(
      '6203*************1234 和 6203************1234 和 6203************1234',
    );
  });

  it('masks phones with dots between the groups or a space between every digit', () => {
    expect(maskNumbersInText('A:139.1234.5678 B:１３９．１２３４．５６７８')).toBe('A:139******5678 B:139******5678');
    expect(maskNumbersInText('B:1 3 9 1 2 3 4 5 6 7 8，或+86 1 3 9 1 2 3 4 5 6 7 8')).toBe('B:139****5678，或+86*******5678');
    expect(maskNumbersInText('１　３　９　１　２　３　４　５　６　７　８')).toBe('139****5678');
    // A coordinate or a price with one dot is no phone; nor is a run of spaced digits longer than a phone.
    expectAsWritten(['北纬131.23456789', '1 3 9 1 2 3 4 5 6 7 8 9', '1.5 2.5 3.5', '第1 3 9页']);
  });

  it('masks phones typed in Arabic-Indic or circled digits, and email addresses with a spelled-out or full-width @ and 。', () => {
    expect(maskNumbersInText('E:١٣٩١٢٣٤٥٦٧٨ I:①③⑨①②③④⑤⑥⑦⑧')).toBe('E:139****5678 I:139****5678');
    // A circled list marker right before a phone is no digit of it.
    expect(maskNumbersInText('①13912345678 ②13812345678')).toBe('①139****5678 ②138****5678');
    expect(maskNumbersInText('F:zhang[at]example.com G:zhang＠example。com H:li (at) mail.example.cn')).toBe(
      'F:z****@example.com G:z****@example.com H:l*@mail.example.cn',
    );
    // A sentence's 。 after an address is not read into its domain.
    expect(maskNumbersInText('发到zhang@qq.com。Tel待定')).toBe('发到z****@qq.com。Tel待定');
  });

  it('leaves other numbers alone: case numbers, dates, short or longer digit runs, amounts', () => {
    expectAsWritten(['CG-2026-000123', '2026-11-30 19:20', '5栋302室', '欠薪 12000 元', '订单12345678901234567890', '12345678901', '报警电话110', '１１０']);
  });

  it('masks a QQ number or WeChat id written after its label, keeping the label and the ends of the id', () => {
    expect(maskNumbersInText('我的QQ是123456789，QQ：12345678，qq号123456，扣扣 10000')).toBe('我的QQ是12*****89，QQ：12****78，qq号1****6，扣扣 1***0');
    expect(maskNumbersInText('微信号 wxid_abc123，微信：zhang_san88，vx: abc_12345，微信号是：abc_def')).toBe(
      '微信号 wx*******23，微信：zh*******88，vx: ab*****45，微信号是：a*****f',
    );
    expect(maskNumbersInText('薇信abcdef1，V信：abc123，威信 abc123x，wx号abc123，微信 123456789')).toBe('薇信a*****1，V信：a****3，威信 a*****x，wx号a****3，微信 12*****89');
    // In full width (a Chinese IME), and in English.
    expect(maskNumbersInText('ＱＱ：１２３４５６７８９')).toBe('ＱＱ：12*****89');
    expect(maskNumbersInText('my QQ is 123456789, WeChat ID: zhang_san88, or wechat zhang_88')).toBe('my QQ is 12*****89, WeChat ID: zh*******88, or wechat zh****88');
    // A phone after a label is masked as a phone.
    expect(maskNumbersInText('加我微信13912345678')).toBe('加我微信139****5678');
  });

  it('leaves digits and words that follow no such label alone, and what only looks like one', () => {
    expectAsWritten([
      '5号楼302室',
      '案号CG-2026-000123',
      '订单号123456789',
      '欠薪 12000 元',
      // A group, a payment, no id at all.
      'QQ群123456',
      '微信支付50000元',
      '微信转了 20000元',
      '微信同手机号',
      // An id with no label, a label inside a word, a word after a label in letters with only a space between.
      'wxid_abc123',
      'aqq12345678',
      'twx: abcdefg',
      'add me on wechat please',
      // Too short for a QQ number or WeChat id; a number running into letters.
      'QQ 1234',
      '微信 abcde',
      'QQ12345abc',
    ]);
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
  it('masks the values of credential-like query keys, keeping the key and the URL valid', () => {
    const url =
      'https://s3.example.com/b/k.jpg?X-Amz-Date=20261201T013000Z&X-Amz-Credential=AKIA%2F20261201%2Fs3&X-Amz-Signature=ab13912345678cd0a9&w=2';
    const masked = maskNumbersInUrl(url);
    expect(masked).toBe('https://s3.example.com/b/k.jpg?X-Amz-Date=20261201T013000Z&X-Amz-Credential=***&X-Amz-Signature=***&w=2');
    expect(new URL(masked).searchParams.get('X-Amz-Signature')).toBe('***');
    for (const key of ['token', 'access_token', 'signature', 'sig', 'key', 'api_key', 'apikey', 'password', 'pwd', 'secret', 'auth', 'X-Goog-Signature', 'TOKEN']) {
      expect(maskNumbersInUrl(`https://x.cn/a.jpg?${key}=abc&size=2#top`)).toBe(`https://x.cn/a.jpg?${key}=***&size=2#top`);
    }
    // An empty value has nothing to hide; a key that only contains a credential word is no credential.
    expect(maskNumbersInUrl('https://x.cn/a?token=&monkey=abc&tokens=1')).toBe('https://x.cn/a?token=&monkey=abc&tokens=1');
  });

  it('masks phone and ID numbers in its path segments and fragment, numbers touching letters left as they are', () => {
    expect(maskNumbersInUrl('https://files.example.com/13811113333/b.jpg#13800001111')).toBe('https://files.example.com/138****3333/b.jpg#138****1111');
    expect(maskNumbersInUrl('https://x.cn/u/620321198001011234.png?w=1#page=2&tel=13800001111')).toBe(
      'https://x.cn/u/6203**********1234.png?w=1#page=2&tel=138****1111',
    );
    expect(maskNumbersInUrl(`https://x.cn/${encodeURIComponent('１３９１２３４５６７２')}/a.jpg`)).toBe('https://x.cn/139****5672/a.jpg');
    for (const url of ['https://x.cn/ab13912345678cd/a.jpg', 'https://x.cn/a.jpg#frag13800001111', 'https://x.cn/2026/11/30/a.jpg', 'https://139.12.34.56/a.jpg']) {
      expect(maskNumbersInUrl(url)).toBe(url);
    }
  });

  it('masks userinfo credentials of an older copy, keeping the host', () => {
    expect(maskNumbersInUrl('https://user:pw@files.example.com/a.jpg')).toBe('https://***@files.example.com/a.jpg');
    // As the DLQ copy of a refused record has it.
    expect(maskNumbersInJson({ attachments: [{ url: 'https://user:pw@x.cn/a.jpg?token=abc' }] })).toEqual({ attachments: [{ url: 'https://***@x.cn/a.jpg?token=***' }] });
    // A URL is masked as report.received's attachments are, once: a number touching letters (a signature) stays whole.
    const signed = 'https://x.com/a1b13912345678c/p.jpg?phone=13811112222';
    expect(maskNumbersInJson({ url: signed })).toEqual({ url: maskNumbersInUrl(signed) });
    expect(maskNumbersInUrl(signed)).toContain('a1b13912345678c');
  });

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
      'https://s3.example.com/b/k.jpg?X-Amz-Date=20261201T013000Z&v=ab13912345678cd0a9',
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
