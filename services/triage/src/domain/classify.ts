import type { Category, Kind, RuleSet, Severity } from '@gridcase/contracts';
import { CATCH_ALL } from './duplicates.ts';
import { appliesTo, grade } from './grade.ts';
import { categoryModel, dangerWords, gradeModel, guessCategory, type LearnedGuess, learnedClauses, type TrainingSet } from './learned-category.ts';
import { type Cues, type MatchContext, matchCues, matchContext } from './rules.ts';
import { AIR_CONDITIONED, ANIMAL_SHUT_IN_CAR, EVERYDAY_DANGER_WORDS, EX_PARTNERS_PARTNER_NAMED, NET_SELF_HARM, PARTY_WORDS, SEED_RULES, THREAT_OF_NO_HARM, THREAT_TO_A_PERSON } from './seed-rules.ts';
import { segmentClauses } from './segment.ts';

/** What chose the category: the sender, a rule, the learned model, the sender's kind hint, or nothing (unclassified). */
export interface DecidedBy {
  by: 'sender' | 'rule' | 'learned' | 'kind-hint' | 'none';
  /** The rule that chose it (by `rule`). */
  rule?: string;
  /** The learned model's id (by `learned`): method and training-set digest. */
  model?: string;
  /** The model's probability for the category (by `learned`). */
  score?: number;
}

export interface MatchedRule {
  rule: string;
  matched: string[];
  /** The learned model's probability (its entry only). */
  score?: number;
  /** The category the learned model read (its entry only). */
  category?: string;
}

export interface Classification {
  category: Category;
  severity: Severity;
  /** The rules that decided, on one line, for the duty desk and the case.opened event. */
  rule: string;
  /** Every rule that matched, each with the words (or code, or hint) it matched on; `explain` lists them. */
  rules: MatchedRule[];
  decidedBy: DecidedBy;
  /** Who set the grade: the grading rules, or the learned grade model where it changed theirs. */
  gradedBy: 'rules' | 'learned';
}

export interface ReportText {
  category?: string | undefined;
  kind?: Kind | undefined;
  title?: string | undefined;
  description: string;
}

const KIND_FALLBACK: Record<Kind, string> = {
  dispute: 'dispute.general',
  hazard: 'hazard.public-order',
  service: 'service.general',
  tip: 'tip.fraud',
};

const UNCLASSIFIED: Category = { code: 'unclassified', kind: 'unclassified', name: { zh: '未分类', en: 'Unclassified' }, defaultSeverity: 'yellow' };

const quoted = (words: readonly string[]) => words.map((w) => `"${w}"`).join(', ');

/**
 * Rules below this priority name only where or how (楼上, 超市, 吵, 帮忙, 找不到): the learned model, when
 * confident, may read the report better than they do. Rules at or above it decide on their own.
 */
export const FIRM_RULE_PRIORITY = 40;
/** The learned model decides at this probability or above when no rule matched; below it, the kind hint or unclassified. */
export const LEARNED_CONFIDENCE = 0.5;
/**
 * Over a weak rule the model must be this sure, except where the weak rule chose its kind's catch-all
 * (吵 → dispute.general): there the model says which dispute at LEARNED_CONFIDENCE, as long as it stays
 * within the kind. Chosen by eval/cross-validate.ts on the training files: naive Bayes averaged with a
 * logistic regression is seldom over-sure, so a lower bar than naive Bayes alone needed (0.95) does better.
 */
export const LEARNED_OVER_WEAK_RULE = 0.5;
/**
 * The model outvotes even a firm rule at this probability, chosen by eval/cross-validate.ts: on 2 911
 * reports 0.5 / 0.7 / 0.9 → 84.5 / 85.1 / 84.2 % category; on 6 761, 0.5 / 0.6 / 0.7 / 0.8 → 89.4 / 89.3 /
 * 89.0 / 88.8 % (0.6 keeps the rules' word on more of what they name, for 0.1 point).
 */
export const LEARNED_OVER_FIRM_RULE = 0.6;
/**
 * A firm tip rule, or a firm rule reading a person in danger (help graded red), the model outvotes only at this probability.
 * Chosen by eval/cross-validate.ts on 10 961 reports: category 9 991 right with the firm bar (0.6), 9 988 at 0.9;
 * the outvotes it keeps out below 0.9 were as often wrong as right (a tip read as a quarrel, 有人喊救命 as hazard.fire).
 */
export const LEARNED_OVER_GUARDED_RULE = 0.9;
/**
 * The grade model overrides the rules' grade at this probability or above (to lower it; to raise it, see below), except that it
 * never lowers a grade the rules made red: a danger cue found in the text stands (the safety net); nor below the category default (lowestLearnedGrade).
 * Cross-validation with the grading rules among the grade model's features: 0.8 and 0.9 grade best (86.6 %; 0.6: 86.1 %).
 */
