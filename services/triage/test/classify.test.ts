import { RuleSet } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
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
    ['朋友借了我两万块钱一直不还', 'dispute.debt', 'orange'],
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
