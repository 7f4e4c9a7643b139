import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { trainingSet } from '../src/training-set.ts';

/**
 * Audit: clear dangers the contract calls red that were graded orange, and category noise around them.
 * Each danger comes with the close variants that are no danger (a thing fallen, keys locked in, a near miss).
 */
describe('audit: clear dangers graded orange', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const read = (description: string) => classify({ description }, SEED_RULES, training);

  it.each(['路边井盖丢了，有人掉下去了', '一个小孩掉进井里了', '井盖没了，有个老人掉下去了', '骑电动车的连人带车掉进坑里了', '有人踩翻了井盖掉下去了', '有人为了捡手机掉进井里了', '有人从楼上摔下来了'])(
    '%s is a person fallen in or down: red',
    (description) => {
      expect(read(description).severity).toBe('red');
    },
  );

  it.each(['有人从楼上摔下来了', '有个老人从楼梯上摔下来，头流血了', '工人从脚手架上摔下来了'])(
    '%s is a person fallen from a height: help (service.general), red, not a fire or a fight',
    (description) => {
      expect(read(description)).toMatchObject({ category: { code: 'service.general' }, severity: 'red', decidedBy: { by: 'rule', rule: 'service.person-in-danger.fell' } });
    },
  );

  it.each(['花盆从楼上掉下来了', '去年工人从脚手架上摔下来，老板不赔钱'])('%s is a thing fallen, or a fall told with its compensation: not a person fallen now', (description) => {
    expect(read(description).rule).not.toContain('service.person-in-danger.fell');
  });

  it('keeps the open manhole a facility fault while the person fallen in makes it red', () => {
    expect(read('路边井盖丢了，有人掉下去了')).toMatchObject({ category: { code: 'hazard.facility' }, severity: 'red' });
  });

  it.each(['手机掉下去了', '路边井盖丢了，我的手机掉下去了', '手机掉进井里了', '井盖没了，刚才差点有个骑车的掉进去', '井盖没了，小孩很容易掉下去', '暂时没人掉下去'])(
    '%s is a thing fallen or a near miss: not red',
    (description) => {
      expect(read(description).severity).not.toBe('red');
    },
  );

  it.each(['手机掉下去了', '手机掉进井里了'])('%s is lost property, graded service, though the model learned 掉下去 and 井里 from people fallen in', (description) => {
    expect(read(description)).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
  });

  it.each(['孩子的球掉进井里了', '孩子的手机掉进井里了', '小孩的玩具掉进河里了'])(
    '%s is a thing fallen in, its owner named: lost property, graded service, not red by the model on 孩子 (a missing child elsewhere)',
    (description) => {
      expect(read(description)).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
    },
  );

  it.each(['爷爷的钱包掉进下水道了', '爷爷的钱包掉到下水道里了', '手机掉进排水沟了', '钥匙掉进窨井了'])(
    '%s is a belonging dropped into a drain: lost property (the dropped rule, not outvoted), graded service, not a facility fault',
    (description) => {
      expect(read(description)).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service', decidedBy: { by: 'rule', rule: 'service.lost-property.dropped' } });
    },
  );

  it.each(['下水道堵了', '下水道井盖坏了'])('%s is the drain itself: still a facility fault', (description) => {
    expect(read(description).category.code).toBe('hazard.facility');
  });

  it('reads a fall told with its compensation as the old injury of a dispute, not a person fallen now', () => {
    expect(classify({ description: '工地上一个工人从脚手架掉下来摔断了腿，老板说是他自己不小心，不给赔。' }).rules.map((r) => r.rule)).not.toContain('red.fell-in');
  });

  it.each(['孩子被锁在车里，车里很热', '宝宝被反锁在车里了', '车里锁着一个孩子，大人不在'])('%s is a person shut in a car: help (service.general), red', (description) => {
    expect(read(description)).toMatchObject({ category: { code: 'service.general' }, severity: 'red' });
  });

  it.each(['钥匙锁在车里了', '孩子把钥匙锁在车里了'])('%s is keys locked in: not red', (description) => {
    expect(read(description).severity).not.toBe('red');
  });

  it.each(['钥匙锁在车里了', '孩子把钥匙锁在车里了', '狗被锁在车里了', '孩子的狗被锁在车里了'])('%s is no person shut in: the rules find no danger', (description) => {
    expect(classify({ description }).severity).not.toBe('red');
  });

  it.each(['狗被锁在车里了', '猫被关在车里了，车里很热', '孩子的狗被锁在车里了', '车里锁着一只狗，叫得很厉害'])(
    '%s is an animal shut in a car: help for its welfare (service.general), orange at most, though the model learned 车里 and 锁在 as red',
    (description) => {
      const c = read(description);
      expect(c).toMatchObject({ category: { code: 'service.general' }, decidedBy: { by: 'rule', rule: 'service.animal.shut-in' } });
      expect(['orange', 'service']).toContain(c.severity);
    },
  );

  it.each(['孩子和狗被锁在车里了', '狗被锁在车里了，孩子也在车里', '狗和孩子都被关在车里了', '车里锁着一只狗，车里还有一个小孩', '钥匙锁在车里了，孩子还在车上'])(
    '%s is a person shut in a car with an animal or keys: help (service.general), red by a rule, not by the model alone',
    (description) => {
      expect(read(description)).toMatchObject({ category: { code: 'service.general' }, severity: 'red', decidedBy: { by: 'rule' } });
      expect(read(description).decidedBy.rule).toMatch(/^service\.person-in-danger\.shut-in/);
      expect(classify({ description }).severity).toBe('red');
    },
  );

  it.each(['孩子和我把狗锁在车里了', '我和孩子下车后狗被锁在车里了', '狗被锁在车里了，车里还有孩子的书包'])(
    '%s names a person who locked the animal in, got out or owns a thing in the car: no rule reads a person shut in',
    (description) => {
      expect(classify({ description }).severity).not.toBe('red');
    },
  );

  it.each(['小区里有人遛狗不拴绳，狗咬人了', '邻居家的狗把我儿子咬了', '我被邻居家的狗咬了', '楼下的狗咬了孩子一口'])('%s is someone bitten, an injury: red', (description) => {
    expect(read(description).severity).toBe('red');
  });

  it.each(['小区里有人遛狗不拴绳，狗咬人了', '被狗咬伤了'])('%s stays a neighbour dispute or help, not a fight or a fire', (description) => {
    expect(['dispute.neighbour', 'service.general']).toContain(read(description).category.code);
  });

  it.each(['晚上被蚊子咬了好多包', '邻居家的狗把我家快递盒咬破了', '我家猫被邻居家的狗咬了', '孙女差点被狗咬到'])('%s is no person bitten: not red', (description) => {
    expect(read(description).severity).not.toBe('red');
  });

  it.each(['他把我从楼梯上推下来了', '被人从楼梯上推下来', '我被人推下台阶了', '把老人推倒在地', '大妈被推倒了'])(
    '%s is an assault: a fight (dispute.fight, by a rule the model may not outvote), red as an injuring assault',
    (description) => {
      expect(read(description)).toMatchObject({ category: { code: 'dispute.fight' }, severity: 'red', decidedBy: { by: 'rule', rule: 'dispute.fight.pushed' } });
      expect(classify({ description }).rule).toContain('red.pushed-down');
    },
  );

  it('leaves a push within a family the family rule’s, still red', () => {
    expect(read('丈夫把我从楼梯上推下来了')).toMatchObject({ category: { code: 'dispute.family' }, severity: 'red' });
  });

  it.each(['又把其推倒在地，没有受伤', '邻居又把我停在楼下的电动车推倒了', '把箱子从楼上推下来', '差点把老人推倒', '去理论时被推倒在地里，人没伤着'])(
    '%s is a push said unhurt, of a thing, a near miss or in a field: no injuring assault',
    (description) => {
      expect(classify({ description }).rules.map((r) => r.rule)).not.toContain('red.pushed-down');
    },
  );

  it.each(['前妻的男朋友每天在我家楼下堵我，说要让我好看', '老板说我再来要钱就找人收拾我', '他放话说饶不了我'])('%s is a threat to harm: red', (description) => {
    expect(read(description).severity).toBe('red');
  });

  it.each(['说要让我好看', '他說要殺了我', '前妻的男朋友说要弄死我', '前妻的男朋友每天在我家楼下堵我，说要弄死我', '前妻的男朋友每天在我家楼下堵我，说要让我好看', '前妻现在的男朋友打电话说要让我好看'])(
    '%s is a threat to a person: dispute.general, as every threat naming no neighbours, red (not a neighbour quarrel on 楼下, a family one on 前妻 or a fraud on 打电话)',
    (description) => {
      expect(read(description)).toMatchObject({ category: { code: 'dispute.general' }, severity: 'red', decidedBy: { by: 'rule', rule: 'dispute.general.threat' } });
    },
  );

  it.each(['邻居说要弄死我', '对门那个男的说要弄死我', '隔壁老王扬言要卸我腿'])('%s is a threat between neighbours: dispute.neighbour, red', (description) => {
    expect(read(description)).toMatchObject({ category: { code: 'dispute.neighbour' }, severity: 'red' });
  });

  it.each([
    ['前夫说要弄死我', 'dispute.family'],
    ['讨债的说不还就弄死我全家', 'dispute.debt'],
  ])('%s is a threat within another dispute the text names: %s, red', (description, code) => {
    expect(read(description)).toMatchObject({ category: { code }, severity: 'red' });
  });

  it.each(['婆婆收拾她的东西回老家了', '把小区的绿化弄得好看一点'])('%s is no threat: not red', (description) => {
    expect(read(description).severity).not.toBe('red');
  });
});

