// The frontend contract operations (schema/operations/frontend.graphql, verbatim) against the demo
// data on PostgreSQL, with the figures of the source articles asserted.
import {
  FindInstitutionsDocument,
  GroupListDocument,
  GroupOverviewDocument,
  type GroupOverviewQuery,
} from '../../src/generated/operations';
import { DEMO_GROUP_CODES } from '../../src/modules/structure/structure.demo';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { figure, seedGroup, seedGroups } from '../support/seed-figures';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

type Overview = NonNullable<GroupOverviewQuery['countyGroup']>;

async function overview(groupCode: string): Promise<Overview> {
  const result = await t.execute(GroupOverviewDocument, { groupCode }, t.token('COUNTY', groupCode));
  expect(result.errors).toBeUndefined();
  return result.data!.countyGroup!;
}

function count(o: Overview, kind: string): number {
  return o.memberCounts.find((c) => c.kind === kind)?.count ?? -1;
}

describe('GroupOverview', () => {
  test('every demo group shows its region chain, lead and member counts', async () => {
    expect(DEMO_GROUP_CODES).toHaveLength(seedGroups.length);
    for (const code of DEMO_GROUP_CODES) {
      const o = await overview(code);
      const seed = seedGroups.find((g) => g.name === o.name);
      expect(seed).toBeDefined();
      expect(o.code).toBe(code);
      expect(o.region).toMatchObject({ code: seed!.region.county[0], level: 'COUNTY' });
      expect(o.region.parent).toMatchObject({ code: seed!.region.prefecture[0], name: seed!.region.prefecture[1] });
      expect(o.region.parent!.parent).toEqual({ code: seed!.region.province[0], name: seed!.region.province[1] });
      expect(o.lead).toMatchObject({ name: seed!.lead, kind: 'LEAD_HOSPITAL', level: 3 });
      expect(count(o, 'LEAD_HOSPITAL')).toBe(1);
      // Every township centre in the page points at the lead, and its children are village clinics.
      expect(o.members.totalCount).toBe(count(o, 'TOWNSHIP_HEALTH_CENTER'));
      for (const edge of o.members.edges) {
        expect(edge.node.kind).toBe('TOWNSHIP_HEALTH_CENTER');
        expect(edge.node.parent?.code).toBe(o.lead!.code);
        expect(edge.node.children.edges.length).toBe(Math.min(3, edge.node.children.totalCount));
        for (const child of edge.node.children.edges) expect(child.node.kind).toBe('VILLAGE_CLINIC');
      }
      // With every township on the first page, their children add up to the group's village clinics.
      if (!o.members.pageInfo.hasNextPage) {
        const villages = o.members.edges.reduce((sum, e) => sum + e.node.children.totalCount, 0);
        expect(villages).toBe(count(o, 'VILLAGE_CLINIC'));
      }
    }
  });

  test('濉溪: 12 branches, 164 village clinics, the named ones, eight unified dimensions', async () => {
    const seed = seedGroup('濉溪');
    const o = await overview('YGT-340621-SX');
    expect(count(o, 'TOWNSHIP_HEALTH_CENTER')).toBe(figure(seed, 'township branches'));
    expect(count(o, 'VILLAGE_CLINIC')).toBe(figure(seed, 'village clinics'));
    const names = o.members.edges.map((e) => e.node.name);
    for (const name of figure(seed, 'named branches') as string[]) expect(names).toContain(name);
    expect(o.unifiedDimensions).toHaveLength(seed.unifiedDimensions!.length);
    expect(new Set(o.unifiedDimensions).size).toBe(8);

    const clinic = figure(seed, 'named village clinic') as string;
    const found = await t.execute(FindInstitutionsDocument, { filter: { nameContains: clinic } }, t.token('COUNTY', o.code));
    expect(found.data!.institutions.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ name: clinic, kind: 'VILLAGE_CLINIC', parent: expect.objectContaining({ name: '百善分院' }) }),
    ]);
  });

  test('镇平: 27 members with the lead, 19 township-level and 7 other county-level (two named), seven dimensions declared', async () => {
    const seed = seedGroup('镇平');
    const o = await overview('YGT-411324-ZP');
    const total = o.memberCounts.reduce((sum, c) => sum + c.count, 0);
    expect(total).toBe(figure(seed, 'member institutions including the lead hospital'));
    expect(count(o, 'TOWNSHIP_HEALTH_CENTER')).toBe(figure(seed, 'township-level members'));
    expect(count(o, 'LEAD_HOSPITAL')).toBe(1);
    expect(count(o, 'COUNTY_HOSPITAL')).toBe(total - 1 - (figure(seed, 'township-level members') as number));
    // The names the article gives: the county hospitals of provenance ARTICLE; the others are INVENTED.
    const named = (provenance: string) =>
      t.execute(FindInstitutionsDocument, { filter: { groupCode: o.code, kind: 'COUNTY_HOSPITAL', provenance: { in: [provenance as never] } } }, t.token('COUNTY', o.code));
    const county = await named('ARTICLE');
    expect(county.data!.institutions.edges.map((e) => e.node.name).sort()).toEqual(
      [...(figure(seed, 'other county-level members named') as string[])].sort(),
    );
    expect((await named('INVENTED')).data!.institutions.totalCount).toBe(count(o, 'COUNTY_HOSPITAL') - county.data!.institutions.totalCount);
    const declared = await t.execute(
      'query($code: String!) { countyGroup(code: $code) { declaredDimensionCount memberCount } }',
      { code: o.code },
      t.token('COUNTY', o.code),
    );
    expect(declared.data).toEqual({ countyGroup: { declaredDimensionCount: seed.unifiedDimensionsCount, memberCount: total } });
  });

  test('离石, 郧西 and 恒口 reproduce their township and village figures', async () => {
    const cases: [string, string, string, string][] = [
      ['离石', 'YGT-141102-LS', 'township/street grassroots institutions', 'village clinics'],
      ['郧西', 'YGT-420322-YX', 'township health centres', 'village clinics'],
      ['恒口', 'YGT-610902-HK', 'township health centres', 'village (community) clinics'],
    ];
    for (const [name, code, townships, villages] of cases) {
      const seed = seedGroup(name);
      const o = await overview(code);
      expect([name, count(o, 'TOWNSHIP_HEALTH_CENTER')]).toEqual([name, figure(seed, townships)]);
      expect([name, count(o, 'VILLAGE_CLINIC')]).toEqual([name, figure(seed, villages)]);
    }
    expect((await overview('YGT-420322-YX')).members.edges.map((e) => e.node.name)).toContain('槐树分院');
    expect((await overview('YGT-610902-HK')).members.edges.map((e) => e.node.name)).toContain('梅子铺卫生院');
    expect((await overview('YGT-141102-LS')).unifiedDimensions).toHaveLength(seedGroup('离石').unifiedDimensions!.length);
  });

  test('郧西 lists its real external partners apart from its members', async () => {
    const seed = seedGroup('郧西');
    const result = await t.execute(
      'query($code: String!) { countyGroup(code: $code) { partners { totalCount edges { node { name kind level invented } } } } }',
      { code: 'YGT-420322-YX' },
      t.token('COUNTY', 'YGT-420322-YX'),
    );
    const partners = (result.data as { countyGroup: { partners: { totalCount: number; edges: { node: object }[] } } }).countyGroup.partners;
    const expected = figure(seed, 'external partners') as string[];
    expect(partners.totalCount).toBe(expected.length);
    expect(partners.edges.map((e) => e.node)).toEqual(
      expect.arrayContaining(expected.map((name) => ({ name, kind: 'EXTERNAL', level: 4, invented: false }))),
    );
  });
});

