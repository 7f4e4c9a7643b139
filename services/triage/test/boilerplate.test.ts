import { describe, expect, it } from 'vitest';
import { withoutBoilerplate } from '../src/domain/boilerplate.ts';

/** The text as the models read it, clause breaks and all spaces dropped, for comparing. */
const left = (text: string) => withoutBoilerplate(text).replace(/[，\s]+/gu, ' ').trim();

describe('withoutBoilerplate (what the learned models and duplicate detection read)', () => {
  it.each([
    // A hotline preamble and the address after it.
    ['市民来电反映：永昌县城关镇北海子路宝河苑小区5号楼2单元，有人割腕，流了很多血，请求帮助。', '有人割腕 流了很多血 请求帮助。'],
    ['来电人称宝河苑小区3号楼有人吸毒', '有人吸毒'],
    ['群众反映：城关镇北关村三组有人在家里赌博', '有人在家里赌博'],
    ['报警人称隔壁单元三楼窗户往外冒黑烟', '隔壁单元三楼窗户往外冒黑烟'],
    // An address at the start or after 在 / 住在, however many parts it has.
    ['3号楼2单元有人在家吸毒', '有人在家吸毒'],
    ['城关镇北海子路有人吸毒', '有人吸毒'],
    ['我家住在宝河苑小区5号楼2单元301，楼上天天漏水', '我家住在 楼上天天漏水'],
    ['北海子路28号门口有人打架', '门口有人打架'],
    ['宝河苑5号楼楼道堆满了杂物', '楼道堆满了杂物'],
    ['幸福家园2-3-501有人烧炭', '有人烧炭'],
    // After a verb of reporting the name starts; the words before it stay.
    ['有人举报宝河苑小区有人吸毒', '有人举报 有人吸毒'],
    // Contact lines: a name, a phone number, an ID number.
    ['有人割腕了，联系人李四电话13800138000身份证620321199001011234', '有人割腕了'],
    // The same as intake passes it on, its numbers masked.
    ['有人割腕了，联系人李四电话138****8000身份证6203**********1234', '有人割腕了'],
    ['老人走失了，138****8000，6203**********1234', '老人走失了'],
    ['几个人拿着棍棒在村口对峙。联系人：王先生，手机：139 0000 1111', '几个人拿着棍棒在村口对峙。'],
    ['老人走失了，联系电话0935-1234567', '老人走失了'],
    ['举报人张三，身份证号62032119900101123X，举报有人赌博', '举报有人赌博'],
    ['孩子丢了，我的电话是13912345678', '孩子丢了 我的'],
    ['来电人王女士反映老人走失', '反映老人走失'],
    // Typed with a Chinese IME (full width), and as intake passes it on: masked in ASCII (audit9 #6).
    ['孩子丢了，１３９１２３４５６７２，身份证６２０３２１１９８００１０１１２３４', '孩子丢了'],
    ['邻居吵架 联系我 +86*******5671 或 139****5672 身份证6203**********1234', '邻居吵架 联系我 或'],
    ['路灯坏了，139******0000，座机0931******56', '路灯坏了'],
    ['路灯坏了，座机(010)****5678', '路灯坏了'],
    // Grouped ID numbers, dotted or spaced phones and Arabic-Indic or circled digits, as intake masks them (audit10 #6).
    ['邻居吵架 A:139******5678 B:139****5678 C:6203*************1234 D:6203*************123X', '邻居吵架 A: B: C: D:'],
    // An email address, as written or masked, with its key; a mailbox named by a phone number goes whole.
    ['有人占道摆摊，邮箱：zhang@example.com', '有人占道摆摊'],
    ['有人占道摆摊 z****@example.com', '有人占道摆摊'],
    ['有人占道摆摊，13912345678@163.com', '有人占道摆摊'],
  ])('reads %s as %s', (text, trouble) => {
    expect(left(text)).toBe(trouble);
  });

  it.each([
    '小区路灯坏了好几天了',
    '超市门口有人吵架',
    '华联超市没有营业执照',
    '楼道里堆满杂物，堵住了消防通道',
    '电动车在楼道充电',
    '单元门坏了',
    '三楼有人在阳台上烧东西',
    '有人在路边打架',
    '骑车路过小区门口被狗咬了',
    '出了小区往右走有人打架',
    '群众聚集在村委会门口',
    '他打电话威胁我',
    '身份证丢了',
    '老人走丢了，穿灰色外套',
    '和平路上有人打架',
    '最近晚上小区里老有人翻垃圾桶',
    '拉人头，一层一层往上返钱',
    // A preamble is no contact: 陈述 is not a name.
    '据报警人陈述，邻居吸毒后拿着菜刀在楼道里乱砍',
    // A fraud's bank card (masked, its last four kept) is what two victims' reports may share: no contact line.
    '对方让我转账到银行卡***************0123',
    // So is a fraudster's QQ number or WeChat id, as intake masks them (its label kept).
    '对方加我QQ：12*****89，又让我加微信：zh*******88，让我转账',
    '欠薪１２０００元',
  ])('keeps %s whole: its place words say what happened', (text) => {
    expect(withoutBoilerplate(text)).toBe(text);
  });
});
