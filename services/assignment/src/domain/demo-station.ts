import type { CommunityGrid, GridGeometry, Officer, PoliceGrid, ReferenceData, RosterEntry, Shift } from '@gridcase/contracts';
import { DEMO_ADDRESSES } from './demo-addresses.ts';

/**
 * The demo station a fresh install loads: Chengguan police station of Yongchang county, Jinchang,
 * Gansu, with its 19 police districts (DOMAIN.md). People and communities beyond those the source
 * names are plausible inventions. The areas are simple rectangles tiling 38.23–38.27 N,
 * 101.93–101.99 E around the county seat: 4 rows of 0.01° from north to south, 5 columns of
 * 0.012° from west to east (the last row has 4 police grids, the last one double wide); each police
 * grid is split west to east into its community grids. A point strictly inside a community
 * grid's rectangle routes to that grid.
 */

interface CommunitySpec {
  code: string;
  name: string;
  /** How many community grids the community has inside this police grid. */
  grids: number;
}
interface PoliceGridSpec {
  officer: string;
  lead: string;
  communities: CommunitySpec[];
}

const c = (code: string, name: string, grids = 1): CommunitySpec => ({ code, name, grids });

/** In order CG-01 … CG-19. Grid officers named in the source come first. */
const POLICE_GRIDS: PoliceGridSpec[] = [
  { officer: '王彦军', lead: '段国庆', communities: [c('baoheyuan', '宝河苑社区', 2)] },
  { officer: '张明辉', lead: '魏世忠', communities: [c('zhonggulou', '钟鼓楼社区'), c('dongjie', '东街社区')] },
  { officer: '吴映蓉', lead: '康永平', communities: [c('xijie', '西街社区')] },
  { officer: '吴翠', lead: '薛志明', communities: [c('nanjie', '南街社区', 2), c('beijie', '北街社区')] },
  { officer: '李建国', lead: '冯建华', communities: [c('beihaizi', '北海子社区', 2)] },
  { officer: '赵志刚', lead: '丁海涛', communities: [c('jinchuanlu', '金川路社区')] },
  { officer: '陈晓东', lead: '任振宇', communities: [c('liqian', '骊靬社区'), c('wenhua', '文化社区')] },
  { officer: '刘海燕', lead: '彭立军', communities: [c('yucai', '育才社区', 3)] },
  { officer: '马文斌', lead: '曹文杰', communities: [c('xinhua', '新华社区')] },
  { officer: '杨振华', lead: '田守义', communities: [c('zijinhuayuan', '紫金花园社区', 2)] },
  { officer: '周立新', lead: '邓志强', communities: [c('hexi', '河西社区'), c('yingbin', '迎宾社区')] },
  { officer: '何玉兰', lead: '许国栋', communities: [c('shengli', '胜利社区')] },
  { officer: '徐永福', lead: '沈建平', communities: [c('jiaoyu', '教育社区'), c('jinchuandong', '金川东村'), c('jinchuanxi', '金川西村')] },
  { officer: '郭春梅', lead: '汪德胜', communities: [c('zhaodingzhuang', '赵定庄村', 2)] },
  { officer: '韩德明', lead: '范永红', communities: [c('xiaoweiying', '校尉营村')] },
  { officer: '蒋红霞', lead: '金学斌', communities: [c('gaogucheng', '高古城村', 2)] },
  { officer: '朱宏伟', lead: '石宝林', communities: [c('shuimoguan', '水磨关村'), c('xingou', '新沟村')] },
  { officer: '高建军', lead: '姚新民', communities: [c('yangxiaba', '羊下坝村')] },
  { officer: '罗晓燕', lead: '谭永刚', communities: [c('liuba', '六坝村', 2), c('maobula', '毛卜喇村')] },
];

/** Grid workers go by what residents call them, as in the source ("小李"). One per community grid, in grid order. */
const GRID_WORKERS = [
  '小李', '小王', '小张', '小刘', '小陈', '小杨', '小赵', '小黄', '小周', '小吴', '小徐', '小孙',
  '小马', '小朱', '小胡', '小郭', '小何', '小高', '小林', '小罗', '小郑', '小梁', '小谢', '小宋',
  '小唐', '小许', '小韩', '小冯', '小邓', '小曹', '小彭', '小曾', '小肖', '小田', '小董', '小袁',
];

const CHINESE_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九'];

const STATION_CODE = 'CG';
// Micro-degrees keep the tiling exact (no float drift between neighbours).
const NORTH = 38_270_000;
const WEST = 101_930_000;
const ROW_HEIGHT = 10_000;
const COL_WIDTH = 12_000;

const rectangle = (west: number, south: number, east: number, north: number): GridGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [west / 1e6, south / 1e6],
      [east / 1e6, south / 1e6],
      [east / 1e6, north / 1e6],
      [west / 1e6, north / 1e6],
      [west / 1e6, south / 1e6],
    ],
  ],
});

/** Where police grid i (0-based) lies: [west, south, east, north] in micro-degrees. */
function cellOf(i: number): [number, number, number, number] {
  const row = Math.floor(i / 5);
  const col = i % 5;
  const north = NORTH - row * ROW_HEIGHT;
  const width = i === 18 ? 2 * COL_WIDTH : COL_WIDTH;
  const west = WEST + col * COL_WIDTH;
  return [west, north - ROW_HEIGHT, west + width, north];
}

