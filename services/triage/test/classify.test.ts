import { RuleSet } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
import { foldToSimplified } from '../src/domain/fold-script.ts';
import { higher, raiseOneStep } from '../src/domain/grade.ts';
import { matchContext, matchCues } from '../src/domain/rules.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { segment, segmentClauses } from '../src/domain/segment.ts';

describe('segment', () => {
  it('keeps the user dictionary’s terms whole, lowercases Latin and drops punctuation', () => {
    expect(segment('楼道里有人飞线充电！KTV 里', SEED_RULES.dictionary)).toEqual(['楼道', '里', '有人', '飞线充电', 'ktv', '里']);
    // Without the term in the dictionary jieba splits it: the dictionary is what keeps it whole.
    expect(segment('楼道里有人飞线充电', [])).not.toContain('飞线充电');
  });

  it('splits clauses at punctuation', () => {
    expect(segmentClauses('没有人受伤，他拿着刀', SEED_RULES.dictionary)).toEqual([
      ['没有', '人', '受伤'],
      ['他', '拿', '着', '刀'],
    ]);
  });
});

const ctx = (text: string) => matchContext(segmentClauses(text, SEED_RULES.dictionary), SEED_RULES);

describe('rules match words, not characters', () => {
  it('火 is the word 火, never part of 火锅 or 火车', () => {
    expect(matchCues({ any: ['火'] }, ctx('隔壁火锅店生意很好'))).toBeUndefined();
    expect(matchCues({ any: ['火'] }, ctx('坐火车回家'))).toBeUndefined();
    expect(matchCues({ any: ['火'] }, ctx('厨房里的火没关'))).toEqual(['火']);
  });

  it('a character the report lacks is never matched, even one that shares its quick filter bit with a character it holds', () => {
    // 512 code units apart: the same bit of matchContext's 512-bit filter as 火; only the exact check tells them apart.
    const twin = String.fromCharCode('火'.charCodeAt(0) + 512);
    expect(matchCues({ any: [twin] }, ctx('厨房里的火没关'))).toBeUndefined();
    expect(matchCues({ any: [`${twin}没关`] }, ctx('厨房里的火没关'))).toBeUndefined();
    expect(matchCues({ any: [twin] }, ctx(`厨房里的${twin}没关`))).toEqual([twin]);
  });

  it('a phrase may span several words; … joins parts in order within one clause', () => {
    expect(matchCues({ any: ['煤气味'] }, ctx('闻到一股煤气味'))).toEqual(['煤气味']);
    expect(matchCues({ any: ['电动车…充电'] }, ctx('有人把电动车推进楼道充电'))).toEqual(['电动车推进楼道充电']);
    expect(matchCues({ any: ['电动车…充电'] }, ctx('电动车停在门口，手机在充电'))).toBeUndefined();
    expect(matchCues({ any: ['充电…电动车'] }, ctx('有人把电动车推进楼道充电'))).toBeUndefined();
  });

  it('a negation shortly before a cue cancels it, in its clause only', () => {
    expect(matchCues({ any: ['受伤'] }, ctx('没有人受伤'))).toBeUndefined();
    expect(matchCues({ any: ['着火'] }, ctx('不是着火，是烧烤的油烟'))).toBeUndefined();
    expect(matchCues({ any: ['受伤'] }, ctx('没有办法，有人受伤了'))).toEqual(['受伤']);
    expect(matchCues({ any: ['受伤'] }, ctx('有人受伤了'))).toEqual(['受伤']);
  });

  it('an exclusion that shares a word with a cue cancels it', () => {
    expect(matchCues({ any: ['丢失'], not: ['井盖…丢失'] }, ctx('路口的井盖丢失了'))).toBeUndefined();
    expect(matchCues({ any: ['丢失'], not: ['井盖…丢失'] }, ctx('钱包丢失了'))).toEqual(['丢失']);
  });

  it('an unless phrase counting anywhere in the report cancels the whole rule; a negated one does not', () => {
    const cues = { any: ['走丢'], unless: ['找到'] };
    expect(matchCues(cues, ctx('孩子走丢了'))).toEqual(['走丢']);
    expect(matchCues(cues, ctx('孩子走丢了，后来在姥姥家找到了'))).toBeUndefined();
    expect(matchCues(cues, ctx('孩子走丢了，到现在没有找到'))).toEqual(['走丢']);
  });

  it('all phrases must all count', () => {
    expect(matchCues({ any: ['工资'], all: ['三个月', '没发'] }, ctx('工资三个月没发了'))).toEqual(['工资', '三个月', '没发']);
    expect(matchCues({ any: ['工资'], all: ['三个月', '没发'] }, ctx('工资三个月发一次'))).toBeUndefined();
  });
});

