// The articles' figures as the API returns them. Each case names its article, quotes it, runs one
// query file (src/demo/article-figures/<query>.graphql) against the demo data and says whether the
// answer holds the seed file's figure. The test (test/demo/article-figures.test.ts) requires every
// reproduce=true figure of src/demo/seed-groups.json to have a case that holds; `npm run figures`
// prints the same cases as a table (article, quote, what the API returns, the query).
import fs from 'node:fs';
import path from 'node:path';
import { findProjectRoot } from '../db/migrate';
import { atLeast, moreThan, SEED_GROUPS, underMinutes, type SeedFigure, type SeedGroup } from './seed-figures';

/**
 * Who reads a figure: the group's county dashboard, or the province over it (the caller turns the
 * audience into a token of that role and scope).
 */
export type Audience = 'county' | 'province';

/** What a case's query is run with: the audience and its scope (a group code or a province code), and the variables. */
export interface ArticleFigureRun {
  query: string;
  variables: Record<string, unknown>;
  audience: Audience;
  scope: string;
}

export type Execute = (run: ArticleFigureRun) => Promise<{ data?: unknown; errors?: readonly { message: string }[] }>;

// The answers are read loosely typed: each case knows the shape of its own query.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = any;

export interface ArticleFigureCase {
  /** The group (demo code) and its article. */
  groupCode: string;
  /** The seed file's reproduce=true figure it shows (a prefix of `what`), or the issue item it checks. */
  figure: string;
  quote: string;
  /** The query file (without .graphql) and its variables. */
  query: string;
  variables?: Record<string, unknown>;
  /** The province where the figure is what a province pulls; the county otherwise. */
  audience?: Audience;
  /** The figure as the API gives it, shown in the table. */
  read(data: Answer): unknown;
  /** Whether the answer holds the seed figure (given when the case shows one). */
  holds(value: unknown, seed: SeedFigure | undefined): boolean;
  /** What it must be, in words, for the table (e.g. "= 12", "≥ 130"). */
  expected: string;
}

/** Figures a later module reproduces: not yet queryable, listed with the issue that builds them. */
export interface PendingFigure {
  groupCode: string;
  figure: string;
  quote: string;
  pendingOn: string;
}

export interface ArticleFigureResult {
  groupCode: string;
  article: string;
  figure: string;
  quote: string;
  query: string;
  variables: Record<string, unknown>;
  value: unknown;
  expected: string;
  holds: boolean;
  error?: string;
}

const ARTICLE_OF: Readonly<Record<string, string>> = {
  'YGT-340621-SX': '000_7506de6db5ea0861.txt',
  'YGT-411324-ZP': '001_64d16afcd9be0d04.txt',
  'YGT-141102-LS': '002_1130064ad3d7abf0.txt',
  'YGT-420322-YX': '003_02c43f90991c12c3.txt',
  'YGT-610902-HK': '004_993314f26d1d3f19.txt',
};

export function seedGroupOf(groupCode: string): SeedGroup {
  const group = SEED_GROUPS.find((g) => g.article === ARTICLE_OF[groupCode]);
  if (!group) throw new Error(`No seed group for ${groupCode}`);
  return group;
}

/** The reproduce=true figure a case names, if its `figure` is one. */
export function seedFigureOf(c: { groupCode: string; figure: string }): SeedFigure | undefined {
  return seedGroupOf(c.groupCode).figures.find((f) => f.reproduce && f.what.startsWith(c.figure));
}

const countOf = (kind: string) => (d: Answer) => (d.countyGroup.memberCounts as { kind: string; count: number }[]).find((c) => c.kind === kind)?.count;
const equalsSeed = (value: unknown, seed: SeedFigure | undefined) => seed !== undefined && value === seed.value;
const sameNames = (value: unknown, seed: SeedFigure | undefined) => {
  const want = seed === undefined ? [] : typeof seed.value === 'string' ? [seed.value] : (seed.value as string[]);
  return Array.isArray(value) && want.length > 0 && want.every((name) => value.includes(name));
};
interface FlowRow {
  kind: string;
  startDate: string;
  endDate: string | null;
  to: { name: string };
}
const flowsOf = (d: Answer): FlowRow[] => (d.countyGroup.personnelFlows.edges as { node: FlowRow }[]).map((e) => e.node);
/** The last day of the year that starts on `day` (YYYY-MM-DD): a posting of exactly one year ends on it. */
const oneYearFrom = (day: string): string => {
  const start = new Date(`${day}T00:00:00Z`);
  const end = new Date(Date.UTC(start.getUTCFullYear() + 1, start.getUTCMonth(), start.getUTCDate()) - 86_400_000);
  return end.toISOString().slice(0, 10);
};
const namesOf = (d: Answer) => (d.institutions.edges as { node: { name: string; provenance: string } }[]).filter((e) => e.node.provenance === 'ARTICLE').map((e) => e.node.name);

