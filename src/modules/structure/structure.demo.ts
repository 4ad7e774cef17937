// Deterministic demo data for the structure domain: regions, the five county groups reported in
// the source articles (src/demo/seed-groups.json, ../seeds/) and their member institutions. Every
// name and figure the seed file holds is read from it; GROUP_SPECS adds only what it does not hold.
//
// Provenance: every group is ARTICLE (its article's file). Institutions the articles name (lead
// hospitals, branches, clinics, partners) are ARTICLE; every other name is ours, INVENTED, with a note
// saying what the article counts. Generated names come from a seeded PRNG, so every run yields the
// same rows with the same codes. External partners belong to no group: each is one institution with
// its own region, whatever the number of groups that list it (`partnerOf`).
import type { Prisma } from '../../generated/prisma/client';
import { InstitutionKind, Provenance, RegionLevel, UnifiedDimension } from '../../generated/prisma/enums';
import { mulberry32 } from '../../demo/random';
import {
  exactCount,
  findSeedFigure,
  nameList,
  regionOf,
  SEED_GROUPS,
  seedFigure,
  sinceOf,
  type SeedGroup,
} from '../../demo/seed-figures';

export type DemoRegion = Prisma.RegionCreateManyInput & { level: RegionLevel; parentCode: string | null };
export type DemoGroup = Prisma.CountyGroupCreateManyInput & {
  leadCode: string;
  unifiedDimensions: UnifiedDimension[];
  declaredDimensionCount: number | null;
  timeZone: string;
  since: string;
  sourceArticle: string;
  practisesPairing: boolean;
  provenance: Provenance;
  article: string;
  provenanceNote: string | null;
};
export type DemoInstitution = Prisma.InstitutionCreateManyInput & {
  kind: InstitutionKind;
  /** The group it is a member of; null for an external partner. */
  groupCode: string | null;
  /** A partner's own region; null for members (they are in their group's region). */
  regionCode: string | null;
  parentCode: string | null;
  /** The groups an external partner partners with (empty for members): the `partnership` rows. */
  partnerOf: string[];
  provenance: Provenance;
  article: string | null;
  provenanceNote: string | null;
};

export interface StructureDemo {
  regions: DemoRegion[];
  groups: DemoGroup[];
  /** Members and partners, each once. */
  institutions: DemoInstitution[];
}

/**
 * Where each external partner the articles name lies (the articles give the hospitals, not their
 * regions): a partner keeps its own region, so that 协和 is found under 武汉, never under 十堰.
 */
const PARTNER_REGIONS: Readonly<Record<string, { prefecture: [string, string]; province: [string, string] }>> = {
  十堰市太和医院: { prefecture: ['420300', '十堰市'], province: ['420000', '湖北省'] },
  十堰市人民医院: { prefecture: ['420300', '十堰市'], province: ['420000', '湖北省'] },
  华中科技大学同济医学院附属协和医院: { prefecture: ['420100', '武汉市'], province: ['420000', '湖北省'] },
};

/** Levels by kind: 1 village < 2 township < 3 county < 4 external upper hospital. */
export const INSTITUTION_LEVEL: Readonly<Record<InstitutionKind, number>> = {
  LEAD_HOSPITAL: 3,
  COUNTY_HOSPITAL: 3,
  TOWNSHIP_HEALTH_CENTER: 2,
  VILLAGE_CLINIC: 1,
  EXTERNAL: 4,
};

/** The articles' "N个统一" terms mapped onto the enum. */
export const DIMENSION_TERMS: Readonly<Record<string, UnifiedDimension>> = {
  // 濉溪 (八个统一)
  行政后勤: UnifiedDimension.ADMINISTRATION,
  人事薪酬: UnifiedDimension.PERSONNEL,
  财务审计: UnifiedDimension.FINANCE,
  绩效考核: UnifiedDimension.PERFORMANCE,
  医疗服务: UnifiedDimension.MEDICAL_SERVICES,
  公共卫生服务: UnifiedDimension.PUBLIC_HEALTH,
  药械业务: UnifiedDimension.MEDICINES_AND_DEVICES,
  信息系统: UnifiedDimension.INFORMATION_SYSTEMS,
  // 离石 (六统一)
  行政: UnifiedDimension.ADMINISTRATION,
  人员: UnifiedDimension.PERSONNEL,
  资金: UnifiedDimension.FINANCE,
  业务: UnifiedDimension.MEDICAL_SERVICES,
  绩效: UnifiedDimension.PERFORMANCE,
  药械: UnifiedDimension.MEDICINES_AND_DEVICES,
  // 恒口 (行政、后勤、绩效考核、财务管理、药品器械、财务审计、信息系统、公共卫生等统一管理)
  后勤: UnifiedDimension.ADMINISTRATION,
  财务管理: UnifiedDimension.FINANCE,
  药品器械: UnifiedDimension.MEDICINES_AND_DEVICES,
  公共卫生: UnifiedDimension.PUBLIC_HEALTH,
};

