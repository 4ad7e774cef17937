// Members and partners on the real demo database: an external partner (上级医院) is listed under
// `partners`, never among members, member counts or children; it keeps its own region; one partner
// shared by two groups is one institution, read by both groups' tokens and by no other.
import { CreateReferralDocument } from '../../src/generated/operations';
import { buildStructureDemo } from '../../src/modules/structure/structure.demo';
import { seedGroup, figure } from '../support/seed-figures';
import { startTestGateway, type TestGateway } from '../support/gateway';

const demo = buildStructureDemo();
const YX = 'YGT-420322-YX';
const yxPartners = figure(seedGroup('郧西'), 'external partners') as string[];
const partner = (name: string) => demo.institutions.find((i) => i.name === name && i.kind === 'EXTERNAL')!;
const TAIHE = partner('十堰市太和医院');
const XIEHE = partner('华中科技大学同济医学院附属协和医院');

// A second group in 十堰 (丹江口市) that partners with 太和 too; created by this test.
const DJK = 'TEST-420381-DJK';
const DJK_LEAD = 'TEST-DJK-L01';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  const prisma = t.gateway.db.prisma;
  await prisma.region.create({ data: { code: '420381', name: '丹江口市', level: 'COUNTY', parentCode: '420300' } });
  await prisma.countyGroup.create({
    data: { code: DJK, name: '丹江口测试医共体', regionCode: '420381', prefectureCode: '420300', provinceCode: '420000', leadCode: DJK_LEAD },
  });
  await prisma.institution.create({ data: { code: DJK_LEAD, name: '丹江口测试医院', kind: 'LEAD_HOSPITAL', level: 3, groupCode: DJK, provenance: 'INVENTED' } });
  await prisma.partnership.create({ data: { groupCode: DJK, institutionCode: TAIHE.code } });
});
afterAll(() => t?.stop());

type Node = { code: string; name: string; kind: string; group: { code: string } | null; partnerOf: { code: string }[]; region: { code: string; name: string; level: string } };
const NODE = 'code name kind group { code } partnerOf { code } region { code name level }';

/** Every institution a filter finds, paging through; each once, and as many as totalCount says. */
async function visible(filter: Record<string, unknown>, token: string): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  let total = 0;
  do {
    type Answer = { institutions: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Node }[] } };
    const variables: Record<string, unknown> = { f: filter, after };
    const r = await t.execute<Answer, unknown>(
      `query($f: InstitutionFilter!, $after: String) { institutions(filter: $f, first: 100, after: $after) {
         totalCount pageInfo { hasNextPage endCursor } edges { node { ${NODE} } } } }`,
      variables,
      token,
    );
    expect(r.errors).toBeUndefined();
    nodes.push(...r.data!.institutions.edges.map((e) => e.node));
    total = r.data!.institutions.totalCount;
    after = r.data!.institutions.pageInfo.hasNextPage ? r.data!.institutions.pageInfo.endCursor : null;
  } while (after);
  expect(new Set(nodes.map((n) => n.code)).size).toBe(nodes.length);
  expect(total).toBe(nodes.length);
  return nodes;
}

test('郧西\'s partners are listed under partners, never in members, member counts or children', async () => {
  const token = t.token('COUNTY', YX);
  const r = await t.execute<
    {
      countyGroup: {
        memberCount: number;
        memberCounts: { kind: string; count: number }[];
        members: { totalCount: number; edges: { node: { code: string; kind: string } }[] };
        partners: { totalCount: number; edges: { node: Node }[] };
        lead: { children: { totalCount: number; edges: { node: { kind: string } }[] } };
      };
    },
    unknown
  >(
    `query($c: String!) { countyGroup(code: $c) { memberCount memberCounts { kind count }
       members(first: 100) { totalCount edges { node { code kind } } }
       partners { totalCount edges { node { ${NODE} } } }
       lead { children(first: 100) { totalCount edges { node { kind } } } } } }`,
    { c: YX },
    token,
  );
  expect(r.errors).toBeUndefined();
  const g = r.data!.countyGroup;
  const members = demo.institutions.filter((i) => i.groupCode === YX);
  expect(g.memberCount).toBe(members.length);
  expect(g.memberCounts.map((c) => c.kind)).not.toContain('EXTERNAL');
  expect(g.members.totalCount).toBe(members.length);
  expect(g.members.edges.every((e) => e.node.kind !== 'EXTERNAL')).toBe(true);
  expect(g.lead.children.edges.every((e) => e.node.kind !== 'EXTERNAL')).toBe(true);

  expect(g.partners.totalCount).toBe(yxPartners.length);
  expect(g.partners.edges.map((e) => e.node.name).sort()).toEqual([...yxPartners].sort());
  for (const { node } of g.partners.edges) {
    expect(node).toMatchObject({ kind: 'EXTERNAL', group: null });
    expect(node.partnerOf.map((p) => p.code)).toEqual([YX]); // the county token reads its own group only
  }
  // Each in its own region: 太和 and 十堰市人民医院 in 十堰市, 协和 in 武汉市.
  const regionOf = Object.fromEntries(g.partners.edges.map((e) => [e.node.name, e.node.region]));
  expect(regionOf['十堰市太和医院']).toEqual({ code: '420300', name: '十堰市', level: 'PREFECTURE' });
  expect(regionOf['十堰市人民医院']).toEqual({ code: '420300', name: '十堰市', level: 'PREFECTURE' });
  expect(regionOf['华中科技大学同济医学院附属协和医院']).toEqual({ code: '420100', name: '武汉市', level: 'PREFECTURE' });

  // `kind: EXTERNAL` without a group finds no member; with the group, its partners.
  expect((await visible({ groupCode: YX }, token)).some((i) => i.kind === 'EXTERNAL')).toBe(false);
  expect((await visible({ groupCode: YX, kind: 'EXTERNAL' }, token)).map((i) => i.name).sort()).toEqual([...yxPartners].sort());
  // A member's region is its group's county.
  const lead = await t.execute<{ institution: Node }, unknown>(`query($c: String!) { institution(code: $c) { ${NODE} } }`, { c: '420322-YX-L01' }, token);
  expect(lead.data!.institution).toMatchObject({ group: { code: YX }, partnerOf: [], region: { code: '420322', level: 'COUNTY' } });
});

