import { newId } from '@gridcase/contracts';

export const REPORTER = { name: '李秀兰', phone: '13912345678', idNumber: '620321195802021234' };

/** A report body with a fresh externalId and a reporter's personal data. */
export const reportBody = (extra: Record<string, unknown> = {}) => ({
  externalId: `ext-${newId()}`,
  kind: 'dispute',
  title: '邻居夫妻整夜吵架',
  description: '宝河苑社区3号楼2单元，隔壁夫妻从晚上十点吵到凌晨两点。',
  occurredAt: '2026-03-01T22:00:00+08:00',
  location: { communityCode: 'baoheyuan', address: '宝河苑社区3号楼2单元' },
  reporter: REPORTER,
  ...extra,
});