export const ARTICLE_FIGURE_CASES: readonly ArticleFigureCase[] = [
  // 000 濉溪
  {
    groupCode: 'YGT-340621-SX',
    figure: 'township branches',
    quote: '牵手12家分院，164家卫生室',
    query: 'member-counts',
    read: countOf('TOWNSHIP_HEALTH_CENTER'),
    holds: equalsSeed,
    expected: '= 12',
  },
  {
    groupCode: 'YGT-340621-SX',
    figure: 'village clinics',
    quote: '牵手12家分院，164家卫生室',
    query: 'member-counts',
    read: countOf('VILLAGE_CLINIC'),
    holds: equalsSeed,
    expected: '= 164',
  },
  {
    groupCode: 'YGT-340621-SX',
    figure: 'named branches',
    quote: '南坪分院、临涣分院、百善分院在帮扶下已能自行开展腹腔镜手术及宫腔镜手术',
    query: 'named-members',
    variables: { kind: 'TOWNSHIP_HEALTH_CENTER' },
    read: namesOf,
    holds: sameNames,
    expected: 'includes 南坪分院, 临涣分院, 百善分院 (provenance ARTICLE)',
  },
  {
    groupCode: 'YGT-340621-SX',
    figure: 'named village clinic',
    quote: '如今道口村卫生室已经成了村民们拥抱健康生活的“宝藏”基地',
    query: 'named-village-clinic',
    variables: { name: '道口村' },
    read: (d) => (d.institutions.edges as { node: { name: string; parent: { name: string } } }[]).map((e) => `${e.node.name} (under ${e.node.parent.name})`),
    holds: (value, seed) => Array.isArray(value) && value.some((v) => String(v).startsWith(`${String(seed?.value)} (under 百善分院)`)),
    expected: '百善镇道口村卫生室, under 百善分院',
  },
  // 001 镇平
  {
    groupCode: 'YGT-411324-ZP',
    figure: 'member institutions including the lead hospital',
    quote: '团结带领27个成员单位的党组织',
    query: 'member-counts',
    read: (d) => (d.countyGroup.memberCounts as { count: number }[]).reduce((sum, c) => sum + c.count, 0),
    holds: equalsSeed,
    expected: '= 27',
  },
  {
    groupCode: 'YGT-411324-ZP',
    figure: 'township-level members',
    quote: '将原来隶属县卫生健康委党组的7个党组织和隶属乡镇的19个党支部全部转隶总医院党委管理',
    query: 'member-counts',
    read: (d) => ({ township: countOf('TOWNSHIP_HEALTH_CENTER')(d), countyLevel: countOf('COUNTY_HOSPITAL')(d) }),
    holds: (value, seed) => {
      const v = value as { township?: number; countyLevel?: number };
      return seed !== undefined && v.township === seed.value && v.countyLevel === 7;
    },
    expected: '19 township-level, 7 other county-level (+ the lead = 27)',
  },
  {
    groupCode: 'YGT-411324-ZP',
    figure: 'other county-level members named',
    quote: '县中医院、县第二人民医院两个党总支',
    query: 'named-members',
    variables: { kind: 'COUNTY_HOSPITAL' },
    read: namesOf,
    holds: sameNames,
    expected: 'includes 镇平县中医院, 镇平县第二人民医院 (provenance ARTICLE)',
  },
  // 002 离石
  {
    groupCode: 'YGT-141102-LS',
    figure: 'township/street grassroots institutions',
    quote: '组织全区11个基层医疗机构和166村卫生所',
    query: 'member-counts',
    read: countOf('TOWNSHIP_HEALTH_CENTER'),
    holds: equalsSeed,
    expected: '= 11',
  },
  {
    groupCode: 'YGT-141102-LS',
    figure: 'village clinics',
    quote: '组织全区11个基层医疗机构和166村卫生所',
    query: 'member-counts',
    read: countOf('VILLAGE_CLINIC'),
    holds: equalsSeed,
    expected: '= 166',
  },
  // 003 郧西
  {
    groupCode: 'YGT-420322-YX',
    figure: 'township health centres',
    quote: '以10家乡镇卫生院为龙身，以163个村卫生室为足',
    query: 'member-counts',
    read: countOf('TOWNSHIP_HEALTH_CENTER'),
    holds: equalsSeed,
    expected: '= 10',
  },
  {
    groupCode: 'YGT-420322-YX',
    figure: 'village clinics',
    quote: '以10家乡镇卫生院为龙身，以163个村卫生室为足',
    query: 'member-counts',
    read: countOf('VILLAGE_CLINIC'),
    holds: equalsSeed,
    expected: '= 163',
  },
  {
    groupCode: 'YGT-420322-YX',
    figure: 'named branch',
    quote: '县人民医院医共体天津、槐树分院督导检查疫情防控工作',
    query: 'named-members',
    variables: { kind: 'TOWNSHIP_HEALTH_CENTER' },
    read: namesOf,
    holds: sameNames,
    expected: 'includes 槐树分院 (provenance ARTICLE)',
  },
  {
    groupCode: 'YGT-420322-YX',
    figure: 'external partners',
    quote: '总院先后与市太和医院、人民医院合作开展医疗业务……总院与华中科技大学同济医学院附属协和医院正式签订协议',
    query: 'partners',
    read: (d) => ({
      partners: (d.countyGroup.partners.edges as { node: { name: string; region: { name: string } } }[]).map((e) => `${e.node.name} (${e.node.region.name})`),
      inMemberCounts: (d.countyGroup.memberCounts as { kind: string }[]).some((c) => c.kind === 'EXTERNAL'),
      memberOfAGroup: (d.countyGroup.partners.edges as { node: { group: unknown } }[]).some((e) => e.node.group !== null),
    }),
    holds: (value, seed) => {
      const v = value as { partners: string[]; inMemberCounts: boolean; memberOfAGroup: boolean };
      const names = v.partners.map((p) => p.replace(/ \(.*\)$/, ''));
      return sameNames(names, seed) && names.length === (seed?.value as string[]).length && !v.inMemberCounts && !v.memberOfAGroup;
    },
    expected: 'the 3 partners under `partners`, none a member of a group nor in memberCounts',
  },
  {
    groupCode: 'YGT-420322-YX',
    figure: '#9.1 partners keep their own region',
    quote: '2020年10月，总院与华中科技大学同济医学院附属协和医院正式签订协议 (a national hospital in 武汉市, not in 十堰市)',
    query: 'partners-in-region',
    variables: { regionCode: '420300' },
    read: (d) => (d.institutions.edges as { node: { name: string } }[]).map((e) => e.node.name),
    holds: (value) => Array.isArray(value) && value.includes('十堰市太和医院') && value.includes('十堰市人民医院') && !value.includes('华中科技大学同济医学院附属协和医院'),
    expected: 'under 420300 十堰市: 太和 and 十堰市人民医院, not 协和',
  },
  // 004 恒口
  {
    groupCode: 'YGT-610902-HK',
    figure: 'township health centres',
    quote: '整合县域内3个乡镇卫生院及115个村(社区)卫生室的医疗卫生资源',
    query: 'member-counts',
    read: countOf('TOWNSHIP_HEALTH_CENTER'),
    holds: equalsSeed,
    expected: '= 3',
  },
  {
    groupCode: 'YGT-610902-HK',
    figure: 'village (community) clinics',
    quote: '整合县域内3个乡镇卫生院及115个村(社区)卫生室的医疗卫生资源',
    query: 'member-counts',
    read: countOf('VILLAGE_CLINIC'),
    holds: equalsSeed,
    expected: '= 115',
  },
  {
    groupCode: 'YGT-610902-HK',
    figure: 'named branch',
    quote: '今年5月,医共体分院梅子铺卫生院接诊了一名突发急性胸痛的患者',
    query: 'named-members',
    variables: { kind: 'TOWNSHIP_HEALTH_CENTER' },
    read: namesOf,
    holds: sameNames,
    expected: 'includes 梅子铺卫生院 (provenance ARTICLE)',
  },
  {
    groupCode: 'YGT-610902-HK',
    figure: 'upward referrals from township and village',
    quote: '辖区内各镇卫生院及村卫生室上转患者共计130余人次',
    query: 'referral-counts-period',
    // "今年" is the article's year, 2023; "the half year before the article": its first half.
    variables: { from: '2023-01-01', to: '2023-06-30' },
    read: (d) => d.referralCounts,
    holds: (value, seed) => seed !== undefined && (value as { upward: number }).upward >= atLeast(seed.value),
    expected: 'upward (counted: requested, not rejected or cancelled, in-group) ≥ 130 in 2023-01-01..2023-06-30',
  },
  {
    groupCode: 'YGT-610902-HK',
    figure: 'green-channel chest-pain referral',
    quote: '从医共体分院接诊到总院入院治疗用时不到一个小时',
    query: 'green-channel-referrals',
    // "今年5月": May of the article's year, in the group's local time.
    variables: { since: '2023-05-01T00:00:00+08:00', before: '2023-06-01T00:00:00+08:00' },
    read: (d) =>
      (d.referrals.edges as { node: { from: { name: string }; firstContactAt: string; admittedAt: string; greenChannelMinutes: number } }[])
        .filter((e) => e.node.from.name === '梅子铺卫生院')
        .map((e) => ({ firstContactAt: e.node.firstContactAt, admittedAt: e.node.admittedAt, greenChannelMinutes: e.node.greenChannelMinutes })),
    holds: (value, seed) =>
      seed !== undefined &&
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((v: { greenChannelMinutes: number | null; firstContactAt: string }) => v.greenChannelMinutes !== null && v.greenChannelMinutes < underMinutes(seed.value) && v.firstContactAt.endsWith('+08:00')),
    expected: '梅子铺卫生院 → lead: first contact to admission < 60 minutes, times shown at +08:00',
  },
  {
    groupCode: 'YGT-420322-YX',
    figure: '#9.1 referrals to the external partners are out-of-county, not upward',
    quote: '总院先后与市太和医院、人民医院合作开展医疗业务',
    query: 'referral-counts-window',
    variables: { window: 'ALL_TIME' },
    read: (d) => d.referralCounts,
    holds: (value) => {
      const v = value as { upward: number; outOfCounty: { sent: number; received: number } };
      return v.outOfCounty.sent > 0 && v.outOfCounty.received > 0 && v.upward > 0;
    },
    expected: 'outOfCounty.sent and .received > 0, counted apart from the in-group upward (synthetic activity)',
  },
  {
    groupCode: 'YGT-411324-ZP',
    figure: '#9.7 declared lateral referrals between county-level members',
    quote: '将原来隶属县卫生健康委党组的7个党组织……全部转隶总医院党委管理',
    query: 'referral-counts-window',
    variables: { window: 'ALL_TIME' },
    read: (d) => d.referralCounts,
    holds: (value) => (value as { lateral: number }).lateral > 0,
    expected: 'lateral > 0, apart from upward and downward (synthetic activity)',
  },
  {
    groupCode: 'YGT-340621-SX',
    figure: 'trained nurses stationed at the branches',
    quote: '选派12名经过培训的护理人员进驻到各分院开展具体工作',
    query: 'personnel-flows-started',
    // The article dates no posting: any start since the pilot (2015-12), taken from the article only.
    variables: { startedIn: { from: '2016-01-01', to: '2025-12-31' }, direction: 'DOWNWARD', kind: 'NURSE_POSTING', provenance: { in: ['ARTICLE', 'INVENTED'] } },
    read: (d) => ({ count: d.countyGroup.personnelFlows.totalCount, branches: new Set(flowsOf(d).map((f) => f.to.name)).size }),
    holds: (value, seed) => seed !== undefined && (value as { count: number }).count === seed.value,
    expected: '= 12 nurse postings (downward)',
  },
  {
    groupCode: 'YGT-340621-SX',
    figure: '#9.3 stationed assistance lasts one year',
    quote: '驻点帮扶时长为一年',
    query: 'personnel-flows-started',
    // Every downward posting the demo holds for 濉溪, synthetic ones included.
    variables: { startedIn: { from: '2016-01-01', to: '2025-12-31' }, direction: 'DOWNWARD' },
    read: (d) => {
      const stationed = flowsOf(d).filter((f) => f.kind === 'STATIONED' || f.kind === 'NURSE_POSTING');
      return { stationed: stationed.length, lastingOneYear: stationed.filter((f) => f.endDate === oneYearFrom(f.startDate)).length };
    },
    holds: (value) => {
      const v = value as { stationed: number; lastingOneYear: number };
      return v.stationed > 0 && v.lastingOneYear === v.stationed;
    },
    expected: 'every STATIONED and NURSE_POSTING flow ends the day before its start\'s anniversary',
  },
  {
    groupCode: 'YGT-420322-YX',
    figure: 'experts stationed at branches from 2021-03-15',
    quote: '2021年3月15日，县人民医院医共体党委根据总院需求，下派7名专家常驻分院开展医疗服务工作',
    query: 'personnel-flows-started',
    variables: { startedIn: { from: '2021-03-15', to: '2021-03-15' }, direction: 'DOWNWARD' },
    read: (d) => d.countyGroup.personnelFlows.totalCount,
    holds: equalsSeed,
    expected: '= 7 downward flows started on 2021-03-15',
  },
  {
    groupCode: 'YGT-420322-YX',
    figure: '#9.2 started vs active: 郧西\'s experts are events of 2021, active in 2022 too',
    quote: '2021年3月15日……下派7名专家常驻分院',
    query: 'personnel-started-and-active',
    variables: { first: { from: '2021-01-01', to: '2021-12-31' }, second: { from: '2022-01-01', to: '2022-12-31' } },
    read: (d) => ({ started2021: d.countyGroup.first.started.downward, started2022: d.countyGroup.second.started.downward, active2022: d.countyGroup.second.active.downward }),
    holds: (value) => {
      const v = value as { started2021: number; started2022: number; active2022: number };
      return v.started2021 === 7 && v.started2022 === 0 && v.active2022 === 7;
    },
    expected: 'started 2021 = 7, started 2022 = 0, active 2022 = 7 (summing started years never counts a person twice)',
  },
  {
    groupCode: 'YGT-420322-YX',
    figure: 'branch staff trained at the lead hospital',
    quote: '分院轮番培训了5批次10余人来总院培训学习',
    query: 'personnel-flows-started',
    variables: { startedIn: { from: '2021-01-01', to: '2021-12-31' }, direction: 'UPWARD', kind: 'TRAINING' },
    read: (d) => ({ trainees: d.countyGroup.personnelFlows.totalCount, batches: new Set(flowsOf(d).map((f) => f.startDate)).size }),
    holds: (value, seed) => {
      const v = value as { trainees: number; batches: number };
      return seed !== undefined && v.trainees > moreThan(seed.value) && v.batches === Number(/in (\d+) batches/.exec(seed.what)?.[1]);
    },
    expected: 'more than 10 trainees (upward TRAINING), in 5 batches (distinct start dates)',
  },
  {
    groupCode: 'YGT-610902-HK',
    figure: 'personnel principle',
    quote: '按照“派一送一”原则,实行上下合理流动',
    query: 'pairing',
    variables: { period: { from: '2025-01-01', to: '2025-12-31' } },
    read: (d) => ({ practisesPairing: d.countyGroup.practisesPairing, pairingRate: d.countyGroup.personnelSummary.pairingRate }),
    holds: (value, seed) => {
      const v = value as { practisesPairing: boolean; pairingRate: { numerator: number; denominator: number } | null };
      return seed?.value === '派一送一' && v.practisesPairing && v.pairingRate !== null && v.pairingRate.denominator > 0 && v.pairingRate.numerator === v.pairingRate.denominator;
    },
    expected: 'practisesPairing, every downward flow of 2025 paired (synthetic year)',
  },
  {
    groupCode: 'YGT-340621-SX',
    figure: '#9.6 no pairing rate where the group does not practise pairing',
    quote: '选派12名经过培训的护理人员进驻到各分院（濉溪 states no 派一送一）',
    query: 'pairing',
    variables: { period: { from: '2025-01-01', to: '2025-12-31' } },
    read: (d) => ({ practisesPairing: d.countyGroup.practisesPairing, pairingRate: d.countyGroup.personnelSummary.pairingRate, pairingRateNote: d.countyGroup.personnelSummary.pairingRateNote }),
    holds: (value) => {
      const v = value as { practisesPairing: boolean; pairingRate: unknown; pairingRateNote: string | null };
      return !v.practisesPairing && v.pairingRate === null && Boolean(v.pairingRateNote);
    },
    expected: 'pairingRate null, with pairingRateNote saying why',
  },
];