describe('classify with the seed rules', () => {
  it.each([
    ['楼上夫妻吵架一整夜', 'dispute.family', 'yellow'],
    ['隔壁火锅店每天晚上排队的人太吵了', 'dispute.neighbour', 'yellow'],
    ['路口的井盖丢失了，晚上很危险', 'hazard.facility', 'orange'],
    ['我爷爷走失了，他有老年痴呆', 'service.missing-person', 'red'],
    ['孩子的滑板车在广场丢了', 'service.lost-property', 'service'],
    ['我家的狗走丢了', 'service.lost-property', 'service'],
    ['老板拖欠我们工资三个月了', 'dispute.labour', 'yellow'],
    ['朋友借了我两万块钱，催了好几次一直不还', 'dispute.debt', 'orange'],
    // Everyday words of a complaint (每天, 一直, 总是) are not a conflict that keeps coming back.
    ['朋友借了我两万块钱一直不还', 'dispute.debt', 'yellow'],
    ['楼上每天晚上弹钢琴到十二点', 'dispute.neighbour', 'yellow'],
    ['楼道里有人飞线充电', 'hazard.fire', 'orange'],
    ['7号楼冒黑烟，好像着火了', 'hazard.fire', 'red'],
    ['5号楼单元门禁坏了，报警器响了一整夜', 'hazard.facility', 'yellow'],
    ['今天天气很好', 'unclassified', 'yellow'],
  ])('%s → %s / %s', (description, category, severity) => {
    expect(classify({ description })).toMatchObject({ category: { code: category }, severity });
  });

  it.each([
    ['他拿着菜刀在楼下追人', 'red', 'red.weapon'],
    ['他说要弄死我全家', 'red', 'red.threat'],
    ['她在电话里说不想活了', 'red', 'red.self-harm'],
    ['两人打架，一个头上流血了', 'red', 'red.injury'],
    ['楼道里闻到煤气味', 'red', 'red.gas-leak'],
    ['电梯困人，里面有人被困', 'red', 'red.trapped'],
    ['几十个工人讨薪，把路口堵路了', 'red', 'red.mass-incident'],
    ['我妈正在转账到安全账户，说是公安让转的，是不是诈骗', 'red', 'red.fraud-now'],
    ['楼上邻居又在半夜跺脚', 'orange', 'orange.repeat'],
    ['两个摊主吵架，互相推搡了几下', 'orange', 'orange.pushing'],
    ['邻居和独居老人因为晾衣服吵架', 'orange', 'orange.vulnerable'],
    ['一群人在小区门口吵架', 'orange', 'orange.crowd'],
  ])('%s is %s by %s', (description, severity, rule) => {
    const c = classify({ description });
    expect(c.severity).toBe(severity);
    expect(c.rules.map((r) => r.rule)).toContain(rule);
  });

  it('a negated danger cue does not raise the grade', () => {
    expect(classify({ description: '两家人吵架，没有人受伤' }).severity).toBe('yellow');
    expect(classify({ description: '两家人吵架，有人受伤' }).severity).toBe('red');
  });

  it('a fire risk is orange, a fire now is red; a blocked fire exit is not a blockade of people', () => {
    expect(classify({ description: '楼道里有人给电动车充电，堵住了消防通道' }).severity).toBe('orange');
    expect(classify({ description: '楼道里电动车充电，有火灾隐患' }).severity).toBe('orange');
    expect(classify({ description: '楼道里的电动车着火了，全是烟' }).severity).toBe('red');
    expect(classify({ description: '几十个工人堵住了工地大门讨薪' }).severity).toBe('red');
  });

  it("keeps the sender's category and still grades the text", () => {
    const c = classify({ description: '有人拿刀砍人', category: 'dispute.neighbour' });
    expect(c).toMatchObject({ category: { code: 'dispute.neighbour' }, severity: 'red' });
    expect(c.rules[0]).toEqual({ rule: 'sender-category', matched: ['dispute.neighbour'] });
    expect(c.rule).toContain('sender');
    expect(classify({ description: '无关内容', kind: 'service' }).category.code).toBe('service.general');
  });

  it('lists every rule that matched with its words, and says which decided on one line', () => {
    const c = classify({ description: '楼上夫妻吵架，丈夫拿着菜刀' });
    expect(c.rules).toEqual(
      expect.arrayContaining([
        { rule: 'dispute.family', matched: ['夫妻', '丈夫'] },
        { rule: 'dispute.neighbour.place', matched: ['楼上'] },
        { rule: 'red.weapon', matched: ['菜刀'] },
      ]),
    );
    expect(c.rule).toBe('dispute.family "夫妻", "丈夫" → dispute.family; red by red.weapon "菜刀"');
  });
});

