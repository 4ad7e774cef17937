// Pure checks of the structure demo data against src/demo/seed-groups.json (no database).
import { SEED_GROUPS } from '../../src/demo/seed-figures';
import {
  buildStructureDemo,
  DEMO_GROUP_CODES,
  summarizeStructureDemo,
  type DemoInstitution,
  type StructureDemo,
} from '../../src/modules/structure/structure.demo';

// The seed file, typed once in src/demo/seed-figures.ts.
const seed = { groups: SEED_GROUPS };
const demo: StructureDemo = buildStructureDemo();

// Expected group codes, keyed by source article (independent of the module's own table).
const CODE_BY_ARTICLE: Record<string, string> = {
  '000_7506de6db5ea0861.txt': 'YGT-340621-SX',
  '001_64d16afcd9be0d04.txt': 'YGT-411324-ZP',
  '002_1130064ad3d7abf0.txt': 'YGT-141102-LS',
  '003_02c43f90991c12c3.txt': 'YGT-420322-YX',
  '004_993314f26d1d3f19.txt': 'YGT-610902-HK',
};

// Test-side mapping of the articles' terms (kept apart from the module's on purpose).
const TERM: Record<string, string> = {
  行政后勤: 'ADMINISTRATION', 人事薪酬: 'PERSONNEL', 财务审计: 'FINANCE', 绩效考核: 'PERFORMANCE',
  医疗服务: 'MEDICAL_SERVICES', 公共卫生服务: 'PUBLIC_HEALTH', 药械业务: 'MEDICINES_AND_DEVICES',
  信息系统: 'INFORMATION_SYSTEMS', 行政: 'ADMINISTRATION', 人员: 'PERSONNEL', 资金: 'FINANCE',
  业务: 'MEDICAL_SERVICES', 绩效: 'PERFORMANCE', 药械: 'MEDICINES_AND_DEVICES',
};

// Names the articles give that seed-groups.json does not list (003 writes "医共体天津、槐树分院").
const EXTRA_REAL_NAMES: Record<string, string[]> = { 'YGT-420322-YX': ['天津分院'] };

// Figures marked reproduce=true that belong to other domains (flows, standards, referrals).
const OTHER_DOMAIN = new Set([
  'trained nurses stationed at the branches (downward flows)',
  'member-unit assessment',
  'drug varieties stocked by every village clinic',
  'experts stationed at branches from 2021-03-15 (downward flows)',
  'branch staff trained at the lead hospital (upward flows), in 5 batches',
  'upward referrals from township and village (上转)',
  'green-channel chest-pain referral via the ECG network, branch to admission',
  'personnel principle',
]);

const membersOf = (code: string): DemoInstitution[] => demo.institutions.filter((i) => i.groupCode === code);
const partnersOf = (code: string): DemoInstitution[] => demo.institutions.filter((i) => i.partnerOf.includes(code));
const ofKind = (code: string, kind: DemoInstitution['kind']): DemoInstitution[] =>
  (kind === 'EXTERNAL' ? partnersOf(code) : membersOf(code)).filter((i) => i.kind === kind);
const invented = (i: DemoInstitution): boolean => i.provenance === 'INVENTED';
const partner = (name: string): DemoInstitution => demo.institutions.find((i) => i.kind === 'EXTERNAL' && i.name === name)!;
const seedOf = (code: string) => seed.groups.find((g) => CODE_BY_ARTICLE[g.article] === code)!;
const seedValue = (code: string, what: string): unknown => seedOf(code).figures.find((f) => f.reproduce && f.what.startsWith(what))!.value;
const byCode = new Map(demo.institutions.map((i) => [i.code, i]));
const asList = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : [v as string]);
const countyName = (raw: string): string => raw.replace(/\s*\(.*$/, '');

type Check = (groupCode: string, value: unknown) => void;

const countOf = (kind: DemoInstitution['kind']): Check => (code, value) => {
  expect(typeof value).toBe('number');
  expect(ofKind(code, kind)).toHaveLength(value as number);
};

const namedTownships: Check = (code, value) => {
  const lead = ofKind(code, 'LEAD_HOSPITAL')[0];
  for (const name of asList(value)) {
    const found = membersOf(code).filter((i) => i.name === name);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'TOWNSHIP_HEALTH_CENTER', level: 2, parentCode: lead.code, provenance: 'ARTICLE' });
  }
};

