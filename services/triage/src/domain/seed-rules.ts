import { CATEGORIES, RuleSet } from '@gridcase/contracts';

/**
 * The seed rule document: what triage runs on until an admin stores another version. Cues are words
 * and phrases as residents and grid workers write them (the evaluation sets in eval/ measure them);
 * see `RuleSet` for how a phrase, `…`, negations and `not` exclusions read. Cues come in families by
 * meaning (who, what happened, what with) rather than phrases copied from one report, so wording the
 * sets never used still lands (eval/fresh2.jsonl and fresh3.jsonl measure that).
 */
/** Who can go missing, and the ways a family says so: 爷爷…不见了, 女儿…联系不上. */
const PERSONS = ['孩子', '小孩', '儿子', '女儿', '闺女', '孙子', '孙女', '老人', '爷爷', '奶奶', '姥姥', '姥爷', '外公', '外婆', '爸', '妈', '娘', '爹', '父亲', '母亲', '老伴', '丈夫', '妻子', '老公', '老婆', '媳妇', '弟弟', '妹妹', '哥哥', '姐姐', '弟', '哥'];
// 不见 also matches 不见了 (a phrase matches whole words, and jieba cuts 不见了 as 不见/了). A rule holds at most 500 cues.
const GONE = ['不见', '找不到', '找不着', '找不见', '没回来', '没回家', '没到家', '联系不上', '打不通', '关机', '没消息', '下落不明', '不知去向', '走丢', '丢了'];
/** Gone-words strong enough to mean a missing person wherever the relative is named (not 找不到: 孩子上学的证明找不到了). */
const CROSS_CLAUSE_GONE: [string, string][] = [
  ['没消息', 'no-news'], ['关机', 'phone-off'], ['联系不上', 'unreachable'], ['打不通', 'no-answer'], ['没回来', 'not-back'],
  ['没回家', 'not-home'], ['没到家', 'not-arrived'], ['下落不明', 'whereabouts-unknown'], ['不知去向', 'gone-nowhere-known'], ['失联', 'lost-contact'],
];
/** Pets that run off are lost property, never a missing person. */
const PETS = ['猫', '狗', '小狗', '小猫', '宠物', '鹦鹉', '狗狗', '猫咪'];
const PET_GONE = ['跑', '跑了', '丢', '丢了', '走丢', '走失', '不见', '不见了', '没回来', '找不到'];
/** Animals kept on a farm or in a yard, as words (马路, 牛奶 and 羊肉 are other words): a sheep that strayed is lost property. */
const LIVESTOCK = ['羊', '牛', '马', '猪', '驴', '鸡', '鸭', '鹅', '兔', '兔子', '鸽子', '羊羔', '牛犊', '小羊', '小牛', '小猪', '牲口', '牲畜', '家禽'];
const ANIMALS = [...PETS, ...LIVESTOCK];
/** An animal gone, in so many words (跑 alone is also a dog running at someone). */
const STRAYED = ['走失', '走丢', '跑丢', '丢了', '不见了', '找不到'];
/** An animal that bit, frightened or fouled: a report about it, not a lost one. */
const ANIMAL_DID_SOMETHING = ['咬', '吓', '拉屎', '叫'];

/** Three or more people: a count (or a vague plural) next to a word for people. 三个月 is not a crowd. */
const CROWD_COUNTS = ['三个', '四个', '五个', '六个', '三四个', '五六个', '七八个', '十来个', '十几个', '十多个', '二十多个', '二十来个', '好几个', '几个', '一群', '一帮', '一伙', '十几', '几十个'];
const MORE_COUNTS = ['七个', '八个', '九个', '十个', '十一个', '十二个', '十五个', '二十个', '三十个', '三十多个'];
const PEOPLE = ['人', '工人', '民工', '小青年', '年轻人', '青年', '学生', '小孩', '孩子', '男的', '女的', '村民', '业主', '住户', '户', '家', '服务员', '员工', '师傅', '老人', '租客', '混混'];
const MORE_PEOPLE = ['老乡', '工友', '人员', '群众', '居民', '商户', '摊贩', '家长', '小伙子', '分拣员', '司机', '保安', '职工', '客人', '醉鬼', '酒鬼', '保洁员', '保洁', '快递员', '外卖员', '骑手', '环卫工'];
const CROWD = [...CROWD_COUNTS.flatMap((n) => PEOPLE.map((p) => `${n}${p}`)), '多人', '多名', '一伙人', '一帮人', '一群人'];
/** Many people at once: with a blocking or gathering word this is a mass incident. */
const MANY = ['几十个', '几十号', '几十人', '好几十', '上百', '上百个', '上百号', '几百', '几百个', '一百多', '一百多个', '一百多号', '成百上千', '大批', '一大群'];
/** 对峙: two sides standing off (一百多号业主和保安对峙). */
const GATHER = ['堵', '围', '聚', '聚集', '冲', '闹', '拦', '对峙'];

/**
 * Ages that make a person elderly, as people write them (八十岁, 七十多岁, 82岁, 我爸八十二了, 今年七十八): a number is
 * an age only with the word that makes it one (岁, 多岁, 来岁, 周岁, 旬, 了 right after it, 今年 before it). 八十块钱,
 * 八十元, 八十平, 八十斤 and 每亩八十 are money and measures. Read in characters, so no segmentation (八十块, 八十/元) decides.
 */