export const PENDING_FIGURES: readonly PendingFigure[] = [
  {
    groupCode: 'YGT-411324-ZP',
    figure: 'member-unit assessment',
    quote: '镇平县总医院建立千分制绩效考核机制，提升成员单位的管理水平',
    pendingOn: 'issue 10 (standardization: the 千分制 standard as data)',
  },
  {
    groupCode: 'YGT-141102-LS',
    figure: 'drug varieties stocked by every village clinic',
    quote: '村卫生所药品品种全部达50种以上',
    pendingOn: 'issue 10 (standardization: 离石\'s village-clinic checks)',
  },
];

export function queryText(name: string): string {
  return fs.readFileSync(path.join(findProjectRoot(), 'src', 'demo', 'article-figures', `${name}.graphql`), 'utf8');
}

/** Runs every case (one at a time: the figures are few and the machine may be busy). */
export async function runArticleFigures(execute: Execute, cases: readonly ArticleFigureCase[] = ARTICLE_FIGURE_CASES): Promise<ArticleFigureResult[]> {
  const results: ArticleFigureResult[] = [];
  for (const c of cases) {
    const variables = { groupCode: c.groupCode, ...c.variables };
    const base = { groupCode: c.groupCode, article: seedGroupOf(c.groupCode).article, figure: c.figure, quote: c.quote, query: c.query, variables, expected: c.expected };
    const answer = await execute({ query: queryText(c.query), variables, audience: c.audience ?? 'county', scope: c.audience === 'province' ? provinceOf(c.groupCode) : c.groupCode });
    if (answer.errors?.length || !answer.data) {
      results.push({ ...base, value: null, holds: false, error: answer.errors?.map((e) => e.message).join('; ') ?? 'no data' });
      continue;
    }
    let value: unknown;
    try {
      value = c.read(answer.data);
    } catch (error) {
      results.push({ ...base, value: null, holds: false, error: `unreadable answer: ${(error as Error).message}` });
      continue;
    }
    results.push({ ...base, value, holds: c.holds(value, seedFigureOf(c)) });
  }
  return results;
}

function provinceOf(groupCode: string): string {
  return seedGroupOf(groupCode).region.province[0];
}

/** The results as a Markdown table (for the issue note and the README's fidelity section). */
export function figuresTable(results: readonly ArticleFigureResult[], pending: readonly PendingFigure[] = PENDING_FIGURES): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| article | figure | quote | API returns | must be | query | holds |', '|---|---|---|---|---|---|---|'];
  // By article, then in the order the cases are listed.
  for (const r of [...results].sort((a, b) => a.article.localeCompare(b.article))) {
    const value = r.error ? `error: ${r.error}` : JSON.stringify(r.value);
    const vars = Object.entries(r.variables).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
    lines.push(`| ${r.article.slice(0, 3)} | ${cell(r.figure)} | ${cell(r.quote)} | ${cell(value)} | ${cell(r.expected)} | \`${r.query}\` (${cell(vars)}) | ${r.holds ? 'yes' : '**NO**'} |`);
  }
  for (const p of pending) {
    lines.push(`| ${seedGroupOf(p.groupCode).article.slice(0, 3)} | ${cell(p.figure)} | ${cell(p.quote)} | not yet queryable | | ${cell(p.pendingOn)} | pending |`);
  }
  return lines.join('\n');
}