describe('audit: category noise around dangers', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const read = (description: string) => classify({ description }, SEED_RULES, training);

  it('files self-harm talk said alone as help (service.general), red, as the rules do for self-harm', () => {
    expect(read('我不想活了')).toMatchObject({ category: { code: 'service.general' }, severity: 'red' });
  });

  it.each(['儿子和父亲吵完架说不想活了，现在站在六楼阳台边上。', '男人在家闹着要喝农药，说家里没一个人把他当人看。'])(
    'leaves self-harm in a family quarrel (%s) to the other rules and the model: dispute.family, red',
    (description) => {
      expect(read(description)).toMatchObject({ category: { code: 'dispute.family' }, severity: 'red' });
    },
  );

  it.each(['有人被困在火场里', '有人在小区里放火烧车'])('%s is a fire (hazard.fire), red', (description) => {
    expect(read(description)).toMatchObject({ category: { code: 'hazard.fire' }, severity: 'red' });
  });

  it.each(['邻居说要放火烧了我家，因为我家装修吵到他', '邻居放话要往我家门上泼汽油点了，说让我们一家子住不成'])('leaves the threat to set a fire %s a dispute, red', (description) => {
    const c = read(description);
    expect(c.category.code).not.toBe('hazard.fire');
    expect(c.severity).toBe('red');
  });

  it.each(['一名残疾人被人骗走了低保卡', '老人的存折被人骗走了'])('%s is a fraud (tip.fraud)', (description) => {
    expect(read(description).category.code).toBe('tip.fraud');
  });
});