const ELDER_TENS = ['七', '八', '九'];
const ELDER_NUMBERS = ELDER_TENS.flatMap((t) => ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'].map((u) => `${t}十${u}`));
const ELDER_AGES = [
  ...ELDER_NUMBERS.flatMap((n) => [`${n}岁`, `${n}周岁`, `${n}了`, `今年${n}`]),
  ...ELDER_TENS.flatMap((t) => ['多', '来岁', '几岁', '好几岁', '好几了'].map((s) => `${t}十${s}`)),
  ...ELDER_TENS.map((t) => `${t}旬`),
  '六十多岁',
  '六十多了',
  ...Array.from({ length: 35 }, (_, i) => `${65 + i}岁`),
  ...['6', '7', '8', '9'].flatMap((d) => [`${d}0多岁`, `${d}0来岁`]),
];
/** 七十多 is an age (我妈七十多, 七十多岁), but not with a unit after it: 七十多块, 八十多平, 九十多个. */
const NOT_AGES = ELDER_TENS.flatMap((t) =>
  ['块', '元', '万', '千', '斤', '公斤', '米', '平', '亩', '个', '件', '人', '户', '家', '次', '天', '年', '分', '号', '度', '里', '公里', '张', '名', '位', '辆', '只', '台', '套', '间', '箱', '袋', '瓶', '本', '页', '条', '根', '株', '棵', '头', '块钱'].map((u) => `${t}十多${u}`),
);
/** An ex-partner's new partner (前妻的男朋友, 前夫现在的老婆) is no family of the reporter's: 前妻 there only says who the person is. */
const EX_PARTNERS_NEW_PARTNER = ['前妻', '前夫'].flatMap((ex) =>
  ['的', '的新', '现在的', '新找的', '后找的', '找的'].flatMap((of) => ['男朋友', '女朋友', '男友', '女友', '对象', '现任', '老公', '老婆', '男人', '女人', '丈夫', '妻子'].map((partner) => `${ex}${of}${partner}`)),
);
/** Elderly, children, pregnant, disabled, impaired: the contract's vulnerable parties. */
const ELDERLY = ['老人', '老年人', '独居老人', '留守老人', '老太太', '老大爷', '老爷子', '老头', '老太', '大爷', '大妈', '奶奶', '爷爷', '姥姥', '姥爷', '外公', '外婆', '老母亲', '老父亲', '老两口'];
const CHILDREN = ['孩子', '小孩', '儿童', '小朋友', '未成年人', '小孙子', '小孙女', '小学生', '初中生', '幼儿', '婴儿', '宝宝', '娃', '娃娃', '学生'];
const IMPAIRED = ['孕妇', '怀孕', '残疾', '残疾人', '瘫痪', '坐轮椅', '盲人', '聋哑', '智障', '智力', '精神病', '精神', '痴呆', '老年痴呆', '阿尔茨海默', '糊涂', '犯糊涂', '记性不好', '记不住', '认不得', '失智', '自闭症'];

/** Things people hit with, and the verbs that say something was picked up to hit with. */
const WEAPONS = ['刀', '菜刀', '砍刀', '水果刀', '西瓜刀', '尖刀', '剔骨刀', '匕首', '剪刀', '镰刀', '斧头', '斧子', '铁棍', '甩棍', '拿刀', '持刀', '刀子', '棍', '棍棒', '棍子', '木棍', '铁棍', '棒子', '木棒', '球棒', '钢管', '铁管', '砖', '砖头', '铁锹', '锄头', '扁担', '枪', '凶器', '拿…砸', '抄起', '操起', '抡起', '举着…砍'];
/** Everyday things are weapons only when swung: 拿着酒瓶 at a bar is not yet, 拿酒瓶砸 is (铁链锁门 never). */
const IMPROVISED = ['酒瓶', '啤酒瓶', '酒瓶子', '瓶子', '秤砣', '扳手', '锤子', '榔头', '铁链', '石头', '椅子', '凳子', '板凳', '木板', '砖', '铁锤', '钢筋'];
const SWUNG = ['砸', '抡', '打', '敲', '扔', '砍'];
const INJURY = ['血泊', '受伤', '流血', '出血', '头破血流', '满脸是血', '骨折', '昏迷', '晕倒', '晕过去', '打伤', '砍伤', '咬伤', '烫伤', '伤', '血', '急救', '打120', '拨打120', '叫120', '叫了120', '喊120', '120急救', '120救护车', '120来了', '救护车', '送医', '送医院', '摔倒', '起不来', '无法起身', '起不了身', '动不了', '肿', '淤青', '青一块', '开瓢', '头破', '打破', '打断', '头晕', '很晕'];
const FIRE_NOW = ['着火', '起火', '失火', '火灾', '浓烟', '明火', '烧起来', '烧着了', '火苗', '火苗子', '火星', '火星子', '冒火', '蹿火', '窜火', '火光', '大火', '火势', '黑烟', '打119', '拨打119', '叫119', '叫了119', '喊119', '119来了', '爆炸'];
/** Smoke alone, which is a fire now only where nothing else makes it: 烟很大 of a barbecue is no fire. */
const SMOKE_NOW = ['冒烟', '冒…烟', '全是烟', '烟很大'];
/** Everyday smoke: cigarettes, a barbecue, cooking, mosquito coils. With it, smoke alone (SMOKE_NOW) is no fire now. */
const EVERYDAY_SMOKE = ['抽烟', '吸烟', '香烟', '烟瘾', '二手烟', '烧烤', '烤串', '撸串', '烤肉', '油烟', '炒菜', '做饭', '烧菜', '熏肉', '腊肉', '蚊香', '烧香', '烟囱'];
const GAS_LEAK = ['煤气味', '燃气味', '天然气味', '臭鸡蛋味', '漏气', '泄漏', '闻到…煤气', '闻到…燃气', '煤气…味', '燃气…味', '燃气灶…味', '燃气…没关', '煤气…没关', '燃气…漏', '煤气…漏', '液化气…漏'];
const SELF_HARM = ['自杀', '跳楼', '跳河', '跳江', '跳桥', '跳下去', '往下跳', '要跳', '轻生', '寻死', '寻短见', '想死', '不想活', '活着没意思', '活着没劲', '活够了', '一了百了', '割腕', '喝农药', '喝了…农药', '喝药', '安眠药', '上吊', '想不开', '站在楼顶', '天台边'];
const THREATS = ['砍死', '杀了', '杀人', '弄死', '打死', '捅死', '宰了', '捅了', '要…的命', '活不成', '同归于尽', '放火', '泼汽油', '炸了'];
/** A threat said (他威胁我, 扬言, 恐吓): red, since it may be harm, unless what it threatens is named and is no harm (NOT_HARM_THREATENED). */
const THREAT_SAID = ['威胁', '恐吓', '扬言', '报复'];
/**
 * What a threat may threaten that is no harm to a person (audit 10): the law or the police, a job, wages or a deposit, a complaint,
 * exposure, a scene, a child kept from a parent (他威胁说要去法院告我, 老板威胁要开除我, 房东威胁要扣押金, 他威胁我说要去单位闹).
 */
const NOT_HARM_THREATENED = THREAT_SAID.flatMap((said) =>
  ['告', '起诉', '法院', '律师', '打官司', '仲裁', '报警', '举报', '投诉', '开除', '辞退', '解雇', '炒', '扣', '不给', '不发', '不退', '不还', '停水', '停电', '曝光', '通讯录', '网上', '朋友圈', '闹', '拉横幅', '不让…见', '见孩子', '上门', '离婚', '分手'].map((what) => `${said}…${what}`),
);
/** A threat naming harm (扬言谁敢过来就劈死谁, 威胁再闹就动手) is red whatever else it names (威胁不还钱就打断腿). */
const HARM_THREATENED = THREAT_SAID.flatMap((said) =>
  ['打你', '打我', '打他', '打她', '打谁', '打人', '打断', '打死', '揍', '砍', '捅', '杀', '弄死', '劈', '拍谁', '卸', '动手', '砸', '烧', '点了', '放火', '泼', '炸', '命', '收拾', '废了'].map((harm) => `${said}…${harm}`),
);
/** A threat of no harm, and none of harm besides: classify.ts reads the grade model's 威胁 there as no danger (NO_DANGER_CONTEXT). */
export const THREAT_OF_NO_HARM = { match: 'characters' as const, any: NOT_HARM_THREATENED, unless: HARM_THREATENED };


/**
 * Broader families, written by meaning and in the registers residents use (Mandarin, 12345 hotline
 * prose, and northern, Sichuan, Wu and Cantonese colloquial forms), not copied from any one report.
 * Families marked `match: 'characters'` read the clause's characters, so jieba's choice of longer
 * words (电梯门, 倒地不起, 西瓜刀) cannot hide a cue; their exclusions say what a cue is not.
 */
/** Anyone a family reports gone, matched in characters (爸 in 老爸 and 爸爸, 老太 in 老太太). */
const KIN_CHARS = ['爸', '妈', '娘', '爹', '儿子', '女儿', '闺女', '丫头', '孙子', '孙女', '外孙', '孩子', '小孩', '娃', '崽', '囡', '伢', '老人', '老头', '老太', '老伴', '爷爷', '奶奶', '姥', '外公', '外婆', '阿公', '阿婆', '阿嬷', '大爷', '大娘', '丈夫', '妻子', '老公', '老婆', '媳妇', '爱人', '哥', '弟', '姐', '妹', '叔', '舅', '姑', '姨', '婶', '侄', '外甥', '家人', '家里人', '老豆'];
/**
 * Who a report is about, never what happened to them: the model learned 小孩 (and 孩在, 孩跑) from missing
 * children, so a learned danger word that is one of these, or straddles one, is no danger (audit22 #3:
 * 楼上小孩跑跳噪音 was red). A missing or hurt child still has the gone-word or the harm, and the rules.
 */
export const PARTY_WORDS = [...new Set([...ELDERLY, ...CHILDREN, ...KIN_CHARS])];
/** Friends and partners: gone is a missing person too, but owed money or wages named with them decides first. */
const ACQUAINTANCES = ['女朋友', '男朋友', '女友', '男友', '对象', '同学', '室友', '舍友', '同事', '朋友', '工友', '老乡'];
/** Ways of saying someone is gone, in characters (还没回 and 还没回来, 找不着, 寻不着, 揾唔到, 一转眼…没了). */
const GONE_CHARS = [
  '不见了', '不见人', '人不见', '找不到', '找不着', '找不见', '寻不着', '寻不到', '揾唔到', '揾不到', '唔见', '没回来', '没回家', '没回去', '没有回来',
  '没有回家', '还没回', '一直没回', '到现在…没回', '未归', '没到家', '没有到家', '没到学校', '没去学校', '没去上学', '联系不上', '联系不到', '失去联系',
  '打不通', '关机', '不接电话', '没消息', '没有消息', '没音讯', '音讯全无', '下落不明', '不知去向', '走丢', '走失', '走散', '失踪', '失联', '丢了',
  '跑丢', '跟丢', '迷路', '迷了路', '找不到家', '不认得路', '认不得路', '不见人影', '人没了', '没影了', '一转眼…没了', '一眨眼…没了', '转身…没了', '找遍',
  '到处找', '四处找', '满街找', '离家出走', '夜不归宿', '彻夜未归', '一夜未归', '一宿没回', '一晚上没回',
];
/** Gone-words strong enough wherever the relative is named (not 找不到 or 丢了: 孩子上学的证明找不到了). */
const KIN_GONE_APART = ['还没回', '一直没回', '到现在…没回', '没回来', '没回家', '没到家', '下落不明', '不知去向', '走失', '走丢', '失踪', '离家出走', '夜不归宿', '彻夜未归', '一夜未归', '找遍', '到处找', '四处找', '一转眼…没了', '跟丢'];
/** Belongings people lose: with a losing word they are lost property, whoever they belong to (老人手机丢了). */
const BELONGINGS = ['钱包', '手机', '钥匙', '身份证', '证件', '驾驶证', '驾照', '银行卡', '卡包', '背包', '书包', '挎包', '包包', '行李', '行李箱', '耳机', '眼镜', '老花镜', '手表', '项链', '戒指', '镯子', '文件', '病历', '雨伞', '充电宝', '平板', '电脑', '相机', '现金', '社保卡', '医保卡', '老年卡', '公交卡', '户口本', '护照', '学生证', '工作证', '钥匙串', '自行车', '滑板车', '婴儿车', '拉杆箱', '箱子', '电动车', '电瓶车'];
/** A belonging, then a losing word: 老人手机丢了, 孩子钥匙找不到了. Not a missing person. */
const BELONGING_LOST = BELONGINGS.flatMap((item) => ['丢', '丢了', '不见', '找不到', '掉了', '弄丢'].map((lost) => `${item}…${lost}`));
/**
 * Money as people name it, by its amount (八十块钱, 两百元, 3000元, 零钱): gone missing it is lost property (or theft,
 * which names itself), never a missing person, whoever it belonged to (奶奶放在柜子里的八十块钱不见了). 块 alone is
 * pieces (掉了好几块), and 钱 alone only right before the gone-word (抽屉里的钱不见了; not 付个钱的工夫她就不见了).
 */
const MONEY = ['块钱', '元钱', '毛钱', '现金', '零钱', '私房钱', '压岁钱', ...['十', '百', '千', '万', '几', '多', '两', '0', '5'].map((n) => `${n}元`)];
const MONEY_LOSING = ['不见', '丢', '弄丢', '找不到', '找不着', '没了', '掉了'];
/** Money, then gone (八十块钱不见了, 两百元丢了, 钱没了). */
const MONEY_LOST = [...MONEY.flatMap((m) => MONEY_LOSING.map((lost) => (lost === '丢' ? `${m}丢` : `${m}…${lost}`))), ...MONEY_LOSING.map((lost) => `钱${lost}`)];
/**
 * Money gone, as exclusions of the missing-person rules (丢 only right after the money: 揣着八十块钱走丢了 is a person gone);
 * not 掉了, which no missing-person rule reads, so NOT_GONE stays within a rule's 500 phrases.
 */
const MONEY_GONE = MONEY_LOST.filter((phrase) => !phrase.endsWith('掉了'));
/** The same in words, for the word rules: the word 钱 (八十块/钱, not 工钱 or 钱包); jieba keeps 走丢 whole, so 丢 is never part of it. */
const MONEY_GONE_WORDS = ['钱', '块钱', '元', '元钱', '万元', '现金', '零钱'].flatMap((m) => ['不见', '丢', '找不到', '没了', '弄丢'].map((lost) => `${m}…${lost}`));
/** Things a person cannot find, which leave the person where they are (孩子找不到作业本; not 找不到路 or 找不到家). */
const THINGS_SOUGHT = ['作业', '作业本', '课本', '书', '本子', '文具', '笔', '衣服', '外套', '鞋', '鞋子', '玩具', '东西', '钱', '药', '证明', '材料', '发票', '票', '车'];
const NOT_FOUND_THINGS = THINGS_SOUGHT.flatMap((thing) => [`找不到${thing}`, `找不着${thing}`]);
/**
 * 失联 (lost contact) followed by 系 is 失 + 联系 (contact): 钥匙丢失联系人王先生, 丢失 联系人 once the space is gone. Said of a person
 * out of touch it is 失联了, 失联两天, 和家里失联, never 失联系. Every rule that reads 失联 sets these aside.
 */
const NOT_LOST_CONTACT = ['失联系'];
/** What a gone-word is not: a thing someone cannot see or find (看不见, 找不到工作), a kin's belonging (孩子的书包), a belonging or money lost. */
const NOT_GONE = [
  ...new Set([
    '看不见', '听不见', '看不到', '找不到工作', '找不到活', '找不到地方', '找不到车位', '找不到停车', '把', '丢了工作', '丢人', ...NOT_LOST_CONTACT,
    ...KIN_CHARS.map((k) => `${k}的`), ...BELONGING_LOST, ...NOT_FOUND_THINGS, ...MONEY_GONE,
  ]),
];
/** 丢了 said of the person (小孩丢了, 我家孙子丢了), not of what they lost (孩子丢了钱包, 老人丢了钥匙). */
const LOST_A_THING = ['丢了…钱', '丢了…东西', '丢了…作业', '丢了…书', '丢了…卡', '丢了…证', '丢了…车', ...BELONGINGS.slice(0, 12).map((b) => `丢了…${b}`)];
/** What a child may be said to have lost (丢失书包, 丢失了钥匙): a belonging, money, school things or a ride. */
const CHILD_LOST_THINGS = [...BELONGINGS, ...THINGS_SOUGHT, '滑板车', '自行车', '单车', '平衡车', '电话手表', '一个', '一只', '一把'];
/** Young children, who are lost rather than lose things where they are taken (宝宝在超市丢了). */
const SMALL_CHILDREN = ['孩子', '小孩', '儿童', '小朋友', '娃', '宝宝', '幼儿', '孙子', '孙女', '囡'];
/** A thing counted after 丢了 (孩子在学校丢了一支笔): a thing lost, not the person (走丢了一个老人 and 丢了两天 are people). */
const LOST_A_COUNTED_THING = ['支', '本', '件', '双', '把', '副', '只', '袋', '盒', '部', '台', '张', '套', '条', '顶', '块'].map((m) => `丢了一${m}`);
/**
 * A missing child, elderly or impaired person, said plainly (老人走丢了, 孩子被人抱走了): the contract's red.
 * The learned model never outvotes it (short retractions, 走丢的孩子找着了, taught it to read these as help),
 * so a retraction or a question about prevention cancels the rule instead (`unless`).
 */
const VULNERABLE_MISSING = [
  '老人', '老头', '老太', '老爷子', '老母亲', '老父亲', '爷爷', '奶奶', '姥', '外公', '外婆', '大爷', '大娘', '阿公', '阿婆', '老伴', '七十多岁', '八十多岁', '九十多岁', '七十岁', '八十岁', '九十岁',
  '孩子', '小孩', '儿童', '小朋友', '娃', '孙子', '孙女', '宝宝', '幼儿', '学生', '儿子', '女儿', '闺女', '囡',
  '痴呆', '糊涂', '智力', '智障', '精神病', '精神不正常', '自闭', '失智', '残疾', '记性不好',
];
const GONE_FOR_SURE = ['走丢', '走失', '走散', '不见了', '不见人', '找不到了', '找不着了', '找不见了', '找不到人', '找不到家', '找不到回家', '失联', '失踪', '联系不上', '联系不到', '下落不明', '不知去向', '抱走', '拐走', '被拐', '拐跑', '被人带走', '被陌生人带走', '弄丢了', '跟丢', '跑丢',
  // A moment's inattention, then gone (孙子在菜市场一转身丢了): 丢了 after it is said of the person.
  '转身…丢了', '转眼…丢了', '眨眼…丢了', '不留神…丢了', '没看住…丢了', '没看好…丢了', '没注意…丢了'];
/** The gone-words that may come first: 走丢了一个老人, 有人抱走了孩子, 找不到孩子了. */
const GONE_BEFORE = ['走丢', '走失', '找不到', '找不着', '抱走', '拐走', '弄丢', '跟丢'];
/**
 * A child, an elderly or an impaired person kidnapped (有人绑架了我女儿，要五十万): a person taken, like 抱走. Not a threat to (要把我孩子
 * 绑走) nor a caller's claim of one, a fraud's ploy (对方称其儿子被绑架，需立即打款).
 */
const KIDNAPPED = VULNERABLE_MISSING.filter((p) => !p.includes('岁')).flatMap((p) => [`绑架…${p}`, `${p}…被绑架`, `${p}…被绑走`, `绑走…${p}`]);
const NOT_KIDNAPPED = ['称…绑架', '说…绑架', '电话…绑架', '冒充…绑架', '要把…绑', '威胁…绑', '说要…绑'];
const RETRACTED = ['找到了', '找着了', '找回来了', '找到人了', '回来了', '回到家', '已经回家', '撤销', '撤回', '撤了', '取消', '不用找', '不用再找', '虚惊', '好着呢', '防走失', '预防走失', '手环', '定位器'];

/**
 * The same person and a sure gone-word in different clauses of one report (我妈有老年痴呆，早上出门到现在联系不上):
 * the person is an elderly (by word or age), impaired or young one (not 儿子 or 女儿, often grown up), the gone-words
 * those that say a person is gone (not 不见了 or 找不到了, said of things; not 到处找: 爷爷把钥匙弄丢了，到处找).
 */
const VULNERABLE_APART = [...VULNERABLE_MISSING.filter((p) => !['儿子', '女儿', '闺女', '学生'].includes(p) && !p.includes('岁')), ...ELDER_AGES];
const GONE_APART = [
  '走丢', '走失', '走散', '失踪', '失联', '联系不上', '联系不到', '失去联系', '找不到人', '找不着人', '不见人', '人不见了', '没回家', '没有回家', '没回来',
  '没有回来', '还没回', '一直没回', '到现在…没回', '没到家', '下落不明', '不知去向', '找不到家', '找不到回家', '迷路', '迷了路',
  // A lost old person cannot say where home is (说不清家在哪里, 问他家住哪说不清楚).
  '说不清家', '家住哪…说不清', '家在哪…说不清', '不知道家在哪', '被拐', '拐走', '抱走', '离家出走', '彻夜未归', '一夜未归', '夜不归宿', '跟丢', '跑丢',
];
/** Someone else the gone-word is said of (联系不上物业, 儿子一直没回来看): then the vulnerable person is not the one gone. */
const OTHER_PARTIES = ['物业', '房东', '中介', '老板', '包工头', '工头', '商家', '卖家', '快递', '客服', '公司', '对方', '司机', '骗子', '开发商', '施工队', '租客', '家属', '子女', '儿女', '家人', '亲属', '监护人', '儿子', '女儿', '闺女', '医生', '社区', '村委', '负责人', '借款人', '业主', '邻居'];
/** A grandparent's home is a place (去了她奶奶家), not the person gone. */
const GRANDPARENTS_HOMES = ['爷爷', '奶奶', '姥姥', '姥爷', '外公', '外婆', '阿公', '阿婆'].map((g) => `${g}家`);
/** A retraction, a person found or fine, a past time or a question about prevention: the report is not of a person gone now. */
const RETRACTED_APART = [...RETRACTED, '回家了', '接回家', '人没事', '捡到一个', '捡到个', '捡了个', '走丢过', '走失过', '丢过', '失踪过', '上次走丢', '上回走丢', '经常走丢', '老是走丢', '总是走丢', '经常走失', '防丢', '怎么防', '如何防'];
/** Ages of a minor as people write them (三岁, 8岁, 十六岁): with a gone-word a child is missing. */
const CHILD_AGES = [
  ...['一', '两', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七'].map((n) => `${n}岁`),
  ...Array.from({ length: 17 }, (_, i) => `${i + 1}岁`),
];
/** Old people by how they are called, beyond the contract's words (老头子, 老太婆, 老人家, 阿婆). */
const ELDERLY_MORE = ['老头子', '老太婆', '老婆子', '老人家', '老大娘', '大娘', '阿婆', '阿公', '老奶奶', '老爷爷', '老汉', '老两口', '老年人', '高龄'];
const CHILDREN_MORE = ['娃儿', '小娃', '小娃娃', '细路', '小囡', '囡囡', '伢子', '幼童', '中学生', '未成年', '小朋友', '婴幼儿', ...CHILD_AGES];

/** Someone collapsed or not breathing: danger to life now (倒地不起, 叫不醒, 口吐白沫). */
const COLLAPSE = ['倒地', '倒地不起', '倒在地上', '躺在地上…不动', '叫不醒', '喊不醒', '叫…没反应', '喊…没反应', '昏倒', '不省人事', '抽搐', '口吐白沫', '没呼吸', '没有呼吸', '没了呼吸', '喘不上气', '呼吸困难', '溺水', '落水', '掉水里', '掉进…河'];
/** A cry for help: someone is in danger now, whatever the dispute around it (喊救命, 呼救). */
const DISTRESS = ['救命', '喊救命', '呼救', '救救'];
/** A plea, and the call cut off before it was finished (只说“快来，他回来了”就断了，回拨无人接): the caller could not go on. */
const PLEAS = ['快来', '快派人', '出事了', '出人命', '帮帮我', '快救'];
const CUT_OFF = ['电话…断了', '断线', '挂断', '就挂了', '没声了', '回拨'];

/**
 * A crime against a person, now (audit 9): a hostage, explosives, a kidnapping or trafficking, someone dragged into a car, a sexual
 * assault, exposure with a chase, armed trouble, stones thrown at people, someone stalked. The contract's red names these only by their
 * means (a weapon, a threat); they are red by themselves. Prevention (防性侵, 防拐) and an account hijacked are none.
 */
/**
 * Intimate images threatened or spread (前男友威胁要发我的裸照): a crime against the person shown (敲诈, 传播淫秽物品), which the police
 * alone should see; a 裸聊 scam stays a fraud tip (tip.fraud.impostors, higher priority).
 */
const INTIMATE_IMAGES = ['裸照', '私密照', '不雅照', '艳照', '裸体照', '私密视频', '不雅视频', '裸体视频'];
const INTIMATE_IMAGES_THREATENED = INTIMATE_IMAGES.flatMap((image) =>
  [...['威胁', '要发', '发到', '发给', '曝光', '散布', '传播', '公开', '传到'].map((act) => `${act}…${image}`), ...['发到', '发给', '传到', '曝光', '公开', '散布'].map((act) => `${image}…${act}`)],
);
const CRIMES_AGAINST_PERSONS = ['劫持', '人质', '炸药', '炸弹', '雷管', '爆炸物', '绑架', '拐卖', '人贩子', '强奸', '性侵', '猥亵', '非礼', '人群…扔', '往人身上扔', '朝人身上扔', '跟踪我', '尾随我', ...INTIMATE_IMAGES_THREATENED];
/** The same dangers that other topics file as their own (a debt collector's car, a brawl, a family's blow): red, whatever the category. */
const VIOLENCE_NOW = ['强行…上车', '拖…上车', '拽…上车', '强行拖', '强行拽', '强行带走', '持械', '械斗'];
const NOT_CRIMES = ['防性侵', '防拐', '防猥亵', '反拐', '劫持…账号', '账号…劫持', '劫持…浏览器', '浏览器…劫持', '糖衣炮弹', '拽…行李', '拖…行李', '拽…箱', '拖…箱', '拖拽车辆', '拖拽…汽车', '炸弹…游戏', '游戏…炸弹'];
/** A hand on a person's throat (他掐着我脖子, 勒住她脖子): an assault that can kill, red. */
const STRANGLED = ['掐…脖子', '掐住…脖', '掐着…脖', '勒…脖子', '勒住…脖', '掐死', '勒死'];
/** A robbery, red when it happens now (我被抢了，抢包的刚跑, 有人砸车抢劫); not a hot spot's past robberies or a rush for seats. */
const ROBBED = ['抢劫', '抢包', '被抢', '抢了我', '抢手机', '抢钱', '飞车抢'];
const NOT_ROBBED = ['抢车位', '抢座', '抢购', '抢红包', '抢票', '抢单', '抢生意', '抢客', '抢着'];
/** Exposure (露阴), red when it happens now; a spot where it keeps happening is a public-order hot spot, orange. */
const EXPOSURE = ['露阴', '暴露狂', '露下体', '脱裤子…追'];
const NOT_NOW = ['上个月', '去年', '之前', '以前', '前几天', '上次', '那次', '上周', '经常', '最近', '老是', '总是', '多次', '好几次', '几次', '每晚', '每天', '天天', '怎么防', '如何防'];
/**
 * A person locked in by someone (房东把我锁在屋里, 她被关在房间里): confined now, red. Locked out (把我锁在门外) is not, nor a child or an
 * elderly person left locked in at home (哥哥把老人锁在家里不管: neglect, orange by the vulnerable party).
 */
const CONFINED = ['我', '她', '他', '人'].flatMap((p) => [`把${p}锁在`, `把${p}关在`, `把${p}反锁在`, `${p}被…锁在`, `${p}被…关在`]);
const NOT_CONFINED = ['锁在门外', '关在门外', '锁在外', '关在外', '锁在车', '关在车'];
/** A child screaming as if in pain (楼上一直有小孩惨叫): a danger now, red; a child shrieking at play (尖叫) or crying (哭喊) is not. */
const CHILD_SCREAMING = [...new Set([...CHILDREN, ...CHILDREN_MORE])].flatMap((c) => [`${c}…惨叫`, `惨叫…${c}`]);
/** A child beaten by an adult at home (好像被大人打, 后妈打孩子): a family's violence, whoever is named. */
const CHILD_BEATEN_AT_HOME = ['被大人打', '被大人…打', '大人…打孩子', '大人…打小孩', '被家长打', '被父母打', '被爸…打', '被妈…打', '后妈…打', '后爹…打', '继父…打', '继母…打'];
/**
 * Someone beaten now (他在打我, 我爸在打我妈, 有人在打小孩): a danger now, red, though the guide's fight going on between adults is
 * orange. Not a call or a scheme (在打我电话, 打我的主意) nor a door (在打我们家门).
 */
const BEATEN_NOW = ['我', '老婆', '媳妇', '妻子', '孩子', '小孩', '娃', '老人', '女儿', '儿子'].map((victim) => `在打${victim}`);
const NOT_BEATEN = ['打我电话', '打我手机', '打我的电话', '打我的手机', '打我的主意', '打我家', '打我们家', '打孩子的主意'];
/**
 * Violence at home with the attacker still there or the victim hiding (老公家暴我，现在还在打; 我被家暴了，他还在家; 他又打我了，我在厕所躲着):
 * red. One rule per sign, since a rule's `all` needs every phrase; a past blow (上个月他打过我, 以前打我) is none.
 */
const BEATEN_AT_HOME = ['家暴', '打我', '打了我', '把我打', '打老婆', '打媳妇', '打妻子', '打孩子', '打小孩'];
const ATTACKER_AT_HAND = ['还在打', '正在打', '他还在', '她还在', '人还在', '还在家', '还在屋', '躲在', '躲着', '躲进', '不敢出来', '不敢出去'];
const BEATEN_WITH_ATTACKER_AT_HAND = ATTACKER_AT_HAND.map((sign) => ({
  match: 'characters' as const,
  any: BEATEN_AT_HOME,
  all: [sign],
  not: NOT_BEATEN,
  unless: ['上个月', '去年', '之前', '以前', '前几天', '上次', '那次', '上周', '打过'],
}));
/**
 * A vehicle driven at people (有人开车撞人, 一辆车故意冲撞行人) or someone hit and left (有人开车撞了人就跑了: the victim may lie injured): a
 * danger now. Not a near miss (差点撞到人), nor a collision told with its compensation or date (FELL_BEFORE).
 */
const VEHICLE_AT_PEOPLE = ['开车撞人', '开车…撞人', '撞人了', '撞了人', '撞倒…人', '撞…行人', '冲撞…人', '冲向人群', '冲进人群', '撞死人', '肇事逃逸'];
const NO_COLLISION = ['差点…撞', '差一点…撞', '险些…撞', '容易…撞', '会撞', '小心…撞', '怕…撞'];
/** An intruder still inside (小偷还在我家里; 有人入室盗窃，人还在屋里): one rule per sign, as the report may say the two in different clauses. */
const INTRUDERS = ['小偷', '贼', '入室', '盗窃', '闯进', '闯入', '撬门', '撬锁', '翻窗', '爬窗'];
const STILL_INSIDE = ['还在我家', '还在家里', '还在屋', '还在房', '还在里面', '人还在', '还没出来', '还没走', '还躲在'];
const INTRUDER_INSIDE = STILL_INSIDE.map((sign) => ({ match: 'characters' as const, any: INTRUDERS, all: [sign], unless: ['上个月', '去年', '之前', '以前', '前几天', '上次', '昨天', '昨晚'] }));
/** Someone breaking into a home now (有个男的在撬我家门): not a car's door or lock (在撬路边的车门: a hot spot). */
const BREAKING_IN_NOW = ['在撬我家', '在撬…家门', '在撬…房门', '在撬…屋门', '在撬门', '在撬…防盗门'];
/** People on ice that breaks (河面冰上有小孩在玩，冰裂了): one rule per sign of the ice breaking. */
const ON_ICE = ['冰上有', '冰面上有', '冰上…玩', '冰面…玩', '冰上…人', '冰面…人', '冰上…孩', '冰面…孩', '冰上…娃', '冰面…娃'];
const PEOPLE_ON_BREAKING_ICE = ['冰…裂', '冰…塌', '冰窟窿', '冰…破了', '掉…冰'].map((sign) => ({ match: 'characters' as const, any: ON_ICE, all: [sign] }));
/**
 * Someone stalking the reporter (我被人跟踪了好几条街), as 跟踪我; a hot spot where women were followed (近期有女性反映被人尾随) names others,
 * and a past one or a caller safe home is none.
 */
const STALKED = ['我被人跟踪', '我被跟踪', '我被人尾随', '我被尾随', '跟踪了我', '尾随了我', '一直跟着我'];
/** Filming in a toilet or changing room (有人偷偷在女厕所拍照): voyeurism, a public-order offence; a grid worker's photo for the record is none. */
const VOYEURISM = ['偷拍', '偷偷…拍', '女厕…拍', '厕所…偷', '更衣室…拍', '浴室…拍', '裙底', '偷窥'];
/** A person fallen into water (河边有个小孩掉水里了, 有人落水了): in danger now. */
const IN_WATER = ['掉水里', '掉进水里', '掉到水里', '掉河里', '掉进河', '掉到河里', '掉湖里', '掉进湖', '掉池塘', '掉进池塘', '掉江里', '掉进江', '掉水库', '掉进水库', '落水', '溺水'];
/**
 * Someone unseen for days behind a door no one answers, with a smell or flies (隔壁老人好几天没出门了，敲门没人应，窗户里有苍蝇):
 * a person who may have died alone, a welfare visit now. One rule per sign, since a rule's `all` needs every phrase.
 */
const UNSEEN = ['没出门', '未出门', '没见…出门', '几天没见', '好几天没见', '没见着人', '没见到人', '敲门…没人应', '敲门…无人应', '敲门…不应', '敲门…没反应', '敲门…没人开'];
const UNSEEN_WITH_A_SIGN = ['臭', '异味', '苍蝇'].map((sign) => ({ match: 'characters' as const, any: UNSEEN, all: [sign] }));

/**
 * Someone fallen in or down (路边井盖丢了，有人掉下去了; 一个小孩掉进井里): a person and a fall word in one clause.
 * Not a thing that fell (手机掉下去了, 孩子的球掉进井里), nor a near miss or a risk (差点掉进去, 容易掉下去).
 * A vehicle is no thing here (骑电动车的连人带车掉进去), nor the lid a person stepped on (有人踩翻井盖掉下去了).
 */
const FALLERS = ['有人', '个人', '人掉', '人摔', '人跌', '人坠', '行人', '路人', '老人', '老太', '老头', '大爷', '大妈', '爷爷', '奶奶', '孩子', '小孩', '娃', '儿童', '小朋友', '学生', '男孩', '女孩', '小伙', '男的', '女的', '男子', '女子', '妇女', '孕妇', '工人', '骑车的', '连人带车', '儿子', '女儿', '孙子', '孙女', '老伴', '我爸', '我妈'];
const FALLS = ['掉下去', '掉进', '掉入', '掉到…里', '掉井里', '掉坑里', '掉沟里', '掉河里', '掉下水道', '从…掉下来', '跌进', '跌入', '跌下去', '跌落', '坠入', '坠落', '坠楼', '摔下去', '摔下来'];
const FALLEN_THINGS = [...BELONGINGS.filter((b) => !b.endsWith('车')), '东西', '球', '玩具', '鞋', '帽子', '花盆', '石头', '砖', '瓦', '垃圾', '外机', '空调', '招牌', '广告牌', '玻璃', '瓷砖', '墙皮', '树枝', '衣服'];
/** A near miss or a risk, no fall (差点掉进去, 容易掉下去, 别让孩子掉下去). */
const NO_FALL = ['差点…掉', '差点…摔', '差点…跌', '差一点…掉', '险些…掉', '险些…摔', '容易…掉', '容易…摔', '会掉', '会摔', '怕…掉', '怕…摔', '万一…掉', '如果…掉', '要是…掉', '假如…掉', '小心…掉', '当心…掉', '别让', '防止'];
const NOT_FELL_IN = [...FALLEN_THINGS.flatMap((t) => ['掉', '摔', '跌', '坠'].map((f) => `${t}…${f}`)), ...NO_FALL];
/** What made a person fall over, so that the fall is that cause's case: a fault, a slippery way, a push or a blow, an animal, a crowd. */
const FELL_OVER_CAUSED = [
  '地砖', '井盖', '台阶', '扶梯', '电梯', '减速带', '路面', '坑', '翘', '松动', '破损', '坏了', '结冰', '结成', '湿滑', '路滑', '很滑', '太滑', '油', '积水', '防滑', '绳', '线',
  '推', '打', '撞', '踹', '扑', '咬', '狗', '猫', '车', '挤', '踩踏', '差点', '险些', '容易', '没摔倒',
];
/** Reaching for a thing, then fallen (有人为了捡手机掉进井里了): the person fell, whatever the thing named beside them. */
const REACHING_FELL = ['捡', '捞', '够', '去拿', '去取'].flatMap((reach) => ['掉进', '掉下去', '掉到', '掉井里', '摔下', '跌进', '跌下'].map((fell) => `${reach}…${fell}`));
/** A fall told with its compensation or a past date is a dispute about an old injury (工人从脚手架掉下来摔断了腿，老板…不给赔). */
const FELL_BEFORE = ['赔', '工伤', '医药费', '医疗费', '住院', '出院', '上个月', '去年', '之前', '以前', '前几天', '那次', '上次'];
/**
 * A person pushed down the stairs or a drop (他把我从楼梯上推下来了, 被人推下台阶): an assault that injures, red like a blow
 * that does. Pushed over to the ground (把他推倒在地) is the same assault, red for an elderly, young or pregnant person
 * (把老人推倒在地); an adult pushed over with no injury said is the guide's pushing, orange (orange.pushing: 推倒).
 */
const PUSHED_DOWN = ['推下楼梯', '推下楼', '推下台阶', '推下了楼梯', '推下了楼', '推下了台阶', '从…推下来', '从…推下去', '从…推了下来', '从…推了下去', '推我下楼', '推他下楼', '推她下楼', '推我下台阶', '推…滚下', '推…摔下'];
const PUSHED_OVER = ['推倒', '推到在地', '推翻在地', '推…摔倒', '推…跌倒', '推…倒地', '推…摔在地'];
const PUSHED_OVER_VULNERABLE = [...new Set([...ELDERLY, ...ELDERLY_MORE, ...CHILDREN, '孕妇', '怀孕', '残疾人', '瘫痪'])];
/** The vulnerable person, then pushed over (把老人推倒在地, 大妈被推倒了), or pushed over, then the person (推倒了一个老人). */
const VULNERABLE_PUSHED_OVER = PUSHED_OVER_VULNERABLE.flatMap((p) => [...PUSHED_OVER.map((o) => `${p}…${o}`), `推倒…${p}`]);
const PUSHED_OVER_ANYONE = ['推倒在地', '推到在地', '推翻在地', '推倒…地上', '推…摔倒', '推…跌倒', '推…摔在地'];
/** Things pushed, not people (把电动车推倒了, 把箱子从楼上推下来), a near miss (差点把我推倒), and 在地里 (in the field, not on the ground). */
const NOT_PUSHED = ['在地里', ...FALLEN_THINGS.map((t) => `${t}…推`), '车…推', '推车', '推着', '推…车', '门…推', '推门', '墙…推', '推…墙', '推土', '推倒重来', '差点…推', '差一点…推', '险些…推'];
/** Said unhurt (没有受伤, 没事), or told with its compensation or date: pushing without injury is orange. */
const PUSHED_UNHURT = ['没有受伤', '没受伤', '没伤着', '没有伤', '无人受伤', '未受伤', '没摔伤', '没事', '没大碍', '无大碍', ...FELL_BEFORE];
/**
 * Belongings and toys fallen somewhere (手机掉下去了, 钥匙掉进井里了): lost property, not a fault; the fittings that fall (井盖) are.
 * Into a drain, a well or a ditch however said (钱包掉进下水道了, 掉进排水沟, 掉进窨井): 掉…下水道, 掉…井 and 掉…沟 in one clause.
 */
const DROPPED = [...BELONGINGS.filter((b) => !b.endsWith('车')), '东西', '球', '玩具', '鞋', '帽子', '衣服'].flatMap((thing) =>
  ['掉下去', '掉进…里', '掉进…里了', '掉到…里', '掉到…里了', '掉进去', '掉到…下面', '掉…下水道', '掉…井', '掉…沟'].map((fell) => `${thing}…${fell}`),
);
/** Someone shut in a car (孩子被锁在车里，车里很热): a danger now. Keys, a phone or a pet locked in (钥匙锁在车里了) are not. */
const SHUT_IN = ['孩子', '小孩', '娃', '宝宝', '婴儿', '儿童', '小朋友', '儿子', '女儿', '孙子', '孙女', '老人', '有人', '人被'];
const IN_A_CAR = ['锁在车', '锁车里', '锁车上', '关在车', '困在车', '闷在车', '反锁在车'];
const SHUT_IN_CAR = [...SHUT_IN.flatMap((p) => IN_A_CAR.map((c) => `${p}…${c}`)), ...['车里锁着', '车里关着', '车内锁着', '车里反锁着'].flatMap((c) => SHUT_IN.map((p) => `${c}…${p}`))];
const BELONGINGS_LOCKED_IN = BELONGINGS.flatMap((b) => [`${b}…锁`, `${b}…关`]);
const NOT_SHUT_IN = [...BELONGINGS_LOCKED_IN, ...PETS.flatMap((p) => [`${p}…锁`, `${p}…关`])];
/** The people of SHUT_IN a report names by who they are (孩子, 老人), not 有人 or 人被. */
const SHUT_IN_NAMED = SHUT_IN.filter((p) => p !== '有人' && p !== '人被');
/**
 * A person shut in together with an animal (孩子和狗被锁在车里了, 狗跟小孩关在车里): the person is shut in, though NOT_SHUT_IN's
 * pet (狗…锁) cancels SHUT_IN_CAR there. The person is joined to the animal (和, 跟, 与, 还有): not its owner (孩子的狗), nor
 * who locked it or keys in (孩子和我把狗锁在车里) or got out (我和孩子下车后狗被锁在车里了).
 */
const SHUT_IN_TOGETHER = {
  match: 'characters' as const,
  any: SHUT_IN_NAMED.flatMap((p) => [`${p}和`, `${p}跟`, `${p}与`, `和${p}`, `跟${p}`, `还有${p}`]).flatMap((joined) =>
    ['锁在车', '锁车里', '关在车', '关车里', '困在车', '闷在车'].map((car) => `${joined}…${car}`),
  ),
  not: [...BELONGINGS_LOCKED_IN, ...PETS.map((p) => `把${p}`), '下车', '下了车', '离开'],
};
/**
 * A person said to be in the car too (狗被锁在车里了，孩子也在车里; 钥匙锁在车里了，孩子还在车上): something is shut in, so
 * the person is. One rule per lock word (`all`), as the report may say the two in different clauses.
 */
const IN_THE_CAR_TOO = SHUT_IN_NAMED.flatMap((p) => [
  ...['也在车', '还在车', '也在里', '还在里', '也被锁', '也被关', '也被困'].map((too) => `${p}${too}`),
  ...['车里还有', '车上还有', '车内还有', '车里也有', '里面还有'].map((car) => `${car}…${p}`),
]);
/** A thing shut in (锁在车里, 关着, 困在, 闷在车里): with a person in the car too, the person is shut in. Not a person's belongings (车里还有孩子的书包). */
const LOCKED_IN = ['锁', '关', '困在', '闷'];
const SHUT_IN_TOO = LOCKED_IN.map((locked) => ({ match: 'characters' as const, any: IN_THE_CAR_TOO, all: [locked], not: SHUT_IN_NAMED.map((p) => `${p}的`) }));
/**
 * An animal shut in a car (狗被锁在车里了, 车里关着一只猫): an animal's welfare, help to send (service.general), no person in
 * danger; with a person named as shut in too, the person's rules decide. classify.ts reads the same cues as no danger context.
 */
export const ANIMAL_SHUT_IN_CAR = {
  match: 'characters' as const,
  any: [...['猫', '狗', '宠物', '鹦鹉', '兔子', '动物'].flatMap((a) => IN_A_CAR.map((c) => `${a}…${c}`)), ...['车里锁着', '车里关着', '车内锁着', '车里反锁着'].flatMap((c) => ['猫', '狗', '宠物', '动物'].map((a) => `${c}…${a}`))],
  // A person in the car with the animal (孩子和狗被锁在车里, 车里还有一个小孩); the owner (孩子的狗) is not.
  unless: [...SHUT_IN_NAMED.flatMap((p) => [...['和', '跟', '与', '也'].map((w) => `${p}${w}`), `和${p}`, `跟${p}`, `还有${p}`]), ...IN_THE_CAR_TOO],
};
/**
 * An animal shut in a car in the heat (一只小狗被锁在车里，太阳底下暴晒): its life at risk, orange, one rule per sign; with the air
 * conditioning on (开着空调) it is none.
 */
const HEAT = ['暴晒', '晒', '太阳', '很热', '高温', '闷热', '热得', '热死'];
/** A car cooled: no heat for an animal in it (classify.ts reads it as no danger cue too). */
export const AIR_CONDITIONED = ['开着空调', '空调开着', '开了空调', '空调一直开着'];
const ANIMAL_IN_THE_HEAT = HEAT.map((sign) => ({ ...ANIMAL_SHUT_IN_CAR, all: [sign], unless: [...ANIMAL_SHUT_IN_CAR.unless, ...AIR_CONDITIONED] }));
/** Keys or another belonging locked in a car or a home (我把钥匙锁车里了): lost property, help to open it. */
const BELONGINGS_LOCKED = BELONGINGS.filter((b) => !b.endsWith('车')).flatMap((b) => ['锁车里', '锁在车', '锁车上', '锁在家', '锁在屋', '锁在里面', '反锁在'].map((locked) => `${b}…${locked}`));
/** Someone bitten (狗咬人了, 被狗咬了, 咬了孩子一口): an injury. Not insects, an animal bitten or a thing chewed, nor a near miss. */
const BITTEN = ['咬人了', '咬了人', '咬伤', '咬到人', '被…咬了', '被…咬伤', '被…咬到', '被…咬破', '被…咬出', '咬了…一口', '咬了我', '咬了他', '咬了她', '咬了孩子', '咬了小孩', '咬了老人', '咬住…腿', '咬住…手', '咬出血', '把…咬了', '把…咬伤', '咬掉'];
const NOT_BITTEN = [
  '蚊子', '虫', '跳蚤', '蚂蚁', '臭虫', '螨', '蜱', '咬定', '咬牙', '咬…管', '咬…线', '咬…盒', '咬…鞋', '咬…东西', '咬…沙发', '咬…快递', '咬…衣服', '咬…玩具', '咬…鸡',
  '差点…咬', '险些…咬', '差一点…咬', '会咬', '怕…咬', '如果…咬', '要是…咬', '假如…咬', '万一…咬', '担心…咬', ...PETS.flatMap((p) => [`${p}被`, `把${p}`, `咬${p}`, `咬了…${p}`]),
];
/** Threats to harm short of killing (说要让我好看, 找人收拾我, 饶不了你): the contract's threat to harm, red. */
const HARM_THREATS = ['让我好看', '让你好看', '让他好看', '让她好看', '要你好看', '有你好看', '叫你好看', '给你好看', '让…全家好看', '找人收拾', '收拾你', '收拾我', '收拾他', '收拾她', '收拾死', '饶不了', '不会放过你', '不会放过我', '不会放过他', '不会放过她', '废了你', '打断…腿', '给…颜色看看', '给你点颜色'];
/** A threat against a person (他说要杀了我, 威胁要弄死我全家, 说要让我好看): dispute.general.threat's cues. */
const PERSON_THREATS = ['杀了我', '杀了你', '杀了他', '杀了她', '弄死', '砍死', '捅死', '宰了', '要…的命', '同归于尽', '杀全家', '灭门', '扬言', '恐吓', '威胁…我', '威胁…要', '威胁说', ...HARM_THREATS];
/**
 * Neighbours named as such (邻居, 对门, 隔壁, 楼上, 楼下的, 扰民): a threat between them may be a neighbour quarrel. 楼下 alone is
 * often only where (在我家楼下堵我), not who.
 */
const NEIGHBOURS_NAMED = ['邻居', '邻里', '对门', '隔壁', '街坊', '左邻右舍', '邻家', '对面楼', '楼上', '楼下的', '楼下那', '楼下住', '楼下邻', '同单元', '同一单元', '住户', '扰民'];
/** 收拾 of a room or belongings is tidying (婆婆收拾她的东西). */
const NOT_HARM_THREAT = ['收拾…东西', '收拾…行李', '收拾…屋', '收拾…房', '收拾…垃圾', '收拾…卫生', '收拾…家务', '收拾她的', '收拾他的', '收拾我的', '收拾你的'];
/**
 * Who else a report of self-harm may name (a relative, a partner, a landlord, a quarrel, a debt, land): then the
 * model may say whose conflict it is (儿子和父亲吵完架说不想活了: dispute.family). Said alone (我不想活了), it is help.
 */
const SELF_HARM_WITH_OTHERS = [...KIN_CHARS, ...ACQUAINTANCES, ...OTHER_PARTIES, '男人', '女人', '婆娘', '家里', '邻居', '吵', '打', '欠', '债', '工资', '工钱', '地', '房'];
/** Money, a card or papers taken by a trick (一名残疾人被人骗走了低保卡, 骗走三千元): a fraud, whatever the papers are for. */
const SWINDLED_GOODS = ['钱', '卡', '存折', '存款', '积蓄', '养老金', '退休金', '低保', '补贴', '证', '手机', '首饰', '金', '万', '元', '块'];
const SWINDLED = ['骗走', '骗去', '骗取', '骗光'].flatMap((taken) => SWINDLED_GOODS.flatMap((goods) => [`${taken}…${goods}`, `${goods}…${taken}`]));

/**
 * The red safety net (`match: 'characters'`): danger cues read in characters, so 西瓜刀, 砍伤, 喝药
 * and 着火了 count however jieba cut them. The exclusions are what the characters are not: 火锅 is not
 * 火, 燃气费 is not a gas leak, 跳楼价 is not a fall, 砍价 is no blow.
 */
/** English red cues, read in lower case anywhere in a clause ("stab" in stabbed, "bleed" in bleeding). */
const NET_ENGLISH = [
  'knife', 'stabbed', 'stabbing', 'machete', 'an axe', 'a gun', 'gunshot', 'shot him', 'shot her', 'bleed', 'blood', 'injured', 'unconscious', 'not breathing', 'passed out',
  'kill you', 'kill him', 'kill her', 'kill me', 'kill myself', 'killed', 'suicide', 'jump off', 'end my life', 'end his life', 'end her life', 'overdose',
  'on fire', 'flames', 'full of smoke', 'thick smoke', 'smoke coming', 'burning', 'explosion', 'gas leak', 'smell of gas', 'smells of gas', 'smell gas',
  'trapped', 'stuck in the lift', 'stuck in the elevator',
  'child is missing', 'kid is missing', 'son is missing', 'daughter is missing', 'lost my son', 'lost my daughter', 'missing child', "can't find my son", "can't find my daughter",
  'transferring money', 'transfer the money now', 'safe account', 'claiming to be police', 'pretending to be police', 'screen sharing', 'screen share',
  'riot', 'blocking the road', 'please hurry', 'come quick', 'emergency', 'last seen', 'wandered off', 'on the ledge', 'balcony railing', 'edge of the roof', 'beating him', 'beating her', 'beat him up', 'beat her up',
];
/** A child gone, in any category (a report the model reads as lost property included). */
const NET_CHILD_GONE = ['娃跑丢', '孩子跑丢', '小孩跑丢', '娃丢了', '孩子丢了', '娃不见了', '孩子不见了', '娃找不到了', '孩子找不到了', '娃找不着', '孩子找不着', '娃寻不着', '儿子不见了', '女儿不见了', '闺女不见了'];
/** An English request to move money, with the urgency of a fraud happening now. */
const NET_ENGLISH_TRANSFER = ['transfer', 'send money', 'wire the money', 'pay them'];
const NET_ENGLISH_NOW = ['right now', 'immediately', 'at once', 'within the hour', 'urgently'];
const NOT_ENGLISH = ['no one injured', 'nobody injured', 'no one was hurt', 'nobody was hurt', 'not injured', 'uninjured', 'no blood', 'no fire', 'blood pressure', 'blood test', 'donate blood'];
/** English words for a vulnerable missing person, read only in a missing-person report. */
const NET_ENGLISH_VULNERABLE = ['dementia', 'alzheimer', 'elderly', 'old man', 'old woman', 'grandma', 'grandpa', 'grandfather', 'grandmother', 'child', 'kid', 'my son', 'my daughter', 'little boy', 'little girl', 'disabled'];
const NET_WEAPON = ['刀', '砍', '枪', '棍', '斧', '匕首', '凶器', '砖头', '钢管', '铁锹', '镰刀'];
/**
 * Everyday uses of danger words (audit 9): a game (剪刀石头布), a knife sharpened, missing or kept as decoration (磨菜刀, 菜刀不见了,
 * 砍刀当装饰), a singer (刀郎), a stove that will not light (打不着火), a first-aid course (急救培训), a butcher's blood (杀鸡杀鱼，血水…).
 * The red rules that read the word leave them aside, and so does the grade model's danger (classify.ts NO_DANGER_CONTEXT). Narrow on
 * purpose: a missed red is worse than an extra one.
 */
const EVERYDAY_BLADES = ['剪刀石头布', '石头剪刀布', '磨菜刀', '磨刀', '磨剪子', '刀郎', '菜刀不见', '刀不见了', '刀…借走', '刀…装饰', '装饰…刀', '砍刀…装饰', '菜刀…装饰', '匕首…装饰'];
const STOVE_WONT_LIGHT = ['打不着火', '点不着火', '打不…着火', '点不…着火'];
const FIRST_AID_LEARNING = ['急救培训', '急救…培训', '急救…课', '急救知识', '急救箱', '急救包', '急救…演练'];
const BUTCHERING = ['杀鸡', '杀鱼', '杀猪', '杀鸭', '宰鸡', '宰鱼', '屠宰'];
/** Killing on a screen or in a story (电视里放杀人的电影声音太大): no threat to anyone. */
/** Adjacent, so a threat said beside the film (看了杀人的电影后说要杀了我) still counts. */
const ON_SCREEN = ['电影', '电视', '游戏', '小说', '视频', '剧'].flatMap((screen) => [`杀人的${screen}`, `杀人${screen}`, `杀人的…${screen}`, `${screen}里杀人`, `${screen}里的杀人`, `${screen}杀人`]);
export const EVERYDAY_DANGER_WORDS = { match: 'characters' as const, any: [...EVERYDAY_BLADES, ...STOVE_WONT_LIGHT, ...FIRST_AID_LEARNING, ...BUTCHERING, ...ON_SCREEN] };
const NOT_WEAPON = [...EVERYDAY_BLADES, '刀削面', '刀鱼', '开刀', '刀口', '一刀切', '刀子嘴', '剃须刀', '刮胡刀', '指甲刀', '卷笔刀', '铅笔刀', '刀工', '砍价', '砍价…砍', '砍一刀', '帮砍', '砍树', '砍伐', '砍柴', '砍头息', '砍了…树', '砍…树', '砍掉', '水枪', '玩具枪', '焊枪', '胶枪', '喷枪', '枪手', '光棍', '神棍', '冰棍', '赌棍', '棍子面', '斧正'];
const NET_INJURY = ['流血', '按在地上打', '按地上打', '眼角裂', '头裂', '缝针', '缝了几针', '出血', '血流', '是血', '吐血', '淌血', '见血', '血迹', '头破', '开瓢', '受伤', '打伤', '砍伤', '刺伤', '捅伤', '烫伤', '烧伤', '摔伤', '咬伤', '撞伤', '砸伤', '割伤', '扎伤', '压伤', '夹伤', '骨折', '昏迷', '晕倒', '晕过去', '昏倒', '倒地不起', '不省人事', '叫不醒', '喊不醒', '没有呼吸', '没呼吸', '没了呼吸', '口吐白沫', '抽搐', '休克', '救命', '呼救'];
const NOT_INJURY = [...FIRST_AID_LEARNING, '血压', '血糖', '献血', '血汗', '血型', '抽血', '验血', '血脂', '心血', '血本', '救命钱', '救命稻草', '受伤害'];
/** Self-harm and suicide talk, in characters (the net's); classify.ts keeps it red in a question too. */
export const NET_SELF_HARM = ['跳楼', '跳河', '跳江', '跳湖', '跳海', '跳桥', '跳下去', '往下跳', '自杀', '轻生', '寻死', '寻短见', '想死', '不想活', '活不下去', '割腕', '割脉', '上吊', '喝药', '喝农药', '服毒', '吞药', '安眠药', '烧炭', '敌敌畏', '百草枯', '一了百了'];
const NOT_SELF_HARM = ['烧炭盆', '炭盆', '烧炭取暖', '烧炭…腊肉', '跳楼价', '跳楼甩卖', '跳楼大甩卖', '想死你', '按时喝药', '该喝药'];
const NET_THREAT = ['跟他拼了', '跟你拼了', '跟她拼了', '跟他们拼了', '和他拼了', '和你拼了', '和她拼了', '跟…拼命', '和…拼命', '拼个你死我活', '豁出去了', '砍死', '杀了', '杀人', '弄死', '打死', '捅死', '宰了', '同归于尽', '灭门', '杀全家', '要…的命', '泼汽油', '泼硫酸', '炸死', '放火', ...HARM_THREATS];
const NOT_THREAT = ['打死也不', '打死都不', '打死我也不', '打死蚊子', '杀了…鸡', '杀鸡', '杀鱼', '杀猪', '安全威胁', '威胁…安全', ...NOT_HARM_THREAT, ...ON_SCREEN];
/** A threat against a person where the text names no neighbours: dispute.general.threat's cues, and where classify.ts bars the model's reading of it. */
export const THREAT_TO_A_PERSON = { match: 'characters' as const, any: PERSON_THREATS, not: NOT_THREAT, unless: NEIGHBOURS_NAMED };
/** An ex-partner's new partner named (前妻的男朋友): with a threat, classify.ts keeps the model from reading a family quarrel on 前妻. */
export const EX_PARTNERS_PARTNER_NAMED = { match: 'characters' as const, any: EX_PARTNERS_NEW_PARTNER };
const NET_FIRE = ['着火', '起火', '失火', '火灾', '冒烟', '浓烟', '黑烟', '青烟', '冒出烟', '冒着烟', '焦糊味', '烧焦味', '烧起来', '烧着了', '火苗', '明火', '火光', '火势', '大火', '着咗火'];
const NOT_FIRE = [...STOVE_WONT_LIGHT, ...EVERYDAY_SMOKE.flatMap((source) => [`${source}…冒烟`, `${source}…冒着烟`, `${source}…冒出烟`, `${source}…青烟`]), '火灾隐患', '火灾风险', '火灾…隐患', '火灾…风险', '防火灾', '火灾报警', '火锅', '大火锅', '起火原因', '上次…着火', '去年…着火', '以前…着火'];
/** 泄露, the common misspelling of 泄漏, and 外泄 (瓦斯外洩, Taiwanese usage: 瓦斯 for gas) said of gas. */
const GAS_LEAKED = ['燃气', '煤气', '天然气', '液化气', '气罐', '沼气', '瓦斯'].flatMap((gas) => [`${gas}…泄露`, `${gas}…外泄`, `${gas}…泄漏`]);
const NET_GAS = ['燃气…破', '煤气…破', '燃气…嘶', '煤气…嘶', '燃气…股味', '煤气…股味', '煤气味', '燃气味', '天然气味', '液化气味', '臭鸡蛋味', '煤气…味', '燃气…味', '天然气…味', '液化气…味', '煤气泄漏', '燃气泄漏', '天然气泄漏', ...GAS_LEAKED, '漏气', '闻到煤气', '闻到燃气', '闻到天然气'];
const NOT_GAS = ['轮胎漏气', '车胎漏气', '胎漏气', '燃气费', '煤气费', '没有泄露', '没泄露', '未泄露', '无泄露', '不泄露', '有没有泄露', '是否泄露', '会不会泄露'];
const NET_TRAPPED = ['被困', '困在', '困住', '卡在电梯', '电梯…卡住', '关在电梯', '锁在里面', '出不来'];
const NET_FRAUD_NOW = ['正在转', '正在汇', '去银行的路上', '正在去银行', '在去银行', '已经转', '刚转', '刚刚转', '转过去了', '汇过去', '已经汇', '指定账户', '安全账户', '正在银行', '在银行排队', '去银行转', '屏幕共享', '共享屏幕', '转到…账户', '把存款', '存款…转', '把钱转',
  // Still being talked through it (还让我再转, 让我接着转, 正在按他说的操作, 电话还没挂): the transfer is not over.
  '让我再转', '还让我转', '还要我转', '接着转', '继续转', '让我继续', '按他说的操作', '按照他说的操作', '按他的要求操作', '电话还没挂', '电话没挂'];
const NET_VULNERABLE = ['老人', '老头', '老太', '老爷子', '爷爷', '奶奶', '姥', '外公', '外婆', '大爷', '大娘', '阿公', '阿婆', '老伴', ...ELDER_AGES, '孩子', '小孩', '儿童', '娃', '孙子', '孙女', '宝宝', '幼儿', '学生', '儿子', '女儿', '闺女', '囡', '崽', '痴呆', '糊涂', '智力', '精神', '残疾', '孕妇', '记性不好'];

/** Drugs, sex work and gambling by name: with 举报 a vice tip, never a neighbour quarrel. */
const VICE_REPORTED = ['吸毒', '贩毒', '制毒', '毒品', '冰毒', '大麻', '海洛因', '溜冰', '吸食', '卖淫', '嫖娼', '招嫖', '涉黄', '赌博', '赌场', '开赌'];

/** Someone alone at home who does not answer: a welfare visit (service), not a missing person. */
const AT_HOME_ALONE = ['一个人在家', '独自在家', '自己在家', '一人在家', '一个人住', '独自一人', '独居'];
const NO_ANSWER = ['没人接', '不接电话', '联系不上', '打不通', '没开门', '没动静', '没人应', '没人答应', '去看看', '去看一下', '上门看看', '帮忙看看', '过去看看', '去瞧瞧', '摔倒', '起不来'];

/** A rule holds at most 500 cues: a longer family is split into rules `id`, `id.2`, `id.3` … with the same settings. */
function chunked<R extends { id: string; any: string[] }>(rule: R): R[] {
  const size = 500;
  return Array.from({ length: Math.ceil(rule.any.length / size) }, (_, i) => ({
    ...rule,
    id: i === 0 ? rule.id : `${rule.id}.${i + 1}`,
    any: rule.any.slice(i * size, (i + 1) * size),
  }));
}

/**
 * How sure the learned grade model must be to lower a grade a rule reached (`modelMayLowerAt`), chosen
 * by eval/cross-validate.ts on 10 961 reports. A loose risk read into a facility's words (松动, 歪了,
 * 隐患): as sure as for any lowering (grade 88.0 → 88.5 %). A contract cue whose words may stand in a
 * report without being the cue (长期 of a tank never cleaned, 老人 of a handrail's users, 三个人
 * watching): nearly certain, 0.98 (grade 89.5 → 89.8 %; 0.95 and 0.99 about the same). 推搡 and the
 * fire risks and a worker held name the act itself and always stand: lowering 推搡 too read plain
 * shoving (两人发生口角并推搡) yellow, against the contract.
 */
const LOWER_LOOSE_RISK = 0.8;
const LOWER_INCIDENTAL_CUE = 0.98;

export const SEED_RULES: RuleSet = RuleSet.parse({
  categories: CATEGORIES,
  dictionary: [
    '飞线充电', '私拉电线', '群租', '群租房', '九小场所', '电信诈骗', '电信网络诈骗', '宅基地', '工资', '欠薪',
    '讨薪', '工钱', '劳务费', '包工头', '欠款', '欠条', '借条', '要债', '讨债', '催债', '地界', '承包地',
    '消防通道', '安全出口', '灭火器', '电动车', '电瓶车', '充电', '煤气罐', '煤气味', '燃气味', '液化气',
    '漏登', '流动人员', '未登记', '没登记', '暂住', '无证经营', '无照经营', '营业执照', '黑作坊', '小作坊',
    '小旅馆', '小诊所', '黑诊所', '足浴', '棋牌室', '网吧', '歌厅', '非法集资', '高息', '传销', '拉人头', '发展下线',
    '刷单', '扫码', '冒充', '客服', '安全账户', '验证码', '杀猪盘', '屏幕共享', '黄赌毒', '邪教', '全能神',
    '走失', '走丢', '失联', '离家出走', '老年痴呆', '阿尔茨海默', '被困', '困人', '围堵', '堵路', '集体上访',
    '拉横幅', '推搡', '家暴', '打架', '斗殴', '互殴', '群殴', '砍刀', '菜刀', '水果刀', '钢管', '棍棒', '砖头',
    '不想活', '跳楼', '轻生', '割腕', '喝农药', '受伤', '流血', '头破血流', '着火', '起火', '冒烟', '浓烟',
    '明火', '井盖', '门禁', '报警器', '路灯', '下水道', '物业费', '业委会', '停车位', '噪音', '扰民', '漏水',
    '独居老人', '留守老人', '孕妇', '残疾人', '瘫痪', '未成年人', '多次', '反复', '长期', '屡次', '燃气管道', '液化气罐',
    '地边', '租客', '遛狗',
    // Words jieba would otherwise cut apart (道闸 → 道/闸, 信主 → 信/主, 火苗子 → 蹿火/苗子).
    '道闸', '闸机', '信主', '网贷', '高低床', '上下床', '火苗子', '火星子', '开瓢', '二房东', '放贷', '套路贷',
    '直销', '聚会点', '可燃物', '插线板', '充电桩', '小饭馆', '小餐馆', '小超市', '小吃店', '理发店', '按摩店',
    '洗脚城', '托管班', '辅导班', '住宿登记', '工伤', '扇耳光', '打耳光', '炸街', '倒卖', '窨井', '推牌九', '百家乐',
    // jieba cuts 微信 into 微/信 and 把路修到 …; these stay whole.
    '微信', '劳务报酬', '检测费', '讨要', '结工钱', '工程款', '打捶', '干架', '撕打', '吵相骂', '打相打',
  ],
  // Not 不 or 别: 不给工资, 不愿意赡养 and 不还 are the complaint, not its denial. 万一/一旦/担心 make a
  // danger hypothetical (万一着火 is a risk, not a fire now).
  negations: [
    '没有', '没', '无', '无人', '没人', '不是', '未', '并未', '未见', '并没有', '并非', '不会', '否认', '未发现', '没发现',
    // Dialect denials: Cantonese 冇/唔, Wu 勿, southwestern 莫.
    '冇', '唔', '勿', '莫',
    // Hypothetical: a danger that may come (容易着火, 怕出事, 要是着火) is a risk, not a danger now.
    '万一', '一旦', '以防', '防止', '担心', '生怕', '怕', '容易', '如果', '假如', '要是', '迟早', '以免', '避免', '预防',
  ],
  negationWindow: 2,
  classification: [
    // Tips: what a resident warns about, whatever else the text names.
    {
      id: 'tip.fraud',
      category: 'tip.fraud',
      priority: 80,
      any: ['诈骗', '电信诈骗', '电信网络诈骗', '骗子', '被骗', '骗了', '刷单', '扫码送', '扫码领', '冒充客服', '冒充', '假客服', '安全账户', '验证码', '杀猪盘', '屏幕共享', '共享屏幕', '中奖', '自称…客服', '平台…投资', '投资…平台', '提不出来', '提不了现', '自称…银行', '自称…公安', '说是公安', '冒充…公安', '链接', '冻结', '涉嫌', '洗钱', '卷入…案', '退保', '注销…贷', '转账…到', 'fraud', 'scam'],
    },
    // Impersonated authorities, prizes that cost a fee first, tasks that pay then ask for more.
    {
      id: 'tip.fraud.ploys',
      category: 'tip.fraud',
      priority: 80,
      any: ['说是…公安局', '说是…派出所', '说是…警察', '说是…检察院', '说是…法院', '说是…银行', '自称…检察院', '自称…法院', '自称…警察', '配合调查', '单独接电话', '不要告诉…家里', '别告诉…家里', '保密…调查', '中了…奖', '中了…一台', '中了…一辆', '大奖', '领奖', '奖品', '先交…手续费', '先交…税', '交…手续费', '手续费', '保证金', '解冻费', '垫付', '做任务', '返佣金', '佣金', '提现', '网友…投资', '网恋', '刷流水', '无抵押…贷款'],
      note: 'the ploy, not the channel: 说是检察院的…配合调查, 中了…先交手续费, 垫付…提现',
    },
    // Impostors at the door or on video, money moved for a "check", apps that want more before paying out.
    {
      id: 'tip.fraud.impostors',
      category: 'tip.fraud',
      priority: 80,
      match: 'characters',
      any: ['假冒', '假扮', '冒充', '说是…燃气公司', '说是…电力公司', '说是…自来水公司', '燃气公司…收', '燃气公司…费', '检测费', '上门…收费', '上门检查…费', '穿着警服', '穿警服', '警服…视频', '视频…警察', '通缉令', '逮捕令', '资金核查', '核查…资金', '清查…资金', '指定账户', '涉嫌…贩毒', '涉嫌…犯罪', '充值…提', '充值…才能', '再充', '提不出', '提出来', '征信…修复', '修复…征信', '校园贷…注销', '理赔…客服', '客服…理赔', '退款…客服', '客服…退款', '内幕消息', '荐股', '股票群', '炒股群', '带单', '虚拟币', '数字货币', '裸聊', '猜猜我是谁', '换号了', '冒充…领导', '盗刷', '包治', '能治好', '神药', '拉进…群', '群里…老师', '带…炒股', '骗子', '骗钱', '被骗', '受骗', '上当', '骗局', '诈骗', '陌生链接', '下载…app', '下载…软件', ...SWINDLED],
      not: ['没上当', '没被骗', '不会上当'],
    },
    { id: 'tip.fundraising', category: 'tip.fundraising', priority: 80, any: ['非法集资', '集资', '高息', '高额回报', '保本保息', '吸收存款', '养老项目', '入股…分红', '返息', '稳赚不赔', '原始股', '翻十倍', '上市…翻', '高回报', '理财', '年化', '保本'] },
    // Money in, more back: 投…返, 保底分红, 月息; lending at usury is reported with it (放贷, 高利).
    { id: 'tip.fundraising.returns', category: 'tip.fundraising', priority: 80, any: ['投…返', '每月返', '一年返', '每年返', '保底', '保底…分红', '年底…分红', '收钱…入股', '利息高', '高利息', '月息', '年息', '放贷', '套路贷', '认购', '送鸡蛋…讲座', '讲座…送鸡蛋', '讲座…投'] },
    // Shares and interest promised to residents: 成为股东, 每个月发利息, 揽储, 养老公寓.
    { id: 'tip.fundraising.shares', category: 'tip.fundraising', priority: 80, match: 'characters', any: ['投资公司…跑路', '投资…钱…拿不回来', '投资人…本金', '投资人…返还', '股东', '股份…分红', '每月…利息', '每个月…利息', '发利息', '月月返', '月月拿', '利息…每月', '回报率', '保本', '理财产品', '揽储', '拉存款', '众筹', '私募', '投资…回报', '养老公寓', '预订…床位', '买…床位', '消费…返', '股权', '认筹', '存钱…利息', '利息比银行高', '比银行…高'] },
    // Pyramid and cult outrank fraud: 被骗去搞直销 is a pyramid, 骗 only says how.
    { id: 'tip.pyramid', category: 'tip.pyramid', priority: 82, any: ['传销', '拉人头', '发展下线', '下线', '入门费', '洗脑', '介绍…提成', '拉人…提成', '一层一层'] },
    { id: 'tip.pyramid.recruiting', category: 'tip.pyramid', priority: 82, any: ['直销', '拉人…返利', '拉人…升级', '拉人…奖励', '拉人进', '拉够', '拉…人…升级', '拉…人…返利', '入会', '会员…拉人', '买货…会员', '交钱…经理', '当经理', '喊口号', '资本运作', '连锁经营', '五级三晋', '手机被收', '骗到外地', '限制…自由'] },
    // Agents recruiting agents: 交了钱当代理, 再发展代理就有钱拿, 拉新, 躺赚.
    { id: 'tip.pyramid.agents', category: 'tip.pyramid', priority: 82, match: 'characters', any: ['发展…代理', '代理…发展', '发展…会员', '发展…下线', '拉…代理', '交钱…代理', '当代理', '代理…拉人', '团队…拉人', '拉人…团队', '拉新', '躺赚', '躺着赚', '晋级', '封闭…培训', '上大课', '纯资本', '国家扶持…项目', '传销窝点', '人头费', '拉亲戚', '拉朋友'] },
    // A report (举报) of drugs, sex work or gambling is a tip, whoever the tipster says they are (我是他对门邻居): the model, which
    // read 邻居, 对门, 楼下 as a neighbour quarrel at 1.00, may not outvote it; a tip goes to the police alone and keeps the tipster's words
    // from the grid. Above the other tip rules of priority 80 so its learnedMayOutvote decides.
    { id: 'tip.vice.reported', category: 'tip.vice', priority: 81, learnedMayOutvote: false, match: 'characters' as const, any: VICE_REPORTED, all: ['举报'] },
    { id: 'tip.vice', category: 'tip.vice', priority: 80, any: ['赌博', '聚众赌博', '赌钱', '赌场', '开赌', '吸毒', '贩毒', '毒品', '冰毒', '大麻', '卖淫', '嫖娼', '黄赌毒', '色情', '涉黄', '赌', '赌得'] },
    // Gambling, drugs and sex work as people describe them without the legal word.
    { id: 'tip.vice.signs', category: 'tip.vice', priority: 80, any: ['输赢', '下注', '押大小', '推牌九', '牌九', '百家乐', '老虎机', '六合彩', '赌球', '开场子', '抽头', '放水', '锡纸…吸管', '吸管…锡纸', '针管', '注射器', '溜冰', 'k粉', '摇头丸', '麻古', '吸食', '招嫖', '小姐', '不正经', '特殊服务', '站街', '招呼…男的'] },
    // Stakes, lookouts, machines and drugs by their street names.
    { id: 'tip.vice.more', category: 'tip.vice', priority: 80, match: 'characters', any: ['吸了毒', '吸…毒品', '毒瘾', '吸多了', '打麻将…输赢', '麻将…钱', '打牌…钱', '赌资', '望风', '放哨', '把风', '打牌…现金', '一把…百', '一把…千', '一把…万', '一局…百', '一局…千', '一局…万', '麻将…块', '特别服务', '押注', '赌桌', '开赌场', '捕鱼机', '赌博机', '私彩', '地下六合彩', '网赌', '赌博网站', '博彩', '海洛因', '嗑药', '毒贩', '卖淫', '嫖娼', '招嫖', '小卡片', '涉黄', '洗头房', '特殊服务'] },
    { id: 'tip.cult', category: 'tip.cult', priority: 81, any: ['邪教', '全能神', '法轮功', '门徒会', '世界末日', '信…神…治病', '练功', '不用…吃药', '不用…去医院'] },
    { id: 'tip.cult.preaching', category: 'tip.cult', priority: 81, any: ['信主', '传教', '聚会点', '入教', '入…教', '末日', '得救', '消灾', '信了…就', '不让…去医院', '不让…看病', '不用…看病', '祷告…治病', '东方闪电', '呼喊派', '实际神', '小册子…末日'] },
    // Someone sent by a god, possessed, healing by faith; money given to be spared.
    { id: 'tip.cult.signs', category: 'tip.cult', priority: 81, match: 'characters', any: ['神派来', '神仙…派', '附体', '跳大神', '神婆', '大仙', '活菩萨', '显灵', '转世', '真神', '主神', '天国', '上天堂', '得永生', '灾难…来临', '捐给…神', '捐钱…消灾', '不要吃药', '不用吃药', '不让…吃药', '不让…看病', '不用…看病', '不用…去医院', '不让…去医院', '符水', '发功', '带功', '功法', '念经…治病', '气功…治病'] },
    // Pets that ran off are lost property (above the missing-person rules).
    // Below every missing-person rule, so 孩子和狗都不见了 is a missing child, not a lost dog.
    { id: 'service.lost-pet', category: 'service.lost-property', priority: 74, any: ANIMALS.flatMap((p) => PET_GONE.map((g) => `${p}…${g}`)) },
    // An animal said to have strayed in so many words holds against the learned model, which reads 邻居家的狗
    // as a neighbour dispute; still below the missing-person rules.
    {
      id: 'service.lost-pet.strayed',
      category: 'service.lost-property',
      priority: 74,
      learnedMayOutvote: false,
      any: ANIMALS.flatMap((p) => STRAYED.map((g) => `${p}…${g}`)),
      not: ANIMAL_DID_SOMETHING,
      note: 'a dog or a sheep that strayed; not where it bit or frightened someone',
    },
    // Someone's animal gone (儿子的猫找不到了, 奶奶养的狗不见了): the animal is what is gone, above the
    // missing-person rules that would read 儿子…找不到; not where a person goes with it (孩子和狗都不见了).
    {
      id: 'service.lost-pet.owned',
      category: 'service.lost-property',
      priority: 77,
      learnedMayOutvote: false,
      any: ANIMALS.flatMap((p) => STRAYED.map((g) => `的${p}…${g}`)),
      not: ['和', '跟', '带', '带着', '一起', '同', ...ANIMAL_DID_SOMETHING],
      unless: PERSONS.flatMap((p) => ['没回来', '没回家', '还没回', '未归', '失联', '联系不上'].map((g) => `${p}…${g}`)),
      note: "someone's dog or sheep gone; not with a person gone along, nor a person not back (孩子去山上找羊到现在没回来)",
    },
    // A missing child, elderly or impaired person said plainly: the model never outvotes it (a pet above still wins a tie).
    ...chunked({
      id: 'service.missing-person.vulnerable',
      category: 'service.missing-person',
      priority: 76,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: [
        ...VULNERABLE_MISSING.flatMap((p) => [...GONE_FOR_SURE.map((g) => `${p}…${g}`), ...GONE_BEFORE.map((g) => `${g}…${p}`), `${p}丢了`]),
        // A small child lost somewhere (我家宝宝在超市丢了): 丢了 after the place is said of the child. Not of an elderly person, who
        // loses things there (老人在小区里丢了助听器); a belonging after it is LOST_A_THING's.
        ...SMALL_CHILDREN.map((child) => `${child}在…丢了`),
      ],
      not: [...NOT_GONE, ...LOST_A_THING],
      unless: [...RETRACTED, ...LOST_A_COUNTED_THING],
      note: '老人走丢了, 孩子被人抱走了; not 老人手机丢了 or 孩子找不到作业本; a retraction (找到了) leaves it to the other rules and the model',
    }),
    // A small child 丢失, the written 丢了 (孩子丢失，请帮忙寻找; 5岁儿童丢失 联系人王女士): a child lost, not lost property. Not what the
    // child lost (孩子丢失了书包, 孩子丢失的钥匙, 孩子丢失一支笔). Its own rule: the vulnerable rules set 失联系 aside, which 孩子丢失 联系人 holds.
    {
      id: 'service.missing-person.child-lost',
      category: 'service.missing-person',
      priority: 76,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: SMALL_CHILDREN.map((child) => `${child}丢失`),
      not: ['丢失的', ...CHILD_LOST_THINGS.flatMap((thing) => [`丢失${thing}`, `丢失了${thing}`])],
      unless: [...RETRACTED, ...LOST_A_COUNTED_THING.flatMap((counted) => [counted.replace('丢了', '丢失了'), counted.replace('丢了', '丢失')])],
      note: '孩子丢失 (a child lost); not 孩子丢失了书包 or 孩子丢失一支笔; a retraction leaves it to the other rules',
    },
    // A vulnerable person kidnapped: taken, as 抱走 is (audit 9: 绑架了我女儿，要五十万 was a fraud tip on the model's 0.69).
    {
      id: 'service.missing-person.kidnapped',
      category: 'service.missing-person',
      priority: 76,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: KIDNAPPED,
      not: NOT_KIDNAPPED,
      unless: RETRACTED,
    },
    // The same across clauses: a vulnerable person named, and a later clause saying someone is gone (我妈有老年痴呆，早上出门到现在联系不上).
    ...GONE_APART.map((gone, i) => ({
      id: `service.missing-person.vulnerable-apart-${i + 1}`,
      category: 'service.missing-person',
      priority: 76,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: VULNERABLE_APART,
      all: [gone],
      not: [...KIN_CHARS.map((k) => `${k}的`), ...GRANDPARENTS_HOMES, ...NOT_LOST_CONTACT, ...OTHER_PARTIES.flatMap((x) => [`${x}…${gone}`, `${gone}…${x}`])],
      unless: RETRACTED_APART,
      note: `a vulnerable person anywhere in the report, and "${gone}" said of them; not after a retraction or of someone else`,
    })),
    // People first: a missing grandfather is a person, never lost property.
    {
      id: 'service.missing-person',
      category: 'service.missing-person',
      priority: 75,
      any: PERSONS.flatMap((p) => GONE.map((g) => `${p}…${g}`)),
      not: ['孩子的', '小孩的', '老人的', '儿子的', '女儿的', '爸的', '妈的', '把', ...BELONGING_LOST, ...NOT_FOUND_THINGS, ...MONEY_GONE_WORDS],
      unless: RETRACTED,
      note: 'a person word, then gone (孩子…不见了); 孩子的书包不见了, 儿子把手机丢了 and 老人手机丢了 are property; a retraction (孩子找到了，撤了吧) leaves it to the other rules and the model',
    },
    {
      id: 'service.missing-person.words',
      category: 'service.missing-person',
      priority: 75,
      any: ['走失', '走丢', '失联', '失踪', '离家出走', '联系不上', '寻人', '没回家', '没有回家', '没回来', '还没回来', '出门…找不到', '出门…没回来', '未归', '一夜未归', '孩子…丢了', '孩子…不见了', '小孩…不见了', '老人…不见了', '爷爷…不见', '奶奶…不见', '儿子…找不到', '女儿…找不到', '老人…找不到', '找不到…人', '下落不明', '不知去向', '没到家', '协助寻找', '帮忙找人'],
      // 联系不上 said of someone else (平台客服说联系不上司机; 物业联系不上) leaves no one missing.
      not: ['孩子的', '小孩的', '老人的', ...NOT_LOST_CONTACT, ...ANIMALS.flatMap((a) => [`${a}…走失`, `${a}…走丢`]), '宠物', ...BELONGING_LOST, ...NOT_FOUND_THINGS, ...MONEY_GONE_WORDS, ...OTHER_PARTIES.flatMap((x) => [`${x}…联系不上`, `联系不上…${x}`])],
      unless: RETRACTED,
      note: '孩子的滑板车丢了 is property: "孩子的" excludes the child cue; a dog or sheep that wandered off is lost property; a retraction leaves it to the other rules and the model',
    },
    // A relative named in one clause and gone in another: 我弟弟二十多岁，…，三天没消息了.
    ...CROSS_CLAUSE_GONE.map(([g, slug]) => ({
      id: `service.missing-person.${slug}`,
      category: 'service.missing-person',
      priority: 75,
      any: PERSONS,
      all: [g],
      not: ['孩子的', '小孩的', '老人的', '儿子的', '女儿的', '爸的', '妈的', ...NOT_LOST_CONTACT],
    })),
    // Any relative and any way of saying gone, in characters: 老头子…还没回, 小孙子…一转眼就没了, 娃儿唔见咗.
    ...chunked({
      id: 'service.missing-person.kin',
      category: 'service.missing-person',
      priority: 75,
      match: 'characters' as const,
      any: KIN_CHARS.flatMap((k) => GONE_CHARS.map((g) => `${k}…${g}`)),
      not: NOT_GONE,
      unless: RETRACTED,
      note: 'a relative, then gone, in one clause; 孩子的书包不见了 and 儿子把手机丢了 are property',
    }),
    // A relative named in one clause, gone in another (俺家老头子早上去赶集，到现在还没回): the strong gone-words only.
    ...KIN_GONE_APART.map((gone, i) => ({
      id: `service.missing-person.kin-apart-${i + 1}`,
      category: 'service.missing-person',
      priority: 75,
      match: 'characters' as const,
      any: KIN_CHARS,
      all: [gone],
      not: NOT_GONE,
      note: `a relative anywhere in the report, and "${gone}"`,
    })),
    // A friend or partner gone (女朋友…不接电话): below debts and wages, where 人找不着了 is the debtor.
    ...chunked({
      id: 'service.missing-person.acquaintance',
      category: 'service.missing-person',
      priority: 58,
      match: 'characters' as const,
      any: ACQUAINTANCES.flatMap((k) => GONE_CHARS.map((g) => `${k}…${g}`)),
      not: NOT_GONE,
    }),
    // Alone at home and not answering, or a neighbour asked to look in: a welfare visit, above a missing person.
    ...NO_ANSWER.map((word, i) => ({
      id: `service.welfare.alone-${i + 1}`,
      category: 'service.general',
      priority: 77,
      match: 'characters' as const,
      any: AT_HOME_ALONE,
      all: [word],
      note: `alone at home and "${word}": someone should look in`,
    })),
    {
      id: 'hazard.fire',
      category: 'hazard.fire',
      priority: 70,
      any: ['火', '着火', '起火', '失火', '火灾', '冒烟', '浓烟', '黑烟', '全是烟', '烟很大', '明火', '火苗', '打119', '拨打119', '叫119', '叫了119', '喊119', '119来了', '烧起来', '燃气', '燃气…味', '煤气…味', '燃气灶…味', '煤气', '煤气罐', '煤气味', '燃气味', '液化气', '天然气', '瓦斯', '漏气', '消防', '消防通道', '安全出口', '灭火器', '飞线充电', '私拉电线', '电线老化', '电动车…充电', '电瓶车…充电', '楼道…堆', '楼道…堆满', '楼道…堆放', '堆放杂物', '易燃', '液化气罐', '燃气管道', '私接', '消防栓', '电动自行车…充电', '车库…充电', '乱拉', '拉线', '楼梯间…堆', '烧焦', 'fire', 'gas leak'],
      not: ['火锅', '火车', '烟花…卖', '燃气费', '煤气费', '燃气公司', '燃气表', '燃气卡', '交燃气', '燃气…缴费'],
      note: '火锅 is not 火 (the segmenter keeps 火锅店 whole; the exclusion says so)',
    },
    // Fire now, gas, and the fire risks a grid worker writes up: charging indoors, blocked exits, fuel piled up.
    {
      id: 'hazard.fire.risks',
      category: 'hazard.fire',
      priority: 70,
      any: [...FIRE_NOW, ...SMOKE_NOW, ...GAS_LEAK, '插线板…充电', '充电…插线板', '电瓶…充电', '电车…充电', '电瓶…屋里', '充电桩', '拉…电线', '电线…吊', '可燃物', '易燃物', '消防隐患', '堵死…通道', '通道…堵', '疏散通道'],
      not: ['火锅', '火车'],
    },
    // Clutter and cigarette ends are a weak fire cue: a group rental or a venue that has them is still that.
    { id: 'hazard.fire.clutter', category: 'hazard.fire', priority: 42, any: ['楼梯…堆', '堆…楼梯', '过道…堆', '走廊…堆', '纸箱…堆', '堆…纸箱', '纸壳', '纸壳子', '泡沫箱', '烟头'] },
    // Burning, sparks, e-bikes taken indoors or into lifts, bottled gas and heaters: said plainly.
    { id: 'hazard.fire.colloquial', category: 'hazard.fire', priority: 70, match: 'characters', any: ['玩火', '玩打火机', '烧东西', '烧纸', '烧垃圾', '焚烧', '秸秆', '放火', '蹿火', '火苗', '火光', '烧焦', '焦糊味', '糊味', '火场', '冒火花', '打火花', '短路', '电线…烧', '电线…焦', '电瓶…爆', '电池…爆', '锂电池', '电动车…电梯', '电瓶车…电梯', '电动车…上楼', '电瓶车…上楼', '电动车…楼道', '电瓶车…楼道', '楼道…充电', '鞭炮', '烟花', '燃气罐', '气罐', '钢瓶', '煤炉', '炭火', '电暖器', '电热毯', '违规用电', '大功率', '灭火器', '消防门', '防火门', '逃生通道', '疏散通道', '烟感', '喷淋'], not: ['火锅', '燃气费', '煤气费'] },
    // A stove that will not light (煤气灶打不着火了，找谁修): a repair to arrange, no fire; with a smell or a leak it is the gas rules'.
    {
      id: 'service.repair.stove',
      category: 'service.general',
      priority: 71,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: STOVE_WONT_LIGHT,
      unless: ['味', '漏', '泄', '嘶', '已经着火', '起火', '冒烟', '火苗'],
    },
    // Arson now (有人在小区里放火烧车, 有人纵火): a fire, which the model never files as public order; a threat to set a fire
    // (扬言要放火, 再不还钱就放火) is a dispute, left to the other rules (red.net.threat grades it).
    {
      id: 'hazard.fire.arson',
      category: 'hazard.fire',
      // Above the other fire rules, so its learnedMayOutvote decides.
      priority: 71,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: ['纵火', '放火烧', '在放火', '正在放火', '有人放火', '点火烧', '烧车', '把…车…点了', '把…车…点着', '泼…汽油…点'],
      unless: ['扬言', '放话', '威胁', '恐吓', '要往', '要…泼汽油', '要放火', '就放火', '说要', '想放火', '敢…放火', '再不', '要烧', '就烧', '要把', '就把', '放火…同归于尽'],
      note: 'an arson happening; a threat to set one (要放火, 就放火) is left to the dispute rules',
    },
    { id: 'hazard.group-rental', category: 'hazard.group-rental', priority: 68, any: ['群租', '群租房', '隔断', '隔成', '上下铺', '床位', '住了…十几个人', '住了…二十多个人', '住了…几十个人', '住了…好多人', '一套房…住', '地铺', '打满…铺', '改成…出租', '分租', '隔间'] },
    // A flat cut up or crammed: the partition, the bunks, the sublet, the headcount where one family should live.
    { id: 'hazard.group-rental.crammed', category: 'hazard.group-rental', priority: 68, any: ['高低床', '上下床', '双层床', '小间', '分割', '隔出', '打隔断', '二房东', '住了好多', '住了…好多', '一屋子…床', '住满了', ...['十来个', '十几个', '十多个', '二十多个', '二十来个', '几十个', '好几十个'].map((n) => `住了…${n}`), '两居室…住', '三居室…住', '一套…住了'] },
    // Rooms cut out of a flat or a basement and let, or a flat full of people: 改成十几个小房间出租, 住满了人.
    { id: 'hazard.group-rental.colloquial', category: 'hazard.group-rental', priority: 68, match: 'characters', any: ['改成…小房间', '改成…房间', '改成…间', '隔成…间', '小房间…出租', '出租…小房间', '地下室…出租', '地下室…住人', '住满了', '住满', '大通铺', '通铺', '一屋子人', '住了很多人', '住了好多人', '住了好些人', '住了一大帮', '住了老多人', '几十号人', '人员复杂', '人员杂', '群居', '合租…十几'] },
    { id: 'dispute.family', category: 'dispute.family', priority: 65, any: ['夫妻', '两口子', '家暴', '老公', '老婆', '丈夫', '妻子', '媳妇', '婆媳', '儿媳', '赡养', '离婚', '分家', '遗产', '抚养费', '父子', '母女', '兄弟…吵', '姐妹…吵', '不管老人', '不愿意赡养'] },
    // In-laws, parents, colloquial spouses; who keeps the old people; being put out of one's own home.
    { id: 'dispute.family.kin', category: 'dispute.family', priority: 65, any: ['姐夫', '嫂子', '弟媳', '妹夫', '小叔子', '公公', '婆婆', '岳父', '岳母', '丈母娘', '女婿', '儿媳妇', '爹娘', '爹妈', '父母…吵', '我男人', '俺男人', '我家男人', '那口子', '兄弟…养', '谁…养', '不想…养', '养老…吵', '撵出来', '赶出来', '撵出', '赶出', '过户', '继承', '分房子', '彩礼'] },
    // Couples and households as people name them (小两口, 老两口, 当家的, 孩子他爸), and who keeps whom.
    { id: 'dispute.family.colloquial', category: 'dispute.family', priority: 65, match: 'characters', any: ['小两口', '老两口', '两口子', '当家的', '孩子他爸', '孩子他妈', '孩他爸', '孩他妈', '娃他爹', '娃他娘', '那口子', '屋里的', '婆娘', '我男人', '我女人', '兄妹', '姐弟', '兄弟姐妹', '哥几个', '姐几个', '前夫', '前妻', '继父', '继母', '后妈', '后爹', '亲家', '娘家', '婆家', '公婆', '儿女', '几个子女', '个子女', '不孝', '啃老', '生活费', '养老钱', '赡养费', '不管…老人', '不管…我们', '不管…爹娘', '不管…父母', '不管…我了', '打老婆', '打媳妇', '打孩子', '虐待', '分财产', '争房子', '争遗产', '遗嘱', '抚养', '探视', '看孩子'], not: ['帮忙看孩子', '帮…看孩子', ...EX_PARTNERS_NEW_PARTNER] },
    { id: 'dispute.labour', category: 'dispute.labour', priority: 62, any: ['工资', '拖欠工资', '欠薪', '讨薪', '工钱', '劳务费', '工程款', '包工头', '农民工', '加班费', '辞退', '克扣', '没…工资', '没拿到工资', '拿不到工资', '薪水', '薪资', '要工钱', '结工钱'] },
    // Work done and not paid, said without the word 工资: 老板…没结, 工人…没发钱, 扣着…钱.
    { id: 'dispute.labour.unpaid', category: 'dispute.labour', priority: 62, any: ['血汗钱', '辛苦钱', '老板…没结', '老板…不结', '老板…不给', '老板…扣', '老板…拖欠', '老板…欠', '老板…跑了', '工人…没发', '工人…不发', '没发钱', '不发钱', '没结钱', '一分钱没结', '干活…钱', '干了…没结', '扣着…钱', '押着…钱', '辞职…钱', '工伤', '社保', '劳动合同', '劳动仲裁', '开除', '试用期'] },
    // Pay for work, however it is called (劳务报酬, 工程款, 人工费), and holding a worker (押了身份证, 不让走).
    { id: 'dispute.labour.colloquial', category: 'dispute.labour', priority: 62, match: 'characters', any: ['劳务报酬', '报酬', '工程款', '工费', '人工费', '工钱', '血汗', '讨要…工', '讨要…钱', '要工资', '结工资', '结钱', '不给结', '拖着不结', '拖欠…工', '拖欠…薪', '拖欠…钱', '拖欠…报酬', '欠…工钱', '欠…工资', '干完…钱', '活干完', '干活…不给', '干活…没给', '打工…钱', '工地…钱', '工地…欠', '工头', '老板…跑路', '跑路…老板', '老板…失联', '老板…躲', '老板…不见', '雇主', '东家', '押…身份证', '扣…身份证', '扣着…身份证', '不让走', '个月的钱', '个月钱', '个月没发', '个月的工', '上班…受伤', '上班…压', '被机器', '机器…压', '厂里…不给报', '年终奖', '提成…不给', '奖金…不给', '裁员', '解雇', '赔偿金', '经济补偿', '加班', '五险一金', '劳动监察'], not: NOT_LOST_CONTACT },
    { id: 'dispute.debt', category: 'dispute.debt', priority: 62, any: ['欠钱', '借钱', '借了', '借款', '欠款', '还钱', '要债', '讨债', '催债', '债务', '欠条', '借条', '高利贷', '赖账', '不还', '欠我', '拉黑'] },
    // Lending and collecting: 借给, 网贷, 催收, 要账.
    { id: 'dispute.debt.lending', category: 'dispute.debt', priority: 62, any: ['借给', '找我借', '向我借', '借我', '网贷', '贷款', '催收', '催…还', '上门催', '要账', '欠账', '老赖', '还不上', '不还钱', '借…块'] },
    // Money lent and not returned, and the debtor gone quiet: 周转, 该我钱, 把我微信删了.
    { id: 'dispute.debt.colloquial', category: 'dispute.debt', priority: 62, match: 'characters', any: ['周转', '借了我', '借我', '欠我', '欠俺', '该我…钱', '差我…钱', '拖着不还', '不认账', '赖账', '翻脸不认', '把我删', '删了我', '拉黑', '货款', '欠账', '赊账', '尾款', '定金…不退', '押金…不退', '退押金', '还款', '还不上', '老赖', '失信', '打借条', '打了欠条', '借的钱', '借…钱', '欠着', '还欠'] },
    { id: 'dispute.fight', category: 'dispute.fight', priority: 60, any: ['打架', '斗殴', '打人', '打起来', '互殴', '群殴', '殴打', '扭打', '动手', '打了起来', '挨打', '推搡', '互相推搡', '围着…打', '围殴', '拿着…棍子', '拿着…刀', '持刀', '打成一团', '打了一架', '群架', '被打', 'fight'] },
    // Blows as people name them: 扇耳光, 踹, 揍, 干起来, 开瓢.
    { id: 'dispute.fight.blows', category: 'dispute.fight', priority: 60, any: ['扇…耳光', '扇耳光', '打耳光', '扇巴掌', '打…巴掌', '踹', '揍', '干起来', '干仗', '掐架', '打群架', '开瓢', '砸人', '砸…头', '砸…脑袋', '推来推去', '互推', '打伤', '砍人', '捅人', '追着…打', '打…头破', '被…打了', '被…打伤', '被…打得'] },
    // Fighting in every register (打捶, 干架, 打相打, 削他, 挨揍) and two groups squaring up.
    { id: 'dispute.fight.colloquial', category: 'dispute.fight', priority: 60, match: 'characters', not: ['打交道'], any: ['打捶', '打交', '打相打', '干仗', '干架', '掐架', '撕打', '厮打', '扭打', '打成一团', '动起手', '动起了手', '动手', '动了手', '挨打', '挨揍', '被揍', '揍了', '揍人', '打人', '打了人', '一拳', '几拳', '拳头', '踢了', '踢人', '大嘴巴子', '耳光', '巴掌', '两伙人', '两帮人', '群架', '约架', '打起来', '干起来', '围殴', '围攻', '拉架', '劝架', ...STRANGLED] },
    { id: 'dispute.land', category: 'dispute.land', priority: 55, any: ['土地', '宅基地', '地界', '承包地', '耕地', '界址', '地边', '田埂', '种地', '占地', '林地', '征地', '地头', '地边', '地边上', '浇地', '地里', '水渠', '灌溉'] },
    // Kinds of rural land and what is done with it: 责任田, 鱼塘, 发包, 补偿款, 界桩.
    { id: 'dispute.land.rural', category: 'dispute.land', priority: 55, any: ['责任田', '自留地', '田地', '农田', '庄稼', '鱼塘', '山林', '果园', '荒地', '发包', '承包', '补偿款', '界桩', '界碑', '地是', '占了…地', '种上', '村委会…收回', '土地证', '确权'] },
    // Hillsides, ancestral plots and boundaries: 祖上的, 山坡, 房基, 砍了…树.
    { id: 'dispute.land.colloquial', category: 'dispute.land', priority: 55, match: 'characters', any: ['祖上', '祖坟', '坟地', '山坡', '山头', '山场', '林权', '菜园', '老宅', '房基', '院基', '地基', '地界', '界线', '地块', '占了…地', '修路…地', '挖沟', '引水', '多占', '占了…米', '侵占', '包地', '土地流转', '流转', '征收'] },
    { id: 'dispute.property', category: 'dispute.property', priority: 55, any: ['物业', '物业费', '业委会', '维修基金', '停车费', '开发商'] },
    // The estate's management and its money, as owners complain of them.
    { id: 'dispute.property.estate', category: 'dispute.property', priority: 55, match: 'characters', any: ['物管', '物业公司', '保安', '管家', '公摊', '公共收益', '电梯广告', '绿化带', '绿地', '交房', '房屋质量', '报修', '暖气费', '供暖费', '乱收费', '业主大会', '换物业', '开发商', '房产证'] },
    { id: 'hazard.small-venue', category: 'hazard.small-venue', priority: 50, any: ['九小场所', '网吧', '歌厅', 'ktv', '小旅馆', '无证经营', '无照经营', '营业执照', '黑作坊', '小作坊', '小诊所', '黑诊所', '足浴', '洗浴', '美容院', '托管班', '棋牌室', '小卖部', '家庭旅馆', '旅馆'] },
    // A venue run without papers or as a home: 没有…执照, 没证, 住人, 过期食品 (wherever the venue is named). jieba keeps
    // 营业执照 whole, so 执照 alone never matches inside it.
    { id: 'hazard.small-venue.violations', category: 'hazard.small-venue', priority: 50, any: ['没有…执照', '没…执照', '无…执照', '没有…营业执照', '没…营业执照', '无…营业执照', '没挂…执照', '没有证', '没证', '无证', '没办证', '证照', '卫生许可', '过期食品', '三合一', '前店后厂', '店里…住人', '店…住了', '后厨…住'] },
    // Unlicensed practice and what a venue sells or lets in: 没挂执照, 消毒不规范, 卖烟给学生, 不查身份证.
    { id: 'hazard.small-venue.practice', category: 'hazard.small-venue', priority: 50, match: 'characters', any: ['没挂…执照', '无证…行医', '非法行医', '没有资质', '无资质', '没资质', '消毒…不规范', '不消毒', '卫生…差', '不卫生', '地沟油', '三无产品', '卖烟…学生', '卖酒…学生', '卖烟…未成年', '卖…未成年', '未成年人…进', '不查身份证', '不查…身份证', '通宵营业', '超时营业', '旅店…登记', '旅馆…登记', '宾馆…登记', '民宿…登记', '招待所…登记'] },
    // The nine small venues by name are a weak cue: 在超市丢了钱包 is lost property.
    { id: 'hazard.small-venue.place', category: 'hazard.small-venue', priority: 34, placeOnly: true, any: ['小饭馆', '小餐馆', '小吃店', '饭馆', '餐馆', '小超市', '超市', '便利店', '商店', '理发店', '美发店', '发廊', '按摩店', '按摩', '洗脚城', '美容店', '小宾馆', '招待所', '诊所', '药店', '托儿所', '幼儿园', '辅导班', '加工厂', '作坊', '录像厅', '游戏厅'] },
    { id: 'hazard.small-venue.more-places', category: 'hazard.small-venue', priority: 34, placeOnly: true, match: 'characters', any: ['牙科', '诊所', '医美', '养生馆', '养生店', '足疗', '桑拿', '电竞馆', '台球室', '烧烤店', '早餐店', '奶茶店', '烟酒店', '杂货店', '小卖铺', '旅店', '民宿', '宾馆', '培训班', '补习班', '早教', '托育'] },
    { id: 'hazard.unregistered', category: 'hazard.unregistered', priority: 50, any: ['漏登', '流动人员', '未登记', '没登记', '没有登记', '不登记', '暂住', '居住证', '身份不明', '租客…登记', '外来人员', '租客', '没去…登记', '登记'] },
    // A tenant no one has registered: 没…登记 (its 没 is the complaint), 不报备, new tenants, foreigners.
    { id: 'hazard.unregistered.tenants', category: 'hazard.unregistered', priority: 50, any: ['没…登记', '未…登记', '不用登记', '报备', '备案', '住宿登记', '租房的', '租户', '房客', '新搬来', '外地人', '外国人', '身份证…没看', '没看…身份证'] },
    // People come and go in a let flat and nobody records them: 换了好几拨人, 生面孔, 来历不明.
    { id: 'hazard.unregistered.turnover', category: 'hazard.unregistered', priority: 50, match: 'characters', any: ['出租屋…登记', '登记…出租屋', '好几拨人', '换了…拨', '生面孔', '陌生人…住', '住进来', '来历不明', '不知道…干什么的', '不知道…做什么的', '流动人口', '日租房', '短租', '房东…不报', '实有人口', '信息采集', '人口信息', '查…登记', '来…登记', '租房子的', '租房的', '不知道叫什么', '不跟…打交道'] },
    { id: 'hazard.facility', category: 'hazard.facility', priority: 45, any: ['门禁', '报警器', '电梯', '路灯', '井盖', '下水道', '水管', '爆管', '停水', '停电', '护栏', '广告牌', '塌陷', '供暖', '暖气', '单元门', '防盗门', '锁坏了', 'door access'] },
    // Shared fittings of a street or an estate, whatever state they are in.
    { id: 'hazard.facility.fittings', category: 'hazard.facility', priority: 45, any: ['道闸', '闸机', '栏杆', '自来水管', '自来水', '管道', '窨井', '化粪池', '健身器材', '单杠', '双杠', '秋千', '滑梯', '座椅', '围栏', '围墙', '电线杆', '线杆', '红绿灯', '信号灯', '路面', '地砖', '台阶', '扶手', '监控…坏', '公厕', '垃圾桶…坏', '灯…不亮'] },
    // The fittings again in characters (电梯门, 路灯杆), and what breaks on a street: trees, poles, holes, water and power.
    { id: 'hazard.facility.characters', category: 'hazard.facility', priority: 44, match: 'characters', any: ['电梯', '路灯', '井盖', '下水道', '下水井', '雨水井', '排水', '积水', '水管', '爆管', '停水', '停电', '断电', '断水', '水压', '自来水', '护栏', '栏杆', '广告牌', '招牌', '塌陷', '塌了', '大坑', '坑洼', '深坑', '路面', '人行道', '盲道', '台阶', '扶手', '公交站', '站牌', '路牌', '指示牌', '红绿灯', '信号灯', '斑马线', '减速带', '电线杆', '线杆', '电缆', '变压器', '配电箱', '电箱', '电表箱', '大树', '树…倒', '枯树', '断枝', '树枝…断', '外墙', '墙皮', '瓷砖…掉', '玻璃…碎', '围挡', '脚手架', '单元门', '防盗门', '门禁', '闭门器', '门…关不上', '对讲', '楼道灯', '声控灯', '供暖', '暖气', '化粪池', '窨井', '垃圾桶', '垃圾站', '清运', '垃圾…没人收', '垃圾…没人清', '公厕', '健身器材', '秋千', '滑梯'], not: ['电梯广告', '暖气费', '供暖费'] },
    // Rubbish left on a street or in an estate (环境卫生): a fault to clear, a danger only with a fire (hazard.fire) or a blocked exit (orange.fire-risk).
    { id: 'hazard.facility.sanitation', category: 'hazard.facility', priority: 44, match: 'characters', any: ['垃圾堆积', '堆积…垃圾', '垃圾成堆', '成堆…垃圾', '垃圾满地', '满地…垃圾', '堆满垃圾', '垃圾遍地', '乱倒垃圾', '乱扔垃圾', '乱堆乱放'] },
    { id: 'hazard.public-order', category: 'hazard.public-order', priority: 45, any: ['治安', '小偷', '偷', '被偷', '盗窃', '被盗', '撬锁', '被撬', '撬', '扒窃', '聚集', '寻衅', '滋事', '闹事', '醉酒', '醉汉', '飙车', '可疑', '砸车', '尾随', '偷拍', '聚集…喝酒', '偷东西', '拉车门', '打闹', '聚在一起'] },
    // Street nuisances and prowlers: 炸街, 倒卖, 黄牛, 转悠, 蹲守, 跟踪, 抢.
    { id: 'hazard.public-order.street', category: 'hazard.public-order', priority: 45, any: ['炸街', '改装车', '轰…油门', '倒卖', '黄牛', '票贩子', '拉客', '转悠', '徘徊', '蹲守', '鬼鬼祟祟', '跟踪', '跟着…不放', '对着…拍', '偷看', '抢劫', '抢包', '飞车抢', '碰瓷', '收保护费', '乞讨'] },
    // Drunks, thugs, thieves and prowlers by their everyday names (醉鬼, 耍酒疯, 混混, 顺走, 翻墙).
    { id: 'hazard.public-order.colloquial', category: 'hazard.public-order', priority: 45, match: 'characters', any: ['醉鬼', '酒鬼', '喝醉', '醉汉', '耍酒疯', '发酒疯', '撒酒疯', '酒疯', '喝多了…闹', '喝多了…砸', '砸东西', '砸…垃圾桶', '大喊大叫', '要不要坐车', '揽客', '划车', '把车划', '车被划', '敲门…有没有人', '砸…瓶子', '摔瓶子', '砸玻璃', '冲…吼', '骂街', '混混', '流氓', '街溜子', '二流子', '烂仔', '黑社会', '保护费', '敲诈', '勒索', '打砸', '偷车', '偷电瓶', '偷电动车', '偷狗', '偷鸡', '偷井盖', '扒手', '顺走', '摸走', '撬门', '撬锁', '翻墙', '爬窗', '翻窗', '入室', '盗窃', '抢手机', '抢劫', '抢钱', '露阴', '暴露狂', '猥亵', '骚扰', '偷窥', '踩点', '可疑人员', '陌生男子', '翻垃圾桶', '高空抛物', '飙车', '聚众', '碰瓷', '拦车', '黑车', '非法营运', '喧哗', '闹事'] },
    // A person pushed down the stairs or over to the ground (他把我从楼梯上推下来了, 把老人推倒在地) is an assault, which the model
    // may not file elsewhere (it read 楼梯 and 人从 as a fire). A family's push is the family rule's (higher priority).
    {
      id: 'dispute.fight.pushed',
      category: 'dispute.fight',
      priority: 60,
      learnedMayOutvote: false,
      match: 'characters',
      any: [...PUSHED_DOWN, ...PUSHED_OVER_ANYONE, ...VULNERABLE_PUSHED_OVER],
      not: NOT_PUSHED,
    },
    { id: 'dispute.neighbour', category: 'dispute.neighbour', priority: 40, any: ['邻居', '邻里', '对门', '噪音', '院子', '院墙', '扰民', '漏水', '渗水', '两户', '遛狗', '不拴绳', '狗…咬'] },
    // Where the other party lives is a weak cue: 孩子的自行车放在楼下找不到了 is lost property.
    { id: 'dispute.neighbour.place', category: 'dispute.neighbour', priority: 35, any: ['楼上', '楼下', '隔壁'] },
    // What neighbours quarrel over: noise, water, smoke and smells, pets, shared space, light and cameras.
    { id: 'dispute.neighbour.nuisance', category: 'dispute.neighbour', priority: 40, match: 'characters', any: ['街坊', '左邻右舍', '邻家', '对面楼', '隔壁家', '前院', '后院', '装修…吵', '装修…噪', '电钻', '广场舞', '音响', '音箱', '喇叭', '太吵', '吵得…睡不着', '睡不着觉', '动静…大', '咚咚', '跺脚', '弹珠', '空调水', '空调外机', '滴水', '油烟', '烟味', '异味', '臭味', '狗叫', '狗屎', '狗粪', '养鸡', '鸡叫', '鸽子', '占用…楼道', '占…楼道', '公共走廊', '挡…窗户', '挡光', '采光', '晾衣服', '晾晒', '摄像头…对着', '对着…摄像头', '树枝', '违建', '私搭乱建', '搭棚', '违章建筑', '乱停车'] },
    // A blockade or a petition by many (一群人把县政府门口的路堵了，要集体上访) is a mass incident, not wages or land unless it says so (their rules rank higher).
    { id: 'dispute.general.mass', category: 'dispute.general', priority: 46, learnedMayOutvote: false, match: 'characters', any: ['集体上访', '冲击…政府', '冲击…村委', '堵…政府', '围…政府', '政府…堵', '政府…围', '堵…村委', '围…村委', '村委…堵', '村委…围'] },
    { id: 'dispute.general', category: 'dispute.general', priority: 30, any: ['纠纷', '吵架', '争吵', '矛盾', '争执', '口角', '吵', '骂', 'quarrel', 'dispute'] },
    // A threat against a person (他说要杀了我, 威胁要弄死我全家, 说要让我好看) is a conflict between people, the grade red.threat's.
    // Firm, so where it was made (在我家楼下堵我: 楼下, a weak neighbour cue) does not decide; the text's own topic does (a family,
    // a debt, wages, a fight: rules of higher priority), and with neighbours named it stands aside for theirs. The model may outvote
    // it, but not into a neighbour quarrel, a tip or (for an ex-partner's new partner) a family one (classify.ts: LEARNED_NOT_INTO, tipOverDanger).
    { id: 'dispute.general.threat', category: 'dispute.general', priority: 41, ...THREAT_TO_A_PERSON },
    {
      id: 'service.lost-property',
      category: 'service.lost-property',
      priority: 36,
      any: ['丢失', '丢了', '丢', '遗失', '弄丢', '掉了', '落在', '捡到', '失物', '不见了', '找不到', '走丢', '落下', 'lost', '落了', '忘在', '忘拿', '弄没了', '搞丢', '拾到', '捡了', '遗落', '丢在'],
      not: ['井盖…丢失', '井盖…丢', '井盖…不见', '螺丝…掉了'],
      note: '井盖丢失 is a facility fault, not lost property',
    },
    // A belonging and a losing word in one clause (身份证掉在…, 钱包落在…); theft, listed earlier at the same priority, wins a tie (门锁被撬…项链不见了).
    ...chunked({
      id: 'service.lost-property.items',
      category: 'service.lost-property',
      priority: 45,
      any: ['钱包', '手机', '钥匙', '身份证', '证件', '驾驶证', '驾照', '银行卡', '卡包', '背包', '书包', '挎包', '包包', '行李', '行李箱', '耳机', '眼镜', '老花镜', '手表', '项链', '戒指', '镯子', '文件', '病历', '雨伞', '充电宝', '平板', '电脑', '相机', '现金', '社保卡', '医保卡', '老年卡', '公交卡', '户口本', '护照', '学生证', '工作证', '钥匙串', '自行车', '滑板车', '婴儿车', '拉杆箱', '箱子', 'ipad', '笔记本电脑', '双肩包'].flatMap((item) =>
        ['丢', '掉', '落', '忘', '不见', '找不到', '找不着', '遗失', '遗落', '弄没', '搞丢', '弄丢', '捡到', '拾到', '捡了'].flatMap((lost) => [`${item}…${lost}`, `${lost}…${item}`]),
      ),
      not: ['被偷', '偷了', '被抢', '抢了', '被撬'],
    }),
    // A belonging locked in (我把钥匙锁车里了，狗也在里面，开着空调): lost property; a person in the car too is the person's rules' (higher).
    { id: 'service.lost-property.locked-in', category: 'service.lost-property', priority: 45, match: 'characters' as const, any: BELONGINGS_LOCKED },
    // A belonging fallen where it must be fetched (手机掉进井里了): lost property, which the model may not file as a fault
    // and grade red on a well it learned from children fallen in; the phrase runs to the place, so its words (井里了)
    // count as the thing's, not a danger. A person fallen in is red.fell-in's, whatever fell with them.
    {
      id: 'service.lost-property.dropped',
      category: 'service.lost-property',
      priority: 46,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: DROPPED,
      unless: REACHING_FELL,
      note: '手机掉下去了, 钥匙掉进井里了: a thing fallen, no person (not 为了捡手机掉进井里)',
    },
    // Money gone missing (八十块钱不见了, 两百元丢了): lost property, and the model may not read 八十 as an old person
    // gone (it learned 八十 from missing grandparents and read 八十元不见了 as one at 0.94). Theft, listed earlier at the same
    // priority, wins a tie; a debt, wages or a fraud outrank it.
    {
      id: 'service.lost-property.money',
      category: 'service.lost-property',
      priority: 45,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: MONEY_LOST,
      not: ['被偷', '偷了', '偷走', '被抢', '抢了', '被撬'],
      note: '八十块钱不见了 is money lost, not an 80-year-old gone; 被偷 leaves it to theft',
    },
    // A question outranks the topic it asks about (请问办理居住证 is a question, not a migrant left unregistered).
    { id: 'service.question', category: 'service.general', priority: 55, any: ['请问', '需要带什么', '去哪里办', '应该去哪', '怎么申请', '怎么办理', '开…证明', '想问', '问一下', '需要准备', '怎么弄', '咋弄', '咋办理', '咋申请', '哪个窗口', '在哪里办', '想申请', '能不能申请', '补贴…申请', '申请…补贴'] },
    // Papers, benefits and how-to questions in everyday words (低保怎么续办, 啥手续, 咋整); the topic a question is about
    // (身份证遗失了，想问问怎么补办: lost property) outranks these.
    { id: 'service.question.colloquial', category: 'service.general', priority: 41, match: 'characters', any: ['咨询', '问问', '想了解', '了解一下', '打听', '找谁修', '找谁来修', '找谁维修', '约个师傅', '预约…上门', '预约…维修', '怎么办理', '怎么续', '续办', '咋整', '咋个办', '哪里办', '去哪办', '在哪办', '啥手续', '什么手续', '需要…材料', '带…什么', '低保', '养老金', '医保', '户口', '落户', '盖章', '开证明', '老年卡', '优待证', '残疾证', '独生子女证', '出生证', '临时救助', '困难补助', '廉租房', '公租房', '办证', '补办', '换证'] },
    // Someone who may be in trouble at home: a welfare visit, not a neighbour dispute.
    // Someone unseen for days with a smell or flies (敲门没人应，窗户里有苍蝇): a welfare visit now, which the model may not file
    // elsewhere (it read 窗户 as a fire); above a missing person, as a person alone at home is.
    ...UNSEEN_WITH_A_SIGN.map((cues, i) => ({ id: `service.welfare.unseen-${i + 1}`, category: 'service.general', priority: 77, learnedMayOutvote: false, ...cues })),
    // A crime against a person now (有人劫持了人质, 继父性侵了我女儿, 有人猥亵小孩，就在小区滑梯那): a police matter, a tip by kind
    // (police only, its words and teller kept from community tokens), above the family, the fight and the facility it happens at,
    // and never outvoted (the model read 强奸 as a fight, 绑架…五十万 as a fraud). A vulnerable person taken (绑架了我女儿) is a
    // missing person (76), as 抱走 is.
    {
      id: 'tip.crime-against-person',
      category: 'tip.crime-against-person',
      priority: 72,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: CRIMES_AGAINST_PERSONS,
      not: [...NOT_CRIMES, ...NOT_KIDNAPPED],
    },
    // Someone stalking the reporter now (我被人跟踪了好几条街): as 跟踪我, unless told as a hot spot's or past, or the caller is safe.
    {
      id: 'tip.crime-against-person.stalked',
      category: 'tip.crime-against-person',
      priority: 72,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: STALKED,
      unless: [...NOT_NOW, '是安全的', '已经安全', '已经到家', '到家了'],
    },
    // A vehicle driven at people, an intruder inside, a break-in now (audit 10): public order, which the model may not file as a tip
    // (有人开车撞人 was tip.vice on 有人, 开车) or a fault (冲撞行人: hazard.facility on 行人).
    {
      id: 'hazard.public-order.vehicle-at-people',
      category: 'hazard.public-order',
      priority: 50,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: VEHICLE_AT_PEOPLE,
      not: NO_COLLISION,
      // A fight after a collision (电动车撞了人，两个人下车就打) is the fight's.
      unless: [...FELL_BEFORE, '就打', '打起来', '打了起来', '动手', '动起手'],
    },
    // Voyeurism (有人偷偷在女厕所拍照): public order, orange, which the model read as a cult (拍照 of cult leaflets photographed).
    { id: 'hazard.public-order.voyeurism', category: 'hazard.public-order', priority: 46, learnedMayOutvote: false, match: 'characters' as const, any: VOYEURISM, not: ['拍照留存', '拍照上报', '已拍照'] },
    // People on breaking ice (河面冰上有小孩在玩，冰裂了): help now, not a fault.
    ...PEOPLE_ON_BREAKING_ICE.map((cues, i) => ({ id: `service.person-in-danger.on-ice-${i + 1}`, category: 'service.general', priority: 47, learnedMayOutvote: false, ...cues })),
    // A person locked in by someone (房东把我锁在屋里不让走): help now, above debts (不让走 was a worker held), below a family's; wages
    // named (老板把他关在冷库里) leave it to the wage rules, a lift to the fault's.
    {
      id: 'service.person-in-danger.confined',
      category: 'service.general',
      priority: 64,
      match: 'characters' as const,
      any: CONFINED,
      not: NOT_CONFINED,
      unless: ['电梯', '工资', '工钱', '欠薪', '讨薪', '老板', '包工头'],
    },
    // A child beaten by an adult at home (楼上一直有小孩惨叫，好像被大人打): a family's violence, never a fire (the model's 0.67 on 好像).
    { id: 'dispute.family.child-beaten', category: 'dispute.family', priority: 65, learnedMayOutvote: false, match: 'characters' as const, any: CHILD_BEATEN_AT_HOME },
    { id: 'service.welfare', category: 'service.general', priority: 45, any: ['没见…出门', '敲门…不应', '敲门…没人应', '一个人…哭', '摔倒…起不来', '没开门', '没人答应', '没人应', '没动静', '没出门', '好几天没见', '两天没见', '几天没见', '上门查看', '上门看看'] },
    { id: 'service.general', category: 'service.general', priority: 15, any: ['求助', '帮忙', '帮助', '咨询', '请问', '办理', '证明', '补办', '怎么办', '能不能', '如何', '申请', '派人', '咋办'] },
    // Danger to a person with no other topic: help first (the grade says how urgent).
    { id: 'service.person-in-danger', category: 'service.general', priority: 10, any: ['送医院', '摔倒'] },
    // Self-harm, a collapse or a cry for help outranks the place it happens (坐在栏杆上…要往下跳), not a quarrel or a fire.
    { id: 'service.person-in-danger.now', category: 'service.general', priority: 46, any: [...SELF_HARM, '农药', '晕倒', '昏迷', '无法起身', '起不来', ...COLLAPSE, ...DISTRESS], not: ['跳楼价', '跳楼…甩卖', '救命钱', '救命稻草'] },
    // The same in characters: 跳樓 folded, 烧炭, someone lying in blood (倒在血泊中).
    // Self-harm talk naming no one else (我不想活了): help, which the model may not read as a family quarrel (it learned
    // 不想活 from quarrels); with a relative or a dispute named, the rules above and the model decide as before.
    {
      id: 'service.person-in-danger.alone',
      category: 'service.general',
      priority: 47,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: NET_SELF_HARM,
      not: NOT_SELF_HARM,
      unless: SELF_HARM_WITH_OTHERS,
    },
    { id: 'service.person-in-danger.characters', category: 'service.general', priority: 46, match: 'characters', any: ['烧炭', '血泊', '倒在…血', '跳楼', '跳河', '跳江', '跳湖', '跳桥', '割腕', '上吊', '喝农药', '寻短见', '轻生'], not: NOT_SELF_HARM },
    // A person shut in a car (孩子被锁在车里，车里很热) is help now; red.trapped.car grades it.
    { id: 'service.person-in-danger.shut-in', category: 'service.general', priority: 46, match: 'characters', any: SHUT_IN_CAR, not: NOT_SHUT_IN },
    // An animal shut in a car (狗被锁在车里了) is help for its welfare, which the model may not file as a fault (it read 猫被关在车里 as
    // hazard.facility); the model's red, learned from 车里 and 锁在, is no danger cue (classify.ts NO_DANGER_CONTEXT).
    { id: 'service.animal.shut-in', category: 'service.general', priority: 46, learnedMayOutvote: false, ...ANIMAL_SHUT_IN_CAR },
    // A person shut in with the animal (孩子和狗被锁在车里了) or in the car too (狗被锁在车里了，孩子也在车里): help now, as above.
    { id: 'service.person-in-danger.shut-in-together', category: 'service.general', priority: 46, ...SHUT_IN_TOGETHER },
    ...SHUT_IN_TOO.map((cues, i) => ({ id: `service.person-in-danger.shut-in-too-${i + 1}`, category: 'service.general', priority: 46, ...cues })),
    // A person fallen from a height or down the stairs (有人从楼上摔下来了, 老人从楼梯上摔下来): help, which the model may not
    // file elsewhere (it read 人从 as a fire and 流血 as a fight). Not a thing fallen, nor a fall told with its compensation
    // or its date (a dispute), nor a push or a blow (a fight).
    {
      id: 'service.person-in-danger.fell',
      category: 'service.general',
      priority: 46,
      learnedMayOutvote: false,
      match: 'characters',
      any: FALLERS.flatMap((p) => ['从…摔下来', '从…掉下来', '从…跌下来', '从…摔下去', '从…坠落', '从…摔了下来'].map((f) => `${p}…${f}`)),
      not: NOT_FELL_IN,
      unless: [...FELL_BEFORE, '推', '打', '撞'],
    },
    // A person fallen over (老人在小区里摔了一跤，已经扶起来了没事; 老人摔倒了): help, which the model filed as a fight (已经没事 of
    // settled fights) or a fault (摔倒, 路边). A fall a broken or slippery thing caused stays the fault's, a push, a blow or an
    // animal's a dispute's, a near miss no fall, and a fall told with its compensation or date a dispute about an old injury.
    {
      id: 'service.person-in-danger.fell-over',
      category: 'service.general',
      priority: 45,
      learnedMayOutvote: false,
      match: 'characters',
      any: FALLERS.flatMap((p) => ['摔倒', '摔了一跤', '跌倒', '跌了一跤', '摔了一跟头', '绊倒', '滑倒'].map((f) => `${p}…${f}`)),
      not: NOT_FELL_IN,
      unless: [...FELL_BEFORE, ...FELL_OVER_CAUSED],
    },
    // A person fallen into water (河边有个小孩掉水里了): help now, which the model may not file as a fault (1.00 on 河边, 水); above
    // service.person-in-danger.now, which reads 掉水里 too but may be outvoted.
    ...chunked({
      id: 'service.person-in-danger.in-water',
      category: 'service.general',
      priority: 47,
      learnedMayOutvote: false,
      match: 'characters' as const,
      any: FALLERS.flatMap((p) => IN_WATER.map((w) => `${p}…${w}`)),
      not: NOT_FELL_IN,
      unless: FELL_BEFORE,
    }),
  ],
  grading: [
    { id: 'red.weapon', grade: 'red', any: [...WEAPONS, ...IMPROVISED.flatMap((w) => SWUNG.map((v) => `${w}…${v}`))], not: [...EVERYDAY_BLADES, '搬砖', '砖厂', '砖窑', '砌砖', '瓷砖', '地砖', '砖房', '砖墙'] },
    { id: 'red.threat', grade: 'red', any: THREATS, not: NOT_THREAT },
    // A threat said is red unless it names what it threatens and that is no harm (威胁要开除我); a threat naming harm always is.
    { id: 'red.threat.said', grade: 'red', match: 'characters', any: THREAT_SAID, not: [...NOT_THREAT, ...NOT_HARM_THREATENED] },
    { id: 'red.threat.to-harm', grade: 'red', match: 'characters', any: HARM_THREATENED, not: NOT_THREAT },
    { id: 'red.self-harm', grade: 'red', any: SELF_HARM, not: ['跳楼价', '跳楼…甩卖', '跳楼…大甩卖'] },
    // A butcher's blood (杀鸡杀鱼，血水流到路上) is no injury; a person hurt is still red.net.injury's (受伤, 流血, 是血).
    { id: 'red.injury', grade: 'red', any: [...INJURY, ...COLLAPSE], not: FIRST_AID_LEARNING, unless: BUTCHERING },
    // Someone crying for help is in danger now, whatever the quarrel around it.
    { id: 'red.distress', grade: 'red', any: [...DISTRESS, '救我'], not: ['救命钱', '救命稻草'] },
    // A plea cut off (只说"快来，他回来了"就断了; 喊"出事了"，随后断线): the caller could not finish, danger now.
    ...CUT_OFF.map((cut, i) => ({ id: `red.distress.cut-off-${i + 1}`, grade: 'red' as const, match: 'characters' as const, any: PLEAS, all: [cut] })),
    // Crimes against a person, a throat held, a person confined, a child screaming (audit 9): dangers now. A robbery only when it is now.
    {
      id: 'red.crime-against-person',
      grade: 'red',
      match: 'characters',
      any: [...CRIMES_AGAINST_PERSONS, ...VIOLENCE_NOW, ...STRANGLED, ...CONFINED, ...CHILD_SCREAMING],
      not: [...NOT_CRIMES, ...NOT_CONFINED],
    },
    // Someone beaten now, or beaten at home with the attacker there or the victim hiding (audit 10).
    { id: 'red.beaten-now', grade: 'red', match: 'characters', any: BEATEN_NOW, not: NOT_BEATEN },
    ...BEATEN_WITH_ATTACKER_AT_HAND.map((cues, i) => ({ id: `red.beaten-now.at-hand-${i + 1}`, grade: 'red' as const, ...cues })),
    // A vehicle driven at people, an intruder inside or breaking in, people on breaking ice (audit 10): dangers now.
    { id: 'red.vehicle-at-people', grade: 'red', match: 'characters', any: VEHICLE_AT_PEOPLE, not: NO_COLLISION, unless: FELL_BEFORE },
    ...INTRUDER_INSIDE.map((cues, i) => ({ id: `red.intruder-inside-${i + 1}`, grade: 'red' as const, ...cues })),
    { id: 'red.breaking-in-now', grade: 'red', match: 'characters', any: BREAKING_IN_NOW, not: ['撬…车'] },
    ...PEOPLE_ON_BREAKING_ICE.map((cues, i) => ({ id: `red.on-breaking-ice-${i + 1}`, grade: 'red' as const, ...cues })),
    { id: 'red.robbery-now', grade: 'red', match: 'characters', any: ROBBED, not: NOT_ROBBED, unless: NOT_NOW },
    { id: 'red.exposure-now', grade: 'red', match: 'characters', any: EXPOSURE, unless: NOT_NOW },
    ...UNSEEN_WITH_A_SIGN.map((cues, i) => ({ id: `red.unseen-${i + 1}`, grade: 'red' as const, ...cues })),
    // A fire risk (火灾隐患, 火灾风险) is orange by the contract; only a fire or smoke now is red.
    { id: 'red.fire-now', grade: 'red', any: FIRE_NOW, not: ['火灾…隐患', '火灾…风险', '火灾…安全', ...STOVE_WONT_LIGHT] },
    // Smoke alone (烟很大, 冒烟) is a fire now unless the report says whose everyday smoke it is (楼下烧烤店烟很大, 有人抽烟).
    { id: 'red.fire-now.smoke', grade: 'red', match: 'characters', any: SMOKE_NOW, not: ['烟头', '烟灰', '烟蒂', '烟盒'], unless: EVERYDAY_SMOKE, note: '烧烤店烟很大 and 抽烟 are no fire; a flame word (着火, 火苗) is red.fire-now' },
    { id: 'red.gas-leak', grade: 'red', any: GAS_LEAK },
    { id: 'red.trapped', grade: 'red', any: ['被困', '困在', '困人', '关在电梯', '出不来'] },
    // A person shut in a car (孩子被锁在车里), not keys or a pet (钥匙锁在车里了).
    { id: 'red.trapped.car', grade: 'red', match: 'characters', any: SHUT_IN_CAR, not: NOT_SHUT_IN },
    // The same, shut in with an animal (孩子和狗被锁在车里了) or in the car too (狗被锁在车里了，孩子也在车里).
    { id: 'red.trapped.car-together', grade: 'red', ...SHUT_IN_TOGETHER },
    ...SHUT_IN_TOO.map((cues, i) => ({ id: `red.trapped.car-too-${i + 1}`, grade: 'red' as const, ...cues })),
    // A person fallen into a manhole, a well or down a drop (有人掉下去了), not a thing (手机掉下去了) or a near miss.
    ...chunked({ id: 'red.fell-in', grade: 'red' as const, match: 'characters' as const, any: FALLERS.flatMap((p) => FALLS.map((f) => `${p}…${f}`)), not: NOT_FELL_IN, unless: FELL_BEFORE }),
    { id: 'red.fell-in.reaching', grade: 'red', match: 'characters', any: REACHING_FELL, not: NO_FALL, unless: FELL_BEFORE },
    // Pushed down the stairs or a drop, or an elderly, young or pregnant person pushed over: an injuring assault, unless said unhurt.
    { id: 'red.pushed-down', grade: 'red', match: 'characters', any: [...PUSHED_DOWN, ...VULNERABLE_PUSHED_OVER], not: NOT_PUSHED, unless: PUSHED_UNHURT },
    // Someone bitten (狗咬人了): an injury; 咬伤 is red.injury's already.
    { id: 'red.bitten', grade: 'red', match: 'characters', any: BITTEN, not: NOT_BITTEN, unless: ['没咬到肉', '没咬着肉', '没咬到人', '没咬伤', '没破皮', '没咬破皮'] },
    {
      id: 'red.missing-vulnerable',
      grade: 'red',
      categories: ['service.missing-person'],
      any: [...ELDERLY, ...ELDERLY_MORE, ...CHILDREN, ...CHILDREN_MORE, ...IMPAIRED, '儿子', '女儿', '孙子', '孙女', '闺女'],
      note: 'a missing child (儿子 and 女儿 are children when a parent reports them), elderly or impaired person',
    },
    {
      id: 'red.mass-incident',
      grade: 'red',
      kinds: ['dispute', 'hazard', 'unclassified'],
      any: ['围堵', '堵路', '堵门', '堵住', '冲击', '集体上访', '上访', '拉横幅', '打横幅', '静坐', '几十个人', '上百人', '几十人', '围在', ...MANY.flatMap((m) => GATHER.map((g) => `${m}…${g}`)), ...GATHER.flatMap((g) => MANY.map((m) => `${g}…${m}`))],
      // Things blocking a corridor or fire exit (堵住了消防通道) are a fire risk, not people blocking.
      not: ['堵住…通道', '堵住…消防通道', '堵住…安全通道', '堵住…疏散通道', '堵住…楼道', '堵住…出口', '堵住…安全出口', '通道…堵住', '消防通道…堵住', '安全通道…堵住', '疏散通道…堵住', '楼道…堵住', '出口…堵住', '安全出口…堵住', '走廊…堵住', '过道…堵住'],
      note: 'a blockade or protest, or many people (几十个, 上百) gathering or blocking; a headcount alone is a crowd',
    },
    { id: 'red.fraud-now', grade: 'red', categories: ['tip.fraud'], any: ['正在转账', '要转账', '准备转账', '马上转', '正在…转', '已经转了', '刚转', '转了', '把钱转', '转过去', '正在汇款', '要去汇款', '去…汇款', '正在…汇款', '安全账户', '屏幕共享', '共享屏幕', '指定账户', '正在银行', '在银行排队', '把存款', '存款…转'] },
    { id: 'orange.vulnerable', grade: 'orange', modelMayLowerAt: LOWER_INCIDENTAL_CUE, kinds: ['dispute', 'hazard'], any: [...ELDERLY, ...ELDERLY_MORE, ...CHILDREN, ...CHILDREN_MORE, ...IMPAIRED] },
    // An elderly age, in characters (我爸今年七十八了, 八十多岁的): 八十块钱 is money, no age.
    { id: 'orange.vulnerable.age', grade: 'orange', modelMayLowerAt: LOWER_INCIDENTAL_CUE, kinds: ['dispute', 'hazard'], match: 'characters', any: ELDER_AGES, not: NOT_AGES },
    { id: 'orange.repeat', grade: 'orange', modelMayLowerAt: LOWER_INCIDENTAL_CUE, kinds: ['dispute'], any: ['多次', '反复', '长期', '又', '屡次', '三番五次', '好几次', '好几回', '几次', '再次', '每次', '不止一次', '几年', '好几年', '多年', '两年', '三年', '两三年', '十几年', '三天两头', '隔三差五', '没完没了', '屡教不改', '一而再', '再三', '好多次', '无数次', '讨要未果', '第二次', '第三次', '第四次', '第五次', '第二回', '第三回', '第四回', '第五回', '好几个月', '几个月了', '一直这样', '老这样', '还是这样'] },
    { id: 'orange.pushing', grade: 'orange', kinds: ['dispute'], any: ['推搡', '推推搡搡', '撕扯', '拉扯', '动手', '扭打', '推了', '推了一把', '打了一巴掌', '推来推去', '扇…耳光', '踹了', '泼…油漆', '砸门', '堵…门口', '推倒', '扯头发', '吐口水', '泼粪'] },
    // A worker held by the employer (押了身份证, 不让走), or a cry from a quarrel: more than an ordinary dispute.
    { id: 'orange.held', grade: 'orange', kinds: ['dispute'], any: ['押…身份证', '扣…身份证', '扣着…身份证', '不让走', '不让离开', '不让…下车', '限制…自由', '哭喊', '尖叫', '惨叫'] },
    { id: 'orange.crowd', grade: 'orange', modelMayLowerAt: LOWER_INCIDENTAL_CUE, kinds: ['dispute', 'hazard'], any: CROWD },
    // The same, with more counts (十二个) and more words for people (保洁员, 老乡, 骑手).
    { id: 'orange.crowd.counts', grade: 'orange', modelMayLowerAt: LOWER_INCIDENTAL_CUE, kinds: ['dispute', 'hazard'], any: MORE_COUNTS.flatMap((n) => [...PEOPLE, ...MORE_PEOPLE].map((p) => `${n}${p}`)) },
    { id: 'orange.crowd.people', grade: 'orange', modelMayLowerAt: LOWER_INCIDENTAL_CUE, kinds: ['dispute', 'hazard'], any: CROWD_COUNTS.flatMap((n) => MORE_PEOPLE.map((p) => `${n}${p}`)) },
    { id: 'orange.fire-risk', grade: 'orange', kinds: ['hazard'], any: ['飞线充电', '私拉电线', '电线老化', '电动车…充电', '电瓶车…充电', '消防通道', '安全出口', '楼道…堆', '易燃', '煤气罐'] },
    // An animal shut in a car in the heat (audit 10): orange, as the grade model read 有只狗被关在车里，车窗关着，太阳很晒.
    ...ANIMAL_IN_THE_HEAT.map((cues, i) => ({ id: `orange.animal-in-the-heat-${i + 1}`, grade: 'orange' as const, categories: ['service.general'], ...cues })),
    { id: 'orange.suspicious', grade: 'orange', modelMayLowerAt: LOWER_INCIDENTAL_CUE, kinds: ['hazard'], any: ['身份不明', '可疑'] },
    {
      id: 'orange.welfare',
      grade: 'orange',
      modelMayLowerAt: LOWER_INCIDENTAL_CUE,
      categories: ['service.general'],
      any: ['没见…出门', '敲门…不应', '敲门…没人应', '一个人…哭', '没开门', '没人答应', '没人应', '没动静', '好几天没见', '两天没见', '几天没见', '没人接', '不接电话', '联系不上', '打不通'],
      note: 'a vulnerable person who may be in trouble at home (a lost child scooter stays service)',
    },
    { id: 'orange.facility-danger', grade: 'orange', categories: ['hazard.facility'], modelMayLowerAt: LOWER_LOOSE_RISK, any: ['井盖', '塌陷', '裸露', '掉落', '脱落', '倾斜', '松动', '摇摇欲坠', '晃', '摇晃', '断了', '断裂', '碎', '碎了', '歪', '歪了', '垂', '漏电', '砸到', '掉下来', '没盖', '窟窿', '危险', '快倒', '要倒', '倒下来', '快塌', '要塌', '砸下来', '差点…砸', '差点…摔', '隐患', '抢着过', '出事', '露在外面', '夹到人', '夹人', '差点…夹'] },
    // The red safety net: the same dangers read in characters (see NET_WEAPON). A report of any kind is red by them.
    { id: 'red.net.weapon', grade: 'red', match: 'characters', any: NET_WEAPON, not: NOT_WEAPON },
    { id: 'red.net.injury', grade: 'red', match: 'characters', any: NET_INJURY, not: NOT_INJURY },
    { id: 'red.net.self-harm', grade: 'red', match: 'characters', any: NET_SELF_HARM, not: NOT_SELF_HARM },
    { id: 'red.net.threat', grade: 'red', match: 'characters', any: NET_THREAT, not: NOT_THREAT },
    { id: 'red.net.fire-now', grade: 'red', match: 'characters', any: NET_FIRE, not: NOT_FIRE },
    { id: 'red.net.gas-leak', grade: 'red', match: 'characters', any: NET_GAS, not: NOT_GAS },
    { id: 'red.net.trapped', grade: 'red', match: 'characters', kinds: ['dispute', 'hazard', 'service', 'unclassified'], any: NET_TRAPPED },
    { id: 'red.net.missing-vulnerable', grade: 'red', match: 'characters', categories: ['service.missing-person'], any: NET_VULNERABLE, not: NOT_AGES },
    { id: 'red.net.fraud-now', grade: 'red', match: 'characters', categories: ['tip.fraud'], any: NET_FRAUD_NOW },
    // Reports in English (foreign residents, mixed 12345 tickets): the same dangers in English words.
    { id: 'red.net.english', grade: 'red', match: 'characters', any: NET_ENGLISH, not: NOT_ENGLISH },
    { id: 'red.net.english-missing', grade: 'red', match: 'characters', categories: ['service.missing-person'], any: NET_ENGLISH_VULNERABLE },
    { id: 'red.net.child-gone', grade: 'red', match: 'characters', any: NET_CHILD_GONE, not: ['的…丢了', '的…不见了', ...LOST_A_THING] },
    { id: 'red.net.english-transfer-now', grade: 'red', match: 'characters', any: NET_ENGLISH_TRANSFER, all: NET_ENGLISH_NOW },
  ],
});
