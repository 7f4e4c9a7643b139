import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { trainingSet } from '../src/training-set.ts';

/** Audit 11: a lost animal is lost property, never a missing person; a person gone with an animal is still a missing person. */
describe('audit 11: animals gone', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const read = (description: string) => classify({ description }, SEED_RULES, training);

  it.each(['我家的猫走失了', '羊走失了两只', '邻居家的狗跑丢了，找了一天', '孩子的狗丢了', '老人家的猫走丢了', '奶奶养的狗不见了', '我儿子的猫找不到了', '我家牛跑了，在山上找不到', '我家的狗丢了，到现在没回来'])(
    '%s is lost property',
    (description) => {
      expect(read(description).category.code).toBe('service.lost-property');
    },
  );

  it.each(['孩子和狗都不见了', '我家的狗和孩子都不见了', '我爸带着狗出去遛弯，到现在没回来', '小孩抱着小猫出门后不见了', '孩子在马路边走丢了', '我家的羊丢了，孩子去山上找羊到现在没回来'])('%s is a missing person', (description) => {
    expect(read(description).category.code).toBe('service.missing-person');
  });

  it('leaves a dog that bit a child to the bite, not to lost property', () => {
    expect(read('邻居的狗跑出来把孩子咬伤了').category.code).not.toBe('service.lost-property');
  });
});