const pad = (n: number) => String(n).padStart(2, '0');

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
/** Grid officers work the day shift; CG-13's night officer the night shift, overnight. */
const DAY_SHIFT: Shift = { name: '白班', days: EVERY_DAY, start: '08:00', end: '20:00' };
const NIGHT_SHIFT: Shift = { name: '夜班', days: EVERY_DAY, start: '20:00', end: '08:00' };
/** Community grid workers keep office hours and are on call by phone outside them. */
const OFFICE_HOURS: Shift = { name: '工作日', days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' };
/** CG-13 (three communities) has a second, night officer; its day officer is seconded away for a year. */
const SECOND_OFFICER_GRID = 'CG-13';
const SECONDED = { from: '2026-09-01T00:00:00+08:00', until: '2027-09-01T00:00:00+08:00', reason: '借调市局专案组' };

/**
 * The demo roster: two shifts (day and night) and someone on leave. A post with one person keeps
 * routing to them off duty (the post's owner), so every grid still has its owners at any hour;
 * except a red case's police post, which goes to the lead on duty (routing.ts).
 */
function demoRosters(officers: readonly Officer[]): RosterEntry[] {
  return officers.flatMap((o): RosterEntry[] => {
    if (o.role === 'officer') {
      const night = o.officerId.endsWith('-night');
      const leave = o.officerId === `officer-${SECOND_OFFICER_GRID}` ? [SECONDED] : [];
      return [{ officerId: o.officerId, shifts: [night ? NIGHT_SHIFT : DAY_SHIFT], leave, onCall: false }];
    }
    if (o.role === 'gridWorker') return [{ officerId: o.officerId, shifts: [OFFICE_HOURS], leave: [], onCall: true }];
    // Leads, the desk leader and the chiefs: the duty desk is staffed round the clock (onDuty).
    return [];
  });
}

function buildDemoStation(): ReferenceData {
  const policeGrids: PoliceGrid[] = [];
  const grids: CommunityGrid[] = [];
  const officers: Officer[] = [];
  let workerIndex = 0;

  POLICE_GRIDS.forEach((spec, i) => {
    const code = `${STATION_CODE}-${pad(i + 1)}`;
    const [west, south, east, north] = cellOf(i);
    policeGrids.push({ code, name: `第${CHINESE_ORDINALS[i]}警务区`, stationCode: STATION_CODE, geometry: rectangle(west, south, east, north) });
    officers.push({ officerId: `officer-${code}`, name: spec.officer, role: 'officer', policeGridCode: code, onDuty: true });
    officers.push({ officerId: `lead-${code}`, name: spec.lead, role: 'lead', policeGridCode: code, onDuty: true });
    if (code === SECOND_OFFICER_GRID) {
      officers.push({ officerId: `officer-${code}-night`, name: '雷振东', role: 'officer', policeGridCode: code, onDuty: true });
    }

    const strips = spec.communities.reduce((n, community) => n + community.grids, 0);
    const stripWidth = (east - west) / strips;
    let strip = 0;
    for (const community of spec.communities) {
      for (let k = 0; k < community.grids; k++) {
        strip += 1;
        const gridCode = `${code}-${pad(strip)}`;
        grids.push({
          code: gridCode,
          name: `${community.name}第${CHINESE_ORDINALS[k]}网格`,
          policeGridCode: code,
          community: { code: community.code, name: community.name },
          geometry: rectangle(west + (strip - 1) * stripWidth, south, west + strip * stripWidth, north),
        });
        officers.push({
          officerId: `worker-${gridCode}`,
          name: GRID_WORKERS[workerIndex++] ?? `网格员${workerIndex}`,
          role: 'gridWorker',
          policeGridCode: code,
          gridCode,
          onDuty: true,
        });
      }
    }
  });

  officers.push(
    { officerId: `desk-leader-${STATION_CODE}`, name: '董振林', role: 'deskLeader', onDuty: true },
    { officerId: `deputy-chief-${STATION_CODE}`, name: '孙杰中', role: 'deputyChief', onDuty: true },
    { officerId: `chief-${STATION_CODE}`, name: '马国华', role: 'chief', onDuty: true },
  );

  return {
    station: { code: STATION_CODE, name: '城关派出所', county: '永昌县', city: '金昌市', province: '甘肃省' },
    policeGrids,
    grids,
    officers,
    rosters: demoRosters(officers),
    addresses: [...DEMO_ADDRESSES],
  };
}

export const DEMO_STATION: ReferenceData = buildDemoStation();

/**
 * The demo station under an install's own STATION_CODE (its police grids' station code with it), so a
 * fresh install configured for another station still seeds data its tokens and case numbers agree with.
 */
export const demoStationCoded = (code: string): ReferenceData =>
  code === DEMO_STATION.station.code
    ? DEMO_STATION
    : { ...DEMO_STATION, station: { ...DEMO_STATION.station, code }, policeGrids: DEMO_STATION.policeGrids.map((p) => ({ ...p, stationCode: code })) };