const DIMENSION_ORDER: readonly UnifiedDimension[] = Object.values(UnifiedDimension);

/** Maps article terms to a de-duplicated enum set in the enum's declaration order. */
export function mapDimensions(terms: readonly string[]): UnifiedDimension[] {
  const set = new Set<UnifiedDimension>();
  for (const term of terms) {
    const dim = DIMENSION_TERMS[term];
    if (!dim) throw new Error(`Unknown unified-management term: ${term}`);
    set.add(dim);
  }
  return DIMENSION_ORDER.filter((d) => set.has(d));
}

// ---------------------------------------------------------------------------------------------
// Group specifications: only what src/demo/seed-groups.json does not hold. Names, regions, counts,
// dates and dimensions come from the JSON (see buildStructureDemo), so that the demo and the tests
// that compare it with the JSON cannot drift apart.
// ---------------------------------------------------------------------------------------------

interface VillageSpec {
  name: string;
  invented: boolean;
  /** What is invented, when the generic note ("the article counts N village clinics") does not say it. */
  note?: string;
}

/** A township-level member as the builder places it. */
interface TownshipSpec {
  /** Institution name. */
  name: string;
  /** Prefix for generated village-clinic names ('' for none), e.g. '百善镇'. */
  place: string;
  /** Name given by the article (false) or ours (true). */
  invented: boolean;
  /** Village clinics named after the article, placed first under this township. */
  fixedVillages?: VillageSpec[];
}

/**
 * A township slot of a group spec: the `named`-th branch of the JSON's "named branch(es)" figure
 * (with, first under it, the JSON's named village clinics at `namedVillages`), or a township the
 * JSON does not name.
 */
type TownshipSlot = { named: number; place: string; namedVillages?: number[] } | TownshipSpec;

interface GroupSpec {
  /** YGT-<county code>-<suffix>; the county code ties the spec to its group in the JSON. */
  code: string;
  /** The article's year, for a JSON date given relative to it ("January of the article's year"). */
  articleYear?: number;
  /** Unified-dimension terms the article itemises but the JSON does not hold. */
  articleDimensionTerms?: string[];
  /** Township-level members in code order; as many as the JSON's count. */
  townships: TownshipSlot[];
  /**
   * Invented names of the county-level members the JSON counts but does not name, in code order
   * after the named ones; as many as the count leaves unnamed.
   */
  inventedCountyHospitals?: string[];
  /** Name style of generated village clinics. */
  village: { surnames: string[]; suffixes: string[]; infix: string; clinic: string; communityFirst?: boolean };
}

const inv = (name: string, place: string): TownshipSpec => ({ name, place, invented: true });
/** Generated village names: one surname character and one suffix character each, e.g. 王家沟村卫生所. */
const villageStyle = (surnames: string, suffixes: string, infix: string, clinic: string, options: { communityFirst?: boolean } = {}): GroupSpec['village'] => ({
  surnames: [...surnames],
  suffixes: [...suffixes],
  infix,
  clinic,
  ...options,
});
const named = (index: number, place: string, namedVillages?: number[]): TownshipSlot => ({ named: index, place, namedVillages });