export const LEARNED_GRADE_CONFIDENCE = 0.8;
/**
 * To raise the rules' grade the grade model must be surer than to lower it: raising was its largest
 * source of errors (orange read red, yellow read orange), and the red floor below still catches a
 * likely red. Cross-validation on 4 961 reports: grade 87.7 → 88.0 % at 0.9 (88.3 % at 0.99 but with 4
 * reds below orange instead of 1), category unchanged.
 */
export const LEARNED_GRADE_RAISE_CONFIDENCE = 0.9;
/**
 * A report that the grade model (either of its models, where it has two) gives at least this chance of being red,
 * with red among its two likeliest grades, is graded orange at least (cross-validation: no red report
 * of 694 left below orange).
 */
export const LEARNED_RED_FLOOR = 0.1;

/**
 * The model's red needs a danger cue (the contract's red is a danger now): a red grading rule that matches
 * the text, a category red by default, or a danger word the grade model learned — a word or character
 * pair seen in at least this many red reports and at least e^LEARNED_DANGER_MARGIN times as likely in a
 * red report as in an orange or a yellow one (要杀, 塔吊, 铁锨: dangers the rules do not list). Without one,
 * a learned red is held at orange, and an ordinary dispute (below) keeps the rules' grade. Chosen by
 * eval/cross-validate.ts on 10 961 reports (grade % / reds below orange): no danger cue needed 89.9 / 3;
 * rule cues only 88.1 / 3 (247 red reports whose danger no rule names held at orange); danger words of
 * ≥ 5 red reports 89.9 / 3 (but 楼上楼下, of six red reports, a danger), ≥ 8 90.0 / 3, ≥ 12 89.9 / 4, ≥ 20 89.8 / 9;
 * margin at ≥ 8: 0.5 89.9 / 3, 0.7 90.0 / 3, 1.0 90.0 / 5.
 */
export const LEARNED_DANGER_REPORTS = 8;
export const LEARNED_DANGER_MARGIN = 0.7;

/** The thresholds above in one place, so eval/cross-validate.ts can try others without editing this file. */
export interface LearnedThresholds {
  confidence: number;
  overWeakRule: number;
  overFirmRule: number;
  overGuardedRule: number;
  gradeConfidence: number;
  gradeRaiseConfidence: number;
  redFloor: number;
  dangerReports: number;
  dangerMargin: number;
}
export const LEARNED_THRESHOLDS: LearnedThresholds = {
  confidence: LEARNED_CONFIDENCE,
  overWeakRule: LEARNED_OVER_WEAK_RULE,
  overFirmRule: LEARNED_OVER_FIRM_RULE,
  overGuardedRule: LEARNED_OVER_GUARDED_RULE,
  gradeConfidence: LEARNED_GRADE_CONFIDENCE,
  gradeRaiseConfidence: LEARNED_GRADE_RAISE_CONFIDENCE,
  redFloor: LEARNED_RED_FLOOR,
  dangerReports: LEARNED_DANGER_REPORTS,
  dangerMargin: LEARNED_DANGER_MARGIN,
};
const GRADES: readonly Severity[] = ['red', 'orange', 'yellow', 'service'];

/** The learned entry of `rules`: its words, its score and the category it read. */
const learnedEntry = (guess: LearnedGuess): MatchedRule => ({
  rule: 'learned',
  matched: guess.words,
  score: Math.round(guess.probability * 1000) / 1000,
  category: guess.category,
});

/**
 * A report's category and risk grade under a rule document (the seed unless another is given).
 * The category: the sender's code when the document knows it, else the matching classification rule
 * of highest priority if it is firm (priority ≥ FIRM_RULE_PRIORITY), else the learned model when
 * `learned` is given and it is confident (≥ LEARNED_CONFIDENCE; within the sender's kind hint if any),
 * else a weaker rule, else the sender's kind hint, else unclassified. The grade is always computed
 * from the text (grade.ts). Pure: the same report, document and training set give the same answer.
 */
