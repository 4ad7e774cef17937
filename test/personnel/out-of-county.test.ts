// Out-of-county flows (an external partner at one end) through the API, on 郧西's real partners: a
// lead-hospital doctor training at 协和 is not "grassroots staff sent up", an expert employed by 协和 at
// the lead hospital is not "experts sent down" by the group; both are reported apart, at the group
// and at the member, never paired. 2019 holds no demo flows, so the figures are this test's alone.
import { startTestGateway, type TestGateway } from '../support/gateway';
import { figure, seedGroup } from '../support/seed-figures';

const YX = 'YGT-420322-YX';
const LEAD = '420322-YX-L01';
const T01 = '420322-YX-T01';
const YEAR = { from: '2019-01-01', to: '2019-12-31' };

let t: TestGateway;
let partners: { code: string; name: string }[];
beforeAll(async () => {
  t = await startTestGateway();
  const r = await t.execute<{ countyGroup: { partners: { edges: { node: { code: string; name: string } }[] } } }, unknown>(
    `{ countyGroup(code: "${YX}") { partners(first: 10) { edges { node { code name } } } } }`,
    undefined,
    t.token('COUNTY', YX),
  );
  partners = r.data!.countyGroup.partners.edges.map((e) => e.node);
});
afterAll(() => t?.stop());

type Result = { index: number; status: string; error: { code: string; field: string } | null; flow: { direction: string; outOfCounty: boolean } | null };
const send = async (input: Record<string, unknown>[]) => {
  const r = await t.execute<{ recordPersonnelFlows: { results: Result[] } }, unknown>(
    `mutation($input: [PersonnelFlowInput!]!) { recordPersonnelFlows(input: $input) { results { index status error { code field } flow { direction outOfCounty } } } }`,
    { input },
    t.token('SOURCE_SYSTEM', YX),
  );
  expect(r.errors).toBeUndefined();
  return r.data!.recordPersonnelFlows.results;
};
const flow = (externalId: string, over: Record<string, unknown>) => ({
  source: 'ooc-hr',
  externalId,
  staff: { externalId: `S-${externalId}`, name: '测试医生', homeCode: LEAD, title: 'INTERMEDIATE', profession: 'PHYSICIAN' },
  startDate: '2019-03-01',
  endDate: '2019-05-31',
  ...over,
});

test('the demo partners are the article\'s', () => {
  expect(partners.map((p) => p.name).sort()).toEqual([...(figure(seedGroup('郧西'), 'external partners') as string[])].sort());
});