describe('GroupList and FindInstitutions', () => {
  test('a county token lists exactly its own group', async () => {
    const result = await t.execute(GroupListDocument, { first: 10 }, t.token('COUNTY', 'YGT-420322-YX'));
    expect(result.data!.countyGroups.totalCount).toBe(1);
    expect(result.data!.countyGroups.edges[0].node).toEqual({
      code: 'YGT-420322-YX',
      name: seedGroup('郧西').name,
      region: { code: '420322', name: '郧西县' },
      lead: { name: '郧西县人民医院' },
    });
  });

  test('pages through all 164 village clinics of 濉溪 without gaps or repeats', async () => {
    const token = t.token('COUNTY', 'YGT-340621-SX');
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    do {
      const result = await t.execute(
        FindInstitutionsDocument,
        { filter: { kind: 'VILLAGE_CLINIC', regionCode: '340600' }, first: 100, after },
        token,
      );
      expect(result.errors).toBeUndefined();
      const page = result.data!.institutions;
      expect(page.totalCount).toBe(164);
      seen.push(...page.edges.map((e) => e.node.code));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
      pages++;
    } while (after);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(164);
  });

  test('filters combine: a branch\'s village clinics by parent and name', async () => {
    const token = t.token('COUNTY', 'YGT-340621-SX');
    const branch = await t.execute(FindInstitutionsDocument, { filter: { nameContains: '百善分院' } }, token);
    const baishan = branch.data!.institutions.edges[0].node;
    const children = await t.execute(
      FindInstitutionsDocument,
      { filter: { parentCode: baishan.code, nameContains: '道口' }, first: 5 },
      token,
    );
    expect(children.data!.institutions.edges.map((e) => e.node.name)).toEqual(['百善镇道口村卫生室']);
  });

  test('bad paging input is a BAD_USER_INPUT error naming the field', async () => {
    const token = t.token('COUNTY', 'YGT-340621-SX');
    const tooMany = await t.execute(GroupListDocument, { first: 101 }, token);
    expect(tooMany.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await t.execute(GroupListDocument, { after: 'not-a-cursor' }, token);
    expect(badCursor.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const unknown = await t.execute(GroupOverviewDocument, { groupCode: 'YGT-000000-XX' }, token);
    expect(unknown.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'code' });
    expect(unknown.data).toEqual({ countyGroup: null });
  });
});
