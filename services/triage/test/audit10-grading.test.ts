import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { trainingSet } from '../src/training-set.ts';

/** Audit 10: what is red now and what is not, each with the close wordings on the other side. */
describe('audit 10: grading', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const read = (description: string) => classify({ description }, SEED_RULES, training);

  it.each(['他威胁说要去法院告我', '房东威胁要扣押金', '老板威胁不给我发工资', '老板威胁要开除我', '他威胁我要投诉我', '前夫威胁我不让我见孩子', '催收公司威胁要曝光我的通讯录', '他威胁我说要去单位闹'])(
    '%s threatens no harm: not red',
    (description) => {
      expect(read(description).severity).not.toBe('red');
    },
  );

  it.each(['他威胁要杀我', '他说要砍死我', '他说要找人收拾我', '说要让我好看', '他威胁我', '他威胁说再去法院告他就打断我的腿', '店员手持扳手扬言再闹就动手'])('%s threatens harm: red', (description) => {
    expect(read(description).severity).toBe('red');
  });

  it('files intimate images threatened as a crime against the person shown, for the police alone', () => {
    expect(read('前男友威胁要发我的裸照')).toMatchObject({ category: { code: 'tip.crime-against-person' }, severity: 'red' });
  });

  it.each(['小孩跑丢了', '我家小孩跑丢了', '娃跑丢了！！！', '来电人称：小孩跑丢了，在广场附近'])('%s (跑丢, like 走丢) is a missing child: red', (description) => {
    expect(read(description)).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red' });
  });

  // Audit 14: 丢失 联系人 (the space dropped) holds 失联, lost contact; 失联系 is 失 + 联系, a contact.
  it.each(['老人钥匙丢失 联系人 王先生', '儿童滑板车丢失 联系人王女士', '儿童自行车丢失 联系人：张女士', '孩子书包丢失联系人李老师13800000000', '老人身份证丢失联系方式13800000000'])(
    '%s is lost property, not a missing person',
    (description) => {
      expect(read(description)).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
    },
  );

  it.each(['老人失联了', '孩子和家里失联两天', '我妈有老年痴呆，早上出门到现在失联了'])('%s (失联, lost contact) is a missing person: red', (description) => {
    expect(read(description)).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red' });
  });

  // 丢失 said of the child (the 失联 mend had left 孩子丢失 联系人王女士 lost property).
  it.each(['孩子丢失，请帮忙寻找', '5岁儿童丢失', '孩子丢失 联系人王女士', '我家宝宝丢失了'])('%s (a child 丢失) is a missing child: red', (description) => {
    expect(read(description)).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red' });
  });

  it.each(['孩子丢失了书包', '孩子丢失了一支笔', '孩子丢失的钥匙找到了吗', '孩子丢失滑板车'])('%s is what the child lost: lost property', (description) => {
    expect(read(description)).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
  });

  it('leaves a pet that ran off lost property', () => {
    expect(read('我家狗跑丢了')).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
  });

  it.each(['老公家暴我，现在还在打', '我被家暴了，他还在家', '他又打我了，我在厕所躲着', '他在打我', '我爸在打我妈', '有人在打小孩'])('%s is someone beaten now: red', (description) => {
    expect(read(description).severity).toBe('red');
  });

  it.each(['上个月他打过我', '他一直在打我电话'])('%s is no one beaten now: red.beaten-now stands aside', (description) => {
    expect(read(description).rules.map((r) => r.rule).filter((r) => r.startsWith('red.beaten-now'))).toEqual([]);
  });

  it.each([
    ['有人开车撞人', 'hazard.public-order'],
    ['一辆车故意冲撞行人', 'hazard.public-order'],
    ['有人开车撞了人就跑了', 'hazard.public-order'],
    ['小偷还在我家里', 'hazard.public-order'],
    ['有人入室盗窃，人还在屋里', 'hazard.public-order'],
    ['有个男的在撬我家门', 'hazard.public-order'],
    ['河面冰上有小孩在玩，冰裂了', 'service.general'],
    ['瓦斯外洩', 'hazard.fire'],
    ['我被人跟踪了好几条街', 'tip.crime-against-person'],
  ])('%s is a danger now: red, %s', (description, category) => {
    expect(read(description)).toMatchObject({ category: { code: category }, severity: 'red' });
  });

  it.each(['好几次差点撞到人', '110：商业街后巷有几个人在撬路边的车门，看着不像好人', '河堤上那段路夜里很偏，最近有两个女生晚上走的时候被人跟踪。'])('%s is a risk, no danger now: not red', (description) => {
    expect(read(description).severity).not.toBe('red');
  });

  it('files voyeurism in a toilet as public order, orange (was a cult tip)', () => {
    expect(read('有人偷偷在女厕所拍照')).toMatchObject({ category: { code: 'hazard.public-order' }, severity: 'orange' });
  });

  it.each(['请问遇到燃气泄漏应该怎么处理', '家里煤气泄漏了该打什么电话，想提前存一下', '想咨询一下，孩子走丢了应该第一时间做什么', '想问问如果有人要跳楼，我们应该怎么劝'])(
    '%s asks in general: a question, service',
    (description) => {
      expect(read(description)).toMatchObject({ category: { code: 'service.general' }, severity: 'service' });
    },
  );

  it.each(['我遇到燃气泄漏应该怎么处理', '请问自杀干预热线是多少，我想帮我朋友', '如果我女儿说想自杀我该怎么办'])('%s tells a danger of its own or of someone known: red', (description) => {
    expect(read(description).severity).toBe('red');
  });

  it('reads killing on a screen as no threat, and a threat beside it as one', () => {
    expect(read('电视里放杀人的电影声音太大').severity).not.toBe('red');
    expect(read('他看了杀人的电影后说要杀了我').severity).toBe('red');
  });

  it('grades an animal shut in a car in the heat orange, and a car cooled with keys and a dog inside service', () => {
    expect(read('一只小狗被锁在车里，太阳底下暴晒')).toMatchObject({ category: { code: 'service.general' }, severity: 'orange' });
    expect(read('我把钥匙锁车里了，狗也在里面，开着空调').severity).toBe('service');
    expect(read('孩子被锁在车里了，开着空调').severity).toBe('red');
  });

  it('reads a stove that will not light as a repair, service, unless gas is smelt', () => {
    expect(read('煤气灶打不着火了，找谁修')).toMatchObject({ category: { code: 'service.general' }, severity: 'service' });
    expect(read('煤气灶打不着火，有煤气味')).toMatchObject({ category: { code: 'hazard.fire' }, severity: 'red' });
  });
});
