import { describe, expect, it } from 'vitest';
import { maskNameInText } from '../src/domain/reporter-name.ts';
import { maskNumbersInJson, maskReportText, maskReporter } from '../src/domain/reporter.ts';

describe("the reporter's own name in text (maskNameInText)", () => {
  it('masks every occurrence as maskReporter masks the name field', () => {
    expect(maskNameInText('我是3号楼的周建国，楼道里堆满杂物。周建国', '周建国')).toBe('我是3号楼的周**，楼道里堆满杂物。周**');
    expect(maskReporter({ name: '周建国', phone: null, idNumber: null, email: null, anonymous: true }).name).toBe('周**');
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
  it('reads the name as text, not as a pattern', () => {
    expect(maskNameInText('a.b and axb', 'a.b')).toBe('a** and axb');
    expect(maskNameInText('(李) 李', '(李)')).toBe('(** 李');
  });
});

describe('the name in every copy of a report', () => {
  const body = {
    externalId: 'anon1',
    title: '周建国报：消防通道',
    description: '我是3号楼的周建国，楼道里堆满杂物堵住了消防通道，电话13698765432',
    location: { gridCode: 'CG-01-01', address: '周建国家门口' },
    reporter: { name: '周建国', phone: '13698765432', anonymous: true },
  };
  it('is masked in the title, description and address of report.received, kept as written for intake', () => {
    const { body: masked, written } = maskReportText(body);
    expect(masked.title).toBe('周**报：消防通道');
    expect(masked.description).toBe('我是3号楼的周**，楼道里堆满杂物堵住了消防通道，电话136****5432');
    expect(masked.location.address).toBe('周**家门口');
    expect(written).toEqual({ title: body.title, description: body.description, address: body.location.address });
    expect(maskReportText({ ...body, reporter: { ...body.reporter, anonymous: false } }).body.description).not.toContain('周建国');
  });
  it('is masked in the DLQ copy (maskNumbersInJson with the name) and in the masked text as written', () => {
    const { reporter, ...rest } = body;
    expect(JSON.stringify(maskNumbersInJson(rest, reporter.name))).not.toContain('周建国');
    const data = { name: '周建国', phone: null, idNumber: null, email: null, anonymous: true, written: { description: body.description } };
    expect(maskReporter(data).written?.description).toBe('我是3号楼的周**，楼道里堆满杂物堵住了消防通道，电话136****5432');
  });
});