describe('audit: a question about a scenario is no danger now', { timeout: 60_000 }, () => {
  const training = trainingSet();
  const read = (description: string) => classify({ description }, SEED_RULES, training);

  it.each(['如果有人发短信威胁我，我应该怎么保存证据？', '如果有人发短信威胁我怎么办', '市民咨询如果有人上门威胁要砍死他应该怎么处理'])(
    '%s asks what to do if: its threat is the scenario, so the rules do not grade it red, nor does the model',
    (description) => {
      expect(classify({ description }).severity).not.toBe('red');
      const c = read(description);
      expect(c.severity).toBe('service');
      expect(c.rule).toContain("only in the question's scenario");
      expect(c.rules.map((r) => r.rule)).toContain('question-scenario');
    },
  );

  it.each([
    '他现在拿刀在门口，我应该怎么办？',
    '他拿着刀在楼下转，万一冲上来怎么办',
    '他说如果我不还钱就杀了我，我该怎么办',
    '如果你们不管他就要杀了我怎么办',
    '如果有人发短信威胁我，我应该怎么保存证据？他昨天又发了',
    '如果我女儿说想自杀我该怎么办',
    '我女儿说想自杀，我应该怎么办？',
  ])('%s tells a danger now, a threat made, a real situation or self-harm talk beside the question: red', (description) => {
    expect(read(description).severity).toBe('red');
  });
});
