import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
import { matchContext, matchCues } from '../src/domain/rules.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { segmentClauses } from '../src/domain/segment.ts';

const ctx = (text: string) => matchContext(segmentClauses(text, SEED_RULES.dictionary), SEED_RULES);
const chars = (any: string[], not?: string[]) => ({ any, not, match: 'characters' as const });

describe('rules that read characters (match: "characters")', () => {
  it('find a cue inside a longer word jieba chose, where word rules cannot', () => {
    expect(matchCues({ any: ['刀'] }, ctx('他拿着西瓜刀'))).toBeUndefined();
    expect(matchCues(chars(['刀']), ctx('他拿着西瓜刀'))).toEqual(['西瓜刀']);
    expect(matchCues({ any: ['电梯'] }, ctx('电梯门关不上'))).toBeUndefined();
    expect(matchCues(chars(['电梯']), ctx('电梯门关不上'))).toEqual(['电梯门']);
  });

  it('keep … (in order, one clause) and exclusions, now by characters: 火锅 is not 火', () => {
    expect(matchCues(chars(['老头…还没回']), ctx('老头子到现在还没回'))).toEqual(['老头子到现在还没回']);
    expect(matchCues(chars(['老头…还没回']), ctx('老头子出门了，还没回'))).toBeUndefined();
    expect(matchCues(chars(['火'], ['火锅']), ctx('隔壁火锅店排队'))).toBeUndefined();
    expect(matchCues(chars(['火'], ['火锅']), ctx('吃火锅的时候厨房起火了'))).toEqual(['起火']);
  });

  it('obey negations before the word a match starts in, and a negation that word begins with', () => {
    expect(matchCues(chars(['受伤']), ctx('两人推搡，没有人受伤'))).toBeUndefined();
    expect(matchCues(chars(['受伤']), ctx('两人推搡，有人受伤'))).toEqual(['受伤']);
    const inOneWord = matchContext([['没受伤']], SEED_RULES);
    expect(matchCues(chars(['受伤']), inOneWord)).toBeUndefined();
  });
});

describe('the red safety net: no danger hides behind a word boundary, no everyday word raises one', () => {
  it.each([
    ['他拎着西瓜刀在楼下追人', 'red.net.weapon'],
    ['她说不想活了，要去跳河', 'red.net.self-harm'],
    ['屋里一股煤气的味道', 'red.net.gas-leak'],
    ['三楼着火了', 'red.net.fire-now'],
    ['电梯卡在两层中间，里面有人被困', 'red.net.trapped'],
    ['我爸在花园里突然倒地不起，叫不醒', 'red.net.injury'],
  ])('%s is red, by %s among others', (description, rule) => {
    const c = classify({ description });
    expect(c.severity).toBe('red');
    expect(c.rules.map((r) => r.rule)).toContain(rule);
  });

  it.each([
    '隔壁火锅店每天晚上排队的人太吵了',
    '这个月的燃气费怎么涨了这么多，想咨询一下',
    '商场在搞跳楼价大甩卖，门口人很多',
    '他在网上砍价砍了半天',
    '楼下刀削面馆的油烟飘进我家',
    '他是个光棍，一个人住',
    '两人吵了几句，没有人受伤',
    '楼道里电动车充电，容易着火',
  ])('%s is not red', (description) => {
    const c = classify({ description });
    expect(c.severity).not.toBe('red');
    expect(c.rules.map((r) => r.rule).filter((r) => r.startsWith('red.'))).toEqual([]);
  });

  it('a missing vulnerable person and a fraud transfer under way are red within their category only', () => {
    expect(classify({ description: '三岁的小孙子在商场里一转眼就没了' }).severity).toBe('red');
    expect(classify({ description: '我叔被骗了，说要把存款转到指定账户，他现在正在银行排队' }).severity).toBe('red');
    expect(classify({ description: '我借了他两万，说好转到我账户，一直没转' }).severity).not.toBe('red');
  });

  it('is named on the decision line only where no word rule reached red', () => {
    expect(classify({ description: '他拿着菜刀在楼下追人' }).rule).not.toContain('red.net');
    expect(classify({ description: '他拎着弹簧刀在楼下追人' }).rule).toContain('red.net.weapon "弹簧刀"');
  });
});

