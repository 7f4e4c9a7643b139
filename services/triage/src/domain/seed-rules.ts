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
const PET_GONE = ['跑', '跑了', '丢', '丢了', '走丢', '不见', '不见了', '没回来', '找不到'];

/** Three or more people: a count (or a vague plural) next to a word for people. 三个月 is not a crowd. */
const CROWD_COUNTS = ['三个', '四个', '五个', '六个', '三四个', '五六个', '七八个', '十来个', '十几个', '十多个', '二十多个', '二十来个', '好几个', '几个', '一群', '一帮', '一伙', '十几', '几十个'];
const PEOPLE = ['人', '工人', '民工', '小青年', '年轻人', '青年', '学生', '小孩', '孩子', '男的', '女的', '村民', '业主', '住户', '户', '家', '服务员', '员工', '师傅', '老人', '租客', '混混'];
const CROWD = [...CROWD_COUNTS.flatMap((n) => PEOPLE.map((p) => `${n}${p}`)), '多人', '多名', '一伙人', '一帮人', '一群人'];
/** Many people at once: with a blocking or gathering word this is a mass incident. */
const MANY = ['几十个', '几十号', '几十人', '好几十', '上百', '上百个', '上百号', '几百', '几百个', '一百多', '一百多个', '成百上千', '大批', '一大群'];
const GATHER = ['堵', '围', '聚', '聚集', '冲', '闹', '拦'];

/** Ages that make a person elderly, as people write them: 七十三, 82岁. */
const AGES = [
  ...['七', '八', '九'].flatMap((t) => ['十', '一', '二', '三', '四', '五', '六', '七', '八', '九'].map((u) => (u === '十' ? `${t}十` : `${t}十${u}`))),
  ...Array.from({ length: 35 }, (_, i) => `${65 + i}岁`),
];
/** Elderly, children, pregnant, disabled, impaired: the contract's vulnerable parties. */
const ELDERLY = ['老人', '老年人', '独居老人', '留守老人', '老太太', '老大爷', '老爷子', '老头', '老太', '大爷', '大妈', '奶奶', '爷爷', '姥姥', '姥爷', '外公', '外婆', '老母亲', '老父亲', '老两口', '六十多', '七十多', '八十多', '九十多', '七十岁', '八十岁', '九十岁', ...AGES];
const CHILDREN = ['孩子', '小孩', '儿童', '小朋友', '未成年人', '小孙子', '小孙女', '小学生', '初中生', '幼儿', '婴儿', '宝宝', '娃', '娃娃', '学生'];
const IMPAIRED = ['孕妇', '怀孕', '残疾', '残疾人', '瘫痪', '坐轮椅', '盲人', '聋哑', '智障', '智力', '精神病', '精神', '痴呆', '老年痴呆', '阿尔茨海默', '糊涂', '犯糊涂', '记性不好', '记不住', '认不得', '失智', '自闭症'];