describe('cue families of the seed rules (each row fails if its family is removed)', () => {
  it.each([
    ['对方说是法院的，让我配合调查，不要告诉家里人', 'tip.fraud', 'tip.fraud.ploys'],
    ['有人拉我投五万，说每年返一万五', 'tip.fundraising', 'tip.fundraising.returns'],
    ['亲戚叫我去做直销，交钱入会', 'tip.pyramid', 'tip.pyramid.recruiting'],
    ['车库里有人押大小，一把输赢几千', 'tip.vice', 'tip.vice.signs'],
    ['有人在小区挨家挨户传教，说末日快到了', 'tip.cult', 'tip.cult.preaching'],
    ['我家小狗跑了，白色的', 'service.lost-property', 'service.lost-pet'],
    ['我哥去外地打工，已经半个月了，一直没消息', 'service.missing-person', 'service.missing-person.no-news'],
    ['他把电瓶拿回家用插线板充电', 'hazard.fire', 'hazard.fire.risks'],
    ['楼梯上堆满了纸壳子', 'hazard.fire', 'hazard.fire.clutter'],
    ['房东把一套房分割成小间，屋里全是高低床', 'hazard.group-rental', 'hazard.group-rental.crammed'],
    ['姐夫和我爸为彩礼的事闹翻了', 'dispute.family', 'dispute.family.kin'],
    ['干了三个月的活，老板一分钱没结', 'dispute.labour', 'dispute.labour.unpaid'],
    ['去年借给表弟三万，现在不认账', 'dispute.debt', 'dispute.debt.lending'],
    ['两个司机在路口互相扇耳光', 'dispute.fight', 'dispute.fight.blows'],
    ['邻村的人把我们承包的鱼塘占了', 'dispute.land', 'dispute.land.rural'],
    ['街角那家小吃店没有营业执照', 'hazard.small-venue', 'hazard.small-venue.violations'],
    ['那家理发店晚上关门后住了人', 'hazard.small-venue', 'hazard.small-venue.place'],
    ['新搬来的租户一直没去登记', 'hazard.unregistered', 'hazard.unregistered.tenants'],
    ['小区北门的道闸坏了', 'hazard.facility', 'hazard.facility.fittings'],
    ['每天晚上有人骑改装车炸街', 'hazard.public-order', 'hazard.public-order.street'],
    ['想办居住证，咋弄', 'service.general', 'service.question'],
    ['隔壁独居的王奶奶三天没动静了', 'service.general', 'service.welfare'],
  ])('%s → %s by %s', (description, category, rule) => {
    const c = classify({ description });
    expect(c.category.code).toBe(category);
    expect(c.rules.map((r) => r.rule)).toContain(rule);
  });

  it.each([
    ['两人打架，他拿酒瓶子往人头上砸', 'red', 'red.weapon', '酒瓶子往人头上砸'],
    ['被打得脸都肿了', 'red', 'red.injury', '肿'],
    ['阳台上冒火星子', 'red', 'red.fire-now', '火星子'],
    ['厨房里一股臭鸡蛋味', 'red', 'red.gas-leak', '臭鸡蛋味'],
    ['吵架时他说要我的命', 'red', 'red.threat', '要我的命'],
    ['他说活着没意思', 'red', 'red.self-harm', '活着没意思'],
    ['我爸今年八十二了，早上出门到现在还没回来', 'red', 'red.net.missing-vulnerable', '八十二了'],
    ['为了补偿款，上百个村民聚在镇政府门口', 'red', 'red.mass-incident', '上百个村民聚'],
    ['五个工人的工钱被扣了', 'orange', 'orange.crowd', '五个工人'],
    ['他欠我钱好几年了，电话也不接', 'orange', 'orange.repeat', '好几年'],
    ['楼上邻居跟我爸吵架，我爸今年七十八了', 'orange', 'orange.vulnerable.age', '七十八了'],
    ['小区的单杠晃得厉害', 'orange', 'orange.facility-danger', '晃'],
  ])('%s is %s by %s on %s', (description, severity, rule, word) => {
    const c = classify({ description });
    expect(c.severity).toBe(severity);
    expect(c.rules.find((r) => r.rule === rule)?.matched).toContain(word);
  });

  it('an everyday object is a weapon only when swung; 三个月 is no crowd; 万一 makes a fire hypothetical', () => {
    expect(classify({ description: '酒吧里两人打架，有人拿着酒瓶' }).severity).toBe('orange');
    expect(classify({ description: '小饭馆把消防门用铁链锁上了' }).severity).toBe('orange');
    expect(classify({ description: '老板拖欠工资三个月了' }).severity).toBe('yellow');
    const hypothetical = classify({ description: '楼道里堆满纸箱，万一着火谁负责' });
    expect(hypothetical).toMatchObject({ category: { code: 'hazard.fire' }, severity: 'orange' });
    expect(hypothetical.rules.map((r) => r.rule)).not.toContain('red.fire-now');
  });
});