const CHECKS: Record<string, Check> = {
  'township branches (分院)': countOf('TOWNSHIP_HEALTH_CENTER'),
  'township health centres': countOf('TOWNSHIP_HEALTH_CENTER'),
  'township/street grassroots institutions': countOf('TOWNSHIP_HEALTH_CENTER'),
  'village clinics (卫生室)': countOf('VILLAGE_CLINIC'),
  'village clinics (村卫生所)': countOf('VILLAGE_CLINIC'),
  'village clinics': countOf('VILLAGE_CLINIC'),
  'village (community) clinics': countOf('VILLAGE_CLINIC'),
  'named branches': namedTownships,
  'named branch': namedTownships,
  'named village clinic': (code, value) => {
    for (const name of asList(value)) {
      const found = membersOf(code).filter((i) => i.name === name);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ kind: 'VILLAGE_CLINIC', level: 1, provenance: 'ARTICLE' });
      const parent = byCode.get(found[0].parentCode!)!;
      expect(parent).toMatchObject({ kind: 'TOWNSHIP_HEALTH_CENTER', groupCode: code });
      // 百善镇道口村卫生室 belongs under 百善分院: the clinic's name starts with its branch's place.
      expect(name.startsWith(parent.name.replace(/分院$/, ''))).toBe(true);
    }
  },
  'member institutions including the lead hospital': (code, value) => {
    expect(membersOf(code)).toHaveLength(value as number);
    expect(membersOf(code).every((i) => i.kind !== 'EXTERNAL')).toBe(true);
  },
  // 镇平: 19 township-level members; "the other 7 members are county-level" (the lead among the 27).
  'township-level members (19 township party branches were transferred to the group); the other 7 members are county-level (7 party organisations formerly under the county health commission)': (
    code,
    value,
  ) => {
    countOf('TOWNSHIP_HEALTH_CENTER')(code, value);
    const members = seedValue(code, 'member institutions including the lead hospital') as number;
    // Besides the lead hospital and the township-level members.
    const otherCountyLevel = members - 1 - (value as number);
    expect(Number(/the other (\d+) members are county-level/.exec(seedOf(code).figures.find((f) => f.value === value)!.what)![1])).toBe(otherCountyLevel);
    expect(ofKind(code, 'LEAD_HOSPITAL')).toHaveLength(1);
    expect(ofKind(code, 'COUNTY_HOSPITAL')).toHaveLength(otherCountyLevel);
  },
  'other county-level members named': (code, value) => {
    const names = asList(value);
    const countyHospitals = ofKind(code, 'COUNTY_HOSPITAL');
    expect(countyHospitals.filter((i) => !invented(i)).map((i) => i.name).sort()).toEqual([...names].sort());
    for (const i of countyHospitals) {
      expect(i).toMatchObject({ level: 3, parentCode: null, provenance: names.includes(i.name) ? 'ARTICLE' : 'INVENTED' });
    }
    // The others are invented, and say how many the article counts and names.
    for (const i of countyHospitals.filter(invented)) {
      expect(i.provenanceNote).toBe(`Name invented: article ${seedOf(code).article} counts ${countyHospitals.length} county-level members besides the lead hospital and names ${names.length}`);
    }
  },
  'external partners (upper hospitals)': (code, value) => {
    const names = asList(value);
    expect(ofKind(code, 'EXTERNAL').map((i) => i.name).sort()).toEqual([...names].sort());
    for (const i of ofKind(code, 'EXTERNAL')) {
      // A partner belongs to no group and lies in a region of its own.
      expect(i).toMatchObject({ level: 4, parentCode: null, provenance: 'ARTICLE', groupCode: null });
      expect(demo.regions.find((r) => r.code === i.regionCode)).toBeDefined();
    }
    expect(membersOf(code).filter((i) => names.includes(i.name))).toEqual([]);
  },
};

