import type { GazetteerAddress } from '@gridcase/contracts';

/**
 * The demo station's gazetteer: one residential compound (小区) or village group (组) per community
 * grid, with two of its buildings or house numbers, plus a few street numbers. The names are
 * plausible inventions, like the people of demo-station.ts; each compound lies in one grid, so the
 * compound alone routes too.
 */
const PLACES: readonly [gridCode: string, place: string, units: readonly string[]][] = [
  ['CG-01-01', '宝河苑小区', ['1号楼', '2号楼']],
  ['CG-01-02', '宝河苑二期', ['5号楼', '6号楼']],
  ['CG-02-01', '钟鼓楼小区', ['1栋', '3栋']],
  ['CG-02-02', '东街商住楼', ['A座', 'B座']],
  ['CG-03-01', '西街家属院', ['2号楼', '4号楼']],
  ['CG-04-01', '南苑小区', ['1号楼', '7号楼']],
  ['CG-04-02', '南关佳苑', ['3号楼', '9号楼']],
  ['CG-04-03', '北街花园', ['2号楼', '8号楼']],
  ['CG-05-01', '北海子家园', ['1号楼', '2号楼']],
  ['CG-05-02', '北海子公园小区', ['10号楼', '11号楼']],
  ['CG-06-01', '金川路小区', ['4号楼', '6号楼']],
  ['CG-07-01', '骊靬花园', ['1号楼', '3号楼']],
  ['CG-07-02', '文化苑小区', ['2号楼', '5号楼']],
  ['CG-08-01', '育才小区', ['1号楼', '2号楼']],
  ['CG-08-02', '育才二中家属院', ['3号楼', '4号楼']],
  ['CG-08-03', '书香苑', ['7号楼', '8号楼']],
  ['CG-09-01', '新华小区', ['12号楼', '15号楼']],
  ['CG-10-01', '紫金花园一区', ['1号楼', '6号楼']],
  ['CG-10-02', '紫金花园二区', ['3号楼', '9号楼']],
  ['CG-11-01', '河西雅苑', ['2号楼', '4号楼']],
  ['CG-11-02', '迎宾小区', ['1号楼', '5号楼']],
  ['CG-12-01', '胜利小区', ['6号楼', '8号楼']],
  ['CG-13-01', '教育小区', ['1号楼', '3号楼']],
  ['CG-13-02', '金川东村三组', ['12号', '18号']],
  ['CG-13-03', '金川西村一组', ['5号', '21号']],
  ['CG-14-01', '赵定庄村一组', ['3号', '9号']],
  ['CG-14-02', '赵定庄村四组', ['7号', '16号']],
  ['CG-15-01', '校尉营村二组', ['2号', '11号']],
  ['CG-16-01', '高古城村一组', ['6号', '14号']],
  ['CG-16-02', '高古城村三组', ['1号', '20号']],
  ['CG-17-01', '水磨关村二组', ['8号', '13号']],
  ['CG-17-02', '新沟村一组', ['4号', '10号']],
  ['CG-18-01', '羊下坝村五组', ['3号', '15号']],
  ['CG-19-01', '六坝村一组', ['2号', '17号']],
  ['CG-19-02', '六坝村四组', ['9号', '22号']],
  ['CG-19-03', '毛卜喇村二组', ['5号', '12号']],
];

/** Street numbers (门牌) along the main roads, where a shop or office is known by its number. */
const STREET_NUMBERS: readonly GazetteerAddress[] = [
  { address: '北海子街12号', gridCode: 'CG-05-01' },
  { address: '金川路88号', gridCode: 'CG-06-01' },
  { address: '东大街3号', gridCode: 'CG-02-02' },
  { address: '西大街21号', gridCode: 'CG-03-01' },
  { address: '新华路7号', gridCode: 'CG-09-01' },
];

export const DEMO_ADDRESSES: readonly GazetteerAddress[] = [
  ...PLACES.flatMap(([gridCode, place, units]) => [{ address: place, gridCode }, ...units.map((unit) => ({ address: `${place}${unit}`, gridCode }))]),
  ...STREET_NUMBERS,
];
