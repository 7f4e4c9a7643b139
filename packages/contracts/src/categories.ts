import type { Kind, Severity } from './common.ts';

export interface Category {
  code: string;
  kind: Kind | 'unclassified';
  name: { zh: string; en: string };
  defaultSeverity: Severity;
}

/**
 * What a client is told when a category code it gives is not one of GET /v1/categories (a report's
 * `category`, an SLA policy's path). Open311 says it in its own terms, as a service_code.
 */
export const UNKNOWN_CATEGORY = 'unknown category code; see GET /v1/categories';

/**
 * The category tree. `defaultSeverity` is the grade when the text gives no cue (CONTRACT.md "Triage:
 * categories and risk grades"): a fight or a fire hazard is red only with a weapon, an injury, fire
 * or smoke now; a facility fault with no danger is yellow. Shared so intake can reject unknown
 * codes without a call to triage; triage serves it at GET /v1/categories and decides which one a
 * report gets.
 */
export const CATEGORIES: readonly Category[] = [
  { code: 'dispute.general', kind: 'dispute', name: { zh: '矛盾纠纷', en: 'Dispute' }, defaultSeverity: 'yellow' },
  { code: 'dispute.neighbour', kind: 'dispute', name: { zh: '邻里纠纷', en: 'Neighbour dispute' }, defaultSeverity: 'yellow' },
  { code: 'dispute.family', kind: 'dispute', name: { zh: '家庭纠纷', en: 'Family dispute' }, defaultSeverity: 'yellow' },
  { code: 'dispute.property', kind: 'dispute', name: { zh: '物业纠纷', en: 'Property dispute' }, defaultSeverity: 'yellow' },
  { code: 'dispute.land', kind: 'dispute', name: { zh: '土地纠纷', en: 'Land dispute' }, defaultSeverity: 'yellow' },
  { code: 'dispute.labour', kind: 'dispute', name: { zh: '劳资纠纷', en: 'Labour dispute (wages owed)' }, defaultSeverity: 'yellow' },
  { code: 'dispute.debt', kind: 'dispute', name: { zh: '债务纠纷', en: 'Debt dispute' }, defaultSeverity: 'yellow' },
  { code: 'dispute.fight', kind: 'dispute', name: { zh: '打架斗殴', en: 'Fight' }, defaultSeverity: 'orange' },
  { code: 'hazard.fire', kind: 'hazard', name: { zh: '消防安全隐患', en: 'Fire hazard' }, defaultSeverity: 'orange' },
  { code: 'hazard.facility', kind: 'hazard', name: { zh: '设施故障', en: 'Facility fault' }, defaultSeverity: 'yellow' },
  { code: 'hazard.group-rental', kind: 'hazard', name: { zh: '群租房', en: 'Group rental' }, defaultSeverity: 'orange' },
  { code: 'hazard.unregistered', kind: 'hazard', name: { zh: '流动人员漏登漏管', en: 'Unregistered migrants' }, defaultSeverity: 'yellow' },
  { code: 'hazard.small-venue', kind: 'hazard', name: { zh: '九小场所', en: 'Small venue' }, defaultSeverity: 'orange' },
  { code: 'hazard.public-order', kind: 'hazard', name: { zh: '治安重点区域', en: 'Public-order hot spot' }, defaultSeverity: 'orange' },
  { code: 'service.lost-property', kind: 'service', name: { zh: '失物求助', en: 'Lost property' }, defaultSeverity: 'service' },
  { code: 'service.missing-person', kind: 'service', name: { zh: '走失/失联人员', en: 'Missing person' }, defaultSeverity: 'orange' },
  { code: 'service.general', kind: 'service', name: { zh: '为民服务', en: 'Service request' }, defaultSeverity: 'service' },
  { code: 'tip.fraud', kind: 'tip', name: { zh: '电信网络诈骗', en: 'Telecom fraud' }, defaultSeverity: 'orange' },
  { code: 'tip.fundraising', kind: 'tip', name: { zh: '非法集资', en: 'Illegal fundraising' }, defaultSeverity: 'orange' },
  { code: 'tip.pyramid', kind: 'tip', name: { zh: '传销', en: 'Pyramid selling' }, defaultSeverity: 'orange' },
  { code: 'tip.vice', kind: 'tip', name: { zh: '黄赌毒', en: 'Drugs, gambling, pornography' }, defaultSeverity: 'orange' },
  { code: 'tip.cult', kind: 'tip', name: { zh: '邪教', en: 'Cult' }, defaultSeverity: 'orange' },
  // A hostage, a kidnapping, trafficking, a sexual assault, explosives, stalking: a police matter that is danger now. A tip by
  // kind, so the police alone own it (never a grid worker) and community tokens never see its words or who told it.
  { code: 'tip.crime-against-person', kind: 'tip', name: { zh: '侵害人身安全', en: 'Crime against a person' }, defaultSeverity: 'red' },
  { code: 'unclassified', kind: 'unclassified', name: { zh: '未分类', en: 'Unclassified' }, defaultSeverity: 'yellow' },
];

const byCode = new Map(CATEGORIES.map((c) => [c.code, c]));

export const findCategory = (code: string): Category | undefined => byCode.get(code);