const GROUP_SPECS: readonly GroupSpec[] = [
  {
    // 000 濉溪.
    code: 'YGT-340621-SX',
    townships: [
      named(0, '南坪镇'),
      named(1, '临涣镇'),
      named(2, '百善镇', [0]), // its named village clinic is a 百善镇 village
      // The article names no other branch: the nine below are invented.
      inv('青龙分院', '青龙镇'),
      inv('石楼分院', '石楼镇'),
      inv('黄桥分院', '黄桥镇'),
      inv('柳湖分院', '柳湖镇'),
      inv('岳集分院', '岳集镇'),
      inv('双庙分院', '双庙镇'),
      inv('孟楼分院', '孟楼镇'),
      inv('杨柳分院', '杨柳镇'),
      inv('古井分院', '古井镇'),
    ],
    village: villageStyle('张王李刘陈杨赵黄周吴徐孙朱胡郭何高马任邵葛魏段丁蒋', '庄楼圩集湖营寨园桥湾', '', '村卫生室'),
  },
  {
    // 001 镇平: 27 members = the lead, 7 other county-level members ("7个党组织", 2 of them named)
    // and 19 township-level members ("19个党支部"); names ours where the article gives none. It counts
    // no village clinics among the members.
    code: 'YGT-411324-ZP',
    inventedCountyHospitals: ['镇平县妇幼保健院', '镇平县第三人民医院', '镇平县精神病医院', '镇平县骨科医院', '镇平县康复医院'],
    townships: [
      ...['青石', '柳河', '龙潭', '白岗', '黄营', '宋庄', '杏山', '赵湾', '北岗', '沙河', '牛庄', '桃园', '大营', '孔庄', '李楼'].map(
        (s) => inv(`镇平县${s}镇卫生院`, `${s}镇`),
      ),
      inv('镇平县三里乡卫生院', '三里乡'),
      inv('镇平县蒲山乡卫生院', '蒲山乡'),
      inv('镇平县城东街道社区卫生服务中心', '城东街道'),
      inv('镇平县城西街道社区卫生服务中心', '城西街道'),
    ],
    village: { surnames: [], suffixes: [], infix: '', clinic: '村卫生室' },
  },
  {
    // 002 离石: the article names no township institution, so all are invented.
    code: 'YGT-141102-LS',
    townships: [
      ...['枣林', '红崖', '柏坡', '石门', '马茂', '白马', '东川'].map((s) => inv(`离石区${s}镇卫生院`, `${s}镇`)),
      ...['北川', '东关', '西关', '南山'].map((s) => inv(`离石区${s}街道社区卫生服务中心`, `${s}街道`)),
    ],
    village: villageStyle('王李刘张高薛冯贺郝任白田马乔武霍曹孟杜梁', '沟坪峁塔山庄坡湾垣崖', '家', '村卫生所'),
  },
  {
    // 003 郧西. The article itemises no unified dimensions.
    code: 'YGT-420322-YX',
    townships: [
      named(0, ''),
      // "县人民医院医共体天津、槐树分院": a real name the JSON does not list (the article writes 天津,
      // perhaps for 上津); kept as written.
      { name: '天津分院', place: '', invented: false },
      // 城关镇 and 店子镇 (villages 牌楼、北山沟、天宝山、店子村) are places the article names; the
      // branch and clinic names built on them are ours, hence invented.
      inv('城关分院', '城关镇'),
      {
        ...inv('店子分院', '店子镇'),
        fixedVillages: ['牌楼', '北山沟', '天宝山', '店子'].map((v) => ({
          name: `店子镇${v}村卫生室`,
          invented: true,
          note: `Name invented: article 003 names the village ${v} of 店子镇, not its clinic`,
        })),
      },
      inv('青岩分院', '青岩镇'),
      inv('金鸡分院', '金鸡镇'),
      inv('石门分院', '石门镇'),
      inv('柳林分院', '柳林镇'),
      inv('响水分院', '响水镇'),
      inv('云岭分院', '云岭乡'),
    ],
    village: villageStyle('张王李刘陈杨黄周吴何罗邓冯田谢胡彭余柯汪', '沟坪湾河岭垭坡院店岗', '家', '村卫生室'),
  },
  {
    // 004 恒口. 今年1月正式启动: the page carries Hangzhou's 2023 育儿补助 news, so the year is 2023.
    // Dimensions: 行政、后勤、绩效考核、财务管理、药品器械、财务审计、信息系统、公共卫生等 (no count
    // stated; declared = mapped set size).
    code: 'YGT-610902-HK',
    articleYear: 2023,
    articleDimensionTerms: ['行政', '后勤', '绩效考核', '财务管理', '药品器械', '财务审计', '信息系统', '公共卫生'],
    townships: [named(0, ''), inv('青山镇卫生院', '青山镇'), inv('柳坝镇卫生院', '柳坝镇')],
    village: villageStyle('陈王张李刘杨吴黄胡唐谢余邓徐周冯袁罗汪曾', '沟坪湾河梁垭坝院铺岭', '家', '村卫生室', { communityFirst: true }),
  },
];