export function classify(report: ReportText, ruleSet: RuleSet = SEED_RULES, learned?: TrainingSet, thresholds: LearnedThresholds = LEARNED_THRESHOLDS): Classification {
  const find = (code: string) => ruleSet.categories.find((c) => c.code === code);
  const text = `${report.title ?? ''}\n${report.description}`;
  const clauses = segmentClauses(text, ruleSet.dictionary);
  const ctx = matchContext(clauses, ruleSet);
  // The models read the report without its address, preamble and contact lines (boilerplate.ts); the rules read it all.
  let modelRead: string[][] | undefined;
  const readByModels = () => (modelRead ??= learnedClauses(text, ruleSet.dictionary, clauses));
  const rules: Classification['rules'] = [];
  // The words the grade model learned as danger (LEARNED_DANGER_REPORTS), read once and only where asked.
  let dangerSeen: string[] | undefined;
  const dangerInText = () =>
    (dangerSeen ??= learned
      ? dangerWords(gradeModel(learned, ruleSet), readByModels(), thresholds.dangerReports, thresholds.dangerMargin).filter((w) => !onlyOfParties(w, text))
      : []);
  // A plain quarrel: the rules read their catch-all dispute (吵架, 争吵, 口角) and nothing but yellow disputes, no
  // grading rule, and no word is a danger.
  const quarrel = ruleSet.classification.some((r) => r.category === CATCH_ALL.dispute && matchCues(r, ctx) !== undefined);
  const plainQuarrel = quarrel && onlyOrdinary(ctx, ruleSet, isOrdinaryDispute) && dangerInText().length === 0;

  const given = report.category ? find(report.category) : undefined;
  // The category the text reads as: the report's unless the sender gave one, and then still what the red grading
  // rules written for a category (a missing child, a fraud now, a crowd) read the text by.
  // A question about a scenario (如果有人发短信威胁我，我应该怎么保存证据？) is read and graded without the scenario's clauses: its
  // rules say what the report asks (想咨询一下, a question), not what it asks about (孩子走丢了, a missing child).
  const scenario = questionScenario(clauses);
  const askedCtx = scenario.length ? matchContext(clauses.filter((c) => !scenario.includes(c)), ruleSet) : ctx;
  const read = () => readCategory(report, readByModels, askedCtx, ruleSet, learned, thresholds, plainQuarrel);
  let category: Category;
  let decided: string;
  let decidedBy: DecidedBy;
  let textCategory: Category;
  if (given) {
    category = given;
    decided = `category given by sender: ${given.code}`;
    decidedBy = { by: 'sender' };
    rules.push({ rule: 'sender-category', matched: [given.code] });
    textCategory = read().category;
  } else {
    const text = read();
    ({ category, decided, decidedBy } = text);
    rules.push(...text.rules);
    textCategory = category;
  }

  const gradingCtx = askedCtx;
  const graded = grade(category, gradingCtx, ruleSet.grading, textCategory);
  rules.push(...graded.rules);
  const setAside = scenario.length ? grade(category, ctx, ruleSet.grading, textCategory).rules.filter((r) => !graded.rules.some((g) => g.rule === r.rule)) : [];
  if (scenario.length) rules.push({ rule: 'question-scenario', matched: scenario.map((c) => c.join('')) });
  const gradeGuess = learned && graded.severity !== 'statutory' ? guessCategory(gradeModel(learned, ruleSet), readByModels(), new Set(GRADES), ctx) : undefined;
  if (gradeGuess) rules.push({ ...learnedEntry(gradeGuess), rule: 'learned-grade' });
  const gradingRule = (id: string) => ruleSet.grading.find((g) => g.id === id);
  const atGrade = graded.rules.filter((r) => gradingRule(r.rule)?.grade === graded.severity);
  // The model may raise any grade, but lower only a grade reached by rules it is sure enough to overrule (their
  // modelMayLowerAt, seed-rules.ts), and never below the category's default (lowestLearnedGrade): a cue whose word is the
  // act (推搡, 飞线充电) keeps the grade it gives, and 燃气泄露, 有人走丢了 and 有人非法集资 were service on the model's 0.83–0.89.
  const lowers = gradeGuess !== undefined && GRADES.indexOf(gradeGuess.category as Severity) > GRADES.indexOf(graded.severity);
  const learnedGrade = gradeGuess && (lowers ? heldAtLowest(gradeGuess.category as Severity, category) : (gradeGuess.category as Severity));
  const firmAtGrade = atGrade.filter((r) => {
    const bar = gradingRule(r.rule)?.modelMayLowerAt;
    return bar === undefined || (gradeGuess?.probability ?? 0) < bar;
  });
  // Said of a thing, a gone word is no danger: the words a lost-property rule matched (钱不见, 不见了) do
  // not count as the danger the model learned them for (missing children).
  const thingGone = isLostProperty(category)
    ? rules.filter((r) => isLostProperty(ruleSet.categories.find((c) => c.code === ruleSet.classification.find((k) => k.id === r.rule)?.category))).flatMap((r) => r.matched)
    : [];
  const everyday = NO_DANGER_CONTEXT.some((cues) => matchCues(cues, ctx) !== undefined);
  // A thing lost or dropped names its owner (孩子的球掉进井里了): a rule written for another category reads the owner there
  // (孩子 as a missing child, 老人 as a party to a dispute), not a danger, so only the rules that apply to lost property count.
  const grading = isLostProperty(category) ? ruleSet.grading.filter((g) => appliesTo(g, category)) : ruleSet.grading;
  // A danger word the model learned counts where the report tells it, not in a question's scenario.
  const told = scenario.length ? gradingCtx.clauses.map((c) => c.join('')).join('\n') : undefined;
  const dangerTold = () => dangerInText().filter((w) => !thingGone.some((m) => m.includes(w)) && (told === undefined || told.includes(w)));
  // With an everyday context the words the model learned are no danger, nor are the red rules written for another category (小孩 of
  // a missing child in 剪刀石头布游戏的声音太大了，楼上小孩): only a red rule that grades this report counts.
  // A red rule of the missing-person category alone names who is missing (小孩, 老人): the category is the danger. In a
  // report of another category it names a child at play or an elder, no danger now (audit22 #3: 楼上小孩跑跳噪音 was red).
  const namesWhoIsGone = (g: RuleSet['grading'][number]) => !appliesTo(g, category) && (g.categories?.every((c) => c === MISSING_PERSON) ?? false);
  const dangerRules = (everyday ? grading.filter((g) => appliesTo(g, category)) : grading).filter((g) => !namesWhoIsGone(g));
  const danger = (): boolean => dangerCue(category, gradingCtx, dangerRules, everyday ? [] : dangerTold());
  // An ordinary matter: the rules found nothing but a yellow dispute (邻居, 吵架, 噪音) or lost property
  // (钱不见了) and no risk of any grade, and no danger word is in the text. The model learned 吵架 and 楼上楼下
  // from quarrels that went on to a knife, and 不见了 from missing children; without the knife or the
  // child it neither makes the report red nor floors it at orange.
  const ordinary = (category.defaultSeverity === 'yellow' || isLostProperty(category)) && onlyOrdinary(gradingCtx, ruleSet, undefined, grading) && !danger();
  // Nor does the model raise a plain quarrel (above) to orange on words no rule reads as a risk (小区门口有人吵架:
  // 小区, 有人, 门口); a crowd, a repeat or shoving is a grading rule, and then the quarrel is not plain.
  const raisesPlainQuarrel = plainQuarrel && isOrdinaryDispute(category) && !lowers;
  // Nor does it raise, or floor at orange, a report whose danger word is in an everyday use and which no grading rule reads
  // (煤气灶打不着火了，找谁修: 着火, learned from fires; 楼下KTV唱刀郎的歌: 刀).
  const raisesEveryday = everyday && !lowers && graded.rules.length === 0;
  const overrides =
    gradeGuess &&
    !raisesPlainQuarrel &&
    !raisesEveryday &&
    gradeGuess.probability >= (lowers ? thresholds.gradeConfidence : Math.max(thresholds.gradeConfidence, thresholds.gradeRaiseConfidence)) &&
    learnedGrade !== graded.severity &&
    graded.severity !== 'red' &&
    !(lowers && firmAtGrade.length > 0);
  // The character-level safety net is named on the line only where no word-level rule reached the grade.
  const byWords = atGrade.filter((r) => gradingRule(r.rule)?.match !== 'characters');
  const raisedBy = byWords.length ? byWords : atGrade;
  const asked = setAside.length ? ` (${setAside.map((r) => `${r.rule} ${quoted(r.matched)}`).join('; ')} only in the question's scenario ${quoted(scenario.map((c) => c.join('')))})` : '';
  const why = `${raisedBy.length ? raisedBy.map((r) => `${r.rule} ${quoted(r.matched)}`).join('; ') : 'category default'}${asked}`;
  let severity = overrides && learnedGrade ? learnedGrade : graded.severity;
  const floored = learnedGrade !== gradeGuess?.category ? ` ${gradeGuess?.category} held at ${learnedGrade} for ${category.code},` : '';
  let because =
    overrides && gradeGuess ? `learned-grade ${gradeGuess.probability.toFixed(2)}${floored} ${quoted(gradeGuess.words)} (rules: ${graded.severity} by ${why})` : why;
  if (severity === 'red' && graded.severity !== 'red' && (ordinary || !danger())) {
    because = ordinary ? `${why} (learned-grade red ${gradeGuess?.probability.toFixed(2)} set aside: an ordinary matter, no danger cue)` : `${because}; no danger cue, so orange`;
    severity = ordinary ? graded.severity : 'orange';
  }
  // The models' own safety net: a report either grade model finds at all likely to be red (red among
  // its two likeliest grades) is never graded below orange — unless the model is as sure of a grade below
  // orange as it must be to lower one (楼下邻居吵架，声音很大: yellow 0.83, red 0.17 is a quarrel, not a danger),
  // or the report is an ordinary dispute.
  const sureBelowOrange = gradeGuess !== undefined && GRADES.indexOf(gradeGuess.category as Severity) > GRADES.indexOf('orange') && gradeGuess.probability >= thresholds.gradeConfidence;
  const redChance = sureBelowOrange ? 0 : Math.max(0, ...(gradeGuess?.opinions ?? []).filter(redAmongTwo).map((p) => p.get('red') ?? 0));
  const belowOrange = severity === 'yellow' || severity === 'service';
  if (belowOrange && redChance >= thresholds.redFloor && !ordinary && !raisesEveryday) {
    because = `learned-grade red ${redChance.toFixed(2)} (without it: ${severity} by ${because})`;
    severity = 'orange';
  } else if (belowOrange && (ordinary || raisesEveryday) && redChance >= thresholds.redFloor) {
    because = `${because} (learned-grade red ${redChance.toFixed(2)} set aside: ${ordinary ? 'an ordinary matter' : 'an everyday use'}, no danger cue)`;
  }
  return { category, severity, rule: `${decided}; ${severity} by ${because}`, rules, decidedBy, gradedBy: severity === graded.severity ? 'rules' : 'learned' };
}

