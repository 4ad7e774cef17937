// The personnel contract (schema/operations/personnel.graphql, verbatim) on the demo data: the
// figures of the source articles (compared with src/demo/seed-groups.json), started vs active, pairing
// where it is practised, out-of-county apart, provenance, and a constant number of SQL statements.
import { PersonnelSummaryDocument, RecordPersonnelFlowsDocument } from '../../src/generated/operations';
import { detailOf, moreThan, seedFigure, seedGroupOfArticle } from '../../src/demo/seed-figures';
import { SYNTHETIC_YEAR } from '../../src/modules/personnel/personnel.demo';
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

type FlowNode = { startDate: string; from: { code: string; name: string; kind: string }; to: { name: string; kind: string }; staff: { profession: string }; provenance?: string; article?: string | null; provenanceNote?: string | null };
type FlowsPage = { countyGroup: { personnelFlows: { totalCount: number; edges: { node: FlowNode }[] } } };
const flows = (groupCode: string, from: string, to: string, direction: string, kind: string) =>
  t.execute<FlowsPage, unknown>(
    `query($g: String!, $p: PeriodInput!, $d: Direction, $k: PersonnelFlowKind) { countyGroup(code: $g) {
       personnelFlows(period: $p, direction: $d, kind: $k, first: 100) { totalCount edges { node {
         startDate from { code name kind } to { name kind } staff { profession } provenance article provenanceNote } } } } }`,
    { g: groupCode, p: { from, to }, d: direction, k: kind },
    t.token('COUNTY', groupCode),
  );

type Summary = {
  downward: number;
  upward: number;
  paired: number;
  pairingRate: { value: number | null; numerator: number; denominator: number } | null;
  pairingRateNote: string | null;
  outOfCounty: { sentOut: number; receivedIn: number };
  active: { downward: number; upward: number; outOfCounty: { sentOut: number; receivedIn: number } };
};
const groupSummary = async (groupCode: string, from: string, to: string, provenance?: string[]) => {
  const r = await t.execute<{ countyGroup: { practisesPairing: boolean; personnelSummary: Summary } }, unknown>(
    `query($g: String!, $p: PeriodInput!, $prov: ProvenanceFilter) { countyGroup(code: $g) { practisesPairing personnelSummary(period: $p, provenance: $prov) {
       downward upward paired pairingRate { value numerator denominator } pairingRateNote outOfCounty { sentOut receivedIn }
       active { downward upward outOfCounty { sentOut receivedIn } } } } }`,
    { g: groupCode, p: { from, to }, prov: provenance ? { in: provenance } : undefined },
    t.token('COUNTY', groupCode),
  );
  expect(r.errors).toBeUndefined();
  return r.data!.countyGroup;
};

