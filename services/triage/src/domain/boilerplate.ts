/**
 * What a report says only of where it is or whom to call back: the address (永昌县城关镇北海子路宝河苑小区5号楼2单元),
 * the hotline's preamble (市民来电反映：, 来电人称, 群众反映) and contact lines (联系人李四电话13800138000,
 * 身份证620321…). The learned models and duplicate detection read a report without them: every hotline
 * transcript begins with an address, so the model learned 号楼, 单元 and 城关镇 as signs of whatever the
 * training reports at those addresses were (a fire), and two troubles at one address with one contact
 * shared most of their words. Rules still read the whole text (超市, 消防通道, 楼道 name the trouble's place).
 */

// Characters no place name holds: a name never runs across them, and one may start right after them
// (住在宝河苑小区, 路过城关镇), so a run never swallows the words before an address (举报, 拿刀).
// Verbs of asking and reporting too (想请社区, 已报街道: the office, not where).
const FUNCTION_CHARS = '在有的了是我你他她它们这那就把被给说要去到与还也又很不没个些啊吧呢吗称住往从自过进出离来已请想找报送问让求帮跟替最刚昨晚近麻烦希';
const NAME = `[\\p{Script=Han}--[${FUNCTION_CHARS}]]`;
const DIGITS = '[0-9０-９]+';
const IN_WORDS_NUMBER = '[一二三四五六七八九十百零〇]+';
const NUMBER = `(?:${DIGITS}|${IN_WORDS_NUMBER})`;
// A named part: a place name and what it is. 超市, 菜市 and 夜市 are shops, not a city.
// A single character is a suffix only where no word goes on from it (路灯, 村民, 镇上, 乡下 are no address).
// 社区 is the office as often as the place (想请社区): not a suffix. Nor are 超市, 市区, 景区, 修路, 炸街, 同村 and the like.
const NAMED_STRONG = '(?:自治区|街道|大道|小区|胡同|新村|(?:省|县|镇|乡)(?![上下里亲村长静定委钱心得]))';
const NAMED_WEAK =
  '(?:(?<![超菜夜股黑集早门上城])市|(?<![社景郊山校灾辖片市禁误专病营矿牧园城])区|(?<![修堵挡让带迷走问拦占封马])路|(?<![炸骂逛扫沿临满])街|巷|(?<![进回全本同邻出下外各])村|屯|弄)(?![灯口边面上下段过况线由人里内外旁头道子民委长场政])';
// A numbered part: 5号楼 and 2单元 say where whenever they have digits; 3楼, 28号, 三组 only beside another part.
const NUMBERED_STRONG = '号楼|号院|栋|幢|单元|室';
const NUMBERED_WEAK = '号|楼|层|组|排|座';
// A building, unit and flat in figures: 5号楼, 2单元, 2-3-501.
const NUMBERED = `${DIGITS}(?:${NUMBERED_STRONG}|(?:[\\-－—]${DIGITS}){2,})`;
// A named part, a numbered one, or the name of an estate right before its numbers (宝河苑5号楼).
const STRONG_PART = `${NAME}{2,4}?(?:${NAMED_STRONG})|${NUMBERED}|${NAME}{2,4}?(?=${NUMBERED})`;
const PART = `${STRONG_PART}|${NAME}{2,4}?(?:${NAMED_WEAK})|${NUMBER}(?:${NUMBERED_STRONG}|${NUMBERED_WEAK})|${DIGITS}(?:[\\-－—]${DIGITS})+|[0-9０-９]{3,4}(?![0-9０-９元块万个岁米])`;
// A run of parts: it starts at the text's start, a break or a function character, or with figures anywhere.
const BOUNDARY = `(?<=^|[\\s\\p{P}\\p{S}]|[${FUNCTION_CHARS}])`;
const ADDRESS = new RegExp(`(?:${BOUNDARY}(?:${PART})|${NUMBERED})(?:${PART})*`, 'gv');
const STRONG = new RegExp(`^(?:${STRONG_PART})`, 'v');
const ANY_PART = new RegExp(`^(?:${PART})`, 'v');
const IN_WORDS = new RegExp(`^${IN_WORDS_NUMBER}`, 'v');

/**
 * Whether a run is an address: a strong part (宝河苑小区, 城关镇, 5号楼) or two parts (北海子路28号); 小区路 of 小区路灯
 * is not, nor are parts numbered in words alone (一层一层 of a pyramid scheme).
 */
