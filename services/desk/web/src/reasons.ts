import { type Lang, t } from './i18n.ts';

/**
 * Why routing sent a case to the duty desk, in the page's language. The case of record writes its
 * reasons in English (assignment's findGrid misses and routeCase, joined by "; "): each known one is
 * said in Chinese here; a reason it does not know is summed up (无法定位网格，已转值班台) and the page
 * keeps the English on hover.
 */
const ZH: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^gridCode (.+) is not a known community or police grid$/, (m) => `网格代码 ${m[1]} 不是本所的网格或警格`],
  [/^communityCode (.+) is not a known community$/, (m) => `社区代码 ${m[1]} 不是本所的社区`],
  [/^point (.+) lies outside every grid$/, (m) => `坐标 ${m[1]} 不在任何网格内`],
  [/^the address cannot be placed: the station has no gazetteer$/, () => '无法按地址定位：本所没有地址库'],
  [/^the address matches no building in the gazetteer$/, () => '地址在地址库中找不到对应楼栋'],
  [/^the address matches buildings in several grids \((.+)\)$/, (m) => `地址对应多个网格的楼栋（${m[1]}）`],
  [/^the gazetteer names grid (.+), which does not exist$/, (m) => `地址库指向的网格 ${m[1]} 不存在`],
  [/^no gridCode, communityCode, lat\/lng or address given$/, () => '报告未给出网格、社区、坐标或地址'],
  [/^grid (\S+) \(police grid (\S+)\) has no grid officer on the roster \(off leave\)$/, (m) => `网格 ${m[1]}（警格 ${m[2]}）没有可派的警格员（不在休假的）`],
  [
    /^grid (\S+) \(police grid (\S+)\) has no grid officer or grid worker on the roster \(off leave\)$/,
    (m) => `网格 ${m[1]}（警格 ${m[2]}）没有可派的警格员或网格员（不在休假的）`,
  ],
  [/^and no desk leader is on the roster$/, () => '且名册上没有值班长'],
];

/** The summary when a reason is not one the page knows. */
export const UNROUTABLE_ZH = t('zh', 'case.unroutable');

/** A routing reason in Chinese: every part translated, or the summary when any part is unknown (`known` false). */
export function routingReasonZh(reason: string): { text: string; known: boolean } {
  const parts = reason.split('; ').map((part) => {
    for (const [pattern, say] of ZH) {
      const m = pattern.exec(part.trim());
      if (m) return say(m);
    }
    return undefined;
  });
  if (parts.some((p) => p === undefined)) return { text: UNROUTABLE_ZH, known: false };
  return { text: parts.join('；'), known: true };
}

/**
 * The place of a case routing could not place, in a language: 无法定位网格，已转值班台 and why (in
 * Chinese when every part of the reason is known); English says it with the case of record's words.
 */
export function unroutableText(lang: Lang, reason: string | null | undefined): string {
  const head = t(lang, 'case.unroutable');
  if (!reason) return head;
  if (lang === 'en') return `${head}: ${reason}`;
  const zh = routingReasonZh(reason);
  return zh.known ? `${head}：${zh.text}` : head;
}
