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
