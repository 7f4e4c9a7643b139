import { type AnyMessage, MESSAGE_SCHEMAS, type Severity } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { differentPeople, featuresOf, findRepeats, gradedAbove, type IndexedCase, MISSING_PERSON_SIMILARITY, mergeWindowHours, relapseOf, relapseRaises, relapseRule, sameFamily, SIMILARITY_THRESHOLD } from '../src/domain/duplicates.ts';

/** The open case a new report joins (findRepeats' `merge`), if any. */
const findDuplicate = (...args: Parameters<typeof findRepeats>) => findRepeats(...args).merge;
import { INDEXED_STATUS_TYPES, indexStatusAfter } from '../src/handlers/case-status.ts';
import { distanceMetres, lockNames, normaliseAddress, type Place, placeOf, samePlace, samePlaceForRelapse } from '../src/domain/place.ts';
import { SEED_RULES } from '../src/domain/seed-rules.ts';
import { classify } from '../src/domain/classify.ts';
import { gradeAfterRelapse, REPEAT_RULE } from '../src/domain/grade.ts';
import { contentWords, jaccard, wordFeatures } from '../src/domain/similarity.ts';

const DICTIONARY = SEED_RULES.dictionary;

/** A point `north` and `east` metres from (lat, lng), on a sphere; good to well under a metre at these distances. */
function offset(lat: number, lng: number, north: number, east: number) {
  const r = 6_371_008.8;
  return { lat: lat + (north / r) * (180 / Math.PI), lng: lng + (east / (r * Math.cos((lat * Math.PI) / 180))) * (180 / Math.PI) };
}

const HOME = { lat: 38.2501, lng: 101.9505 };
const at = (iso: string) => new Date(iso);

function indexed(over: Partial<IndexedCase> = {}): IndexedCase {
  return {
    caseId: 'c1',
    kind: 'hazard',
    category: 'hazard.facility',
    place: { ...HOME },
    text: '3号楼门禁坏了，刷卡进不去',
    status: 'open',
    severity: 'yellow',
    lastReportAt: at('2026-05-01T00:00:00Z'),
    settledAt: null,
    ...over,
  };
}

const report = (over: Partial<{ kind: string; category: string; place: Place; text: string; receivedAt: Date; severity: Severity }> = {}) => ({
  kind: 'hazard',
  category: 'hazard.facility',
  place: { ...offset(HOME.lat, HOME.lng, 30, 25) },
  // A rewording: 3号楼 is an address, which similarity leaves out, so the words of the trouble must carry it.
  text: '3号楼门禁坏掉了，住户刷卡进不去',
  receivedAt: at('2026-05-01T06:00:00Z'),
  severity: 'yellow' as Severity,
  ...over,
});

