import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { trainingSet } from '../src/training-set.ts';

/** Audit 9: dangers now graded below red, each with the close wordings that are none. */
describe('audit 9: dangers now', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const read = (description: string) => classify({ description }, SEED_RULES, training);

  it.each(['燃气泄露', '天然气泄露，味道很大', '煤气泄露了', '液化气罐泄露'])('%s (泄露, the common misspelling of 泄漏) is a gas leak: hazard.fire, red', (description) => {
    expect(read(description)).toMatchObject({ category: { code: 'hazard.fire' }, severity: 'red' });
  });

  it.each(['燃气公司说没有泄露', '会不会泄露我的信息'])('%s is no gas leak: not red', (description) => {
    expect(read(description).severity).not.toBe('red');
  });

  it.each(['我家宝宝在超市丢了', '我家娃在公园丢了'])('%s is a missing child, red, like 孩子丢了', (description) => {
    expect(read(description)).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red' });
  });

  it.each(['孩子在学校丢了一支笔', '老人在小区里丢了助听器'])('%s is a thing lost where the person was: not a missing person', (description) => {
    expect(read(description).category.code).not.toBe('service.missing-person');
  });

  it.each([
    ['有人劫持了人质', 'tip.crime-against-person'],
    ['那个人身上绑着炸药一样的东西', 'tip.crime-against-person'],
    ['我被人拐卖到这里，不知道在哪，救我', 'tip.crime-against-person'],
    ['有人在强行拖拽一个女孩上车', 'hazard.public-order'],
    ['有人持械闹事', 'hazard.public-order'],
    ['有个男的在小区门口露阴，还追小女孩', 'hazard.public-order'],
    ['有人猥亵小孩，就在小区滑梯那', 'tip.crime-against-person'],
    ['有人砸车抢劫', 'hazard.public-order'],
    ['我被抢了，抢包的刚跑', 'hazard.public-order'],
    ['有人往人群里扔石头', 'tip.crime-against-person'],
    ['楼下有个男的一直跟踪我，现在在我家门口', 'tip.crime-against-person'],
    ['一个女的被人按在地上强奸', 'tip.crime-against-person'],
    ['继父性侵了我女儿', 'tip.crime-against-person'],
    ['他掐着我脖子', 'dispute.fight'],
    ['房东把我锁在屋里不让走', 'service.general'],
    ['隔壁老人好几天没出门了，敲门没人应，窗户里有苍蝇', 'service.general'],
    ['市民反映：70多岁老人，子女外出务工，老人近两天未出门，邻居敲门无人应答，屋内有异味', 'service.general'],
    ['楼上一直有小孩惨叫，好像被大人打', 'dispute.family'],
    ['河边有个小孩掉水里了', 'service.general'],
    ['有人绑架了我女儿，要五十万', 'service.missing-person'],
  ])('%s is a danger now: red, %s', (description, category) => {
    expect(read(description)).toMatchObject({ category: { code: category }, severity: 'red' });
  });

  it.each([
    '学校开展防性侵教育',
    '我的微信账号被劫持了',
    '上个月在这被抢了手机，想问问进展',
    '小区附近经常有人露阴',
    '火车站广场有人强行拽旅客的行李',
    '楼上每晚拖拽桌椅，声音很响',
    '楼上小孩一直哭喊',
    '抢车位吵起来了',
  ])('%s is no crime against a person now: not red', (description) => {
    expect(read(description).severity).not.toBe('red');
  });

  it.each(['他把我关在门外不让进', '我家冰箱坏了，有异味，好几天没人应', '市民反映其母患阿尔茨海默症，哥哥不履行赡养义务，把老人锁在家里不管'])('%s is no person confined or unseen: those rules stand aside', (description) => {
    const rules = read(description).rules.map((r) => r.rule);
    expect(rules).not.toContain('red.crime-against-person');
    expect(rules.filter((r) => r.startsWith('red.unseen'))).toEqual([]);
  });

  it.each(['讨债的人威胁说要把我孩子绑走', '对方称我儿子被绑架，要我打款'])('%s is a threat or a fraud ploy, no child kidnapped: not a missing person', (description) => {
    expect(read(description).category.code).not.toBe('service.missing-person');
  });

  it('leaves a worker shut in by the employer to the wage rules, and a lift to the fault', () => {
    expect(read('养殖场的工人要工资，老板把他关在冷库里不让出来').category.code).toBe('dispute.labour');
    expect(read('电梯突然往下掉了一截停住了，我被关在里面，门打不开').category.code).toBe('hazard.facility');
  });

  it.each([
    '剪刀石头布游戏的声音太大了，楼上小孩',
    '想问问哪里可以磨菜刀',
    '厨房菜刀不见了，可能被邻居借走了',
    '楼下KTV唱刀郎的歌唱到凌晨两点',
    '邻居在楼道放了一把旧砍刀当装饰，看着不舒服',
    '煤气灶打不着火了，找谁修',
    '请问社区有没有急救培训课程',
    '楼下饭店杀鸡杀鱼，血水流到路上',
  ])('%s is a danger word in an everyday use: not red', (description) => {
    expect(read(description).severity).not.toBe('red');
  });

  it.each(['他拿着菜刀要砍人', '煤气灶着火了', '杀鱼的摊主把顾客打伤了，流了很多血', '邻居拿着砍刀在楼道里追人'])('%s is still a danger now: red', (description) => {
    expect(read(description).severity).toBe('red');
  });
});
