// The personnel contract (schema/operations/personnel.graphql, verbatim) on the demo data: the
// figures of the source articles, and a constant number of SQL statements per PersonnelSummary.
import { PersonnelSummaryDocument, RecordPersonnelFlowsDocument } from '../../src/generated/operations';
import { moreThan } from '../../src/demo/seed-figures';
import { DEMO_GROUP_CODES } from '../../src/modules/structure/structure.demo';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { figure, seedGroup } from '../support/seed-figures';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

const summary = (groupCode: string, from: string, to: string) =>
  t.execute(PersonnelSummaryDocument, { groupCode, period: { from, to } }, t.token('COUNTY', groupCode));

type FlowsPage = { countyGroup: { personnelFlows: { totalCount: number; edges: { node: { startDate: string; from: { code: string; name: string; kind: string }; to: { name: string; kind: string }; staff: { profession: string } } }[] } } };
const flows = (groupCode: string, from: string, to: string, direction: string, kind: string) =>
  t.execute<FlowsPage, unknown>(
    `query($g: String!, $p: PeriodInput!, $d: Direction, $k: PersonnelFlowKind) { countyGroup(code: $g) {
       personnelFlows(period: $p, direction: $d, kind: $k, first: 100) { totalCount edges { node {
         startDate from { code name kind } to { name kind } staff { profession } } } } } }`,
    { g: groupCode, p: { from, to }, d: direction, k: kind },
    t.token('COUNTY', groupCode),
  );

test('郧西: 7 experts at the branches from 2021-03-15, and 10 branch staff trained at the lead in 5 batches', async () => {
  const seed = seedGroup('郧西');
  const experts = (await flows('YGT-420322-YX', '2021-03-15', '2021-03-15', 'DOWNWARD', 'CLINIC_SESSION')).data!.countyGroup.personnelFlows;
  const expertCount = figure(seed, 'experts stationed at branches from 2021-03-15');
  expect(experts.totalCount).toBe(expertCount);
  expect(experts.edges.every((e) => e.node.startDate === '2021-03-15' && e.node.to.kind === 'TOWNSHIP_HEALTH_CENTER' && e.node.from.kind === 'LEAD_HOSPITAL')).toBe(true);
  expect(experts.edges.map((e) => e.node.to.name)).toContain((figure(seed, 'named branch') as string[])[0]);
  expect(new Set(experts.edges.map((e) => e.node.to.name)).size).toBe(expertCount);

  // "more than 10 (10余)": the demo records more than the bound.
  const trained = (await flows('YGT-420322-YX', '2021-01-01', '2021-12-31', 'UPWARD', 'TRAINING')).data!.countyGroup.personnelFlows;
  expect(trained.totalCount).toBeGreaterThan(moreThan(figure(seed, 'branch staff trained at the lead hospital')));
  expect(new Set(trained.edges.map((e) => e.node.startDate)).size).toBe(5);
  expect(trained.edges.every((e) => e.node.from.kind === 'TOWNSHIP_HEALTH_CENTER')).toBe(true);
});

test('濉溪: 12 nurses posted to the branches', async () => {
  const nurses = (await flows('YGT-340621-SX', '2021-01-01', '2021-12-31', 'DOWNWARD', 'NURSE_POSTING')).data!.countyGroup.personnelFlows;
  const nurseCount = figure(seedGroup('濉溪'), 'trained nurses stationed at the branches');
  expect(nurses.totalCount).toBe(nurseCount);
  expect(nurses.edges.every((e) => e.node.staff.profession === 'NURSE' && e.node.to.kind === 'TOWNSHIP_HEALTH_CENTER')).toBe(true);
  expect(new Set(nurses.edges.map((e) => e.node.to.name)).size).toBe(nurseCount);
});

test('恒口 "派一送一": every expert sent down in 2023 is paired with a worker sent up (PersonnelSummary, verbatim)', async () => {
  expect(figure(seedGroup('恒口'), 'personnel principle')).toBe('派一送一');
  const r = await summary('YGT-610902-HK', '2023-01-01', '2023-12-31');
  expect(r.errors).toBeUndefined();
  const group = r.data!.countyGroup!;
  expect(group.personnelSummary).toEqual({ downward: 3, upward: 3, paired: 3, pairingRate: { value: 1, numerator: 3, denominator: 3 } });
  expect(group.personnelFlows.totalCount).toBe(6);
  for (const { node } of group.personnelFlows.edges) {
    expect(node.pairedWith).not.toBeNull();
    expect(node.pairedWith!.direction).not.toBe(node.direction);
    expect(node.status).toBe('COMPLETED');
    expect(node.staff.name.length).toBeGreaterThan(1);
  }
});