interface TextCategory {
  category: Category;
  decided: string;
  decidedBy: DecidedBy;
  rules: MatchedRule[];
}

/**
 * The category the text reads as (classify's rules, then the learned model, the kind hint or unclassified),
 * whatever category the sender gave.
 */
function readCategory(
  report: ReportText,
  modelClauses: () => string[][],
  ctx: MatchContext,
  ruleSet: RuleSet,
  learned: TrainingSet | undefined,
  thresholds: LearnedThresholds,
  plainQuarrel: boolean,
): TextCategory {
  const find = (code: string) => ruleSet.categories.find((c) => c.code === code);
  const rules: MatchedRule[] = [];
  let category: Category;
  let decided: string;
  let decidedBy: DecidedBy;
  let best: { priority: number; category: Category; id: string; words: string[]; standsAgainstModel: boolean; placeOnly: boolean } | undefined;
  for (const rule of ruleSet.classification) {
    const words = matchCues(rule, ctx);
    const target = words ? find(rule.category) : undefined;
    if (!words || !target) continue;
    rules.push({ rule: rule.id, matched: words });
    // A place names where, not what: it decides only when no other rule read anything (超市门口有人吵架 is a quarrel).
    const placeOnly = rule.placeOnly === true;
    const wins = !best || (placeOnly === best.placeOnly ? rule.priority > best.priority : !placeOnly);
    if (wins) best = { priority: rule.priority, category: target, id: rule.id, words, standsAgainstModel: rule.learnedMayOutvote === false, placeOnly };
  }
  const hinted = report.kind ? find(KIND_FALLBACK[report.kind]) : undefined;
  // A plain quarrel stays an ordinary dispute: the model may say which (邻居, 物业), not read it as a fight or
  // a public-order hot spot on words no rule reads as a risk (小区门口有人吵架: 口有, 区门).
  const read = learned ? guessWithin(learned, modelClauses(), ctx, ruleSet, report.kind, plainQuarrel) : undefined;
  // A firm rule decides unless the model, trained on many more wordings than any rule lists, is nearly sure of another category.
  // The model cannot judge a category it never learned (one an admin just added): such a rule stands, as
  // does a rule the document says the model may never outvote (a missing elderly person or child).
  const unjudged = best && read && (!read.scores.has(best.category.code) || best.standsAgainstModel);
  // A person in danger: the rules read help (割腕, 有人要跳河, 倒在血泊中) and grade it red.
  const inDanger = (helped: Category) => helped.code === CATCH_ALL.service && grade(helped, ctx, ruleSet.grading).severity === 'red';
  // Nor a person threatened: the rules read a conflict (dispute.general: 说要弄死我) and grade it red.
  const threatened = (conflict: Category) => conflict.code === CATCH_ALL.dispute && grade(conflict, ctx, ruleSet.grading).severity === 'red';
  // The model does not file a person in danger or threatened as a tip on words of no tip rule (有人, 人要, learned from drug users
  // threatening to jump; 打电话 of 打电话说要让我好看, from frauds): a tip goes to the police alone and hides the text from the grid.
  const tipOverDanger = (code: string, helped: Category) =>
    find(code)?.kind === 'tip' && !ruleSet.classification.some((r) => r.category === code && matchCues(r, ctx) !== undefined) && (inDanger(helped) || threatened(helped));
  // Nor does it outvote a tip rule or a person in danger unless nearly sure (LEARNED_OVER_GUARDED_RULE): it read
  // 3号楼2单元有人在家吸毒 as hazard.fire at 0.63 on 号楼 and 单元, and a wrist cut behind a hotline address at 0.86. A tip filed
  // as another trouble reaches the grid with the tipster's words; a person in danger filed as a fire, the wrong responders.
  const guarded = best && (best.category.kind === 'tip' || inDanger(best.category));
  const bar = guarded ? Math.max(thresholds.overFirmRule, thresholds.overGuardedRule) : thresholds.overFirmRule;
  const outvoted = read && best && !unjudged && read.probability >= bar && read.category !== best.category.code && !tipOverDanger(read.category, best.category);
  const firm = best && (best.priority >= FIRM_RULE_PRIORITY || unjudged) && !outvoted;
  const guess = !firm ? read : undefined;
  if (guess) rules.push(learnedEntry(guess));
  const guessed = guess ? find(guess.category) : undefined;
  const refines = best && guessed?.kind === best.category.kind && CATCH_ALL[best.category.kind] === best.category.code;
  const needed = best && !refines ? thresholds.overWeakRule : thresholds.confidence;
  const confident = guess && guess.probability >= needed ? guess : undefined;
  const modelCategory = confident ? guessed : undefined;
  if (best && (firm || !modelCategory || modelCategory.code === best.category.code)) {
    category = best.category;
    decided = `${best.id} ${quoted(best.words)} → ${category.code}`;
    decidedBy = { by: 'rule', rule: best.id };
  } else if (confident && modelCategory) {
    category = modelCategory;
    decided = `learned ${confident.probability.toFixed(2)} ${quoted(confident.words)} → ${category.code}${best ? ` (over ${best.priority >= FIRM_RULE_PRIORITY ? 'firm' : 'weak'} rule ${best.id})` : ''}`;
    decidedBy = { by: 'learned', model: confident.model, score: Math.round(confident.probability * 1000) / 1000 };
  } else if (hinted) {
    category = hinted;
    decided = `kind hint ${report.kind} → ${category.code}`;
    decidedBy = { by: 'kind-hint' };
    rules.push({ rule: 'kind-hint', matched: [report.kind as string] });
  } else {
    category = find('unclassified') ?? UNCLASSIFIED;
    decided = `no rule matched${guess ? ` and the learned model is unsure (${guess.category} ${guess.probability.toFixed(2)})` : ''} → ${category.code}`;
    decidedBy = { by: 'none' };
  }
  return { category, decided, decidedBy, rules };
}

