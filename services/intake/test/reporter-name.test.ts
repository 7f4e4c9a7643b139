import { describe, expect, it } from 'vitest';
import { maskNumbersInJson, maskReportText, maskReporter } from '../src/domain/reporter.ts';

describe('the name in every copy of a report', () => {
  const body = {
    externalId: 'anon1',
    title: '周建国报：消防通道',
    description: '我是3号楼的周建国，楼道里堆满杂物堵住了消防通道，电话13698765432',
    location: { gridCode: 'CG-01-01', address: '周建国家门口' },
    reporter: { name: '周建国', phone: '13698765432', anonymous: true },
  };
  it('is masked in text as maskReporter masks the name field', () => {
    expect(maskReportText({ ...body, reporter: { name: '周建国先生', anonymous: false } }).body.description).toContain('我是3号楼的周**，');
    expect(maskReporter({ name: '周建国', phone: null, idNumber: null, email: null, anonymous: true }).name).toBe('周**');
  });
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