/** Things people hit with, and the verbs that say something was picked up to hit with. */
const WEAPONS = ['刀', '菜刀', '砍刀', '水果刀', '匕首', '剪刀', '镰刀', '斧头', '拿刀', '持刀', '刀子', '棍', '棍棒', '棍子', '木棍', '铁棍', '棒子', '木棒', '球棒', '钢管', '铁管', '砖', '砖头', '铁锹', '锄头', '扁担', '枪', '凶器', '拿…砸', '抄起', '操起', '抡起', '举着…砍'];
/** Everyday things are weapons only when swung: 拿着酒瓶 at a bar is not yet, 拿酒瓶砸 is (铁链锁门 never). */
const IMPROVISED = ['酒瓶', '啤酒瓶', '酒瓶子', '瓶子', '秤砣', '扳手', '锤子', '榔头', '铁链', '石头', '椅子', '凳子'];
const SWUNG = ['砸', '抡', '打', '敲', '扔', '砍'];
const INJURY = ['受伤', '流血', '出血', '头破血流', '满脸是血', '骨折', '昏迷', '晕倒', '晕过去', '打伤', '砍伤', '咬伤', '烫伤', '伤', '血', '急救', '120', '救护车', '送医', '送医院', '摔倒', '起不来', '无法起身', '起不了身', '动不了', '肿', '淤青', '青一块', '开瓢', '头破', '打破', '打断', '头晕', '很晕'];
const FIRE_NOW = ['着火', '起火', '失火', '火灾', '冒烟', '浓烟', '明火', '烧起来', '烧着了', '火苗', '火苗子', '火星', '火星子', '冒火', '蹿火', '窜火', '火光', '大火', '火势', '冒…烟', '黑烟', '全是烟', '烟很大', '119', '爆炸'];
const GAS_LEAK = ['煤气味', '燃气味', '天然气味', '臭鸡蛋味', '漏气', '泄漏', '闻到…煤气', '闻到…燃气', '煤气…味', '燃气…味', '燃气灶…味', '燃气…没关', '煤气…没关', '燃气…漏', '煤气…漏', '液化气…漏'];
const SELF_HARM = ['自杀', '跳楼', '跳河', '跳江', '跳桥', '跳下去', '轻生', '寻死', '寻短见', '想死', '不想活', '活着没意思', '活着没劲', '活够了', '一了百了', '割腕', '喝农药', '喝了…农药', '喝药', '安眠药', '上吊', '想不开', '站在楼顶', '天台边'];
const THREATS = ['砍死', '杀了', '杀人', '弄死', '打死', '捅死', '宰了', '捅了', '要…的命', '活不成', '同归于尽', '报复', '扬言', '威胁', '恐吓', '放火', '泼汽油', '炸了'];

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
  ],
  // Not 不 or 别: 不给工资, 不愿意赡养 and 不还 are the complaint, not its denial. 万一/一旦/担心 make a
  // danger hypothetical (万一着火 is a risk, not a fire now).
  negations: ['没有', '没', '无', '无人', '没人', '不是', '未', '并未', '未见', '并没有', '并非', '不会', '否认', '未发现', '没发现', '万一', '一旦', '以防', '防止', '担心', '生怕'],
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
    { id: 'tip.fundraising', category: 'tip.fundraising', priority: 80, any: ['非法集资', '集资', '高息', '高额回报', '保本保息', '吸收存款', '养老项目', '入股…分红', '返息', '稳赚不赔', '原始股', '翻十倍', '上市…翻', '高回报', '理财', '年化', '保本'] },
    // Money in, more back: 投…返, 保底分红, 月息; lending at usury is reported with it (放贷, 高利).
    { id: 'tip.fundraising.returns', category: 'tip.fundraising', priority: 80, any: ['投…返', '每月返', '一年返', '每年返', '保底', '保底…分红', '年底…分红', '收钱…入股', '利息高', '高利息', '月息', '年息', '放贷', '套路贷', '认购', '送鸡蛋…讲座', '讲座…送鸡蛋', '讲座…投'] },
    // Pyramid and cult outrank fraud: 被骗去搞直销 is a pyramid, 骗 only says how.
    { id: 'tip.pyramid', category: 'tip.pyramid', priority: 82, any: ['传销', '拉人头', '发展下线', '下线', '入门费', '洗脑', '介绍…提成', '拉人…提成', '一层一层'] },
    { id: 'tip.pyramid.recruiting', category: 'tip.pyramid', priority: 82, any: ['直销', '拉人…返利', '拉人…升级', '拉人…奖励', '拉人进', '拉够', '拉…人…升级', '拉…人…返利', '入会', '会员…拉人', '买货…会员', '交钱…经理', '当经理', '喊口号', '资本运作', '连锁经营', '五级三晋', '手机被收', '骗到外地', '限制…自由'] },
    { id: 'tip.vice', category: 'tip.vice', priority: 80, any: ['赌博', '聚众赌博', '赌钱', '赌场', '开赌', '吸毒', '贩毒', '毒品', '冰毒', '大麻', '卖淫', '嫖娼', '黄赌毒', '色情', '涉黄', '赌', '赌得'] },
    // Gambling, drugs and sex work as people describe them without the legal word.
    { id: 'tip.vice.signs', category: 'tip.vice', priority: 80, any: ['输赢', '下注', '押大小', '推牌九', '牌九', '百家乐', '老虎机', '六合彩', '赌球', '开场子', '抽头', '放水', '锡纸…吸管', '吸管…锡纸', '针管', '注射器', '溜冰', 'k粉', '摇头丸', '麻古', '吸食', '招嫖', '小姐', '不正经', '特殊服务', '站街', '招呼…男的'] },
    { id: 'tip.cult', category: 'tip.cult', priority: 81, any: ['邪教', '全能神', '法轮功', '门徒会', '世界末日', '信…神…治病', '练功', '不用…吃药', '不用…去医院'] },
    { id: 'tip.cult.preaching', category: 'tip.cult', priority: 81, any: ['信主', '传教', '聚会点', '入教', '入…教', '末日', '得救', '消灾', '信了…就', '不让…去医院', '不让…看病', '不用…看病', '祷告…治病', '东方闪电', '呼喊派', '实际神', '小册子…末日'] },
    // Pets that ran off are lost property (above the missing-person rules).
    { id: 'service.lost-pet', category: 'service.lost-property', priority: 76, any: PETS.flatMap((p) => PET_GONE.map((g) => `${p}…${g}`)) },
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
      any: ['走失', '走丢', '失联', '失踪', '离家出走', '联系不上', '寻人', '没回家', '没有回家', '没回来', '还没回来', '出门…找不到', '出门…没回来', '未归', '一夜未归', '孩子…丢了', '孩子…不见了', '小孩…不见了', '老人…不见了', '爷爷…不见', '奶奶…不见', '儿子…找不到', '女儿…找不到', '老人…找不到', '找不到…人', '下落不明', '不知去向', '没到家', '协助寻找', '帮忙找人'],
      not: ['孩子的', '小孩的', '老人的', '狗…走丢', '猫…走丢', '狗…丢', '猫…丢', '宠物'],
      note: '孩子的滑板车丢了 is property: "孩子的" excludes the child cue; a dog that wandered off is lost property',
    },
    // A relative named in one clause and gone in another: 我弟弟二十多岁，…，三天没消息了.
    ...CROSS_CLAUSE_GONE.map(([g, slug]) => ({
      id: `service.missing-person.${slug}`,
      category: 'service.missing-person',
      priority: 75,
      any: PERSONS,
      all: [g],
      not: ['孩子的', '小孩的', '老人的', '儿子的', '女儿的', '爸的', '妈的'],
    })),
    {
      id: 'hazard.fire',
      category: 'hazard.fire',
      priority: 70,
      any: ['火', '着火', '起火', '失火', '火灾', '冒烟', '浓烟', '黑烟', '全是烟', '烟很大', '明火', '火苗', '119', '烧起来', '燃气', '燃气…味', '煤气…味', '燃气灶…味', '煤气', '煤气罐', '煤气味', '燃气味', '液化气', '天然气', '漏气', '消防', '消防通道', '安全出口', '灭火器', '飞线充电', '私拉电线', '电线老化', '电动车…充电', '电瓶车…充电', '楼道…堆', '楼道…堆满', '楼道…堆放', '堆放杂物', '易燃', '液化气罐', '燃气管道', '私接', '消防栓', '电动自行车…充电', '车库…充电', '乱拉', '拉线', '楼梯间…堆', '烧焦', 'fire', 'gas leak'],
      not: ['火锅', '火车', '烟花…卖'],
      note: '火锅 is not 火 (the segmenter keeps 火锅店 whole; the exclusion says so)',
    },
    // Fire now, gas, and the fire risks a grid worker writes up: charging indoors, blocked exits, fuel piled up.
    {
      id: 'hazard.fire.risks',
      category: 'hazard.fire',
      priority: 70,
      any: [...FIRE_NOW, ...GAS_LEAK, '插线板…充电', '充电…插线板', '电瓶…充电', '电车…充电', '电瓶…屋里', '充电桩', '拉…电线', '电线…吊', '可燃物', '易燃物', '消防隐患', '堵死…通道', '通道…堵', '疏散通道'],
      not: ['火锅', '火车'],
    },
    // Clutter and cigarette ends are a weak fire cue: a group rental or a venue that has them is still that.
    { id: 'hazard.fire.clutter', category: 'hazard.fire', priority: 42, any: ['楼梯…堆', '堆…楼梯', '过道…堆', '走廊…堆', '纸箱…堆', '堆…纸箱', '纸壳', '纸壳子', '泡沫箱', '烟头'] },
    { id: 'hazard.group-rental', category: 'hazard.group-rental', priority: 68, any: ['群租', '群租房', '隔断', '隔成', '上下铺', '床位', '住了…十几个人', '住了…二十多个人', '住了…几十个人', '住了…好多人', '一套房…住', '地铺', '打满…铺', '改成…出租', '分租', '隔间'] },
    // A flat cut up or crammed: the partition, the bunks, the sublet, the headcount where one family should live.
    { id: 'hazard.group-rental.crammed', category: 'hazard.group-rental', priority: 68, any: ['高低床', '上下床', '双层床', '小间', '分割', '隔出', '打隔断', '二房东', '住了好多', '住了…好多', '一屋子…床', '住满了', ...['十来个', '十几个', '十多个', '二十多个', '二十来个', '几十个', '好几十个'].map((n) => `住了…${n}`), '两居室…住', '三居室…住', '一套…住了'] },
    { id: 'dispute.family', category: 'dispute.family', priority: 65, any: ['夫妻', '两口子', '家暴', '老公', '老婆', '丈夫', '妻子', '媳妇', '婆媳', '儿媳', '赡养', '离婚', '分家', '遗产', '抚养费', '父子', '母女', '兄弟…吵', '姐妹…吵', '不管老人', '不愿意赡养'] },
    // In-laws, parents, colloquial spouses; who keeps the old people; being put out of one's own home.
    { id: 'dispute.family.kin', category: 'dispute.family', priority: 65, any: ['姐夫', '嫂子', '弟媳', '妹夫', '小叔子', '公公', '婆婆', '岳父', '岳母', '丈母娘', '女婿', '儿媳妇', '爹娘', '爹妈', '父母…吵', '我男人', '俺男人', '我家男人', '那口子', '兄弟…养', '谁…养', '不想…养', '养老…吵', '撵出来', '赶出来', '撵出', '赶出', '过户', '继承', '分房子', '彩礼'] },
    { id: 'dispute.labour', category: 'dispute.labour', priority: 62, any: ['工资', '拖欠工资', '欠薪', '讨薪', '工钱', '劳务费', '工程款', '包工头', '农民工', '加班费', '辞退', '克扣', '没…工资', '没拿到工资', '拿不到工资', '薪水', '薪资', '要工钱', '结工钱'] },
    // Work done and not paid, said without the word 工资: 老板…没结, 工人…没发钱, 扣着…钱.
    { id: 'dispute.labour.unpaid', category: 'dispute.labour', priority: 62, any: ['血汗钱', '辛苦钱', '老板…没结', '老板…不结', '老板…不给', '老板…扣', '老板…拖欠', '老板…欠', '老板…跑了', '工人…没发', '工人…不发', '没发钱', '不发钱', '没结钱', '一分钱没结', '干活…钱', '干了…没结', '扣着…钱', '押着…钱', '辞职…钱', '工伤', '社保', '劳动合同', '劳动仲裁', '开除', '试用期'] },
    { id: 'dispute.debt', category: 'dispute.debt', priority: 62, any: ['欠钱', '借钱', '借了', '借款', '欠款', '还钱', '要债', '讨债', '催债', '债务', '欠条', '借条', '高利贷', '赖账', '不还', '欠我', '拉黑'] },
    // Lending and collecting: 借给, 网贷, 催收, 要账.
    { id: 'dispute.debt.lending', category: 'dispute.debt', priority: 62, any: ['借给', '找我借', '向我借', '借我', '网贷', '贷款', '催收', '催…还', '上门催', '要账', '欠账', '老赖', '还不上', '不还钱', '借…块'] },
    { id: 'dispute.fight', category: 'dispute.fight', priority: 60, any: ['打架', '斗殴', '打人', '打起来', '互殴', '群殴', '殴打', '扭打', '动手', '打了起来', '挨打', '推搡', '互相推搡', '围着…打', '围殴', '拿着…棍子', '拿着…刀', '持刀', '打成一团', '打了一架', '群架', '被打', 'fight'] },
    // Blows as people name them: 扇耳光, 踹, 揍, 干起来, 开瓢.
    { id: 'dispute.fight.blows', category: 'dispute.fight', priority: 60, any: ['扇…耳光', '扇耳光', '打耳光', '扇巴掌', '打…巴掌', '踹', '揍', '干起来', '干仗', '掐架', '打群架', '开瓢', '砸人', '砸…头', '砸…脑袋', '推来推去', '互推', '打伤', '砍人', '捅人', '追着…打', '打…头破', '被…打了', '被…打伤', '被…打得'] },
    { id: 'dispute.land', category: 'dispute.land', priority: 55, any: ['土地', '宅基地', '地界', '承包地', '耕地', '界址', '地边', '田埂', '种地', '占地', '林地', '征地', '地头', '地边', '地边上', '浇地', '地里', '水渠', '灌溉'] },
    // Kinds of rural land and what is done with it: 责任田, 鱼塘, 发包, 补偿款, 界桩.
    { id: 'dispute.land.rural', category: 'dispute.land', priority: 55, any: ['责任田', '自留地', '田地', '农田', '庄稼', '鱼塘', '山林', '果园', '荒地', '发包', '承包', '补偿款', '界桩', '界碑', '地是', '占了…地', '种上', '村委会…收回', '土地证', '确权'] },
    { id: 'dispute.property', category: 'dispute.property', priority: 55, any: ['物业', '物业费', '业委会', '维修基金', '停车费', '开发商'] },
    { id: 'hazard.small-venue', category: 'hazard.small-venue', priority: 50, any: ['九小场所', '网吧', '歌厅', 'ktv', '小旅馆', '无证经营', '无照经营', '营业执照', '黑作坊', '小作坊', '小诊所', '黑诊所', '足浴', '洗浴', '美容院', '托管班', '棋牌室', '小卖部', '家庭旅馆', '旅馆'] },
    // A venue run without papers or as a home: 没有…执照, 没证, 住人, 过期食品 (wherever the venue is named). jieba keeps
    // 营业执照 whole, so 执照 alone never matches inside it.
    { id: 'hazard.small-venue.violations', category: 'hazard.small-venue', priority: 50, any: ['没有…执照', '没…执照', '无…执照', '没有…营业执照', '没…营业执照', '无…营业执照', '没挂…执照', '没有证', '没证', '无证', '没办证', '证照', '卫生许可', '过期食品', '三合一', '前店后厂', '店里…住人', '店…住了', '后厨…住'] },
    // The nine small venues by name are a weak cue: 在超市丢了钱包 is lost property.
    { id: 'hazard.small-venue.place', category: 'hazard.small-venue', priority: 34, any: ['小饭馆', '小餐馆', '小吃店', '饭馆', '餐馆', '小超市', '超市', '便利店', '商店', '理发店', '美发店', '发廊', '按摩店', '按摩', '洗脚城', '美容店', '小宾馆', '招待所', '诊所', '药店', '托儿所', '幼儿园', '辅导班', '加工厂', '作坊', '录像厅', '游戏厅'] },
    { id: 'hazard.unregistered', category: 'hazard.unregistered', priority: 50, any: ['漏登', '流动人员', '未登记', '没登记', '没有登记', '不登记', '暂住', '居住证', '身份不明', '租客…登记', '外来人员', '租客', '没去…登记', '登记'] },
    // A tenant no one has registered: 没…登记 (its 没 is the complaint), 不报备, new tenants, foreigners.
    { id: 'hazard.unregistered.tenants', category: 'hazard.unregistered', priority: 50, any: ['没…登记', '未…登记', '不用登记', '报备', '备案', '住宿登记', '租房的', '租户', '房客', '新搬来', '外地人', '外国人', '身份证…没看', '没看…身份证'] },
    { id: 'hazard.facility', category: 'hazard.facility', priority: 45, any: ['门禁', '报警器', '电梯', '路灯', '井盖', '下水道', '水管', '爆管', '停水', '停电', '护栏', '广告牌', '塌陷', '供暖', '暖气', '单元门', '防盗门', '锁坏了', 'door access'] },
    // Shared fittings of a street or an estate, whatever state they are in.
    { id: 'hazard.facility.fittings', category: 'hazard.facility', priority: 45, any: ['道闸', '闸机', '栏杆', '自来水管', '自来水', '管道', '窨井', '化粪池', '健身器材', '单杠', '双杠', '秋千', '滑梯', '座椅', '围栏', '围墙', '电线杆', '线杆', '红绿灯', '信号灯', '路面', '地砖', '台阶', '扶手', '监控…坏', '公厕', '垃圾桶…坏', '灯…不亮'] },
    { id: 'hazard.public-order', category: 'hazard.public-order', priority: 45, any: ['治安', '小偷', '偷', '被偷', '盗窃', '被盗', '撬锁', '被撬', '撬', '扒窃', '聚集', '寻衅', '滋事', '闹事', '醉酒', '醉汉', '飙车', '可疑', '砸车', '尾随', '偷拍', '聚集…喝酒', '偷东西', '拉车门', '打闹', '聚在一起'] },
    // Street nuisances and prowlers: 炸街, 倒卖, 黄牛, 转悠, 蹲守, 跟踪, 抢.
    { id: 'hazard.public-order.street', category: 'hazard.public-order', priority: 45, any: ['炸街', '改装车', '轰…油门', '倒卖', '黄牛', '票贩子', '拉客', '转悠', '徘徊', '蹲守', '鬼鬼祟祟', '跟踪', '跟着…不放', '对着…拍', '偷看', '抢劫', '抢包', '飞车抢', '碰瓷', '收保护费', '乞讨'] },
    { id: 'dispute.neighbour', category: 'dispute.neighbour', priority: 40, any: ['邻居', '邻里', '对门', '噪音', '院子', '院墙', '扰民', '漏水', '渗水', '两户', '遛狗', '不拴绳', '狗…咬'] },
    // Where the other party lives is a weak cue: 孩子的自行车放在楼下找不到了 is lost property.
    { id: 'dispute.neighbour.place', category: 'dispute.neighbour', priority: 35, any: ['楼上', '楼下', '隔壁'] },
    { id: 'dispute.general', category: 'dispute.general', priority: 30, any: ['纠纷', '吵架', '争吵', '矛盾', '争执', '口角', '吵', '骂', 'quarrel', 'dispute'] },
    {
      id: 'service.lost-property',
      category: 'service.lost-property',
      priority: 36,
      any: ['丢失', '丢了', '丢', '遗失', '弄丢', '掉了', '落在', '捡到', '失物', '不见了', '找不到', '走丢', '落下', 'lost', '落了', '忘在', '忘拿', '弄没了', '搞丢', '拾到', '捡了', '遗落', '丢在'],
      not: ['井盖…丢失', '井盖…丢', '井盖…不见', '螺丝…掉了'],
      note: '井盖丢失 is a facility fault, not lost property',
    },
    // A question outranks the topic it asks about (请问办理居住证 is a question, not a migrant left unregistered).
    { id: 'service.question', category: 'service.general', priority: 55, any: ['请问', '需要带什么', '去哪里办', '应该去哪', '怎么申请', '怎么办理', '开…证明', '想问', '问一下', '需要准备', '怎么弄', '咋弄', '咋办理', '咋申请', '哪个窗口', '在哪里办', '想申请', '能不能申请', '补贴…申请', '申请…补贴'] },
    // Someone who may be in trouble at home: a welfare visit, not a neighbour dispute.
    { id: 'service.welfare', category: 'service.general', priority: 45, any: ['没见…出门', '敲门…不应', '敲门…没人应', '一个人…哭', '摔倒…起不来', '没开门', '没人答应', '没人应', '没动静', '没出门', '好几天没见', '两天没见', '几天没见', '上门查看', '上门看看'] },
    { id: 'service.general', category: 'service.general', priority: 15, any: ['求助', '帮忙', '帮助', '咨询', '请问', '办理', '证明', '补办', '怎么办', '能不能', '如何', '申请', '派人', '咋办'] },
    // Danger to a person with no other topic: help first (the grade says how urgent).
    { id: 'service.person-in-danger', category: 'service.general', priority: 10, any: [...SELF_HARM, '农药', '送医院', '晕倒', '昏迷', '摔倒', '无法起身', '起不来'] },
  ],
  grading: [
    { id: 'red.weapon', grade: 'red', any: [...WEAPONS, ...IMPROVISED.flatMap((w) => SWUNG.map((v) => `${w}…${v}`))] },
    { id: 'red.threat', grade: 'red', any: THREATS },
    { id: 'red.self-harm', grade: 'red', any: SELF_HARM },
    { id: 'red.injury', grade: 'red', any: INJURY },
    // A fire risk (火灾隐患, 火灾风险) is orange by the contract; only a fire or smoke now is red.
    { id: 'red.fire-now', grade: 'red', any: FIRE_NOW, not: ['火灾…隐患', '火灾…风险', '火灾…安全'] },
    { id: 'red.gas-leak', grade: 'red', any: GAS_LEAK },
    { id: 'red.trapped', grade: 'red', any: ['被困', '困在', '困人', '关在电梯', '出不来'] },
    {
      id: 'red.missing-vulnerable',
      grade: 'red',
      categories: ['service.missing-person'],
      any: [...ELDERLY, ...CHILDREN, ...IMPAIRED, '儿子', '女儿', '孙子', '孙女', '闺女'],
      note: 'a missing child (儿子 and 女儿 are children when a parent reports them), elderly or impaired person',
    },
    {
      id: 'red.mass-incident',
      grade: 'red',
      kinds: ['dispute', 'hazard', 'unclassified'],
      any: ['围堵', '堵路', '堵门', '堵住', '冲击', '集体上访', '上访', '拉横幅', '打横幅', '静坐', '几十个人', '上百人', '几十人', '围在', ...MANY.flatMap((m) => GATHER.map((g) => `${m}…${g}`)), ...GATHER.flatMap((g) => MANY.map((m) => `${g}…${m}`))],
      // Things blocking a corridor or fire exit (堵住了消防通道) are a fire risk, not people blocking.
      not: ['堵住…通道', '堵住…消防通道', '堵住…安全通道', '堵住…疏散通道', '堵住…楼道', '堵住…出口', '堵住…安全出口'],
      note: 'a blockade or protest, or many people (几十个, 上百) gathering or blocking; a headcount alone is a crowd',
    },
    { id: 'red.fraud-now', grade: 'red', categories: ['tip.fraud'], any: ['正在转账', '要转账', '准备转账', '马上转', '正在…转', '已经转了', '刚转', '转了', '把钱转', '转过去', '正在汇款', '要去汇款', '去…汇款', '正在…汇款', '安全账户', '屏幕共享', '共享屏幕'] },
    { id: 'orange.vulnerable', grade: 'orange', kinds: ['dispute', 'hazard'], any: [...ELDERLY, ...CHILDREN, ...IMPAIRED] },
    { id: 'orange.repeat', grade: 'orange', kinds: ['dispute'], any: ['多次', '反复', '长期', '又', '屡次', '三番五次', '好几次', '好几回', '几次', '每天', '天天', '总是', '老是', '经常', '再次', '一直', '整天', '成天', '每次', '不止一次', '好久', '几年', '好几年', '多年', '两年', '三年', '两三年', '十几年'] },
    { id: 'orange.pushing', grade: 'orange', kinds: ['dispute'], any: ['推搡', '撕扯', '拉扯', '动手', '扭打', '推了', '推了一把', '打了一巴掌', '推来推去', '扇…耳光', '踹了', '泼…油漆', '砸门', '堵…门口'] },
    { id: 'orange.crowd', grade: 'orange', kinds: ['dispute', 'hazard'], any: CROWD },
    { id: 'orange.fire-risk', grade: 'orange', kinds: ['hazard'], any: ['飞线充电', '私拉电线', '电线老化', '电动车…充电', '电瓶车…充电', '消防通道', '安全出口', '楼道…堆', '易燃', '煤气罐'] },
    { id: 'orange.suspicious', grade: 'orange', kinds: ['hazard'], any: ['身份不明', '可疑'] },
    {
      id: 'orange.welfare',
      grade: 'orange',
      categories: ['service.general'],
      any: ['没见…出门', '敲门…不应', '敲门…没人应', '一个人…哭', '没开门', '没人答应', '没人应', '没动静', '好几天没见', '两天没见', '几天没见'],
      note: 'a vulnerable person who may be in trouble at home (a lost child scooter stays service)',
    },
    { id: 'orange.facility-danger', grade: 'orange', categories: ['hazard.facility'], any: ['井盖', '塌陷', '裸露', '掉落', '脱落', '倾斜', '松动', '摇摇欲坠', '晃', '摇晃', '断了', '断裂', '碎', '碎了', '歪', '歪了', '垂', '漏电', '砸到', '掉下来', '没盖', '窟窿'] },
  ],
});