/**
 * What the text says the apparent danger is: everyday smoke (抽烟, 烧烤, 油烟: no fire now), an animal shut in a car
 * (狗被锁在车里了: no person shut in), a car cooled (开着空调), a lawful step (法院, 起诉, 就报警) or a threat of no harm (威胁要开除我). With one of these and no
 * red rule, the danger words the grade model learned (很重 of 煤气味很重, 再不…还钱 of 再不还钱就砍死你, 烟 of a fire, 车里
 * of a child shut in) are no danger cue: 有人在楼道里抽烟，烟味很重, 他说再不还钱就去法院告我 and 狗被锁在车里了 were red by
 * the model alone.
 */
export const NO_DANGER_CONTEXT: readonly Cues[] = [
  // Smoke, and whose it is; not where gas or a flame is named (燃气管道…冒气…附近还有人在抽烟 is a gas leak).
  {
    match: 'characters',
    any: ['抽烟', '吸烟', '香烟', '二手烟', '烧烤', '烤串', '撸串', '油烟', '炒菜', '做饭', '蚊香'],
    all: ['烟'],
    unless: ['燃气', '煤气', '天然气', '液化气', '漏气', '火', '爆炸', '焦糊', '烧焦'],
  },
  // An animal shut in a car (狗被锁在车里了): 车里 and 锁在, learned from children shut in, are the animal's; no person named shut in.
  ANIMAL_SHUT_IN_CAR,
  // A danger word in an everyday use (剪刀石头布, 磨菜刀, 刀郎, 打不着火, 急救培训, 杀鸡杀鱼): the model's 剪刀, 菜刀, 着火 and 血 are none there.
  EVERYDAY_DANGER_WORDS,
  // A car with its air conditioning on (我把钥匙锁车里了，狗也在里面，开着空调): 车里 and 我把, learned from children shut in, are none; a person
  // shut in is still red by the rules (red.trapped.car), which apply to every category.
  { match: 'characters', any: AIR_CONDITIONED, all: ['车'] },
  // A threat of no harm (老板威胁要开除我, 他威胁我说要去单位闹): the model's 威胁, learned from threats to kill, is none there.
  THREAT_OF_NO_HARM,
  { match: 'characters', any: ['法院', '起诉', '告我', '告你', '告他', '告她', '打官司', '律师', '仲裁', '法律途径', '走法律', '就报警', '就去报警', '要报警', '去派出所告'] },
];

