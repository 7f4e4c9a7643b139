import { CATEGORIES, RuleSet } from '@gridcase/contracts';

/**
 * The seed rule document: what triage runs on until an admin stores another version. Cues are words
 * and phrases as residents and grid workers write them (the evaluation set in eval/reports.jsonl
 * measures them); see `RuleSet` for how a phrase, `…`, negations and `not` exclusions read.
 */
/** Who can go missing, and the ways a family says so: 爷爷…不见了, 女儿…联系不上. */
const PERSONS = ['孩子', '小孩', '儿子', '女儿', '孙子', '孙女', '老人', '爷爷', '奶奶', '姥姥', '姥爷', '外公', '外婆', '爸', '妈', '父亲', '母亲', '老伴', '丈夫', '妻子', '老公', '老婆', '弟弟', '妹妹', '哥哥', '姐姐'];
const GONE = ['不见了', '不见', '找不到', '没回来', '没回家', '联系不上', '打不通', '走丢', '丢了'];

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
  ],
  // Not 不 or 别: 不给工资, 不愿意赡养 and 不还 are the complaint, not its denial.
  negations: ['没有', '没', '无', '无人', '没人', '不是', '未', '并未', '未见', '并没有', '并非', '不会', '否认', '未发现', '没发现'],
  negationWindow: 2,
  classification: [
    // Tips: what a resident warns about, whatever else the text names.
    {
      id: 'tip.fraud',
      category: 'tip.fraud',
      priority: 80,
      any: ['诈骗', '电信诈骗', '电信网络诈骗', '骗子', '被骗', '骗了', '刷单', '扫码送', '扫码领', '冒充客服', '冒充', '假客服', '安全账户', '验证码', '杀猪盘', '屏幕共享', '共享屏幕', '中奖', '自称…客服', '平台…投资', '投资…平台', '提不出来', '提不了现', '自称…银行', '自称…公安', '说是公安', '冒充…公安', '链接', '冻结', '涉嫌', '洗钱', '卷入…案', '退保', '注销…贷', '转账…到', 'fraud', 'scam'],
    },
    { id: 'tip.fundraising', category: 'tip.fundraising', priority: 80, any: ['非法集资', '集资', '高息', '高额回报', '保本保息', '吸收存款', '养老项目', '入股…分红', '返息', '稳赚不赔', '原始股', '翻十倍', '上市…翻', '高回报', '理财', '年化', '保本'] },
    { id: 'tip.pyramid', category: 'tip.pyramid', priority: 80, any: ['传销', '拉人头', '发展下线', '下线', '入门费', '洗脑', '介绍…提成', '拉人…提成', '一层一层'] },
    { id: 'tip.vice', category: 'tip.vice', priority: 80, any: ['赌博', '聚众赌博', '赌钱', '赌场', '开赌', '吸毒', '贩毒', '毒品', '冰毒', '大麻', '卖淫', '嫖娼', '黄赌毒', '色情', '涉黄', '赌', '赌得'] },
    { id: 'tip.cult', category: 'tip.cult', priority: 80, any: ['邪教', '全能神', '法轮功', '门徒会', '世界末日', '信…神…治病', '练功', '不用…吃药', '不用…去医院'] },
    // People first: a missing grandfather is a person, never lost property.
    {
      id: 'service.missing-person',
      category: 'service.missing-person',
      priority: 75,
      any: PERSONS.flatMap((p) => GONE.map((g) => `${p}…${g}`)),
      not: ['孩子的', '小孩的', '老人的', '儿子的', '女儿的', '爸的', '妈的'],
      note: 'a person word, then gone (孩子…不见了); 孩子的书包不见了 is property',
    },
    {
      id: 'service.missing-person.words',
      category: 'service.missing-person',
      priority: 75,
      any: ['走失', '走丢', '失联', '失踪', '离家出走', '联系不上', '寻人', '没回家', '没有回家', '没回来', '还没回来', '出门…找不到', '出门…没回来', '未归', '一夜未归', '孩子…丢了', '孩子…不见了', '小孩…不见了', '老人…不见了', '爷爷…不见', '奶奶…不见', '儿子…找不到', '女儿…找不到', '老人…找不到', '找不到…人'],
      not: ['孩子的', '小孩的', '老人的', '狗…走丢', '猫…走丢', '狗…丢', '猫…丢', '宠物'],
      note: '孩子的滑板车丢了 is property: "孩子的" excludes the child cue; a dog that wandered off is lost property',
    },
    {
      id: 'hazard.fire',
      category: 'hazard.fire',
      priority: 70,
      any: ['火', '着火', '起火', '失火', '火灾', '冒烟', '浓烟', '黑烟', '全是烟', '烟很大', '明火', '火苗', '119', '烧起来', '燃气', '燃气…味', '煤气…味', '燃气灶…味', '煤气', '煤气罐', '煤气味', '燃气味', '液化气', '天然气', '漏气', '消防', '消防通道', '安全出口', '灭火器', '飞线充电', '私拉电线', '电线老化', '电动车…充电', '电瓶车…充电', '楼道…堆', '楼道…堆满', '楼道…堆放', '堆放杂物', '易燃', '液化气罐', '燃气管道', '私接', '消防栓', '电动自行车…充电', '车库…充电', '乱拉', '拉线', '楼梯间…堆', '烧焦', 'fire', 'gas leak'],
      not: ['火锅', '火车', '烟花…卖'],
      note: '火锅 is not 火 (the segmenter keeps 火锅店 whole; the exclusion says so)',
    },
    { id: 'hazard.group-rental', category: 'hazard.group-rental', priority: 68, any: ['群租', '群租房', '隔断', '隔成', '上下铺', '床位', '住了…十几个人', '住了…二十多个人', '住了…几十个人', '住了…好多人', '一套房…住', '地铺', '打满…铺', '改成…出租', '分租', '隔间'] },
    { id: 'dispute.family', category: 'dispute.family', priority: 65, any: ['夫妻', '两口子', '家暴', '老公', '老婆', '丈夫', '妻子', '媳妇', '婆媳', '儿媳', '赡养', '离婚', '分家', '遗产', '抚养费', '父子', '母女', '兄弟…吵', '姐妹…吵', '不管老人', '不愿意赡养'] },
    { id: 'dispute.labour', category: 'dispute.labour', priority: 62, any: ['工资', '拖欠工资', '欠薪', '讨薪', '工钱', '劳务费', '工程款', '包工头', '农民工', '加班费', '辞退', '克扣', '没…工资', '没拿到工资', '拿不到工资', '薪水', '薪资', '要工钱', '结工钱'] },
    { id: 'dispute.debt', category: 'dispute.debt', priority: 62, any: ['欠钱', '借钱', '借了', '借款', '欠款', '还钱', '要债', '讨债', '催债', '债务', '欠条', '借条', '高利贷', '赖账', '不还', '欠我', '拉黑'] },
    { id: 'dispute.fight', category: 'dispute.fight', priority: 60, any: ['打架', '斗殴', '打人', '打起来', '互殴', '群殴', '殴打', '扭打', '动手', '打了起来', '挨打', '推搡', '互相推搡', '围着…打', '围殴', '拿着…棍子', '拿着…刀', '持刀', '打成一团', '打了一架', '群架', '被打', 'fight'] },
    { id: 'dispute.land', category: 'dispute.land', priority: 55, any: ['土地', '宅基地', '地界', '承包地', '耕地', '界址', '地边', '田埂', '种地', '占地', '林地', '征地', '地头', '地边', '地边上', '浇地', '地里', '水渠', '灌溉'] },
    { id: 'dispute.property', category: 'dispute.property', priority: 55, any: ['物业', '物业费', '业委会', '维修基金', '停车费', '开发商'] },
    { id: 'hazard.small-venue', category: 'hazard.small-venue', priority: 50, any: ['九小场所', '网吧', '歌厅', 'ktv', '小旅馆', '无证经营', '无照经营', '营业执照', '黑作坊', '小作坊', '小诊所', '黑诊所', '足浴', '洗浴', '美容院', '托管班', '棋牌室', '小卖部', '家庭旅馆', '旅馆'] },
    { id: 'hazard.unregistered', category: 'hazard.unregistered', priority: 50, any: ['漏登', '流动人员', '未登记', '没登记', '没有登记', '不登记', '暂住', '居住证', '身份不明', '租客…登记', '外来人员', '租客', '没去…登记', '登记'] },
    { id: 'hazard.facility', category: 'hazard.facility', priority: 45, any: ['门禁', '报警器', '电梯', '路灯', '井盖', '下水道', '水管', '爆管', '停水', '停电', '护栏', '广告牌', '塌陷', '供暖', '暖气', '单元门', '防盗门', '锁坏了', 'door access'] },
    { id: 'hazard.public-order', category: 'hazard.public-order', priority: 45, any: ['治安', '小偷', '偷', '被偷', '盗窃', '被盗', '撬锁', '被撬', '撬', '扒窃', '聚集', '寻衅', '滋事', '闹事', '醉酒', '醉汉', '飙车', '可疑', '砸车', '尾随', '偷拍', '聚集…喝酒', '偷东西', '拉车门', '打闹', '聚在一起'] },
    { id: 'dispute.neighbour', category: 'dispute.neighbour', priority: 40, any: ['邻居', '邻里', '对门', '噪音', '院子', '院墙', '扰民', '漏水', '渗水', '两户', '遛狗', '不拴绳', '狗…咬'] },
    // Where the other party lives is a weak cue: 孩子的自行车放在楼下找不到了 is lost property.
    { id: 'dispute.neighbour.place', category: 'dispute.neighbour', priority: 35, any: ['楼上', '楼下', '隔壁'] },
    { id: 'dispute.general', category: 'dispute.general', priority: 30, any: ['纠纷', '吵架', '争吵', '矛盾', '争执', '口角', '吵', '骂', 'quarrel', 'dispute'] },
    {
      id: 'service.lost-property',
      category: 'service.lost-property',
      priority: 36,
      any: ['丢失', '丢了', '丢', '遗失', '弄丢', '掉了', '落在', '捡到', '失物', '不见了', '找不到', '走丢', '落下', 'lost'],
      not: ['井盖…丢失', '井盖…丢', '井盖…不见'],
      note: '井盖丢失 is a facility fault, not lost property',
    },
    // A question outranks the topic it asks about (请问办理居住证 is a question, not a migrant left unregistered).
    { id: 'service.question', category: 'service.general', priority: 55, any: ['请问', '需要带什么', '去哪里办', '应该去哪', '怎么申请', '怎么办理', '开…证明', '想问', '问一下', '需要准备', '怎么弄'] },
    // Someone who may be in trouble at home: a welfare visit, not a neighbour dispute.
    { id: 'service.welfare', category: 'service.general', priority: 45, any: ['没见…出门', '敲门…不应', '敲门…没人应', '一个人…哭', '摔倒…起不来'] },
    { id: 'service.general', category: 'service.general', priority: 15, any: ['求助', '帮忙', '帮助', '咨询', '请问', '办理', '证明', '补办', '怎么办', '能不能', '如何'] },
    // Danger to a person with no other topic: help first (the grade says how urgent).
    { id: 'service.person-in-danger', category: 'service.general', priority: 10, any: ['自杀', '跳楼', '轻生', '不想活', '农药', '割腕', '上吊', '想不开', '送医院', '晕倒', '昏迷'] },
  ],
  grading: [
    { id: 'red.weapon', grade: 'red', any: ['刀', '菜刀', '砍刀', '水果刀', '匕首', '拿刀', '持刀', '棍棒', '棍子', '木棍', '铁棍', '钢管', '砖头', '斧头', '铁锹', '锄头', '枪', '凶器', '拿…砸'] },
    { id: 'red.threat', grade: 'red', any: ['砍死', '杀了', '杀人', '弄死', '打死', '同归于尽', '报复', '扬言', '威胁', '恐吓', '放火', '泼汽油', '炸了'] },
    { id: 'red.self-harm', grade: 'red', any: ['自杀', '跳楼', '轻生', '寻死', '不想活', '割腕', '喝农药', '喝了…农药', '喝药', '上吊', '想不开', '站在楼顶', '天台边'] },
    { id: 'red.injury', grade: 'red', any: ['受伤', '流血', '出血', '头破血流', '骨折', '昏迷', '晕倒', '打伤', '砍伤', '咬伤', '伤', '血', '急救', '120', '送医', '送医院', '摔倒', '起不来'] },
    { id: 'red.fire-now', grade: 'red', any: ['着火', '起火', '失火', '火灾', '冒烟', '浓烟', '明火', '烧起来', '火苗', '火光', '大火', '火势', '冒…烟', '黑烟', '全是烟', '烟很大', '119'] },
    { id: 'red.gas-leak', grade: 'red', any: ['煤气味', '燃气味', '天然气味', '漏气', '泄漏', '闻到…煤气', '闻到…燃气', '煤气…味', '燃气…味', '燃气灶…味'] },
    { id: 'red.trapped', grade: 'red', any: ['被困', '困在', '困人', '关在电梯', '出不来'] },
    {
      id: 'red.missing-vulnerable',
      grade: 'red',
      categories: ['service.missing-person'],
      any: ['孩子', '小孩', '儿子', '女儿', '孙子', '孙女', '学生', '老人', '爷爷', '奶奶', '姥姥', '姥爷', '外婆', '外公', '老太太', '老大爷', '老爷子', '老父亲', '老母亲', '痴呆', '老年痴呆', '阿尔茨海默', '智力', '精神', '残疾', '七十多', '八十多', '七十岁', '八十岁', '九十岁', '老母亲', '老父亲'],
    },
    { id: 'red.mass-incident', grade: 'red', kinds: ['dispute', 'hazard', 'unclassified'], any: ['围堵', '堵路', '堵门', '堵住', '冲击', '集体上访', '上访', '拉横幅', '打横幅', '静坐', '几十个人', '上百人', '几十人', '围在'] },
    { id: 'red.fraud-now', grade: 'red', categories: ['tip.fraud'], any: ['正在转账', '要转账', '准备转账', '马上转', '正在…转', '已经转了', '刚转', '转了', '把钱转', '转过去', '正在汇款', '安全账户', '屏幕共享', '共享屏幕'] },
    {
      id: 'orange.vulnerable',
      grade: 'orange',
      kinds: ['dispute', 'hazard'],
      any: ['老人', '老年人', '孩子', '小孩', '儿童', '未成年人', '孕妇', '怀孕', '残疾', '残疾人', '瘫痪', '独居老人', '留守老人', '独居', '留守', '智障', '精神病', '七十多', '八十多', '七十岁', '八十岁', '九十岁', '老母亲', '老父亲'],
    },
    { id: 'orange.repeat', grade: 'orange', kinds: ['dispute'], any: ['多次', '反复', '长期', '又', '屡次', '三番五次', '好几次', '每天', '天天', '总是', '再次', '一直'] },
    { id: 'orange.pushing', grade: 'orange', kinds: ['dispute'], any: ['推搡', '撕扯', '拉扯', '动手', '扭打', '推了', '推了一把', '打了一巴掌'] },
    { id: 'orange.crowd', grade: 'orange', kinds: ['dispute', 'hazard'], any: ['三个人', '三四个', '好几个人', '一群人', '十几个人', '多人', '几个人', '一伙人', '五六个', '一帮人'] },
    { id: 'orange.fire-risk', grade: 'orange', kinds: ['hazard'], any: ['飞线充电', '私拉电线', '电线老化', '电动车…充电', '电瓶车…充电', '消防通道', '安全出口', '楼道…堆', '易燃', '煤气罐'] },
    { id: 'orange.suspicious', grade: 'orange', kinds: ['hazard'], any: ['身份不明', '可疑'] },
    {
      id: 'orange.welfare',
      grade: 'orange',
      categories: ['service.general'],
      any: ['没见…出门', '敲门…不应', '敲门…没人应', '一个人…哭'],
      note: 'a vulnerable person who may be in trouble at home (a lost child scooter stays service)',
    },
    { id: 'orange.facility-danger', grade: 'orange', categories: ['hazard.facility'], any: ['井盖', '塌陷', '裸露', '掉落', '脱落', '倾斜', '松动', '摇摇欲坠'] },
  ],
});