/** Group codes of the demo data set, in seed order. */
export const DEMO_GROUP_CODES = [
  'YGT-340621-SX',
  'YGT-411324-ZP',
  'YGT-141102-LS',
  'YGT-420322-YX',
  'YGT-610902-HK',
] as const;
export type DemoGroupCode = (typeof DEMO_GROUP_CODES)[number];

// ---------------------------------------------------------------------------------------------
// Reading a group: its seed-groups.json entry completed by its spec
// ---------------------------------------------------------------------------------------------

interface ResolvedGroup {
  spec: GroupSpec;
  name: string;
  province: { code: string; name: string };
  prefecture: { code: string; name: string };
  county: { code: string; name: string };
  lead: string;
  countyHospitals: { name: string; invented: boolean }[];
  externals: string[];
  since: string;
  sourceArticle: string;
  practisesPairing: boolean;
  unifiedDimensions: UnifiedDimension[];
  /** Count the group declares; null when it declares none. */
  declaredDimensionCount: number | null;
  townships: TownshipSpec[];
  villageClinics: number;
  /** Notes of invented names, by what they stand for. */
  notes: { county: string; township: string; village: string };
}

const namesIn = (group: SeedGroup, what: string): string[] => {
  const figure = findSeedFigure(group, what);
  return figure ? nameList(figure.value) : [];
};

function specOf(group: SeedGroup): GroupSpec {
  const county = regionOf(group, 'county').code;
  const specs = GROUP_SPECS.filter((s) => s.code.split('-')[1] === county);
  if (specs.length !== 1) throw new Error(`${group.name}: ${specs.length} group specs for county ${county}`);
  return specs[0];
}

/** Places the JSON's named branches and village clinics in the spec's slots; each goes in exactly once. */
function placeTownships(group: SeedGroup, spec: GroupSpec, expected: number): TownshipSpec[] {
  const branches = namesIn(group, 'named branch');
  const clinics = namesIn(group, 'named village clinic');
  const used = { branches: new Set<number>(), clinics: new Set<number>() };
  const take = (list: string[], seen: Set<number>, i: number, what: string): string => {
    if (i < 0 || i >= list.length || seen.has(i)) throw new Error(`${spec.code}: ${what} #${i} is missing or placed twice`);
    seen.add(i);
    return list[i];
  };
  const townships = spec.townships.map((slot): TownshipSpec => {
    if (!('named' in slot)) return slot;
    const villages = (slot.namedVillages ?? []).map((i) => ({ name: take(clinics, used.clinics, i, 'named village clinic'), invented: false }));
    return {
      name: take(branches, used.branches, slot.named, 'named branch'),
      place: slot.place,
      invented: false,
      ...(villages.length ? { fixedVillages: villages } : {}),
    };
  });
  if (used.branches.size !== branches.length || used.clinics.size !== clinics.length) {
    throw new Error(`${spec.code}: not every named branch and village clinic of the seed file has a slot`);
  }
  // The spec lists the invented townships for exactly the JSON's count: a changed figure stops here
  // rather than silently dropping or padding names.
  if (townships.length !== expected) throw new Error(`${spec.code}: ${townships.length} township slots for ${expected} township-level members`);
  return townships;
}

/**
 * The county-level members besides the lead: the named ones, then invented names for the rest of a
 * group that counts its members (镇平: 27 members, 19 township-level, no village clinics, so 7
 * county-level besides the lead, 2 of them named).
 */
function countyHospitalsOf(group: SeedGroup, spec: GroupSpec, townships: number, villages: number): { name: string; invented: boolean }[] {
  const named = namesIn(group, 'other county-level members named').map((name) => ({ name, invented: false }));
  const membersFigure = findSeedFigure(group, 'member institutions including the lead hospital');
  const total = membersFigure ? exactCount(membersFigure.value) - 1 - townships - villages : named.length;
  const invented = (spec.inventedCountyHospitals ?? []).map((name) => ({ name, invented: true }));
  if (total !== named.length + invented.length) {
    throw new Error(`${spec.code}: ${total} county-level members besides the lead, ${named.length} named and ${invented.length} invented`);
  }
  return [...named, ...invented];
}