/**
 * A question asking what to do (应该怎么, 怎么办, 请问 …): with a hypothetical (如果有人发短信威胁我，我应该怎么保存证据？) it asks
 * about a scenario, which the guide grades as a question (service), not a danger now.
 */
const ASKING = ['怎么办', '咋办', '怎么处理', '应该怎么', '该怎么', '要怎么', '怎么保存', '怎么举报', '怎么核实', '怎么做', '做什么', '如何', '怎样', '请问', '想问', '咨询', '请教', '找谁', '打什么电话', '哪个电话', '哪个部门', '向哪里', '去哪里'];
/**
 * Told anywhere in the report, a danger now or a real situation (现在, 正在, 刚才, 已经, 天天, 快来, 他说, 你们 …: 他现在拿刀在门口，
 * 我应该怎么办？): the report is no scenario, and its red stays. Read in the characters, negations or not (如果你们不管…: a
 * hypothetical is no denial here). Self-harm talk, which a family often puts as a question (如果我女儿说想自杀我该怎么办), keeps its
 * red too, unless it is only in a scenario of someone in general (想问问如果有人要跳楼，我们应该怎么劝: SOMEONE).
 */
const TOLD_NOW = [
  ...['现在', '正在', '此刻', '这会儿', '刚才', '刚刚', '就在', '还在', '已经', '马上', '快来', '快点', '赶紧', '赶快', '救命', '救救', '再不来', '你们'],
  ...['天天', '每天', '一直', '总是', '又', '今天', '今晚', '昨天', '昨晚', '前天', '他说', '她说', '说要', '扬言', '放话', '门口', '楼下'],
];
const SOMEONE = '有人';
/** A hypothetical opening a clause (如果, 假如, 要是, 万一 …) makes the clause a scenario. */
const SCENARIO_MARKERS: ReadonlySet<string> = new Set(['如果', '假如', '要是', '万一', '假设', '倘若', '假使', '如若', '若是', '一旦', '如果说']);
/** The asking words among QUESTION_OPENERS: after one, 遇到 opens a scenario as 如果 does (请问遇到燃气泄漏应该怎么处理; not 我遇到…). */
const ASKING_OPENERS: ReadonlySet<string> = new Set(['请问', '想问', '想问问', '问问', '问一下', '咨询', '想咨询', '请教']);
const WHEN_MEETING: ReadonlySet<string> = new Set(['遇到', '碰到', '遇上', '碰上']);
/** Asking ahead of any trouble (家里煤气泄漏了该打什么电话，想提前存一下): each clause of the report that asks what to do is a scenario. */
const ASKING_AHEAD = ['想提前', '提前存', '提前了解', '提前问', '存一下', '以防万一', '以备'];
/** What may come before the marker in a scenario's clause: only the asking (请问如果…, 我想问一下如果…, 市民咨询如果…). */
const QUESTION_OPENERS: ReadonlySet<string> = new Set(['请问', '想问', '想问问', '问问', '问一下', '想', '问', '一下', '我', '咨询', '想咨询', '请教', '您好', '你好', '那', '那么', '市民', '群众']);

