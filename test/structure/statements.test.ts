// N+1 guard: the SQL statements an operation sends do not grow with the number of rows it returns.
import { FindInstitutionsDocument, GroupListDocument, GroupOverviewDocument } from '../../src/generated/operations';
import { DEMO_GROUP_CODES } from '../../src/modules/structure/structure.demo';
import { startTestGateway, type TestGateway } from '../support/gateway';

let t: TestGateway;

/** A group in 安徽 with a lead, `townships` township centres and `villages` village clinics spread over them. */
async function createGroup(code: string, townships: number, villages: number): Promise<void> {
  const prisma = t.gateway.db.prisma;
  await prisma.countyGroup.create({
    data: { code, name: `测试医共体 ${code}`, regionCode: '340621', prefectureCode: '340600', provinceCode: '340000', leadCode: `${code}-L01` },
  });
  const rows = [{ code: `${code}-L01`, name: '测试县医院', kind: 'LEAD_HOSPITAL' as const, level: 3, groupCode: code, parentCode: null as string | null }];
  for (let i = 1; i <= townships; i++) {
    rows.push({ code: `${code}-T${String(i).padStart(2, '0')}`, name: `测试分院${i}`, kind: 'TOWNSHIP_HEALTH_CENTER' as never, level: 2, groupCode: code, parentCode: `${code}-L01` });
  }
  for (let v = 1; v <= villages; v++) {
    const township = `${code}-T${String(((v - 1) % townships) + 1).padStart(2, '0')}`;
    rows.push({ code: `${township}-V${String(v).padStart(3, '0')}`, name: `测试村卫生室${v}`, kind: 'VILLAGE_CLINIC' as never, level: 1, groupCode: code, parentCode: township });
  }
  await prisma.institution.createMany({ data: rows.map((r) => ({ ...r, provenance: 'INVENTED' as const })) });
}

beforeAll(async () => {
  t = await startTestGateway();
  await createGroup('TEST-SMALL', 2, 0); // 3 members
  await createGroup('TEST-LARGE', 49, 100); // 150 members
});
afterAll(() => t?.stop());

async function overviewStatements(groupCode: string): Promise<{ statements: number; members: number }> {
  let members = 0;
  const statements = await t.countStatements(async () => {
    const r = await t.execute(GroupOverviewDocument, { groupCode }, t.token('COUNTY', groupCode));
    expect(r.errors).toBeUndefined();
    members = r.data!.countyGroup!.memberCounts.reduce((s, c) => s + c.count, 0);
  });
  return { statements, members };
}

test('GroupOverview sends as many statements for 3 members as for 150', async () => {
  const small = await overviewStatements('TEST-SMALL');
  const large = await overviewStatements('TEST-LARGE');
  expect(small.members).toBe(3);
  expect(large.members).toBe(150);
  expect(large.statements).toBe(small.statements);
  // Region chain (3), group, lead, member counts, members page and total, children pages and totals.
  expect(small.statements).toBeLessThanOrEqual(10);
  for (const code of DEMO_GROUP_CODES) expect((await overviewStatements(code)).statements).toBe(small.statements);
});

test('FindInstitutions and GroupList cost the same for 1 row as for 100', async () => {
  const token = t.token('PROVINCE', '340000');
  const find = (first: number) =>
    t.countStatements(async () => {
      const r = await t.execute(FindInstitutionsDocument, { filter: { regionCode: '340000' }, first }, token);
      expect(r.data!.institutions.edges).toHaveLength(first);
    });
  // From two rows on, the page holds a row with a parent (the first is the lead hospital, which has none).
  expect(await find(100)).toBe(await find(2));
  const list = (first: number) =>
    t.countStatements(async () => {
      const r = await t.execute(GroupListDocument, { first }, token);
      expect(r.data!.countyGroups.edges).toHaveLength(first);
    });
  expect(await list(3)).toBe(await list(1));
});

test('members\' and partners\' region, group and partnerOf cost the same statements for 3 members as for 150', async () => {
  const token = t.token('PROVINCE', '340000');
  // A partner of both test groups, in 安徽 (its own region: 淮北市).
  const prisma = t.gateway.db.prisma;
  await prisma.institution.create({ data: { code: 'TEST-E01', name: '测试上级医院', kind: 'EXTERNAL', level: 4, regionCode: '340600', provenance: 'INVENTED' } });
  await prisma.partnership.createMany({ data: [{ groupCode: 'TEST-SMALL', institutionCode: 'TEST-E01' }, { groupCode: 'TEST-LARGE', institutionCode: 'TEST-E01' }] });
  const run = (groupCode: string) =>
    t.countStatements(async () => {
      const r = await t.execute<{ countyGroup: { members: { edges: unknown[] }; partners: { edges: { node: { partnerOf: unknown[] } }[] } } }, unknown>(
        `query($c: String!) { countyGroup(code: $c) {
           members(first: 100) { edges { node { code region { code } group { code } partnerOf { code } } } }
           partners { edges { node { code region { code parent { code } } group { code } partnerOf { code region { code } } } } } } }`,
        { c: groupCode },
        token,
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.countyGroup.partners.edges[0].node.partnerOf).toHaveLength(2);
    });
  const small = await run('TEST-SMALL');
  expect(await run('TEST-LARGE')).toBe(small);
  // Group, members page, partners page, partner groups, groups of members, regions (two levels), region parents.
  expect(small).toBeLessThanOrEqual(8);
});