describe('structure demo data', () => {
  it('is deterministic', () => {
    expect(buildStructureDemo()).toEqual(buildStructureDemo());
  });

  it('has the five seed groups with their regions, lead and dimensions', () => {
    expect(demo.groups.map((g) => g.code)).toEqual(seed.groups.map((g) => CODE_BY_ARTICLE[g.article]));
    expect([...DEMO_GROUP_CODES]).toEqual(demo.groups.map((g) => g.code));

    for (const sg of seed.groups) {
      const code = CODE_BY_ARTICLE[sg.article];
      const g = demo.groups.find((x) => x.code === code)!;
      expect(g).toMatchObject({
        name: sg.name,
        regionCode: sg.region.county[0],
        prefectureCode: sg.region.prefecture[0],
        provinceCode: sg.region.province[0],
        timeZone: 'Asia/Shanghai',
        sourceArticle: sg.article,
      });
      expect(code).toBe(`YGT-${sg.region.county[0]}-${code.split('-')[2]}`);
      const since = sg.pilotSince ?? sg.since!;
      if (/^\d{4}(-\d{2})?$/.test(since)) expect(g.since).toBe(since);
      else expect(g.since).toMatch(/^\d{4}-01$/); // 恒口: "January of the article's year"

      // Regions: province → prefecture → county, with names and parent links.
      const [prov, pref, county] = (['province', 'prefecture', 'county'] as const).map((k) =>
        demo.regions.find((r) => r.code === sg.region[k][0]),
      );
      expect(prov).toEqual({ code: sg.region.province[0], name: sg.region.province[1], level: 'PROVINCE', parentCode: null });
      expect(pref).toEqual({ code: sg.region.prefecture[0], name: sg.region.prefecture[1], level: 'PREFECTURE', parentCode: prov!.code });
      expect(county).toEqual({ code: sg.region.county[0], name: countyName(sg.region.county[1]), level: 'COUNTY', parentCode: pref!.code });

      // Lead hospital.
      const leads = ofKind(code, 'LEAD_HOSPITAL');
      expect(leads).toHaveLength(1);
      expect(leads[0]).toMatchObject({ name: sg.lead, code: g.leadCode, level: 3, parentCode: null, provenance: 'ARTICLE', article: sg.article });
      expect(g).toMatchObject({ provenance: 'ARTICLE', article: sg.article });

      // Unified dimensions.
      if (sg.unifiedDimensions) {
        expect(g.unifiedDimensions).toHaveLength(sg.unifiedDimensions.length);
        expect(new Set(g.unifiedDimensions)).toEqual(new Set(sg.unifiedDimensions.map((t) => TERM[t])));
        expect(g.declaredDimensionCount).toBe(sg.unifiedDimensions.length);
      } else if (sg.unifiedDimensionsCount !== undefined) {
        expect(g.unifiedDimensions).toEqual([]);
        expect(g.declaredDimensionCount).toBe(sg.unifiedDimensionsCount);
      }
    }
    // The five groups' regions, and 武汉市, where a partner lies.
    expect(demo.regions).toHaveLength(16);
    expect(demo.regions.find((r) => r.code === '610902')?.name).toBe('汉滨区');
    // Articles 003 and 004, which seed-groups.json does not itemise.
    expect(demo.groups.find((g) => g.code === 'YGT-420322-YX')).toMatchObject({ unifiedDimensions: [], declaredDimensionCount: null });
    const hk = demo.groups.find((g) => g.code === 'YGT-610902-HK')!;
    expect(new Set(hk.unifiedDimensions)).toEqual(
      new Set(['ADMINISTRATION', 'FINANCE', 'PERFORMANCE', 'MEDICINES_AND_DEVICES', 'INFORMATION_SYSTEMS', 'PUBLIC_HEALTH']),
    );
    expect(hk.declaredDimensionCount).toBe(hk.unifiedDimensions.length);
  });

  describe.each(seed.groups.map((g) => [g.name, g] as const))('%s reproduces its structure figures', (_name, sg) => {
    const code = CODE_BY_ARTICLE[sg.article];
    const figures = sg.figures.filter((f) => f.reproduce && !OTHER_DOMAIN.has(f.what));
    it('has a check for every figure marked reproduce=true', () => {
      expect(figures.filter((f) => !(f.what in CHECKS)).map((f) => f.what)).toEqual([]);
      expect(figures.length).toBeGreaterThan(0);
    });
    it.each(figures.map((f) => [f.what, f] as const))('%s', (_what, f) => {
      CHECKS[f.what](code, f.value);
    });
  });

  it('uses unique, well-formed codes and the right levels and parents', () => {
    const codes = demo.institutions.map((i) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    const pattern: Record<DemoInstitution['kind'], RegExp> = {
      LEAD_HOSPITAL: /^\d{6}-[A-Z]{2}-L01$/,
      COUNTY_HOSPITAL: /^\d{6}-[A-Z]{2}-C\d{2}$/,
      TOWNSHIP_HEALTH_CENTER: /^\d{6}-[A-Z]{2}-T\d{2}$/,
      VILLAGE_CLINIC: /^\d{6}-[A-Z]{2}-T\d{2}-V\d{3}$/,
      EXTERNAL: /^\d{6}-[A-Z]{2}-E\d{2}$/,
    };
    const level = { LEAD_HOSPITAL: 3, COUNTY_HOSPITAL: 3, TOWNSHIP_HEALTH_CENTER: 2, VILLAGE_CLINIC: 1, EXTERNAL: 4 };
    for (const i of demo.institutions) {
      expect(i.code).toMatch(pattern[i.kind]);
      // A partner keeps the code the first group that lists it gave it.
      expect(i.code.startsWith((i.groupCode ?? i.partnerOf[0]).replace(/^YGT-/, '') + '-')).toBe(true);
      expect(i.level).toBe(level[i.kind]);
      expect(i.groupCode === null).toBe(i.kind === 'EXTERNAL');
      expect(i.regionCode === null).toBe(i.kind !== 'EXTERNAL');
      if (i.kind === 'EXTERNAL') {
        expect(i.partnerOf.length).toBeGreaterThan(0);
        continue;
      }
      const group = demo.groups.find((g) => g.code === i.groupCode)!;
      switch (i.kind) {
        case 'TOWNSHIP_HEALTH_CENTER':
          expect(i.parentCode).toBe(group.leadCode);
          break;
        case 'VILLAGE_CLINIC': {
          const parent = byCode.get(i.parentCode!);
          expect(parent).toMatchObject({ kind: 'TOWNSHIP_HEALTH_CENTER', groupCode: i.groupCode });
          expect(i.code.startsWith(parent!.code + '-')).toBe(true);
          break;
        }
        default:
          expect(i.parentCode).toBeNull();
      }
    }
  });

  it('spreads village clinics unevenly, at least one per township', () => {
    for (const code of DEMO_GROUP_CODES) {
      const villages = ofKind(code, 'VILLAGE_CLINIC');
      if (villages.length === 0) continue;
      const perTownship = ofKind(code, 'TOWNSHIP_HEALTH_CENTER').map((t) => villages.filter((v) => v.parentCode === t.code).length);
      expect(Math.min(...perTownship)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...perTownship)).toBeGreaterThan(Math.min(...perTownship));
      expect(perTownship.reduce((a, b) => a + b, 0)).toBe(villages.length);
    }
  });

  it('has names unique within each group, and marks exactly the real names as ARTICLE, the others INVENTED with a note', () => {
    for (const sg of seed.groups) {
      const code = CODE_BY_ARTICLE[sg.article];
      const listed = [...membersOf(code), ...partnersOf(code)];
      const names = listed.map((i) => i.name);
      expect(new Set(names).size).toBe(names.length);

      const real = new Set<string>([sg.lead, ...(EXTRA_REAL_NAMES[code] ?? [])]);
      for (const f of sg.figures) {
        if (/^(named |other county-level members named|external partners)/.test(f.what)) asList(f.value).forEach((n) => real.add(n));
      }
      const notInvented = listed.filter((i) => !invented(i)).map((i) => i.name);
      expect(new Set(notInvented)).toEqual(real);
      for (const i of listed) {
        expect(i.article).toBe(sg.article);
        expect(i.provenance).toBe(invented(i) ? 'INVENTED' : 'ARTICLE');
        if (!invented(i)) expect(i.provenanceNote).toBeNull();
      }
      for (const i of listed.filter(invented)) {
        expect(i.name).toMatch(/(分院|卫生院|社区卫生服务中心|卫生室|卫生所|医院|保健院)$/);
        expect(i.provenanceNote).toMatch(/^Name invented: article \S+ (counts \d+ .+ and names \d+|names the village .+, not its clinic)$/);
      }
      // Generated village clinics say how many the article counts.
      const villages = seedOf(code).figures.find((f) => f.reproduce && f.what.startsWith('village'));
      for (const v of ofKind(code, 'VILLAGE_CLINIC').filter((i) => invented(i) && i.provenanceNote!.includes(' counts '))) {
        expect(v.provenanceNote).toContain(`counts ${villages!.value as number} village clinics`);
      }
    }
  });

  it('makes one institution per partner, in its own region: 十堰 partners under 420300, 协和 under 武汉市 420100 in 湖北省', () => {
    const partners = demo.institutions.filter((i) => i.kind === 'EXTERNAL');
    expect(new Set(partners.map((i) => i.name)).size).toBe(partners.length);
    const regionOf = (name: string) => demo.regions.find((r) => r.code === partners.find((i) => i.name === name)!.regionCode)!;
    expect(regionOf('十堰市太和医院')).toMatchObject({ code: '420300', name: '十堰市', level: 'PREFECTURE' });
    expect(regionOf('十堰市人民医院')).toMatchObject({ code: '420300', name: '十堰市', level: 'PREFECTURE' });
    expect(regionOf('华中科技大学同济医学院附属协和医院')).toEqual({ code: '420100', name: '武汉市', level: 'PREFECTURE', parentCode: '420000' });
  });

  it('makes one institution of a partner two groups list, with the code the first gave it', () => {
    // An edited seed: 恒口 also lists 郧西's first partner.
    const shared = asList(seedValue('YGT-420322-YX', 'external partners'))[0];
    const edited = seed.groups.map((g) =>
      g.article === '004_993314f26d1d3f19.txt' ? { ...g, figures: [...g.figures, { what: 'external partners (upper hospitals)', value: [shared], reproduce: true }] } : g,
    );
    const both = buildStructureDemo(edited);
    const partners = both.institutions.filter((i) => i.name === shared);
    expect(partners).toHaveLength(1);
    expect(partners[0]).toMatchObject({ code: partner(shared).code, groupCode: null, partnerOf: ['YGT-420322-YX', 'YGT-610902-HK'] });
    expect(both.institutions).toHaveLength(demo.institutions.length);
    expect(summarizeStructureDemo(both)['YGT-610902-HK'].EXTERNAL).toBe(1);
  });

  it('summarises counts by kind per group', () => {
    expect(summarizeStructureDemo(demo)).toEqual({
      'YGT-340621-SX': { LEAD_HOSPITAL: 1, COUNTY_HOSPITAL: 0, TOWNSHIP_HEALTH_CENTER: 12, VILLAGE_CLINIC: 164, EXTERNAL: 0 },
      'YGT-411324-ZP': { LEAD_HOSPITAL: 1, COUNTY_HOSPITAL: 7, TOWNSHIP_HEALTH_CENTER: 19, VILLAGE_CLINIC: 0, EXTERNAL: 0 },
      'YGT-141102-LS': { LEAD_HOSPITAL: 1, COUNTY_HOSPITAL: 0, TOWNSHIP_HEALTH_CENTER: 11, VILLAGE_CLINIC: 166, EXTERNAL: 0 },
      'YGT-420322-YX': { LEAD_HOSPITAL: 1, COUNTY_HOSPITAL: 0, TOWNSHIP_HEALTH_CENTER: 10, VILLAGE_CLINIC: 163, EXTERNAL: 3 },
      'YGT-610902-HK': { LEAD_HOSPITAL: 1, COUNTY_HOSPITAL: 0, TOWNSHIP_HEALTH_CENTER: 3, VILLAGE_CLINIC: 115, EXTERNAL: 0 },
    });
  });
});