test('regionCode: 协和 is under 武汉市 and 湖北省, never under 十堰市; 十堰\'s partners are under 十堰市', async () => {
  const province = t.token('PROVINCE', '420000');
  const codes = async (regionCode: string) => (await visible({ regionCode, kind: 'EXTERNAL' }, province)).map((i) => i.code).sort();
  expect(await codes('420300')).toEqual(demo.institutions.filter((i) => i.kind === 'EXTERNAL' && i.regionCode === '420300').map((i) => i.code).sort());
  expect(await codes('420300')).not.toContain(XIEHE.code);
  expect(await codes('420100')).toEqual([XIEHE.code]);
  expect(await codes('420000')).toEqual(demo.institutions.filter((i) => i.kind === 'EXTERNAL').map((i) => i.code).sort());
  // 武汉市 holds no group: only the partner; the county 郧西县 holds the group's members, no partner.
  expect((await visible({ regionCode: '420100' }, province)).map((i) => i.code)).toEqual([XIEHE.code]);
  const yunxi = await visible({ regionCode: '420322' }, province);
  expect(yunxi.some((i) => i.kind === 'EXTERNAL')).toBe(false);
  expect(yunxi.length).toBeGreaterThan(0);
});

test('a partner shared by two groups is one institution, under both groups\' partners, read by both counties and no third', async () => {
  const province = t.token('PROVINCE', '420000');
  // Found once, though it partners with two groups.
  const taihe = (await visible({ regionCode: '420300', nameContains: '太和' }, province)).filter((i) => i.code === TAIHE.code);
  expect(taihe).toHaveLength(1);
  expect(taihe[0].partnerOf.map((g) => g.code)).toEqual([DJK, YX].sort());
  // partnerOf holds whole groups, as countyGroup(code:) gives them.
  const groupFields = 'code name unifiedDimensions declaredDimensionCount timeZone practisesPairing since provenance article region { code } lead { code }';
  const viaPartner = await t.execute<{ institution: { partnerOf: unknown[] } }, unknown>(
    `query($c: String!) { institution(code: $c) { partnerOf { ${groupFields} } } }`,
    { c: TAIHE.code },
    province,
  );
  const direct = await Promise.all(
    [DJK, YX].sort().map(async (code) => (await t.execute<{ countyGroup: unknown }, unknown>(`query($c: String!) { countyGroup(code: $c) { ${groupFields} } }`, { c: code }, province)).data!.countyGroup),
  );
  expect(viaPartner.errors).toBeUndefined();
  expect(viaPartner.data!.institution.partnerOf).toEqual(direct);

  for (const group of [YX, DJK]) {
    const token = t.token('COUNTY', group);
    const r = await t.execute<{ countyGroup: { partners: { edges: { node: { code: string } }[] } } }, unknown>(
      'query($c: String!) { countyGroup(code: $c) { partners { edges { node { code } } } } }',
      { c: group },
      token,
    );
    expect(r.data!.countyGroup.partners.edges.map((e) => e.node.code)).toContain(TAIHE.code);
    const own = await t.execute<{ institution: Node }, unknown>(`query($c: String!) { institution(code: $c) { ${NODE} } }`, { c: TAIHE.code }, token);
    expect(own.errors).toBeUndefined();
    // Each county sees the partnership with its own group only.
    expect(own.data!.institution.partnerOf).toEqual([{ code: group }]);
  }
  // The second group's token does not read 郧西's other partners, nor a third county the shared one.
  const djk = t.token('COUNTY', DJK);
  expect((await t.execute('query($c: String!) { institution(code: $c) { code } }', { c: XIEHE.code }, djk)).errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  const third = await t.execute('query($c: String!) { institution(code: $c) { code } }', { c: TAIHE.code }, t.token('COUNTY', 'YGT-340621-SX'));
  expect(third.data).toEqual({ institution: null });
  expect(third.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  expect(await visible({ kind: 'EXTERNAL' }, t.token('COUNTY', 'YGT-340621-SX'))).toEqual([]);
  // Its groups' source systems write referrals to it (out-of-county, in the writer's group).
  const refer = (group: string, fromCode: string) =>
    t.execute(
      CreateReferralDocument,
      { input: { source: 'test-his', externalId: `P-${group}`, patientRef: 'PX-partner1', fromCode, toCode: TAIHE.code, urgency: 'ROUTINE', diagnosisCode: 'I21.9' } },
      t.token('SOURCE_SYSTEM', group),
    );
  expect((await refer(DJK, DJK_LEAD)).errors).toBeUndefined();
  expect((await refer(YX, '420322-YX-L01')).errors).toBeUndefined();
  expect((await refer('YGT-340621-SX', '340621-SX-L01')).errors![0].extensions).toMatchObject({ field: 'toCode' });
});

test('provenance: groups and institutions say where they come from, and lists filter by it', async () => {
  const token = t.token('COUNTY', YX);
  const r = await t.execute<{ countyGroup: { provenance: string; article: string; lead: { provenance: string; article: string; invented: boolean } } }, unknown>(
    'query($c: String!) { countyGroup(code: $c) { provenance article lead { provenance article invented } } }',
    { c: YX },
    token,
  );
  const article = seedGroup('郧西').article;
  expect(r.data!.countyGroup).toEqual({ provenance: 'ARTICLE', article, lead: { provenance: 'ARTICLE', article, invented: false } });

  const villages = figure(seedGroup('郧西'), 'village clinics') as number;
  const page = await t.execute<
    { countyGroup: { all: { totalCount: number }; real: { totalCount: number }; made: { totalCount: number; edges: { node: { invented: boolean; provenanceNote: string } }[] } } },
    unknown
  >(
    `query($c: String!) { countyGroup(code: $c) {
       all: members(kind: VILLAGE_CLINIC) { totalCount }
       real: members(kind: VILLAGE_CLINIC, provenance: { in: [ARTICLE] }) { totalCount }
       made: members(kind: VILLAGE_CLINIC, provenance: { in: [INVENTED] }, first: 3) { totalCount edges { node { invented provenanceNote } } } } }`,
    { c: YX },
    token,
  );
  expect(page.errors).toBeUndefined();
  const g = page.data!.countyGroup;
  expect(g.all.totalCount).toBe(villages);
  expect(g.real.totalCount + g.made.totalCount).toBe(villages);
  expect(g.made.totalCount).toBeGreaterThan(0);
  for (const { node } of g.made.edges) {
    expect(node.invented).toBe(true);
    expect(node.provenanceNote).toMatch(/^Name invented: article /);
  }
  // The same filter on institutions(filter:): the article's names only.
  const named = await visible({ groupCode: YX, provenance: { in: ['ARTICLE'] } }, token);
  expect(named.map((i) => i.name)).toEqual(expect.arrayContaining([seedGroup('郧西').lead, ...(figure(seedGroup('郧西'), 'named branch') as string[])]));
  expect(await visible({ groupCode: YX, provenance: { in: [] } }, token)).toEqual([]);
});

test('the new fields batch: partnerOf, region and group cost the same SQL for 5 rows (partners and members) as for 100', async () => {
  const province = t.token('PROVINCE', '420000');
  const run = (first: number) =>
    t.countStatements(async () => {
      const r = await t.execute<{ institutions: { edges: unknown[] } }, unknown>(
        `query($first: Int) { institutions(filter: { regionCode: "420000" }, first: $first) { edges { node { ${NODE} } } } }`,
        { first },
        province,
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.institutions.edges).toHaveLength(first);
    });
  const few = await run(5);
  expect(await run(100)).toBe(few);
  // The page, groups, regions, partner groups (the first rows hold a partner and a member).
  expect(few).toBeLessThanOrEqual(5);
  const partners = (first: number) =>
    t.countStatements(async () => {
      const r = await t.execute(`query { countyGroup(code: "${YX}") { partners(first: ${first}) { totalCount edges { node { ${NODE} } } } } }`, undefined, province);
      expect(r.errors).toBeUndefined();
    });
  expect(await partners(3)).toBe(await partners(1));
});
