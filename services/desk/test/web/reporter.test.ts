import type { ReporterView } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { attachmentShown, reporterLines } from '../../web/src/reporter.ts';

const view = (over: Partial<ReporterView>): ReporterView => ({
  reportId: 'r1',
  name: null,
  phone: null,
  idNumber: null,
  email: null,
  anonymous: false,
  masked: false,
  ...over,
});

/** A line as the page reads it: its label, then its parts joined as the page joins them. */
const said = (lines: ReturnType<typeof reporterLines>) => lines.map((l) => `${l.key}: ${l.label ?? ''}${l.parts.map((p) => p.text).join(' · ')}`);

describe('desk page: what it shows of a reporter (GET /v1/cases/{caseId}/reporters)', () => {
  it('shows a reporter who gave only an email or only an ID number (the line was empty)', () => {
    expect(said(reporterLines('zh', view({ email: 'li.xiulan@example.cn' })))).toEqual(['contact: li.xiulan@example.cn']);
    expect(reporterLines('zh', view({ email: 'li.xiulan@example.cn' }))[0]!.parts[0]!.href).toBe('mailto:li.xiulan@example.cn');
    expect(said(reporterLines('zh', view({ idNumber: '620321195802021234' })))).toEqual(['contact: 身份证 620321195802021234']);
    expect(said(reporterLines('en', view({ name: '李秀兰', phone: '13912345678', email: 'a@b.cn', idNumber: '620321195802021234' })))).toEqual([
      'contact: 李秀兰 · 13912345678 · a@b.cn · ID 620321195802021234',
    ]);
  });

  it('shows a masked answer as intake masked it, says so, and makes no tel: or mailto: link of it', () => {
    const lines = reporterLines('zh', view({ name: '李*', phone: '139****5678', email: 'l****@example.cn', anonymous: true, masked: true }));
    expect(said(lines)).toEqual(['contact: 匿名 · 李* · 139****5678 · l****@example.cn · （已遮挡）']);
    expect(lines[0]!.parts.every((p) => p.href === undefined)).toBe(true);
    expect(reporterLines('zh', view({ phone: '13912345678' }))[0]!.parts[0]!.href).toBe('tel:13912345678');
  });

  it('shows the title, description and address as written and the attachments as sent, each on a line of its own', () => {
    const written = {
      title: '楼道充电 13912345678',
      description: '联系电话13912345678',
      address: '宝河苑3号楼 座机0931-8123456',
      gridCode: 'CG-G01 13912345678',
      communityCode: '李四-社区',
      attachments: ['https://x.cn/13912345678.jpg?token=abc', 'http://y.cn/a.png'],
    };
    expect(said(reporterLines('zh', view({ written })))).toEqual([
      'title: 标题原文：楼道充电 13912345678',
      'description: 原文（含号码）：联系电话13912345678',
      'address: 地址原文：宝河苑3号楼 座机0931-8123456',
      'gridCode: 网格编码原文：CG-G01 13912345678',
      'communityCode: 社区编码原文：李四-社区',
      'attachments: 附件原链接：https://x.cn/13912345678.jpg?token=abc · http://y.cn/a.png',
    ]);
  });

  it('leaves out every line with nothing to show, and shows nothing for a report that gave nothing', () => {
    expect(reporterLines('zh', view({}))).toEqual([]);
    expect(reporterLines('zh', view({ name: '', written: { attachments: [] } }))).toEqual([]);
    expect(reporterLines('zh', view({ written: { address: '宝河苑' } })).map((l) => l.key)).toEqual(['address']);
  });

  it('links an attachment only when it is an http(s) URL; anything else is text', () => {
    expect(attachmentShown('https://x.cn/a.jpg')).toEqual({ text: 'https://x.cn/a.jpg', href: 'https://x.cn/a.jpg' });
    expect(attachmentShown('HTTP://x.cn/a.jpg').href).toBe('HTTP://x.cn/a.jpg');
    for (const url of ['javascript:alert(1)', ' javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://x.cn/a', 'x.cn/a.jpg', '<img src=x onerror=alert(1)>']) {
      expect(attachmentShown(url), url).toEqual({ text: url });
    }
  });
});