function isAddress(run: string): boolean {
  let parts = 0;
  let inWords = 0;
  for (let rest = run; rest; parts++) {
    if (STRONG.test(rest)) return true;
    const part = ANY_PART.exec(rest)?.[0];
    if (!part) break;
    if (IN_WORDS.test(part)) inWords++;
    rest = rest.slice(part.length);
  }
  return parts >= 2 && inWords < parts;
}

// The hotline's preamble: who called, then 反映/称/… or a colon (来所反映：, 报警人称); 群众聚集 keeps its 群众.
const PREAMBLE = /(?:(?:市民|群众|居民|村民|网友|报警人|来电人|求助人|举报人|反映人)(?:来电|来所|来访|致电)?|来电|来所|来访|致电)(?:(?:反映|称|表示|诉求|求助)[:：]?|[:：])/gu;
// Who to call back: a contact's name where a colon, a number or an honorific shows it is one (联系人：李四, 联系人李四电话…,
// 李先生), and the bare key before those; 报警人陈述 is a preamble, not a contact named 陈述.
const CONTACT_NAME = new RegExp(
  `(?:联系人|举报人|报警人|来电人|求助人|反映人)(?:姓名)?(?:[:：]\\s*${NAME}{2,3}(?=[\\s\\p{P}\\p{S}0-9０-９]|电话|手机|联系|身份证|$)|[:：]?\\s*${NAME}{0,2}(?:先生|女士|师傅|阿姨|大爷|大妈|老师)|${NAME}{2,3}(?=[，,、\\s]*(?:电话|手机|联系|身份证|号码|[0-9０-９]))|(?=[:：]|[，,、\\s]*(?:电话|手机|联系|身份证|号码|[0-9０-９])))[:：]?`,
  'gv',
);
// Numbers as written, in ASCII or full-width figures (a Chinese IME writes １３９…), after a key (电话, 手机, 座机, 身份证) or bare.
const PHONE = /(?:联系)?(?:电话|手机|座机|联系方式|号码)(?:号码?)?(?:是|为)?[:：]?\s*[+＋(（]?[0-9０-９][0-9０-９*＊\-－ )）]{5,}[0-9０-９]|(?<![0-9０-９*])(?:[1１][3-9３-９][0-9０-９]{9}|0[0-9]{2,3}-[0-9]{7,8})(?![0-9０-９])/gu;
const ID_NUMBER = /(?:身份证)(?:号码?)?(?:是|为)?[:：]?\s*[0-9０-９][0-9０-９*＊]{5,16}[0-9０-９XxＸｘ]|(?<![0-9０-９*])[0-9０-９]{17}[0-9０-９XxＸｘ](?![0-9０-９])/gu;
// Phone and ID numbers as intake passes them on, masked in ASCII whatever width they were typed in (intake masks every
// report's text before triage reads it): its head (138, +86, 6203, 0931, (010), asterisks, its tail (138****8000,
// +86*******5671, 139******0000, 6203**********1234, 0931******56), so one contact's masked number is no word two
// troubles share. Not a bank card (***************0123, no head): a fraud's card is what two victims' reports may share.
const MASKED_NUMBER = /(?<![0-9０-９*])(?:\+86|\(?[0-9]{3,4}\)?)\*{4,}[0-9]{1,3}[0-9Xx](?![0-9０-９])/gu;
// An email address, as written (ASCII or full-width) or masked by intake (z****@example.com), with its key (邮箱：).
const EMAIL =
  /(?:(?:电子)?邮箱|邮件|e-?mail)?(?:地址)?(?:是|为)?[:：]?\s*[A-Za-z0-9._%+\-*Ａ-Ｚａ-ｚ０-９．＿－＋＊]+[@＠][A-Za-z0-9\-Ａ-Ｚａ-ｚ０-９－]+(?:[.．][A-Za-z0-9\-Ａ-Ｚａ-ｚ０-９－]+)+/giu;

/**
 * The report without its address, preamble and contact lines, each replaced by a clause break (so the words
 * around it do not join). What remains is what happened: 有人割腕，流了很多血.
 */
export function withoutBoilerplate(text: string): string {
  return text
    .replace(PREAMBLE, '，')
    .replace(CONTACT_NAME, '，')
    // Before the numbers: a mailbox named by a phone number (13912345678@163.com) goes whole.
    .replace(EMAIL, '，')
    .replace(ID_NUMBER, '，')
    .replace(PHONE, '，')
    .replace(MASKED_NUMBER, '，')
    .replace(ADDRESS, (run) => (isAddress(run) ? '，' : run));
}