test('every group has a synthetic year of flows both ways', async () => {
  for (const code of DEMO_GROUP_CODES) {
    const s = (await summary(code, '2025-01-01', '2025-12-31')).data!.countyGroup!.personnelSummary;
    expect([code, s.downward > 0, s.upward > 0, s.paired <= s.downward]).toEqual([code, true, true, true]);
    expect(s.pairingRate.value).toBeCloseTo(s.paired / s.downward);
  }
});

test('PersonnelSummary sends the same number of SQL statements for 6 flows as for 20 listed', async () => {
  const count = async (groupCode: string, from: string, to: string) => {
    let listed = 0;
    const statements = await t.countStatements(async () => {
      const r = await summary(groupCode, from, to);
      expect(r.errors).toBeUndefined();
      listed = r.data!.countyGroup!.personnelFlows.edges.length;
    });
    return { statements, listed };
  };
  const few = await count('YGT-610902-HK', '2023-01-01', '2023-12-31');
  const many = await count('YGT-340621-SX', '2021-01-01', '2025-12-31');
  expect(few.listed).toBe(6);
  expect(many.listed).toBe(20);
  expect(many.statements).toBe(few.statements);
});

test('the contract mutation runs verbatim', async () => {
  const r = await t.execute(
    RecordPersonnelFlowsDocument,
    {
      input: [
        {
          source: 'contract-test',
          externalId: 'CT-1',
          staff: { externalId: 'CT-S1', name: '测试专家', homeCode: '610902-HK-L01', title: 'SENIOR', profession: 'PHYSICIAN' },
          fromCode: '610902-HK-L01',
          toCode: '610902-HK-T01',
          kind: 'CLINIC_SESSION',
          startDate: '2026-01-05',
          endDate: '2026-01-09',
        },
      ],
    },
    t.token('SOURCE_SYSTEM', 'YGT-610902-HK'),
  );
  expect(r.data!.recordPersonnelFlows).toMatchObject({
    accepted: 1,
    rejected: 0,
    results: [{ index: 0, externalId: 'CT-1', status: 'CREATED', error: null, flow: { direction: 'DOWNWARD', kind: 'CLINIC_SESSION' } }],
  });
});

test('flows nested under a list of institutions cost the same SQL for 2 institutions as for 13', async () => {
  const query = `query($first: Int) { institutions(filter: { groupCode: "YGT-340621-SX", kind: TOWNSHIP_HEALTH_CENTER }, first: $first) {
    edges { node { code personnelFlows(first: 5, end: INTO) { totalCount edges { node { externalId to { code } } } }
      personnelSummary(period: { from: "2025-01-01", to: "2025-12-31" }) { receivedDown } } } } }`;
  type Result = { institutions: { edges: { node: { code: string; personnelFlows: { totalCount: number; edges: { node: { externalId: string; to: { code: string } } }[] }; personnelSummary: { receivedDown: number } } }[] } };
  const run = async (first: number) => {
    let data: Result | undefined;
    const statements = await t.countStatements(async () => {
      const r = await t.execute<Result, unknown>(query, { first }, t.token('COUNTY', 'YGT-340621-SX'));
      expect(r.errors).toBeUndefined();
      data = r.data!;
    });
    return { statements, data: data! };
  };
  const two = await run(2);
  const all = await run(13);
  expect(all.data.institutions.edges).toHaveLength(12);
  expect(all.statements).toBe(two.statements);
  for (const { node } of all.data.institutions.edges) {
    const inDb = await t.gateway.db.prisma.personnelFlow.count({ where: { toCode: node.code } });
    const firstFive = await t.gateway.db.prisma.personnelFlow.findMany({ where: { toCode: node.code }, orderBy: [{ startDate: 'asc' }, { id: 'asc' }], take: 5 });
    expect([node.code, node.personnelFlows.totalCount]).toEqual([node.code, inDb]);
    expect(node.personnelFlows.edges.map((e) => e.node.externalId)).toEqual(firstFive.map((f) => f.externalId));
    expect(node.personnelFlows.edges.every((e) => e.node.to.code === node.code)).toBe(true);
  }
});