describe('the broader cue families (each row fails if its family is removed)', () => {
  it.each([
    ['俺家老头子早上去赶集，到现在都黑天了还没回', 'service.missing-person', 'service.missing-person.kin-apart-3'],
    ['我女朋友跟我吵完架就不接电话了', 'service.missing-person', 'service.missing-person.acquaintance'],
    ['俺娘一个人在家，电话打了一天没人接', 'service.general', 'service.welfare.alone-1'],
    ['有两个人挨家挨户敲门说是燃气公司的，要收检测费', 'tip.fraud', 'tip.fraud.impostors'],
    ['有人让老人交五万成为股东，每个月发利息', 'tip.fundraising', 'tip.fundraising.shares'],
    ['交了钱当代理，再发展代理就有钱拿', 'tip.pyramid', 'tip.pyramid.agents'],
    ['车库里晚上总有人打麻将，输赢上万，还有人望风', 'tip.vice', 'tip.vice.more'],
    ['村里有人说自己是神派来的，生病了不要吃药', 'tip.cult', 'tip.cult.signs'],
    ['四楼有户人家在阳台上烧东西', 'hazard.fire', 'hazard.fire.colloquial'],
    ['地下室被改成了十几个小房间出租', 'hazard.group-rental', 'hazard.group-rental.colloquial'],
    ['儿子结婚后就不管我们老两口了', 'dispute.family', 'dispute.family.colloquial'],
    ['工地拖欠我们的劳务报酬，还押了身份证', 'dispute.labour', 'dispute.labour.colloquial'],
    ['前同事找我周转，现在把我删了', 'dispute.debt', 'dispute.debt.colloquial'],
    ['夜市两个人干架了', 'dispute.fight', 'dispute.fight.colloquial'],
    ['他家把路修到俺家祖上传下来的山坡上', 'dispute.land', 'dispute.land.colloquial'],
    ['物业公司乱收费，业主大会也不开', 'dispute.property', 'dispute.property.estate'],
    ['那家私人牙科没挂执照，消毒也不规范', 'hazard.small-venue', 'hazard.small-venue.practice'],
    ['隔壁出租屋换了好几拨人住，都是生面孔', 'hazard.unregistered', 'hazard.unregistered.turnover'],
    ['电梯门关不上，一直开开关关的', 'hazard.facility', 'hazard.facility.characters'],
    ['小区门口几个醉鬼在那耍酒疯', 'hazard.public-order', 'hazard.public-order.colloquial'],
    ['身份证掉在出租车上了', 'service.lost-property', 'service.lost-property.items'],
    ['想咨询一下，低保怎么续办', 'service.general', 'service.question.colloquial'],
    ['河边有个小伙子坐在栏杆上，要往下跳', 'service.general', 'service.person-in-danger.now'],
    ['楼上那家装修，电钻从早响到晚', 'dispute.neighbour', 'dispute.neighbour.nuisance'],
  ])('%s → %s by %s', (description, category, rule) => {
    const c = classify({ description });
    expect(c.category.code).toBe(category);
    expect(c.rules.map((r) => r.rule)).toContain(rule);
  });

  it.each([
    ['路口红绿灯不亮了，车和人抢着过，挺危险的', 'orange', 'orange.facility-danger'],
    ['工地上的老乡被押了身份证不让走', 'orange', 'orange.held'],
    ['保洁公司欠我们十二个保洁员两个月的钱', 'orange', 'orange.crowd.counts'],
    ['楼上小两口半夜吵架，女的在喊救命', 'red', 'red.distress'],
  ])('%s is %s by %s', (description, severity, rule) => {
    const c = classify({ description });
    expect(c.severity).toBe(severity);
    expect(c.rules.map((r) => r.rule)).toContain(rule);
  });

  it('dialect and hypothetical negations cancel a danger: 冇人受伤, 容易着火', () => {
    expect(classify({ description: '两个人打交，冇人受伤' }).severity).toBe('orange');
    expect(classify({ description: '电动车推到楼道里充电，容易着火' })).toMatchObject({ category: { code: 'hazard.fire' }, severity: 'orange' });
  });

  it('what a gone-word is not: a kin’s belonging, a thing one cannot see, a debtor', () => {
    expect(classify({ description: '孩子的书包不见了' }).category.code).toBe('service.lost-property');
    expect(classify({ description: '我儿子把手机丢了' }).category.code).not.toBe('service.missing-person');
    expect(classify({ description: '前年借给老同学五万块，现在人找不着了' }).category.code).toBe('dispute.debt');
    // A belonging lost, or a thing a child cannot find, whoever it belongs to: not a missing person, not red.
    for (const description of ['家里老人手机丢了，帮忙找找', '爷爷钱包找不到了', '孩子找不到作业本']) {
      expect(classify({ description })).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
    }
  });
});