/**
 * The clauses of a question's scenario, which classify grades the report without: in a report asking what to do (ASKING) that
 * tells nothing of TOLD_NOW, each clause a hypothetical opens (after the asking at most). A marker inside what someone said
 * (他说如果我不还钱就杀了我) opens nothing, and a clause no marker opens (他拿刀在门口) is the report, so its danger stays.
 */
function questionScenario(clauses: readonly string[][]): string[][] {
  const said = clauses.map((c) => c.join(''));
  const text = said.join('\n');
  if (!ASKING.some((w) => text.includes(w)) || TOLD_NOW.some((w) => text.includes(w))) return [];
  const asks = (clause: string) => ASKING.some((w) => clause.includes(w));
  // A consultation first (想咨询一下，孩子走丢了应该第一时间做什么): a clause of asking words alone, then clauses that ask.
  const first = clauses[0] ?? [];
  const consults = first.length > 0 && first.every((w) => QUESTION_OPENERS.has(w)) && first.some((w) => ASKING_OPENERS.has(w));
  const ahead = ASKING_AHEAD.some((w) => text.includes(w));
  const scenario = clauses.filter((words, i) => {
    const opened = words.findIndex((w) => !QUESTION_OPENERS.has(w));
    const marker = words[opened] as string;
    const opens = opened >= 0 && (SCENARIO_MARKERS.has(marker) || (WHEN_MEETING.has(marker) && words.slice(0, opened).some((w) => ASKING_OPENERS.has(w))));
    return opens || ((ahead || (consults && i > 0)) && asks(said[i] as string));
  });
  const selfHarmTold = clauses.some((words, i) => NET_SELF_HARM.some((w) => said[i]?.includes(w)) && !(scenario.includes(words) && words.includes(SOMEONE)));
  return selfHarmTold ? [] : scenario;
}

/** Where `word` is found in `text`, as [start, end) ranges. */
function rangesOf(word: string, text: string): [number, number][] {
  const found: [number, number][] = [];
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) found.push([at, at + word.length]);
  return found;
}

/** Whether every place `word` stands in `text` overlaps a word naming a party (PARTY_WORDS): then it says who, not what. */
function onlyOfParties(word: string, text: string): boolean {
  const parties = PARTY_WORDS.flatMap((p) => rangesOf(p, text));
  const places = rangesOf(word, text);
  return places.length > 0 && places.every(([start, end]) => parties.some(([from, to]) => start < to && from < end));
}

/** A danger to justify red: a red grading rule matching the text (whatever category it is written for), a category red by default, or a learned danger word. */
function dangerCue(category: Category, ctx: MatchContext, grading: RuleSet['grading'], learnedDanger: readonly string[]): boolean {
  return category.defaultSeverity === 'red' || learnedDanger.length > 0 || grading.some((g) => g.grade === 'red' && matchCues(g, ctx) !== undefined);
}

