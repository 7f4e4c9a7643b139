import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { trainingSet } from '../src/training-set.ts';

/** Audit 9: the learned grade took reports below their category's default (a gas leak, a missing person, a fundraising tip to service). */
describe('the learned grade and the category default', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const read = (description: string) => classify({ description }, SEED_RULES, training);

  it.each([
    ['有人走丢了', 'service.missing-person'],
    ['有人非法集资', 'tip.fundraising'],
  ])('%s keeps its category default, orange, though the model reads it service', (description, category) => {
    expect(read(description)).toMatchObject({ category: { code: category }, severity: 'orange' });
  });

  it('keeps a fire hazard the model reads as service at yellow at least, and says why on the line', () => {
    const got = classify({ category: 'hazard.fire', description: '物业公司邀请社区民警参加小区消防演练。' }, SEED_RULES, training);
    expect(got.severity).toBe('yellow');
    expect(got.rule).toContain('service held at yellow for hazard.fire');
  });

  it('still lets the model read a settled fight yellow (the labelling guide), below the orange default of its category', () => {
    const got = read('刚才在村口跟人打了一架，已经没事了，他走了，俺也没受伤');
    expect(got).toMatchObject({ category: { code: 'dispute.fight' }, severity: 'yellow', gradedBy: 'learned' });
  });
});

/** Audit 22 #3: the model learned 小孩 from missing children, and graded children at play red. */
describe('a child named in an ordinary report', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const read = (description: string, category?: string) => classify({ description, ...(category ? { category } : {}) }, SEED_RULES, training);

  it.each([
    ['楼上小孩跑跳噪音', 'dispute.neighbour'],
    ['小孩在楼道里玩耍很吵', 'dispute.neighbour'],
    ['小孩把邻居家的车划了', 'dispute.neighbour'],
    ['小孩踢球把玻璃打碎了', undefined],
  ])('%s is no danger now: not red', (description, category) => {
    expect(read(description, category).severity).not.toBe('red');
  });

  it.each(['小孩不见了，找了一下午', '孩子走丢了，穿红衣服', '有人把我家小孩抱走了'])('%s, a missing child, stays red', (description) => {
    expect(read(description).severity).toBe('red');
  });
});

/** Audit 22, aside: an old person's fall was filed as a fight (已经没事 of settled fights) or a fault (摔倒, 路边). */
describe('a person fallen over', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const read = (description: string) => classify({ description }, SEED_RULES, training);

  it.each(['老人在小区里摔了一跤，已经扶起来了没事', '老人摔倒了', '一位老人在路边摔倒了', '邻居老人摔了一跤', '奶奶早上在菜市场门口滑倒了，现在腿疼走不了'])(
    '%s is help (service.general), not a fight or a fault',
    (description) => {
      expect(read(description).category.code).toBe('service.general');
    },
  );

  it.each([
    ['小区门口地砖翘起来，老人绊倒了', 'hazard.facility'],
    ['他推了老人一把，老人摔倒了', 'dispute.fight'],
  ])('%s stays the case of what made them fall (%s)', (description, category) => {
    expect(read(description).category.code).toBe(category);
  });
});