test('郧西: the 7 experts started in 2021 (and none in 2022, where they are still active); more than 10 trained in 5 batches', async () => {
  const seed = seedGroup('郧西');
  const experts = (await flows('YGT-420322-YX', '2021-03-15', '2021-03-15', 'DOWNWARD', 'CLINIC_SESSION')).data!.countyGroup.personnelFlows;
  const expertCount = figure(seed, 'experts stationed at branches from 2021-03-15');
  expect(experts.totalCount).toBe(expertCount);
  expect(experts.edges.every((e) => e.node.startDate === '2021-03-15' && e.node.to.kind === 'TOWNSHIP_HEALTH_CENTER' && e.node.from.kind === 'LEAD_HOSPITAL')).toBe(true);
  expect(experts.edges.map((e) => e.node.to.name)).toContain((figure(seed, 'named branch') as string[])[0]);
  expect(new Set(experts.edges.map((e) => e.node.to.name)).size).toBe(expertCount);
  // Events: the experts count in the year they started, once; in 2022 they are active, not started.
  expect((await groupSummary('YGT-420322-YX', '2021-01-01', '2021-12-31')).personnelSummary.downward).toBe(expertCount);
  const in2022 = (await groupSummary('YGT-420322-YX', '2022-01-01', '2022-12-31')).personnelSummary;
  expect([in2022.downward, in2022.active.downward]).toEqual([0, expertCount]);

  // "5批次10余人": more than the bound, in exactly the article's number of batches.
  const trainees = seedFigure(seedGroupOfArticle(seed.article), 'branch staff trained at the lead hospital');
  const trained = (await flows('YGT-420322-YX', '2021-01-01', '2021-12-31', 'UPWARD', 'TRAINING')).data!.countyGroup.personnelFlows;
  expect(trained.totalCount).toBeGreaterThan(moreThan(trainees.value));
  expect(new Set(trained.edges.map((e) => e.node.startDate)).size).toBe(Number(detailOf(trainees, /\bin (\d+) batches\b/)));
  expect(trained.edges.every((e) => e.node.from.kind === 'TOWNSHIP_HEALTH_CENTER')).toBe(true);
  expect((await groupSummary('YGT-420322-YX', '2021-01-01', '2021-12-31')).personnelSummary.upward).toBe(trained.totalCount);
  // Drawn from the article, with the details we made up said so.
  expect(trained.edges.every((e) => e.node.provenance === 'INVENTED' && e.node.article === seed.article && /10余/.test(e.node.provenanceNote ?? ''))).toBe(true);
  expect(experts.edges.every((e) => e.node.provenance === 'INVENTED' && e.node.article === seed.article)).toBe(true);
});

test('濉溪: 12 nurses stationed at the branches for one year each; no stationed posting of another length; no pairing rate', async () => {
  const seed = seedGroup('濉溪');
  const nurses = (await flows('YGT-340621-SX', '2021-01-01', '2021-12-31', 'DOWNWARD', 'NURSE_POSTING')).data!.countyGroup.personnelFlows;
  const nurseCount = figure(seed, 'trained nurses stationed at the branches') as number;
  expect(nurses.totalCount).toBe(nurseCount);
  expect(nurses.edges.every((e) => e.node.staff.profession === 'NURSE' && e.node.to.kind === 'TOWNSHIP_HEALTH_CENTER')).toBe(true);
  expect(new Set(nurses.edges.map((e) => e.node.to.name)).size).toBe(nurseCount);
  // "驻点帮扶时长为一年" (the seed's stationed assistance length): every stationed posting of the group, the synthetic ones too.
  expect(seed.figures.find((f) => f.what === 'stationed assistance length')?.value).toBe('one year');
  const stationed = await t.gateway.db.prisma.personnelFlow.findMany({ where: { groupCode: 'YGT-340621-SX', kind: { in: ['STATIONED', 'NURSE_POSTING'] } } });
  expect(stationed.length).toBeGreaterThan(nurseCount);
  for (const f of stationed) {
    const oneYearLater = new Date(Date.UTC(f.startDate.getUTCFullYear() + 1, f.startDate.getUTCMonth(), f.startDate.getUTCDate() - 1));
    expect([f.externalId, f.endDate?.toISOString().slice(0, 10)]).toEqual([f.externalId, oneYearLater.toISOString().slice(0, 10)]);
  }
  // 濉溪 never claimed 派一送一: no rate (not 0), with the reason.
  const group = await groupSummary('YGT-340621-SX', '2025-01-01', '2025-12-31');
  expect(group.practisesPairing).toBe(false);
  expect(group.personnelSummary.pairingRate).toBeNull();
  expect(group.personnelSummary.pairingRateNote).toContain('does not practise pairing (派一送一)');
});