const MISSING_PERSON = 'service.missing-person';

/** Lost property (钱包丢了, 八十块钱不见了): a thing gone, never a person (service.missing-person is its own category). */
const isLostProperty = (c: Category | undefined): boolean => c?.code === 'service.lost-property' || (c?.code.startsWith('service.lost-property.') ?? false);

/** A yellow dispute (邻居, 物业, 吵架): an ordinary quarrel. */
const isOrdinaryDispute = (c: Category | undefined): boolean => c?.kind === 'dispute' && c.defaultSeverity === 'yellow';

/**
 * Whether the rules read the text as nothing but an ordinary matter: only classification rules of `ordinary`
 * categories, and no rule of `grading` (all of them, unless the caller narrows it) at all. Ordinary are yellow disputes, faults yellow by default (路灯,
 * 垃圾堆积; a fault's risks are grading rules: 井盖, 漏电, 消防通道) and lost property: the model learned 不见了
 * from missing children; said of money (钱不见了) it is no danger. A rule that only names a place (超市, 饭馆:
 * `placeOnly`) says nothing of what happened there and is not counted either way.
 */
function onlyOrdinary(
  ctx: MatchContext,
  ruleSet: RuleSet,
  ordinary: (c: Category | undefined) => boolean = (c) => c?.defaultSeverity === 'yellow' || isLostProperty(c),
  grading: RuleSet['grading'] = ruleSet.grading,
): boolean {
  const cues = ruleSet.classification.filter((r) => !r.placeOnly && matchCues(r, ctx) !== undefined).map((r) => ruleSet.categories.find((c) => c.code === r.category));
  return cues.length > 0 && cues.every(ordinary) && !grading.some((g) => matchCues(g, ctx) !== undefined);
}

/**
 * The lowest grade the learned model may give a report of `category`: the category's default. A fight or a hazard orange by
 * default may be yellow (the contract's "an ordinary dispute or a fault with no present danger": a fight already settled, an
 * extinguisher past its date), never service; a tip, a missing person and help keep their default (有人非法集资, 有人走丢了 were
 * service). Holding fights and hazards at orange too read 92 settled fights and 84 plain fire faults orange against the
 * labelling guide (cross-validation grade 90.0 → 88.1 %).
 */
function lowestLearnedGrade(category: Category): Severity {
  const byDefault = category.defaultSeverity;
  return (category.kind === 'dispute' || category.kind === 'hazard') && byDefault === 'orange' ? 'yellow' : byDefault;
}

/** The grade the learned model lowers to, held at the category's lowest (lowestLearnedGrade). */
function heldAtLowest(learned: Severity, category: Category): Severity {
  const lowest = lowestLearnedGrade(category);
  return GRADES.includes(lowest) && GRADES.indexOf(learned) > GRADES.indexOf(lowest) ? lowest : learned;
}

/** Whether red is among a model's two likeliest grades. */
function redAmongTwo(grades: ReadonlyMap<string, number>): boolean {
  const red = grades.get('red') ?? 0;
  return [...grades.values()].filter((p) => p > red).length <= 1;
}

/**
 * Where the model may not take a report in which every one of the cues matches. A threat against a person where the text names
 * no neighbours (THREAT_TO_A_PERSON) is no neighbour quarrel read from where it was made (前妻的男朋友每天在我家楼下堵我，说要弄死我:
 * 楼下, 我家, 0.97); by an ex-partner's new partner it is no family quarrel on 前妻 alone (0.60). The model may still say whose
 * threat it is (兄长…扬言: a family's), and it files none as a tip (readCategory, tipOverDanger).
 */
export const LEARNED_NOT_INTO: readonly { into: string; where: readonly Cues[] }[] = [
  { into: 'dispute.neighbour', where: [THREAT_TO_A_PERSON] },
  { into: 'dispute.family', where: [THREAT_TO_A_PERSON, EX_PARTNERS_PARTNER_NAMED] },
];

/** The learned guess among the document's categories (within the sender's kind when hinted); never `unclassified`. */
function guessWithin(learned: TrainingSet, clauses: string[][], ctx: MatchContext, ruleSet: RuleSet, kind: Kind | undefined, plainQuarrel: boolean): LearnedGuess | undefined {
  const barred = new Set(LEARNED_NOT_INTO.filter((b) => b.where.every((cues) => matchCues(cues, ctx) !== undefined)).map((b) => b.into));
  const allowed = new Set(
    ruleSet.categories
      .filter((c) => c.kind !== 'unclassified' && (!kind || c.kind === kind) && (!plainQuarrel || isOrdinaryDispute(c)) && !barred.has(c.code))
      .map((c) => c.code),
  );
  return guessCategory(categoryModel(learned, ruleSet), clauses, allowed, ctx);
}

export const allCategories = (ruleSet: RuleSet = SEED_RULES): readonly Category[] => ruleSet.categories;
