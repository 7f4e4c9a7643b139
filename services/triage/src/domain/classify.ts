import { CATEGORIES, type Category, findCategory, type Kind, type Severity } from '@gridcase/contracts';

export interface Classification {
  category: Category;
  severity: Severity;
  /** The rule that decided, for the duty desk and for /v1/triage/explain. */
  rule: string;
  /** The rules that matched, each with the words (or code, or hint) it matched on; `explain` lists them. */
  rules: { rule: string; matched: string[] }[];
}

/** Keyword → category, first match wins; order from most to least specific. Works on Chinese text. */
export const KEYWORD_RULES: readonly { keywords: readonly string[]; category: string }[] = [
  { keywords: ['诈骗', '刷单', '扫码送', '冒充客服', 'fraud', 'scam'], category: 'tip.fraud' },
  { keywords: ['非法集资', '集资'], category: 'tip.fundraising' },
  { keywords: ['传销'], category: 'tip.pyramid' },
  { keywords: ['赌博', '吸毒', '贩毒', '卖淫', '黄赌毒'], category: 'tip.vice' },
  { keywords: ['邪教'], category: 'tip.cult' },
  { keywords: ['打架', '斗殴', '打人', 'fight'], category: 'dispute.fight' },
  { keywords: ['火', '消防', '煤气', '燃气', 'fire', 'gas leak'], category: 'hazard.fire' },
  { keywords: ['门禁', '报警器', '电梯', 'door access'], category: 'hazard.facility' },
  { keywords: ['群租'], category: 'hazard.group-rental' },
  { keywords: ['漏登', '流动人员', '未登记'], category: 'hazard.unregistered' },
  { keywords: ['网吧', '歌厅', 'KTV', '小旅馆', '九小场所'], category: 'hazard.small-venue' },
  { keywords: ['丢失', '丢了', '丢', '走失', '遗失', 'lost'], category: 'service.lost-property' },
  { keywords: ['家暴', '夫妻'], category: 'dispute.family' },
  { keywords: ['物业'], category: 'dispute.property' },
  { keywords: ['土地', '宅基地'], category: 'dispute.land' },
  { keywords: ['邻居', '邻里'], category: 'dispute.neighbour' },
  { keywords: ['吵架', '纠纷', '争吵', 'quarrel', 'dispute'], category: 'dispute.general' },
];

const KIND_FALLBACK: Record<Kind, string> = {
  dispute: 'dispute.general',
  hazard: 'hazard.public-order',
  service: 'service.general',
  tip: 'tip.fraud',
};

const UNCLASSIFIED = findCategory('unclassified') as Category;

/**
 * Decides a report's category: the sender's code when given, else the first keyword rule that
 * matches title or description, else the sender's kind hint, else unclassified.
 */
export function classify(report: { category?: string | undefined; kind?: Kind | undefined; title?: string | undefined; description: string }): Classification {
  const given = report.category ? findCategory(report.category) : undefined;
  if (given) {
    return {
      category: given,
      severity: given.defaultSeverity,
      rule: `category given by sender: ${given.code}`,
      rules: [{ rule: 'sender-category', matched: [given.code] }],
    };
  }
  const text = `${report.title ?? ''} ${report.description}`.toLowerCase();
  for (const rule of KEYWORD_RULES) {
    const hit = rule.keywords.find((k) => text.includes(k.toLowerCase()));
    const category = hit ? findCategory(rule.category) : undefined;
    if (category) {
      return {
        category,
        severity: category.defaultSeverity,
        rule: `keyword "${hit}" → ${category.code}`,
        rules: [{ rule: `keyword:${category.code}`, matched: [hit as string] }],
      };
    }
  }
  if (report.kind) {
    const category = findCategory(KIND_FALLBACK[report.kind]) as Category;
    return {
      category,
      severity: category.defaultSeverity,
      rule: `kind hint ${report.kind} → ${category.code}`,
      rules: [{ rule: 'kind-hint', matched: [report.kind] }],
    };
  }
  return { category: UNCLASSIFIED, severity: UNCLASSIFIED.defaultSeverity, rule: 'no rule matched → unclassified', rules: [] };
}

export const allCategories = (): readonly Category[] => CATEGORIES;
