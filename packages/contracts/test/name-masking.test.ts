import { describe, expect, it } from 'vitest';
import { hasCommandText, maskCommandText } from '../src/commands.ts';
import { maskNameInText, maskNamesInText } from '../src/name-masking.ts';

describe("the reporter's own name in text (maskNameInText)", () => {
  it('finds the name with hyphens, underscores or invisible characters between its characters (audit13 #2)', () => {
    expect(maskNameInText('联系人周-建-国，周_建_国', '周建国')).toBe('联系人周**，周**');
    expect(maskNameInText('我是周\u200b建国，周\u200d建\u2060国，周\u00ad建\ufeff国', '周建国')).toBe('我是周**，周**，周**');
    // As many stars as maskReporter gives the name field.
    expect(maskNameInText('我叫周建国', '周-建\u200b国')).toBe('我叫周****');
  });
  it('finds a name given with an honorific, without it (audit13 #2)', () => {
    for (const suffix of ['先生', '女士', '老师', '师傅', '同志', '小姐', '阿姨', '大爷']) {
      expect(maskNameInText('周建国反映：周建国' + suffix + '说', `周建国${suffix}`)).toBe(`周**反映：周**${suffix}说`);
    }
    expect(maskNameInText('是张师傅打来的', '张師傅')).toBe('是张**打来的');
    // What is left must still be a name to look for: 王女士 is looked for whole, never 王 alone.
    expect(maskNameInText('王府井的王女士', '王女士')).toBe('王府井的王**');
  });
  it('finds the name in either Chinese script, whichever the name was given in (audit13 #2)', () => {
    expect(maskNameInText('我是周建國，周建国', '周建国')).toBe('我是周**，周**');
    expect(maskNameInText('我是周建国，周建國', '周建國')).toBe('我是周**，周**');
    expect(maskNameInText('联系人周 建-國', '周建国')).toBe('联系人周**');
  });
  it('masks every occurrence as maskReporter masks the name field', () => {
    expect(maskNameInText('我是3号楼的周建国，楼道里堆满杂物。周建国', '周建国')).toBe('我是3号楼的周**，楼道里堆满杂物。周**');
  });
  it('finds the name with spaces or dots between its characters, and in any case and width', () => {
    expect(maskNameInText('我叫周 建　国，住3栋', '周建国')).toBe('我叫周**，住3栋');
    expect(maskNameInText('报警人阿依古丽买买提', '阿依古丽·买买提')).toBe('报警人阿*******');
    expect(maskNameInText('contact li na or ＬＩ ＮＡ', 'Li Na')).toBe('contact l**** or Ｌ****');
  });
  it('masks a name in letters only as a whole word', () => {
    expect(maskNameInText('Linang street, Li Na said', 'Li Na')).toBe('Linang street, L**** said');
    expect(maskNameInText('Tomorrow Tom called', 'Tom')).toBe('Tomorrow T** called');
  });
  it('never looks for a one-character name in text, nor for none', () => {
    expect(maskNameInText('王府井的王大爷', '王')).toBe('王府井的王大爷');
    expect(maskNameInText('王府井', ' 王 ')).toBe('王府井');
    expect(maskNameInText('周建国', undefined)).toBe('周建国');
  });
  it('masks each reporter of a case (maskNamesInText)', () => {
    expect(maskNamesInText('周建国和李秀兰都来过', ['周建国', '李秀兰'])).toBe('周**和李**都来过');
    expect(maskNamesInText('周建国', [])).toBe('周建国');
  });
  it('reads the name as text, not as a pattern', () => {
    expect(maskNameInText('a.b and axb', 'a.b')).toBe('a** and axb');
    expect(maskNameInText('(李) 李', '(李)')).toBe('(** 李');
  });
});

describe("a staff command's free text (maskCommandText with the case's reporters)", () => {
  it('masks the names with the numbers, in note, text and reason only (audit13 #1)', () => {
    const fields = { note: '已电话联系周建国 13812345678', text: '周建國又来电', reason: '周-建-国', outcome: '周建国' };
    expect(maskCommandText(fields, ['周建国先生'])).toEqual({ note: '已电话联系周** 138****5678', text: '周**又来电', reason: '周**', outcome: '周建国' });
    expect(maskCommandText(fields).note).toBe('已电话联系周建国 138****5678');
    expect(hasCommandText(fields)).toBe(true);
    expect(hasCommandText({ outcome: 'x', note: '' })).toBe(false);
  });
});