describe('an age is a number with 岁 or 了; a number with a unit is money or a measure', () => {
  it.each(['八十块钱不见了', '八十元不见了', '两百元丢了', '我放在抽屉里的钱不见了', '奶奶放在柜子里的八十块钱不见了', '我家老人放在枕头底下的两千块钱不见了'])(
    '%s is lost property, not a missing person',
    (description) => {
      const c = classify({ description });
      expect(c).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
      expect(c.rules.map((r) => r.rule)).toContain('service.lost-property.money');
      expect(c.rules.map((r) => r.rule).filter((r) => r.startsWith('red.') || r.startsWith('service.missing-person'))).toEqual([]);
    },
  );

  it.each(['奶奶揣着两百块钱走丢了', '我爸七十多了，拿着八十块钱出门买菜，到现在还没回来'])('%s is still a person gone: money is not what went missing', (description) => {
    expect(classify({ description })).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red' });
  });

  it('money taken is theft, which names itself', () => {
    expect(classify({ description: '家里八十块钱不见了，怀疑被偷了' }).category.code).toBe('hazard.public-order');
  });

  it.each(['他欠我八十元一直不还', '楼下那套八十平的房子住了好多人', '说好每亩八十，干完只给七十', '停车费从七十多块涨到九十多元，物业不解释'])('%s has no elderly party', (description) => {
    expect(classify({ description }).rules.map((r) => r.rule).filter((r) => r.includes('vulnerable'))).toEqual([]);
  });

  it.each([
    ['八十岁的老人走丢了', '八十岁'],
    ['我家八十多岁的奶奶不见了', '八十多岁'],
    ['邻居家九十来岁的老太太一早出门，到现在没回来', '九十来岁'],
    ['他82岁了，下午出门就联系不上了', '82岁'],
  ])('%s is a missing elderly person, red, the age read as one (%s)', (description, age) => {
    const c = classify({ description });
    expect(c).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red' });
    expect(c.rules.find((r) => r.rule === 'red.net.missing-vulnerable')?.matched).toContain(age);
  });
});

describe('a vulnerable person named in one clause and gone in another (the rule the model may not outvote)', () => {
  it.each([
    ['我妈有老年痴呆，早上出门到现在联系不上', 'service.missing-person.vulnerable-apart-6'],
    ['我爸老年痴呆，早上出去遛弯，到现在还没回来', 'service.missing-person.vulnerable-apart-15'],
    ['孩子六岁，放学以后，一直没回家', 'service.missing-person.vulnerable-apart-13'],
    ['奶奶有点糊涂，下午出门，找不到人了', 'service.missing-person.vulnerable-apart-9'],
    ['俺爹今年八十三了，赶集去了，到现在还没回', 'service.missing-person.vulnerable-apart-17'],
  ])('%s → service.missing-person, red, by %s', (description, rule) => {
    const c = classify({ description });
    expect(c).toMatchObject({ category: { code: 'service.missing-person' }, severity: 'red', decidedBy: { by: 'rule', rule } });
  });

  it.each([
    '我妈有老年痴呆，早上出门没联系上，刚才已经回来了',
    '我妈有老年痴呆，昨天出门联系不上，后来找着了',
    '路边一位老人说不清家在哪，像是走失的，他女儿已经把他接回家了',
    '女儿吵完架离家出走去了她奶奶家，人没事',
    '我捡到一个走丢的小男孩，谁家的孩子',
    '老人有老年痴呆，怎么防止走丢',
    '我爸有老年痴呆，以前走丢过两次，想问能不能办个定位手环',
    '独居老人生病住院了，联系不上他儿子',
    '老人家里漏水，物业联系不上',
    '爷爷把钥匙弄丢了，到处找',
    '家里老人手机丢了，帮忙找找',
    '孩子找不到作业本了',
  ])('%s is not a vulnerable person gone by that rule', (description) => {
    expect(classify({ description }).rules.map((r) => r.rule).filter((r) => r.startsWith('service.missing-person.vulnerable'))).toEqual([]);
  });
});