test('out-of-county flows are stored as such and counted apart from in-group upward and downward', async () => {
  const xiehe = partners.find((p) => p.name.includes('协和'))!;
  const results = await send([
    // A lead-hospital doctor training at 协和 (外出进修).
    flow('OOC-OUT', { fromCode: LEAD, toCode: xiehe.code, kind: 'TRAINING' }),
    // An expert employed by 协和 holding clinic sessions at the lead hospital: the staff's home is the partner.
    flow('OOC-IN', { staff: { externalId: 'S-OOC-IN', name: '协和专家', homeCode: xiehe.code, title: 'SENIOR', profession: 'PHYSICIAN' }, fromCode: xiehe.code, toCode: LEAD, kind: 'CLINIC_SESSION' }),
    // In-group: an expert sent down to a township, and its worker sent up.
    flow('IN-DOWN', { toCode: T01, fromCode: LEAD, kind: 'STATIONED', pairedExternalId: 'IN-UP' }),
    flow('IN-UP', { staff: { externalId: 'S-IN-UP', name: '乡医', homeCode: T01 }, fromCode: T01, toCode: LEAD, kind: 'TRAINING' }),
    // Out-of-county flows never pair.
    flow('OOC-PAIR', { staff: { externalId: 'S-OOC-PAIR', name: '某', homeCode: LEAD }, fromCode: LEAD, toCode: partners[0].code, kind: 'SECONDMENT', pairedExternalId: 'OOC-IN' }),
  ]);
  expect(results.map((r) => [r.status, r.flow?.direction ?? r.error?.code, r.flow?.outOfCounty ?? r.error?.field])).toEqual([
    ['CREATED', 'UPWARD', true],
    ['CREATED', 'DOWNWARD', true],
    ['CREATED', 'DOWNWARD', false],
    ['CREATED', 'UPWARD', false],
    ['REJECTED', 'PAIR_OUT_OF_COUNTY', 'pairedExternalId'],
  ]);
  const stored = await t.gateway.db.prisma.personnelFlow.findMany({ where: { source: 'ooc-hr' }, orderBy: { externalId: 'asc' }, include: { staff: true } });
  expect(stored.map((f) => [f.externalId, f.groupCode, f.outOfCounty, f.staff.groupCode])).toEqual([
    ['IN-DOWN', YX, false, YX],
    ['IN-UP', YX, false, YX],
    ['OOC-IN', YX, true, YX],
    ['OOC-OUT', YX, true, YX],
  ]);

  type Counts = { downward: number; upward: number; paired: number; outOfCounty: { sentOut: number; receivedIn: number } };
  const r = await t.execute<{ countyGroup: { personnelSummary: Counts & { active: Counts } }; lead: { personnelSummary: Record<string, unknown> } }, unknown>(
    `query($p: PeriodInput!) {
       countyGroup(code: "${YX}") { personnelSummary(period: $p) { downward upward paired outOfCounty { sentOut receivedIn } active { downward upward paired outOfCounty { sentOut receivedIn } } } }
       lead: institution(code: "${LEAD}") { personnelSummary(period: $p) { sentDown receivedUp receivedDown sentUp outOfCounty { sentOut receivedIn } } } }`,
    { p: YEAR },
    t.token('COUNTY', YX),
  );
  expect(r.errors).toBeUndefined();
  const counts = { downward: 1, upward: 1, paired: 0, outOfCounty: { sentOut: 1, receivedIn: 1 } };
  // 郧西 does not practise pairing: the declared pair is stored, and counted as paired, with no rate.
  expect(r.data!.countyGroup.personnelSummary).toEqual({ ...counts, paired: 1, active: { ...counts, paired: 1 } });
  expect(r.data!.lead.personnelSummary).toEqual({ sentDown: 1, receivedUp: 1, receivedDown: 0, sentUp: 0, outOfCounty: { sentOut: 1, receivedIn: 1 } });

  // Nor do they count for the long-term stationed physicians: a 协和 expert at the lead all year is none of the group's.
  const year = await send([
    flow('OOC-LONG', { staff: { externalId: 'S-OOC-LONG', name: '协和专家乙', homeCode: xiehe.code, title: 'SENIOR', profession: 'PHYSICIAN' }, fromCode: xiehe.code, toCode: LEAD, kind: 'STATIONED', startDate: '2019-01-01', endDate: '2019-12-31' }),
  ]);
  expect(year[0].status).toBe('CREATED');
  const longTerm = await t.execute<{ countyGroup: { longTermStationedPhysicians: number } }, unknown>(
    `{ countyGroup(code: "${YX}") { longTermStationedPhysicians(year: 2019) } }`,
    undefined,
    t.token('COUNTY', YX),
  );
  expect(longTerm.data!.countyGroup.longTermStationedPhysicians).toBe(0);
});

test("an external partner's staff appear only on out-of-county flows: in the group they would count as the group's own support", async () => {
  const xiehe = partners.find((p) => p.name.includes('协和'))!;
  const partnerStaff = (id: string) => ({ externalId: `S-${id}`, name: '协和专家丙', homeCode: xiehe.code, title: 'SENIOR', profession: 'PHYSICIAN' });
  const results = await send([
    flow('HOME-IN-GROUP', { staff: partnerStaff('HOME-IN-GROUP'), fromCode: LEAD, toCode: T01, kind: 'STATIONED', startDate: '2019-06-01', endDate: '2019-06-30' }),
    flow('HOME-OOC', { staff: partnerStaff('HOME-OOC'), fromCode: xiehe.code, toCode: T01, kind: 'CLINIC_SESSION', startDate: '2019-06-01', endDate: '2019-06-30' }),
  ]);
  expect(results.map((r) => [r.status, r.error?.code ?? null, r.error?.field ?? null])).toEqual([
    ['REJECTED', 'PARTNER_STAFF_IN_COUNTY', 'staff.homeCode'],
    ['CREATED', null, null],
  ]);
});