test('恒口 "派一送一": every expert sent down in 2023 is paired with a worker sent up (PersonnelSummary, verbatim)', async () => {
  const seed = seedGroup('恒口');
  expect(figure(seed, 'personnel principle')).toBe('派一送一');
  const townships = figure(seed, 'township health centres') as number;
  const r = await summary('YGT-610902-HK', '2023-01-01', '2023-12-31');
  expect(r.errors).toBeUndefined();
  const group = r.data!.countyGroup!;
  expect(group.personnelSummary).toEqual({ downward: townships, upward: townships, paired: townships, pairingRate: { value: 1, numerator: townships, denominator: townships } });
  expect(group.personnelFlows.totalCount).toBe(2 * townships);
  for (const { node } of group.personnelFlows.edges) {
    expect(node.pairedWith).not.toBeNull();
    expect(node.pairedWith!.direction).not.toBe(node.direction);
    expect(node.status).toBe('COMPLETED');
    expect(node.staff.name.length).toBeGreaterThan(1);
  }
});

test('恒口 practises 派一送一 in its synthetic year too: every expert sent down is paired', async () => {
  const s = (await groupSummary('YGT-610902-HK', `${SYNTHETIC_YEAR}-01-01`, `${SYNTHETIC_YEAR}-12-31`)).personnelSummary;
  expect(s.downward).toBeGreaterThan(0);
  expect(s.pairingRate).toEqual({ value: 1, numerator: s.downward, denominator: s.downward });
  expect(s.pairingRateNote).toBeNull();
});

test('every group has a synthetic year of flows both ways, hidden by a provenance filter; a rate only where pairing is practised', async () => {
  for (const code of DEMO_GROUP_CODES) {
    const { practisesPairing, personnelSummary: s } = await groupSummary(code, `${SYNTHETIC_YEAR}-01-01`, `${SYNTHETIC_YEAR}-12-31`);
    expect([code, s.downward > 0, s.upward > 0, s.paired <= s.downward]).toEqual([code, true, true, true]);
    if (practisesPairing) expect(s.pairingRate!.value).toBeCloseTo(s.paired / s.downward);
    else expect([code, s.pairingRate, s.paired]).toEqual([code, null, 0]);
    const real = (await groupSummary(code, `${SYNTHETIC_YEAR}-01-01`, `${SYNTHETIC_YEAR}-12-31`, ['ARTICLE', 'INVENTED', 'SOURCE_SYSTEM'])).personnelSummary;
    expect([code, real.downward, real.upward, real.outOfCounty]).toEqual([code, 0, 0, { sentOut: 0, receivedIn: 0 }]);
  }
});

test('郧西: out-of-county flows (doctors training at its partners, a partner\'s expert at the lead) are reported apart', async () => {
  const partners = (figure(seedGroup('郧西'), 'external partners') as string[]).length;
  const s = (await groupSummary('YGT-420322-YX', `${SYNTHETIC_YEAR}-01-01`, `${SYNTHETIC_YEAR}-12-31`)).personnelSummary;
  expect(s.outOfCounty).toEqual({ sentOut: partners, receivedIn: 1 });
  const out = await t.execute<FlowsPage, unknown>(
    `{ countyGroup(code: "YGT-420322-YX") { personnelFlows(outOfCounty: true, first: 100) { totalCount edges { node {
       startDate from { code name kind } to { name kind } staff { profession } } } } } }`,
    undefined,
    t.token('COUNTY', 'YGT-420322-YX'),
  );
  const edges = out.data!.countyGroup.personnelFlows.edges;
  expect(edges).toHaveLength(partners + 1);
  expect(edges.every((e) => e.node.from.kind === 'EXTERNAL' || e.node.to.kind === 'EXTERNAL')).toBe(true);
  // None of them is among the group's upward or downward flows.
  const inGroup = await t.execute<{ countyGroup: { personnelFlows: { totalCount: number } } }, unknown>(
    `{ countyGroup(code: "YGT-420322-YX") { personnelFlows(outOfCounty: false, startedIn: { from: "${SYNTHETIC_YEAR}-01-01", to: "${SYNTHETIC_YEAR}-12-31" }, first: 1) { totalCount } } }`,
    undefined,
    t.token('COUNTY', 'YGT-420322-YX'),
  );
  expect(inGroup.data!.countyGroup.personnelFlows.totalCount).toBe(s.downward + s.upward);
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