describe('classify is pure: the rule document is an argument', () => {
  const doc = RuleSet.parse({
    categories: [
      { code: 'hazard.fire', kind: 'hazard', name: { zh: '消防', en: 'Fire' }, defaultSeverity: 'yellow' },
      { code: 'service.general', kind: 'service', name: { zh: '服务', en: 'Service' }, defaultSeverity: 'service' },
    ],
    dictionary: [],
    negations: ['没有'],
    classification: [
      { id: 'fire', category: 'hazard.fire', priority: 1, any: ['火'], not: ['火锅'] },
      { id: 'help', category: 'service.general', priority: 2, any: ['帮忙'] },
    ],
    grading: [{ id: 'hot', grade: 'red', kinds: ['hazard'], any: ['大火'] }],
  });

  it('uses that document’s categories, priorities and grades', () => {
    expect(classify({ description: '厨房的火' }, doc)).toMatchObject({ category: { code: 'hazard.fire' }, severity: 'yellow' });
    expect(classify({ description: '厨房的火，请帮忙' }, doc).category.code).toBe('service.general');
    expect(classify({ description: '厨房的火，已经是大火' }, doc).severity).toBe('red');
    expect(classify({ description: '来帮忙，没有大火' }, doc).severity).toBe('service');
  });

  it('refuses a document whose rule names an unknown category or repeats an id', () => {
    const bad = { ...doc, classification: [{ id: 'x', category: 'nope', priority: 1, any: ['a'] }] };
    expect(RuleSet.safeParse(bad).success).toBe(false);
    expect(RuleSet.safeParse({ ...doc, grading: [...doc.grading, { ...doc.grading[0] }] }).success).toBe(false);
  });
});

describe('grades', () => {
  it('only rise; a relapse raises one step', () => {
    expect(higher('yellow', 'red')).toBe('red');
    expect(higher('red', 'orange')).toBe('red');
    expect(raiseOneStep('yellow')).toBe('orange');
    expect(raiseOneStep('orange')).toBe('red');
    expect(raiseOneStep('red')).toBe('red');
    expect(raiseOneStep('service')).toBe('service');
  });
});

describe('traditional characters', () => {
  it('folds traditional characters to simplified for matching only (OpenCC TSCharacters), leaving simplified and other text alone', () => {
    expect(foldToSimplified('他說要殺了我，幾十個人衝擊鎮政府')).toBe('他说要杀了我，几十个人冲击镇政府');
    expect(foldToSimplified('显著 著名 abc 123 😀')).toBe('显著 著名 abc 123 😀');
    expect(segmentClauses('他說要殺了我', SEED_RULES.dictionary)).toEqual(segmentClauses('他说要杀了我', SEED_RULES.dictionary));
  });

  it('reads red cues written in traditional characters with no learned model (red.threat, red.self-harm, red.mass-incident)', () => {
    expect(classify({ description: '他說要殺了我' }).severity).toBe('red');
    expect(classify({ description: '我女兒說想自殺' }).severity).toBe('red');
    expect(classify({ description: '幾十個人衝擊鎮政府' }).severity).toBe('red');
  });
});

describe('a sender\'s category is kept, the grade is computed from the text', () => {
  it.each([
    ['寻人：七十五岁老人，记忆力不好，昨晚未归', 'red.missing-vulnerable'],
    ['几十个人围堵镇政府大门', 'red.mass-incident'],
    ['对方自称公安，让我把钱转到安全账户，我已经转了一半', 'red.fraud-now'],
  ])('%s sent as service.general is red by %s, a rule written for the category the text reads as', (description, rule) => {
    const c = classify({ description, category: 'service.general' });
    expect(c).toMatchObject({ category: { code: 'service.general' }, severity: 'red' });
    expect(c.rules.map((r) => r.rule)).toContain(rule);
  });

  it('applies no orange rule of another category to a sender\'s category (only red dangers are read whatever the category)', () => {
    // orange.welfare is written for service.general: a dispute sent as such keeps the dispute's grading.
    expect(classify({ description: '邻居家老人好几天没见出门了', category: 'dispute.neighbour' }).rules.map((r) => r.rule)).not.toContain('orange.welfare');
  });
});
