import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { COMMAND_SCHEMAS, COMMAND_TEXT_FIELDS, maskCommandText, maskNumbersInText } from '../src/index.ts';

describe('phone and ID numbers written into free text (maskNumbersInText)', () => {
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

  it('masks a mobile with its first three digits in brackets (audit17 #6)', () => {
    expect(maskNumbersInText('电话(139)00002121，（139）0000-2121，(139) 0000 2121，+86(139)00002121')).toBe('电话139****2121，139*****2121，139******2121，+86*******2121');
    // Brackets round what is no mobile's head, or around a run too short or too long for one.
    expectAsWritten(['(129)00002121', '(139)0000212', '(139)000021212', '1(139)00002121']);
  });

  it('masks an 18-digit ID a letter follows, x and X too (audit17 #6)', () => {
    expect(maskNumbersInText('id:620321198502023456x，身份证620321198502023456X，62032119850202345Xx')).toBe('id:6203**********3456x，身份证6203**********3456X，6203**********345Xx');
    // A longer run is no ID, a letter after it or not.
    expectAsWritten(['订单号12345678901234567890x', '订单号1234567890123456789x']);
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

  it('masks numbers with invisible characters, Unicode hyphens and dashes or other spaces between the digits (audit15 #1)', () => {
    expect(maskNumbersInText('联系电话139\u200b1234\u200b5678，谢谢')).toBe('联系电话139****5678，谢谢');
    expect(maskNumbersInText('电话139\u00ad1234\u00ad5678')).toBe('电话139****5678');
    expect(maskNumbersInText('电话1\u20603\u20609\u200d1234\ufeff5678')).toBe('电话139****5678');
    expect(maskNumbersInText('电话１３９‐１２３４‐５６７８')).toBe('电话139******5678');
    expect(maskNumbersInText('电话139–1234–5678，139\u00a01234\u00a05678，139\u22121234\u22125678')).toBe('电话139******5678，139******5678，139******5678');
    expect(maskNumbersInText('身份证6203\u200b2119\u200b9001\u200b0112\u200b34')).toBe('身份证6203**********1234');
    expect(maskNumbersInText('身份证6203 2119 9001 0112 34，身份证6203-2119-9001-0112-3X')).toBe('身份证6203**************2 34，身份证6203**************2-3X');
    // Invisible characters elsewhere are kept as written, and a text with nothing to mask is returned as it came.
    expect(maskNumbersInText('👨\u200d👩\u200d👧 电话13912345678')).toBe('👨\u200d👩\u200d👧 电话139****5678');
    expectAsWritten(['第1\u200b2页', '2020–2021年', '12\u00ad34']);
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

  it('masks phones and ID numbers written in Chinese numerals, alone or mixed with digits, as their masked ASCII form', () => {
    expect(maskNumbersInText('电话一三八一二三四五六七八，或138一二三四五六七八。')).toBe('电话138****5678，或138****5678。');
    // 幺 and 么 for 1, 两 for 2, as a number is read out; full-width digits, groups, a space between every digit, +86.
    expect(maskNumbersInText('打幺三九幺两三四五六七八，么三八１２３４五六七八')).toBe('打139****5678，138****5678');
    expect(maskNumbersInText('一三八 一二三四 五六七八；一三八-一二三四-五六七八；一 三 八 一 二 三 四 五 六 七 八；+86一三八一二三四五六七八')).toBe(
      '138******5678；138******5678；138****5678；+86*******5678',
    );
    // A word ending in 么 or 两 before the number is no digit of it.
    expect(maskNumbersInText('为什么一三八一二三四五六七八打不通')).toBe('为什么138****5678打不通');
    expect(maskNumbersInText('身份证六二〇三〇二一九八八〇一〇一一二三四，或620302一九八八0101123X')).toBe('身份证6203**********1234，或6203**********123X');
    // Its first three in brackets, as (139)00002121 (audit17 #6).
    expect(maskNumbersInText('电话(一三九)〇〇〇〇二一二一，（一三九）〇〇〇〇-二一二一，(139)〇〇〇〇二一二一')).toBe('电话139****2121，139*****2121，139****2121');
    expectAsWritten(['(一二九)〇〇〇〇二一二一', '(一三九)〇〇〇〇二一二', '一(一三九)〇〇〇〇二一二一']);
  });

  it('leaves runs of Chinese numerals that are no phone or ID as written: floors, counts, ages, years, dates', () => {
    expectAsWritten([
      '一二三楼',
      '三四个人',
      '十一二岁的孩子',
      '一九九八年',
      '二〇二六年十二月一日',
      '一二三四五',
      '一五一十地说了',
      // 十 is no digit; a run of 12, one starting 二 or 〇, or with a second digit under 3, is no mobile.
      '一三五七九二四六八十',
      '一三八一二三四五六七八九',
      '〇一三八一二三四五六七八',
      '二三八一二三四五六七八',
      '一二八一二三四五六七八',
      '两三八一二三四五六七八',
    ]);
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
    // A space inside the label (Q Q, 微 信), ASCII or ideographic.
    expect(maskNumbersInText('Q Q：87654321，微 信：zhoujg_1988，ｑ　ｑ号 123456，扣 扣 10000，V 信 abc123')).toBe('Q Q：87****21，微 信：zh*******88，ｑ　ｑ号 1****6，扣 扣 1***0，V 信 a****3');
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
});

describe("a staff command's notes and reasons (maskCommandText)", () => {
  it('masks the numbers in a note, a note text and a reason, and keeps the other fields', () => {
    expect(maskCommandText({ satisfaction: 'unsatisfied', note: '张三说还在吵，电话13800138000' })).toEqual({
      satisfaction: 'unsatisfied',
      note: '张三说还在吵，电话138****8000',
    });
    expect(maskCommandText({ text: '联系人邮箱 zhang@example.com，身份证620321199001011234' })).toEqual({ text: '联系人邮箱 z****@example.com，身份证6203**********1234' });
    const hold = { reason: '等当事人回电 0931-8123456', until: '2026-12-05T10:00:00Z' };
    expect(maskCommandText(hold)).toEqual({ reason: '等当事人回电 0931******56', until: '2026-12-05T10:00:00Z' });
    // The body is not changed; numbers that are no personal data stay.
    expect(hold.reason).toBe('等当事人回电 0931-8123456');
    expect(maskCommandText({ officerIds: ['13800138000'], note: '5号楼302室，欠薪12000元' })).toEqual({ officerIds: ['13800138000'], note: '5号楼302室，欠薪12000元' });
  });

  it('knows every free-text field of every command on gridcase.case-commands', () => {
    // Strings that are ids or times, not words someone wrote.
    const structured = new Set(['commandId', 'caseId', 'issuedAt', 'until']);
    const isString = (schema: z.core.$ZodType): boolean => {
      const def = schema._zod.def as unknown as { type: string; innerType?: z.core.$ZodType };
      return def.type === 'optional' && def.innerType ? isString(def.innerType) : def.type === 'string';
    };
    const free = Object.values(COMMAND_SCHEMAS).flatMap((schema) =>
      Object.entries(schema.shape as Record<string, z.core.$ZodType>)
        .filter(([key, field]) => isString(field) && !structured.has(key))
        .map(([key]) => key),
    );
    expect(free.length).toBeGreaterThan(COMMAND_TEXT_FIELDS.length);
    expect(new Set(free)).toEqual(new Set(COMMAND_TEXT_FIELDS));
  });
});
