import { describe, expect, it } from 'vitest';
import { maskNumbersInJson, maskUrl, maskReportText, maskReporter } from '../src/domain/reporter.ts';

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

describe("the reporter's name in an attachment URL (audit14 #2)", () => {
  const url = `https://x.cn/upload/${encodeURIComponent('赵桂兰')}_13893561234_1.jpg?who=${encodeURIComponent('赵桂兰')}#${encodeURIComponent('赵桂兰')}`;
  it('is masked where it is percent-encoded, in a path segment, a query value and the fragment, the URL kept valid', () => {
    const masked = maskUrl(url, '赵桂兰');
    expect(decodeURIComponent(masked)).toBe('https://x.cn/upload/赵**_138****1234_1.jpg?who=赵**#赵**');
    expect(new URL(masked).href).toBe(masked);
    // Without a name only the numbers are masked, as before.
    expect(decodeURIComponent(maskUrl(url))).toContain('赵桂兰');
  });
  it('is masked in report.received and the DLQ copy, the URL as sent kept as written and masked for those who see the reporter masked', () => {
    const body = {
      externalId: 'u1',
      description: '滑板车丢了',
      location: { address: '宝河苑' },
      reporter: { name: '周文斌', phone: '13519358888' },
      attachments: [{ url: 'https://img.example.cn/周文斌/a.jpg', mediaType: 'image/jpeg' }],
    };
    const { body: masked, written } = maskReportText(body);
    expect(decodeURIComponent(masked.attachments?.[0]?.url ?? '')).toBe('https://img.example.cn/周**/a.jpg');
    expect(written).toEqual({ attachments: ['https://img.example.cn/周文斌/a.jpg'] });
    const { reporter, ...rest } = body;
    expect(decodeURIComponent(JSON.stringify(maskNumbersInJson(rest, reporter.name)))).not.toContain('周文斌');
    const data = { name: '周文斌', phone: null, idNumber: null, email: null, anonymous: false, ...(written ? { written } : {}) };
    expect(decodeURIComponent(maskReporter(data).written?.attachments?.[0] ?? '')).toBe('https://img.example.cn/周**/a.jpg');
  });
});

describe('the location codes, media types and externalId of report.received (audit14 #1)', () => {
  const body = {
    externalId: 'tel-13893569999',
    description: '请帮忙联系社区开具居住证明。',
    location: { communityCode: '韩梅梅-13893561888', gridCode: '韩梅梅家', address: '宝河苑社区' },
    reporter: { name: '韩梅梅', phone: '13893561888', idNumber: '620321197707077777' },
    attachments: [{ url: 'https://x.cn/a.jpg', mediaType: 'image/jpeg;filename=hanmeimei13893561999;owner=13893561999' }],
  };
  it('masks the name and numbers in gridCode and communityCode as in the address, kept as written', () => {
    const { body: masked, written } = maskReportText(body);
    expect(masked.location).toEqual({ communityCode: '韩**-138****1888', gridCode: '韩**家', address: '宝河苑社区' });
    expect(written).toEqual({ communityCode: body.location.communityCode, gridCode: body.location.gridCode });
    const data = { name: '韩梅梅', phone: null, idNumber: null, email: null, anonymous: false, ...(written ? { written } : {}) };
    expect(maskReporter(data).written).toEqual({ communityCode: '韩**-138****1888', gridCode: '韩**家' });
  });
  it('masks the numbers in a media type, which stays a media type', () => {
    const { body: masked } = maskReportText(body);
    expect(masked.attachments?.[0]?.mediaType).toBe('image/jpeg;filename=hanmeimei138****1999;owner=138****1999');
    expect(maskReportText({ ...body, attachments: [{ url: 'https://x.cn/a.jpg', mediaType: 'image/jpeg' }] }).body.attachments?.[0]?.mediaType).toBe('image/jpeg');
  });
  it('masks the numbers in the externalId that leaves intake, keeps none of it as written (the report row has it whole)', () => {
    const { body: masked, written } = maskReportText(body);
    expect(masked.externalId).toBe('tel-138****9999');
    expect(written).not.toHaveProperty('externalId');
    expect(maskReportText({ ...body, externalId: 'codes-001' }).body.externalId).toBe('codes-001');
    const { reporter, ...rest } = body;
    expect(JSON.stringify(maskNumbersInJson(rest, reporter.name))).not.toMatch(/韩梅梅|13893561888|13893561999|13893569999/u);
  });
  it('leaves ordinary codes and media types as they are', () => {
    const plain = { ...body, externalId: 'x-1', location: { gridCode: 'CG-01-01', communityCode: 'baoheyuan' }, attachments: [{ url: 'https://x.cn/a.jpg', mediaType: 'text/plain; charset=utf-8' }] };
    expect(maskReportText(plain)).toEqual({ body: plain, written: undefined });
  });
});
