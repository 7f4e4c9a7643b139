import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { trainingSet } from '../src/training-set.ts';

/** Audit 9: a drug tip from a neighbour was filed a neighbour quarrel, and its tipster's words went to the grid worker. */
describe('a report of drugs, sex work or gambling', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const read = (description: string) => classify({ description }, SEED_RULES, training);

  it.each(['举报：我家楼下502住的那个男的吸毒，我是他对门邻居，千万别说是我举报的', '对门邻居卖淫，我要举报', '举报楼上邻居家里天天聚众赌博'])(
    '%s is a vice tip, whatever neighbour words it has',
    (description) => {
      expect(read(description)).toMatchObject({ category: { code: 'tip.vice' }, decidedBy: { by: 'rule', rule: 'tip.vice.reported' } });
    },
  );

  it('leaves a neighbour quarrel that names no vice to the neighbour rules', () => {
    expect(read('我要举报楼上邻居，天天半夜跺脚').category.code).not.toBe('tip.vice');
  });
});