function readGroup(group: SeedGroup): ResolvedGroup {
  const spec = specOf(group);
  const townships = exactCount(seedFigure(group, 'township').value);
  const villageFigure = findSeedFigure(group, 'village');
  const villageClinics = villageFigure ? exactCount(villageFigure.value) : 0;
  const countyHospitals = countyHospitalsOf(group, spec, townships, villageClinics);
  const placed = placeTownships(group, spec, townships);
  const article = group.article;

  if (group.unifiedDimensions && spec.articleDimensionTerms) throw new Error(`${spec.code}: dimension terms given twice`);
  const terms = group.unifiedDimensions ?? spec.articleDimensionTerms ?? null;
  const dimensions = terms ? mapDimensions(terms) : [];
  return {
    spec,
    name: group.name,
    province: regionOf(group, 'province'),
    prefecture: regionOf(group, 'prefecture'),
    county: regionOf(group, 'county'),
    lead: group.lead,
    countyHospitals,
    externals: namesIn(group, 'external partners'),
    since: sinceOf(group, spec.articleYear),
    sourceArticle: group.article,
    // Only a group whose article states the principle (恒口: "派一送一") is said to practise pairing.
    practisesPairing: findSeedFigure(group, 'personnel principle')?.value === '派一送一',
    unifiedDimensions: dimensions,
    // Without a declared count, the group declares the dimensions it itemises (null without terms).
    declaredDimensionCount: group.unifiedDimensionsCount ?? (terms ? dimensions.length : null),
    townships: placed,
    villageClinics,
    notes: {
      county: `Name invented: article ${article} counts ${countyHospitals.length} county-level members besides the lead hospital and names ${countyHospitals.filter((c) => !c.invented).length}`,
      township: `Name invented: article ${article} counts ${townships} township-level members and names ${placed.filter((t) => !t.invented).length}`,
      village: `Name invented: article ${article} counts ${villageClinics} village clinics and names ${namesIn(group, 'named village clinic').length}`,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Deterministic helpers
// ---------------------------------------------------------------------------------------------

/** FNV-1a 32-bit hash, the PRNG seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function shuffle<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Splits `total` over buckets with per-bucket minimums and random weights (0.4–1.6, so the
 * largest share is at most four times the smallest), by largest remainder. Exact and deterministic.
 */
function allocate(total: number, minimums: readonly number[], rand: () => number): number[] {
  const minSum = minimums.reduce((a, b) => a + b, 0);
  if (minSum > total) throw new Error(`Cannot place ${total} items over minimums summing to ${minSum}`);
  const weights = minimums.map(() => 0.4 + 1.2 * rand());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const spare = total - minSum;
  const exact = weights.map((w) => (spare * w) / weightSum);
  const counts = exact.map((x, i) => minimums[i] + Math.floor(x));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) counts[byRemainder[k % byRemainder.length].i]++;
  return counts;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

// ---------------------------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------------------------

/**
 * Builds the structure demo data: same rows, same codes, every run. Pure. `seedGroups` is the seed
 * file's groups (tests pass an edited copy).
 */
export function buildStructureDemo(seedGroups: readonly SeedGroup[] = SEED_GROUPS): StructureDemo {
  const regions = new Map<string, DemoRegion>();
  const groups: DemoGroup[] = [];
  const institutions: DemoInstitution[] = [];
  /** External partners by name: one institution whatever the number of groups that list it. */
  const partners = new Map<string, DemoInstitution>();

  const addRegion = (code: string, name: string, level: RegionLevel, parentCode: string | null): void => {
    const existing = regions.get(code);
    if (existing && (existing.name !== name || existing.level !== level)) {
      throw new Error(`Region ${code} declared twice with different data`);
    }
    if (!existing) regions.set(code, { code, name, level, parentCode });
  };

  for (const group of seedGroups) {
    const g = readGroup(group);
    const spec = g.spec;
    addRegion(g.province.code, g.province.name, RegionLevel.PROVINCE, null);
    addRegion(g.prefecture.code, g.prefecture.name, RegionLevel.PREFECTURE, g.province.code);
    addRegion(g.county.code, g.county.name, RegionLevel.COUNTY, g.prefecture.code);

    const prefix = spec.code.replace(/^YGT-/, '');
    const leadCode = `${prefix}-L01`;
    groups.push({
      code: spec.code,
      name: g.name,
      regionCode: g.county.code,
      prefectureCode: g.prefecture.code,
      provinceCode: g.province.code,
      leadCode,
      unifiedDimensions: g.unifiedDimensions,
      declaredDimensionCount: g.declaredDimensionCount,
      timeZone: 'Asia/Shanghai',
      since: g.since,
      sourceArticle: g.sourceArticle,
      practisesPairing: g.practisesPairing,
      provenance: Provenance.ARTICLE,
      article: g.sourceArticle,
      provenanceNote: null,
    });

    /** A member; `inventedNote` set when its name is ours. */
    const add = (code: string, name: string, kind: InstitutionKind, parentCode: string | null, inventedNote: string | null): void => {
      institutions.push({
        code,
        name,
        kind,
        level: INSTITUTION_LEVEL[kind],
        groupCode: spec.code,
        regionCode: null,
        parentCode,
        partnerOf: [],
        provenance: inventedNote === null ? Provenance.ARTICLE : Provenance.INVENTED,
        article: g.sourceArticle,
        provenanceNote: inventedNote,
      });
    };

    add(leadCode, g.lead, InstitutionKind.LEAD_HOSPITAL, null, null);
    g.countyHospitals.forEach((c, i) => add(`${prefix}-C${pad(i + 1, 2)}`, c.name, InstitutionKind.COUNTY_HOSPITAL, null, c.invented ? g.notes.county : null));
    g.externals.forEach((name, i) => {
      const known = partners.get(name);
      if (known) {
        known.partnerOf.push(spec.code);
        return;
      }
      const where = PARTNER_REGIONS[name];
      if (!where) throw new Error(`${spec.code}: no region known for the partner ${name}`);
      addRegion(where.province[0], where.province[1], RegionLevel.PROVINCE, null);
      addRegion(where.prefecture[0], where.prefecture[1], RegionLevel.PREFECTURE, where.province[0]);
      const partner: DemoInstitution = {
        code: `${prefix}-E${pad(i + 1, 2)}`,
        name,
        kind: InstitutionKind.EXTERNAL,
        level: INSTITUTION_LEVEL.EXTERNAL,
        groupCode: null,
        regionCode: where.prefecture[0],
        parentCode: null,
        partnerOf: [spec.code],
        provenance: Provenance.ARTICLE,
        article: g.sourceArticle,
        provenanceNote: null,
      };
      partners.set(name, partner);
      institutions.push(partner);
    });

    const townshipCodes = g.townships.map((_, i) => `${prefix}-T${pad(i + 1, 2)}`);
    g.townships.forEach((t, i) => add(townshipCodes[i], t.name, InstitutionKind.TOWNSHIP_HEALTH_CENTER, leadCode, t.invented ? g.notes.township : null));

    if (g.villageClinics === 0) continue;
    const rand = mulberry32(hash32(spec.code));
    const counts = allocate(
      g.villageClinics,
      g.townships.map((t) => Math.max(1, t.fixedVillages?.length ?? 0)),
      rand,
    );

    // Village stems unique within the group, none clashing with a real village named above.
    const reserved = new Set(g.townships.flatMap((t) => (t.fixedVillages ?? []).map((v) => v.name)));
    const { surnames, suffixes, infix, clinic, communityFirst } = spec.village;
    const stems = shuffle(
      surnames.flatMap((s) => suffixes.map((x) => `${s}${infix}${x}`)),
      rand,
    );
    let next = 0;
    const usedNames = new Set<string>(reserved);
    const generatedName = (place: string, community: boolean): string => {
      for (;;) {
        if (next >= stems.length) throw new Error(`Ran out of village names for ${spec.code}`);
        const stem = stems[next++];
        const name = community ? `${place}${stem}社区卫生室` : `${place}${stem}${clinic}`;
        if (!usedNames.has(name)) {
          usedNames.add(name);
          return name;
        }
      }
    };

    g.townships.forEach((t, ti) => {
      const fixed = t.fixedVillages ?? [];
      for (let v = 0; v < counts[ti]; v++) {
        const code = `${townshipCodes[ti]}-V${pad(v + 1, 3)}`;
        if (v < fixed.length) {
          const note = fixed[v].invented ? (fixed[v].note ?? g.notes.village) : null;
          add(code, fixed[v].name, InstitutionKind.VILLAGE_CLINIC, townshipCodes[ti], note);
        } else add(code, generatedName(t.place, communityFirst === true && v === fixed.length), InstitutionKind.VILLAGE_CLINIC, townshipCodes[ti], g.notes.village);
      }
    });
  }

  if (new Set(groups.map((g) => g.code)).size !== GROUP_SPECS.length) throw new Error('A group spec matches no group of the seed file');

  const levelRank: Record<RegionLevel, number> = { PROVINCE: 0, PREFECTURE: 1, COUNTY: 2 };
  return {
    regions: [...regions.values()].sort((a, b) => levelRank[a.level] - levelRank[b.level] || a.code.localeCompare(b.code)),
    groups,
    institutions,
  };
}

/** Per-group institution counts by kind (members, and EXTERNAL: its partners), for tests and for logging after a seed. */
export type StructureDemoSummary = Record<string, Record<InstitutionKind, number>>;

export function summarizeStructureDemo(demo: Pick<StructureDemo, 'institutions'>): StructureDemoSummary {
  const summary: StructureDemoSummary = {};
  for (const inst of demo.institutions) {
    for (const groupCode of inst.groupCode === null ? inst.partnerOf : [inst.groupCode]) {
      const row = (summary[groupCode] ??= {
        LEAD_HOSPITAL: 0,
        COUNTY_HOSPITAL: 0,
        TOWNSHIP_HEALTH_CENTER: 0,
        VILLAGE_CLINIC: 0,
        EXTERNAL: 0,
      });
      row[inst.kind]++;
    }
  }
  return summary;
}

// ---------------------------------------------------------------------------------------------
// Loader
// ---------------------------------------------------------------------------------------------

/** What the loader needs of a Prisma client or interactive-transaction client. */
export type StructureDemoDb = Pick<Prisma.TransactionClient, 'region' | 'countyGroup' | 'institution' | 'partnership'>;

/**
 * Inserts the demo structure. Re-running is harmless (skipDuplicates). Regions go in parents
 * first; groups go in with leadCode null, institutions parents first, then each group's leadCode
 * is set once its lead hospital exists.
 */
export async function loadStructureDemo(db: StructureDemoDb): Promise<void> {
  const demo = buildStructureDemo();

  for (const level of [RegionLevel.PROVINCE, RegionLevel.PREFECTURE, RegionLevel.COUNTY]) {
    await db.region.createMany({ data: demo.regions.filter((r) => r.level === level), skipDuplicates: true });
  }

  await db.countyGroup.createMany({
    data: demo.groups.map((g) => ({ ...g, leadCode: null })),
    skipDuplicates: true,
  });

  const waves: InstitutionKind[][] = [
    [InstitutionKind.LEAD_HOSPITAL, InstitutionKind.COUNTY_HOSPITAL, InstitutionKind.EXTERNAL],
    [InstitutionKind.TOWNSHIP_HEALTH_CENTER],
    [InstitutionKind.VILLAGE_CLINIC],
  ];
  for (const kinds of waves) {
    const data = demo.institutions.filter((i) => kinds.includes(i.kind)).map(({ partnerOf: _partnerOf, ...row }) => row);
    if (data.length > 0) await db.institution.createMany({ data, skipDuplicates: true });
  }
  // Each partner's groups; the articles name the partners of their group.
  const groupArticle = new Map(demo.groups.map((g) => [g.code, g.article]));
  await db.partnership.createMany({
    data: demo.institutions.flatMap((i) =>
      i.partnerOf.map((groupCode) => ({ groupCode, institutionCode: i.code, provenance: Provenance.ARTICLE, article: groupArticle.get(groupCode)!, provenanceNote: null })),
    ),
    skipDuplicates: true,
  });

  for (const g of demo.groups) {
    await db.countyGroup.update({ where: { code: g.code }, data: { leadCode: g.leadCode } });
  }
}