describe('fresh9 lessons (each case fails without its cue)', () => {
  it('a fraud still being talked through is a transfer under way: red', () => {
    for (const description of ['刷单群的客服说任务没完成，让我接着转三千才能提现', '自称公安的人说我涉嫌洗钱，我正在按他说的操作，电话还没挂']) {
      const c = classify({ description });
      expect(c).toMatchObject({ category: { code: 'tip.fraud' }, severity: 'red' });
      expect(c.rules.map((r) => r.rule)).toContain('red.net.fraud-now');
    }
  });

  it('many people in a standoff (对峙) are a mass incident', () => {
    const c = classify({ description: '一百多号村民和施工队对峙在村口，不让挖掘机进村' });
    expect(c.severity).toBe('red');
    expect(c.rules.map((r) => r.rule)).toContain('red.mass-incident');
  });

  it('kept in a car (不让我下车) is held: orange', () => {
    const c = classify({ description: '跟网约车司机因为绕路吵架，他不让我下车' });
    expect(c.severity).toBe('orange');
    expect(c.rules.map((r) => r.rule)).toContain('orange.held');
  });

  it('a bite that did not reach the skin (没咬到肉) is no injury', () => {
    expect(classify({ description: '楼下的狗扑上来咬住了我的裤腿，没咬到肉，就是吓了一跳' }).severity).not.toBe('red');
    expect(classify({ description: '楼下的狗扑上来咬住了我的腿，出血了' }).severity).toBe('red');
  });

  it('a retraction (撤了吧, 找到了) leaves a missing person to the other rules, not red', () => {
    const c = classify({ description: '我家小孙子下午不见了，刚才在同学家找到了，不用找了，撤了吧' });
    expect(c.category.code).not.toBe('service.missing-person');
    expect(c.severity).not.toBe('red');
  });

  it('联系不上 said of a driver or an agent leaves no one missing; a thing left behind is lost property', () => {
    expect(classify({ description: '在出租车上落了一个双肩包，打客服电话说联系不上司机' })).toMatchObject({ category: { code: 'service.lost-property' }, severity: 'service' });
    expect(classify({ description: '坐网约车把ipad忘在后座了' }).category.code).toBe('service.lost-property');
  });

  it('children playing with fire (玩火, 玩打火机) are a fire hazard, not the neighbours where it happens', () => {
    expect(classify({ description: '楼下几个小孩在草堆旁边玩火' }).category.code).toBe('hazard.fire');
    expect(classify({ description: '对门的孩子在楼道里玩打火机' }).category.code).toBe('hazard.fire');
  });

  it('a household repair asked for (找谁修, 约个师傅) is a service; a public fitting stays a fault', () => {
    expect(classify({ description: '卫生间的热水器坏了，找谁修' })).toMatchObject({ category: { code: 'service.general' }, severity: 'service' });
    expect(classify({ description: '小区的路灯坏了，找谁修' }).category.code).toBe('hazard.facility');
  });

  it('an old person who cannot say where home is (说不清家在哪) is missing: red', () => {
    expect(classify({ description: '有个老爷子在车站坐了半天，说不清家在哪，问他叫什么也不知道' })).toMatchObject({
      category: { code: 'service.missing-person' },
      severity: 'red',
    });
  });

  it('a plea cut off (快来…挂断, 回拨无人接) is red; a fault that cut the water off is not', () => {
    expect(classify({ description: '电话里一个女的喊快来，我家出事了，然后就挂断了' }).severity).toBe('red');
    expect(classify({ description: '来电人只说了句快来，声音发抖，回拨无人接听' }).severity).toBe('red');
    expect(classify({ description: '水管出事了，我家的水就断了，快来修' }).severity).not.toBe('red');
  });

  it('struck and hurt (砸伤, 割伤) is an injury: red', () => {
    expect(classify({ description: '阳台上的花盆掉下来，把楼下路过的人砸伤了' }).severity).toBe('red');
  });

  it('an elderly stranger who seems lost (好像迷路了) is a missing vulnerable person: red', () => {
    expect(classify({ description: '公交站有个老太太一直在转圈，问她家在哪说不清楚，好像迷路了' })).toMatchObject({
      category: { code: 'service.missing-person' },
      severity: 'red',
    });
  });
});