describe('distance', () => {
  it('is haversine metres', () => {
    expect(distanceMetres(HOME, HOME)).toBe(0);
    expect(distanceMetres({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111_195, 0);
    expect(distanceMetres(HOME, offset(HOME.lat, HOME.lng, 24, 32))).toBeCloseTo(40, 1);
    expect(distanceMetres(HOME, offset(HOME.lat, HOME.lng, 0, 600))).toBeCloseTo(600, 0);
  });

  it('decides the same place by distance when both have a point, else by address, grid, community', () => {
    expect(samePlace(HOME, offset(HOME.lat, HOME.lng, 240, 0), 250)).toBe(true);
    expect(samePlace(HOME, offset(HOME.lat, HOME.lng, 0, 260), 250)).toBe(false);
    // Same grid, but both points are known and far apart: distance wins.
    expect(samePlace({ ...HOME, gridCode: 'G1' }, { ...offset(HOME.lat, HOME.lng, 600, 0), gridCode: 'G1' }, 250)).toBe(false);
    expect(samePlace({ ...HOME, gridCode: 'G1' }, { gridCode: 'G1' }, 250)).toBe(true);
    expect(samePlace(placeOf({ address: '宝河苑 3栋 302室' }), placeOf({ address: '宝河苑３号楼302' }), 250)).toBe(false);
    expect(samePlace(placeOf({ address: '宝河苑 3栋 302室' }), placeOf({ address: '宝河苑３号楼302室。' }), 250)).toBe(true);
    expect(samePlace(placeOf({ address: '宝河苑3号楼', gridCode: 'G1' }), placeOf({ address: '宝河苑5号楼', gridCode: 'G1' }), 250)).toBe(false);
    expect(samePlace({ communityCode: 'baoheyuan' }, { communityCode: 'baoheyuan' }, 250)).toBe(true);
    expect(samePlace({ gridCode: 'G1' }, { communityCode: 'baoheyuan' }, 250)).toBe(false);
  });

  it('normalises addresses: widths, spaces, punctuation and building spellings', () => {
    expect(normaliseAddress('宝河苑 ３幢 ２单元 ５０１号房')).toBe('宝河苑3号楼2单元501室');
    expect(normaliseAddress('Baoheyuan, Bldg 3')).toBe('baoheyuanbldg3');
  });

  it('gives any two reports within 250 m a lock in common, however they straddle cells', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    // Around a cell corner in Gansu, near the equator, and across the 60° line where rows change width.
    for (const origin of [{ lat: 38.25, lng: 101.95 }, { lat: 0.0001, lng: 120.0051 }, { lat: 59.999, lng: 30.31 }, { lat: 64.15, lng: -21.94 }]) {
      for (let i = 0; i < 500; i++) {
        const a = offset(origin.lat, origin.lng, (random() - 0.5) * 1000, (random() - 0.5) * 1000);
        const angle = random() * 2 * Math.PI;
        const b = offset(a.lat, a.lng, 249 * Math.sin(angle), 249 * Math.cos(angle));
        const mine = new Set(lockNames('k', a));
        expect(lockNames('k', b).some((n) => mine.has(n))).toBe(true);
      }
    }
    expect(lockNames('k', { gridCode: 'G1', addressKey: 'x' })).toEqual(['k|addr:x', 'k|grid:G1']);
    expect(lockNames('hazard', HOME)).toHaveLength(9);
  });
});

describe('a point beside a grid (audit17 #2)', () => {
  it('lets no point override a grid: grids must agree, a grid on one side only matches only the same address', () => {
    const near = offset(HOME.lat, HOME.lng, 30, 25);
    // Both name a grid: points that agree do not join two grids.
    expect(samePlace({ ...HOME, gridCode: 'G1' }, { ...near, gridCode: 'G2' }, 250)).toBe(false);
    expect(samePlace({ ...HOME, gridCode: 'G1', addressKey: 'a' }, { ...near, gridCode: 'G2', addressKey: 'a' }, 250)).toBe(false);
    expect(samePlace({ ...HOME, gridCode: 'G1' }, { ...near, gridCode: 'G1' }, 250)).toBe(true);
    // One names a grid: points alone (0,0 of a GPS that gave nothing, or any other) do not place it in that grid, either way round.
    expect(samePlace({ lat: 0, lng: 0 }, { lat: 0, lng: 0, gridCode: 'CG-01-01' }, 250)).toBe(false);
    expect(samePlace({ ...HOME, gridCode: 'G1' }, near, 250)).toBe(false);
    expect(samePlace({ communityCode: 'baoheyuan' }, { gridCode: 'G1', communityCode: 'baoheyuan' }, 250)).toBe(false);
    // ...the same address does, unless the points tell them apart.
    const addressKey = normaliseAddress('宝河苑3栋');
    expect(samePlace({ ...HOME, addressKey }, { ...near, addressKey, gridCode: 'G1' }, 250)).toBe(true);
    expect(samePlace({ addressKey }, { addressKey, gridCode: 'G1' }, 250)).toBe(true);
    expect(samePlace({ ...HOME, addressKey }, { ...offset(HOME.lat, HOME.lng, 600, 0), addressKey, gridCode: 'G1' }, 250)).toBe(false);
    // No grid on either side: the point decides, as before.
    expect(samePlace({ ...HOME, communityCode: 'x' }, { ...near, communityCode: 'y' }, 250)).toBe(true);
  });

  it('keeps a report naming its grid out of an open case placed only at 0,0', () => {
    const nullIsland = indexed({ kind: 'dispute', category: 'dispute.fight', text: '有人在小区门口打架', place: placeOf({ lat: 0, lng: 0 }) });
    const fight = report({ kind: 'dispute', category: 'dispute.fight', text: '有人在小区门口打架' });
    expect(findDuplicate([nullIsland], { ...fight, place: placeOf({ gridCode: 'CG-01-01', lat: 0, lng: 0 }) }, DICTIONARY)).toBeUndefined();
    // 0,0 is no point to compare (intake takes it only beside another place): two such reports are not placed alike by it.
    expect(placeOf({ gridCode: 'CG-01-01', lat: 0, lng: 0 })).toEqual({ gridCode: 'CG-01-01', lat: undefined, lng: undefined, addressKey: undefined, communityCode: undefined });
    expect(findDuplicate([nullIsland], { ...fight, place: placeOf({ lat: 0, lng: 0 }) }, DICTIONARY)).toBeUndefined();
  });
});

describe('similarity', () => {
  it('compares content words, not particles or punctuation', () => {
    expect([...contentWords(['我们', '的', '3号楼', '门禁', '坏', '了', '，', 'KTV'])]).toEqual(['3号楼', '门禁', '坏', 'ktv']);
    // Characters count too (坏了 / 坏掉了), but a number stays one word: 3号楼 and 5号楼 share nothing.
    expect([...wordFeatures(new Set(['3号楼', '门禁']))]).toEqual(['3号楼', '门禁', '#门', '#禁']);
    expect(jaccard(new Set(['门禁', '坏']), new Set(['门禁', '坏']))).toBe(1);
    expect(jaccard(new Set(['门禁', '坏']), new Set(['电梯', '坏']))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });

  it('merges a rewording and keeps another trouble at the same place apart', () => {
    expect(findDuplicate([indexed()], report(), DICTIONARY)?.case.caseId).toBe('c1');
    expect(findDuplicate([indexed()], report({ text: '3号楼电梯坏了，停在三楼不动' }), DICTIONARY)).toBeUndefined();
    expect(findDuplicate([indexed()], report(), DICTIONARY)?.similarity).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
  });

  it('merges only into an open case of the same kind and family, within 250 m', () => {
    expect(findDuplicate([indexed({ status: 'resolved', settledAt: at('2026-05-01T01:00:00Z') })], report(), DICTIONARY)).toBeUndefined();
    expect(findDuplicate([indexed({ category: 'hazard.fire' })], report(), DICTIONARY)).toBeUndefined();
    expect(findDuplicate([indexed()], report({ place: offset(HOME.lat, HOME.lng, 0, 600) }), DICTIONARY)).toBeUndefined();
    expect(sameFamily({ kind: 'dispute', category: 'dispute.general' }, { kind: 'dispute', category: 'dispute.neighbour' })).toBe(true);
    expect(sameFamily({ kind: 'dispute', category: 'dispute.land' }, { kind: 'dispute', category: 'dispute.neighbour' })).toBe(false);
    expect(sameFamily({ kind: 'hazard', category: 'hazard.fire' }, { kind: 'dispute', category: 'hazard.fire' })).toBe(false);
  });

  it('picks the most similar of several open cases', () => {
    const other = indexed({ caseId: 'c2', text: '3号楼门禁坏了' });
    const best = findDuplicate([indexed({ text: '3号楼大门的锁坏了，门禁也不行' }), other], report({ text: '3号楼门禁坏了！' }), DICTIONARY);
    expect(best?.case.caseId).toBe('c2');
  });
});

describe('a report graded above the open case it repeats', () => {
  const quarrel = indexed({ kind: 'dispute', category: 'dispute.family', text: '楼上邻居两口子在吵架，声音很大', place: placeOf({ address: '金川路12号' }) });
  const knife = (severity: Severity) =>
    report({ kind: 'dispute', category: 'dispute.family', text: '楼上邻居两口子在吵架，男的拿刀了，声音很大', place: placeOf({ address: '金川路12号' }), severity });

  it('does not join it: it opens its own case naming it', () => {
    const red = findRepeats([quarrel], knife('red'), DICTIONARY);
    expect(red.merge).toBeUndefined();
    expect(red.outgraded.map((r) => r.case.caseId)).toEqual(['c1']);
    expect(findDuplicate([quarrel], knife('red'), DICTIONARY)).toBeUndefined();
    expect(findDuplicate([quarrel], knife('orange'), DICTIONARY)).toBeUndefined();
  });

  it('graded the same or lower, joins it as before', () => {
    expect(findRepeats([quarrel], knife('yellow'), DICTIONARY)).toMatchObject({ merge: { case: { caseId: 'c1' } }, outgraded: [] });
    expect(findDuplicate([quarrel], knife('service'), DICTIONARY)?.case.caseId).toBe('c1');
    expect(findDuplicate([{ ...quarrel, severity: 'red' }], knife('red'), DICTIONARY)?.case.caseId).toBe('c1');
    expect(findDuplicate([{ ...quarrel, severity: 'red' }], knife('orange'), DICTIONARY)?.case.caseId).toBe('c1');
  });

  it('joins the open case graded at least as high when there is one, however similar the lower one', () => {
    const redCase = { ...quarrel, caseId: 'c2', severity: 'red' as const, text: '邻居两口子吵架，男的拿刀' };
    const found = findRepeats([quarrel, redCase], knife('red'), DICTIONARY);
    expect(found.merge?.case.caseId).toBe('c2');
  });

  it('ranks statutory with service, and a case of unknown grade lowest', () => {
    expect(gradedAbove('red', 'statutory')).toBe(true);
    expect(gradedAbove('statutory', 'service')).toBe(false);
    expect(gradedAbove('yellow', null)).toBe(true);
    expect(gradedAbove('service', null)).toBe(false);
    expect(gradedAbove('orange', 'orange')).toBe(false);
  });
});

describe('missing persons (audit 9)', () => {
  const missing = { kind: 'service', category: 'service.missing-person' };
  const oldMan = indexed({ ...missing, text: '有老人在小区走丢了，穿蓝色外套，80岁', severity: 'red' });

  it("never merges a missing child's report into a missing old man's case, however alike the words", () => {
    const child = report({ ...missing, text: '有小孩在小区走丢了，穿红色外套，5岁', severity: 'red' });
    // The words alone would merge them: that was the audit's finding.
    expect(jaccard(featuresOf(child.text, DICTIONARY), featuresOf(oldMan.text, DICTIONARY))).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(findRepeats([oldMan], child, DICTIONARY)).toEqual({ outgraded: [] });
    expect(findDuplicate([oldMan], report({ ...missing, text: '有老人在小区走丢了，穿红色外套，70岁', severity: 'red' }), DICTIONARY)).toBeUndefined();
  });

  it('merges a second call about the same person when it says nearly the same', () => {
    const again = report({ ...missing, text: '有老人在小区走丢了，穿蓝色外套，八十岁了', severity: 'red' });
    const found = findDuplicate([oldMan], again, DICTIONARY);
    expect(found?.case.caseId).toBe('c1');
    expect(found?.similarity).toBeGreaterThanOrEqual(MISSING_PERSON_SIMILARITY);
  });

  it('tells people apart by the ages they give, in digits or Chinese numerals, and by child or old age', () => {
    expect(differentPeople('孩子5岁', '孩子五岁')).toBe(false);
    expect(differentPeople('老人七十多岁', '老人70岁')).toBe(false);
    expect(differentPeople('老人七十多岁', '老人80岁')).toBe(true);
    expect(differentPeople('我家孩子走丢了', '我家老人走丢了')).toBe(true);
    expect(differentPeople('奶奶带着孙子走丢了', '孙子走丢了')).toBe(false);
    expect(differentPeople('有人走丢了', '有人走丢了，十二岁')).toBe(false);
  });
});

describe('merge window', () => {
  it('is data per category, else per kind', () => {
    expect(mergeWindowHours('dispute', 'dispute.neighbour')).toBe(24);
    expect(mergeWindowHours('hazard', 'hazard.facility')).toBe(72);
    expect(mergeWindowHours('dispute', 'dispute.land')).toBe(72);
  });

  it('runs from the newest report of the case', () => {
    const quarrel = indexed({ kind: 'dispute', category: 'dispute.neighbour', text: '邻居装修噪音太大，中午也在用电钻' });
    const again = (hours: number) =>
      report({ kind: 'dispute', category: 'dispute.neighbour', text: '邻居家装修一直用电钻，中午也很吵', receivedAt: new Date(quarrel.lastReportAt.getTime() + hours * 3_600_000) });
    expect(findDuplicate([quarrel], again(23), DICTIONARY)).toBeDefined();
    expect(findDuplicate([quarrel], again(25), DICTIONARY)).toBeUndefined();
    expect(findDuplicate([indexed()], report({ receivedAt: at('2026-05-03T23:00:00Z') }), DICTIONARY)).toBeDefined();
    expect(findDuplicate([indexed()], report({ receivedAt: at('2026-05-04T01:00:00Z') }), DICTIONARY)).toBeUndefined();
  });
});

describe('relapse', () => {
  const settled = indexed({ status: 'resolved', settledAt: at('2026-03-01T00:00:00Z') });
  const later = (over: Parameters<typeof report>[0] = {}) => report({ text: '门禁又坏了', receivedAt: at('2026-05-01T00:00:00Z'), ...over });

  it('is the same kind within 100 m within 90 days of a resolved or closed case', () => {
    expect(relapseOf([settled], later({ place: offset(HOME.lat, HOME.lng, 60, 60) }))).toEqual(['c1']);
    expect(relapseOf([{ ...settled, status: 'closed' }], later({ place: offset(HOME.lat, HOME.lng, 60, 60) }))).toEqual(['c1']);
    expect(relapseOf([settled], later({ place: offset(HOME.lat, HOME.lng, 0, 120) }))).toEqual([]);
    expect(relapseOf([settled], later({ receivedAt: at('2026-05-31T00:00:01Z') }))).toEqual([]);
    expect(relapseOf([settled], later({ receivedAt: at('2026-05-30T00:00:00Z') }))).toEqual(['c1']);
    expect(relapseOf([settled], later({ kind: 'dispute', category: 'dispute.neighbour' }))).toEqual([]);
    expect(relapseOf([indexed()], later())).toEqual([]);
  });

  // Audit 14: one flat's quarrel read as dispute.neighbour, closed, then as dispute.family (CONTRACT.md: "the same kind").
  it('is the same kind whatever the category: a quarrel read as neighbour, then family', () => {
    const place = placeOf({ address: '宝河苑社区3号楼2单元501室' });
    const closed = indexed({ kind: 'dispute', category: 'dispute.neighbour', text: '夫妻整夜吵架', place, status: 'closed', settledAt: at('2026-04-30T00:00:00Z') });
    const again = report({ kind: 'dispute', category: 'dispute.family', text: '宝河苑社区3号楼2单元501室夫妻又在吵架，声音很大。', place, receivedAt: at('2026-05-01T00:00:00Z') });
    expect(relapseOf([closed], again)).toEqual(['c1']);
    expect(relapseRaises([closed], again)).toBe(true);
    expect(relapseOf([settled], later({ category: 'hazard.fire' }))).toEqual(['c1']);
    // Merging open cases still keeps to the family.
    const open = { ...closed, text: again.text, status: 'open' as const, settledAt: null };
    expect(findDuplicate([{ ...open, category: 'dispute.family' }], again, DICTIONARY)).toBeDefined();
    expect(findDuplicate([open], again, DICTIONARY)).toBeUndefined();
  });

  it('raises a service report only after a case of its family: not a missing person after lost property', () => {
    const place = placeOf({ address: '宝河苑社区3号楼' });
    const closed = (category: string) => indexed({ kind: 'service', category, place, status: 'closed', settledAt: at('2026-04-30T00:00:00Z') });
    const missing = report({ kind: 'service', category: 'service.missing-person', place, receivedAt: at('2026-05-01T00:00:00Z') });
    expect(relapseOf([closed('service.lost-property')], missing)).toEqual(['c1']);
    expect(relapseRaises([closed('service.lost-property')], missing)).toBe(false);
    expect(relapseRaises([closed('service.missing-person')], missing)).toBe(true);
    expect(relapseRaises([closed('service.lost-property'), { ...closed('service.general'), caseId: 'c2' }], missing)).toBe(true);
  });

  it('matches the same address without coordinates, newest settled first', () => {
    const place = placeOf({ address: '宝河苑3栋' });
    const older = indexed({ caseId: 'old', place, status: 'closed', settledAt: at('2026-02-15T00:00:00Z') });
    const newer = indexed({ caseId: 'new', place, status: 'resolved', settledAt: at('2026-04-01T00:00:00Z') });
    expect(relapseOf([older, newer], later({ place: placeOf({ address: '宝河苑 3号楼' }) }))).toEqual(['new', 'old']);
    expect(relapseOf([older, newer], later({ place: placeOf({ address: '宝河苑 5号楼' }) }))).toEqual([]);
  });
});

describe('relapse place (same address or within 100 m, CONTRACT.md)', () => {
  const settled = (place: Place) => indexed({ place, status: 'closed', settledAt: at('2026-04-01T00:00:00Z') });
  const later = (place: Place) => report({ text: '楼道灯坏了，晚上走路看不见', place, receivedAt: at('2026-05-01T00:00:00Z') });

  it('is never the same community grid or community alone', () => {
    expect(relapseOf([settled({ gridCode: 'CG-01-01' })], later({ gridCode: 'CG-01-01' }))).toEqual([]);
    expect(relapseOf([settled({ communityCode: 'baoheyuan' })], later({ communityCode: 'baoheyuan' }))).toEqual([]);
    expect(relapseOf([settled({ gridCode: 'CG-01-01', addressKey: normaliseAddress('宝河苑3栋') })], later({ gridCode: 'CG-01-01' }))).toEqual([]);
    expect(samePlaceForRelapse({ gridCode: 'G1' }, { gridCode: 'G1' }, 100)).toBe(false);
  });

  it('is a point within 100 m, or the same address', () => {
    expect(relapseOf([settled({ ...HOME, gridCode: 'CG-01-01' })], later({ ...offset(HOME.lat, HOME.lng, 70, 0), gridCode: 'CG-01-01' }))).toEqual(['c1']);
    expect(relapseOf([settled({ gridCode: 'CG-01-01', addressKey: normaliseAddress('宝河苑3栋') })], later(placeOf({ gridCode: 'CG-01-01', address: '宝河苑3号楼' })))).toEqual(['c1']);
    // Same address, points further apart than 100 m (a rough geocode): the address is enough.
    expect(samePlaceForRelapse({ ...HOME, addressKey: 'a' }, { ...offset(HOME.lat, HOME.lng, 300, 0), addressKey: 'a' }, 100)).toBe(true);
    expect(samePlaceForRelapse(HOME, offset(HOME.lat, HOME.lng, 120, 0), 100)).toBe(false);
  });

  it('raises the grade a step, unless the words already counted the recurrence (又: audit 9)', () => {
    const facility = classify({ description: '3号楼门禁坏了', category: 'hazard.facility' }, SEED_RULES);
    expect(gradeAfterRelapse('yellow', true, facility, SEED_RULES.grading)).toBe('orange');
    expect(gradeAfterRelapse('yellow', false, facility, SEED_RULES.grading)).toBe('yellow');
    const quarrel = classify({ description: '东街8号楼那两家又在楼道里吵起来了', category: 'dispute.neighbour' }, SEED_RULES);
    expect(quarrel.rules.map((r) => r.rule)).toContain(REPEAT_RULE);
    expect(gradeAfterRelapse(quarrel.severity, true, quarrel, SEED_RULES.grading)).toBe(quarrel.severity);
    // A fight is orange by default: 又 raised nothing, so the relapse still does.
    const fight = classify({ description: '那两家又打起来了', category: 'dispute.fight' }, SEED_RULES);
    expect(fight.rules.map((r) => r.rule)).toContain(REPEAT_RULE);
    expect(fight.severity).toBe('orange');
    expect(gradeAfterRelapse(fight.severity, true, fight, SEED_RULES.grading)).toBe('red');
    expect(relapseRule(['c1'], 'orange', 'orange')).toBe('; relapse of c1: orange, not raised again');
  });

  it('is named in the rule line, as case.opened and explain say it', () => {
    expect(relapseRule(['c1'], 'yellow', 'orange')).toBe('; relapse of c1: yellow → orange');
    expect(relapseRule([], 'yellow', 'yellow')).toBe('');
    expect(relapseRule(['c1'], 'yellow', 'orange', false)).toBe('; relapse: yellow → orange');
  });
});

describe('unclassified reports', () => {
  it('join only an unclassified case whose words they share, and bring no settled case back', () => {
    const text = '3号楼门禁坏了，刷卡进不去';
    // Audit 8: a report no rule read joined a case of any category and hid inside it.
    expect(findDuplicate([indexed()], report({ kind: 'unclassified', category: 'unclassified', text }), DICTIONARY)).toBeUndefined();
    expect(findDuplicate([indexed({ kind: 'unclassified', category: 'unclassified' })], report(), DICTIONARY)).toBeUndefined();
    expect(findDuplicate([indexed({ kind: 'unclassified', category: 'unclassified' })], report({ kind: 'unclassified', category: 'unclassified', text }), DICTIONARY)?.case.caseId).toBe('c1');
    expect(sameFamily({ kind: 'unclassified', category: 'unclassified' }, { kind: 'service', category: 'service.general' })).toBe(false);
    const settled = indexed({ status: 'closed', settledAt: at('2026-04-01T00:00:00Z') });
    expect(relapseOf([settled], report({ kind: 'unclassified', category: 'unclassified' }))).toEqual([]);
  });
});

describe('address and contact boilerplate (audit 8)', () => {
  const ADDRESS = '市民来电反映：永昌县城关镇北海子路宝河苑小区5号楼2单元，';
  const CONTACT = '。联系人李四电话13800138000身份证620321199001011234';
  const MISSING = `${ADDRESS}家里老父亲有老年痴呆，早上出门到现在还没回来${CONTACT}`;
  const troubles = [
    { kind: 'service', category: 'service.missing-person', text: MISSING },
    { kind: 'dispute', category: 'dispute.fight', text: `${ADDRESS}几个人拿着棍棒在村口对峙${CONTACT}` },
    { kind: 'service', category: 'service.general', text: `${ADDRESS}她割腕了，流了很多血${CONTACT}` },
  ];

  it('does not find two troubles alike because they share the address and the contact line', () => {
    for (const a of troubles) for (const b of troubles) if (a !== b) expect(jaccard(featuresOf(a.text, DICTIONARY), featuresOf(b.text, DICTIONARY))).toBeLessThan(SIMILARITY_THRESHOLD);
  });

  it('keeps three red troubles in one grid three cases, unclassified or not', () => {
    const place = { gridCode: 'CG-01-01' };
    const open = troubles.map((t, i) => indexed({ caseId: `c${i}`, kind: t.kind, category: t.category, text: t.text, place, severity: 'red' }));
    for (const t of troubles) {
      const others = open.filter((c) => c.text !== t.text);
      expect(findRepeats(others, report({ ...t, place, severity: 'red' }), DICTIONARY)).toEqual({ outgraded: [] });
      expect(findRepeats(others, report({ ...t, kind: 'unclassified', category: 'unclassified', place, severity: 'red' }), DICTIONARY)).toEqual({ outgraded: [] });
    }
  });

  it('still merges the same trouble told twice from the same address', () => {
    const place = { gridCode: 'CG-01-01' };
    const missing = indexed({ kind: 'service', category: 'service.missing-person', text: MISSING, place, severity: 'red' });
    const again = report({ kind: 'service', category: 'service.missing-person', text: `${ADDRESS}老父亲有老年痴呆，早上出去了，到现在还没回家`, place, severity: 'red' });
    expect(findDuplicate([missing], again, DICTIONARY)?.case.caseId).toBe('c1');
  });
});

describe('the case index follows the case of record', () => {
  const event = (type: string, data: Record<string, unknown>) => ({ type, data: { caseId: 'c1', at: '2026-05-01T00:00:00Z', ...data } }) as unknown as AnyMessage;

  it('maps each case event to open, resolved or closed', () => {
    expect(indexStatusAfter(event('gridcase.case.resolved.v1', {}))).toBe('resolved');
    expect(indexStatusAfter(event('gridcase.case.verified.v1', { status: 'follow-up' }))).toBe('resolved');
    expect(indexStatusAfter(event('gridcase.case.verified.v1', { status: 'closed' }))).toBe('closed');
    expect(indexStatusAfter(event('gridcase.case.verified.v1', { status: 'acknowledged' }))).toBe('open');
    expect(indexStatusAfter(event('gridcase.case.followed-up.v1', { status: 'acknowledged' }))).toBe('open');
    expect(indexStatusAfter(event('gridcase.case.closed.v1', {}))).toBe('closed');
    expect(indexStatusAfter(event('gridcase.case.reopened.v1', {}))).toBe('open');
    expect(indexStatusAfter(event('gridcase.case.resumed.v1', { status: 'resolved' }))).toBe('resolved');
    expect(indexStatusAfter(event('gridcase.case.held.v1', { fromStatus: 'open' }))).toBeUndefined();
    expect(indexStatusAfter(event('gridcase.case.acknowledged.v1', {}))).toBeUndefined();
  });

  it('moves a case only on the types triage reads (the rest are skipped unread)', () => {
    const statuses = ['open', 'acknowledged', 'resolved', 'follow-up', 'closed', 'on-hold'];
    const moving = Object.keys(MESSAGE_SCHEMAS).filter((type) => statuses.some((status) => indexStatusAfter(event(type, { status })) !== undefined));
    expect(moving.sort()).toEqual([...INDEXED_STATUS_TYPES].sort());
  });
});
