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
});
