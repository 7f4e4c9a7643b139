import type { GazetteerAddress } from '@gridcase/contracts';

/** A gazetteer address with its normalised form, as lookups compare them. */
export interface GazetteerEntry {
  address: string;
  normalized: string;
  gridCode: string;
}

const CHINESE_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 三 → 3, 十二 → 12, 二十 → 20, 二十三 → 23 (buildings and units rarely pass 99). */
function chineseNumber(s: string): string {
  const ten = s.indexOf('十');
  if (ten < 0) return [...s].map((ch) => CHINESE_DIGITS[ch] ?? '').join('');
  const tens = ten === 0 ? 1 : (CHINESE_DIGITS[s.slice(0, ten)] ?? 1);
  const ones = CHINESE_DIGITS[s.slice(ten + 1)] ?? 0;
  return String(tens * 10 + ones);
}

/**
 * The form addresses are compared in: full-width characters folded (NFKC), spaces and punctuation
 * dropped, Chinese numerals before a building/unit/room word turned into digits, the building words
 * 号楼/号栋/栋/幢/座/# made one (`栋`), `3-2-501` read as building-unit-room, and the words 小区/社区
 * dropped (people write 宝河苑 and 宝河苑小区 for the same place). A street number (`建设路12号`)
 * keeps its `号`.
 */
export function normalizeAddress(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s,，。.、·]/gu, '')
    .replace(/[零〇一二两三四五六七八九十]+(?=号楼|号栋|栋|幢|座|单元|室|号|组|期|区)/gu, chineseNumber)
    .replace(/(\d+)-(\d+)-(\d+)/gu, '$1栋$2单元$3室')
    .replace(/(\d+)(?:号楼|号栋|栋|幢|座|#楼|#)/gu, '$1栋')
    .replace(/小区|社区/gu, '');
}

export const buildGazetteer = (addresses: readonly GazetteerAddress[]): GazetteerEntry[] =>
  addresses.map((a) => ({ address: a.address, normalized: normalizeAddress(a.address), gridCode: a.gridCode }));

const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';

/** Whether `key` occurs in `text` without cutting a number in two (`3栋` is not in `13栋`). */
function containsWhole(text: string, key: string): boolean {
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
    const cutsBefore = isDigit(key[0]) && isDigit(text[at - 1]);
    const cutsAfter = isDigit(key[key.length - 1]) && isDigit(text[at + key.length]);
    if (!cutsBefore && !cutsAfter) return true;
  }
  return false;
}

export type AddressLookup = { gridCode: string; matched: string } | { miss: string };

/**
 * The grid of the most specific gazetteer address contained in `address` (the longest normalised
 * match: `宝河苑3栋` beats `宝河苑`). Equally specific matches in different grids are a miss, as is
 * no match. Misses never repeat the address: it may be someone's home.
 */
export function lookupAddress(address: string, gazetteer: readonly GazetteerEntry[]): AddressLookup {
  const text = normalizeAddress(address);
  let best: GazetteerEntry[] = [];
  for (const entry of gazetteer) {
    if (entry.normalized === '' || !containsWhole(text, entry.normalized)) continue;
    const bestLength = best[0]?.normalized.length ?? 0;
    if (entry.normalized.length > bestLength) best = [entry];
    else if (entry.normalized.length === bestLength) best.push(entry);
  }
  const [first] = best;
  if (!first) return { miss: gazetteer.length === 0 ? 'the address cannot be placed: the station has no gazetteer' : 'the address matches no building in the gazetteer' };
  const gridCodes = [...new Set(best.map((e) => e.gridCode))].sort();
  if (gridCodes.length > 1) return { miss: `the address matches buildings in several grids (${gridCodes.join(', ')})` };
  return { gridCode: first.gridCode, matched: first.address };
}
