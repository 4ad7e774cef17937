// Personnel figures on constructed cases with known answers: pairing rates, person-days clipped to
// the period, long-term stationed physicians; the scope of reads and of staff contact data.
import { isoDay, todayIn } from '../../src/common/clock';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { createPersonnelFixture, flow, GROUP, LEAD, OTHER_GROUP, record, T1, T2, VILLAGE } from './fixtures';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  await createPersonnelFixture(t);
  const senior = { title: 'SENIOR', profession: 'PHYSICIAN' };
  const result = await record(t, [
    // Into T1: 2024-01-01..2024-06-30 = 182 days (2024 is a leap year), paired with an upward flow.
    flow({ externalId: 'R-DOWN-1', staff: { externalId: 'D1', name: '甲', homeCode: LEAD, ...senior }, startDate: '2024-01-01', endDate: '2024-06-30', pairedExternalId: 'R-UP-1' }),
    flow({ externalId: 'R-UP-1', staff: { externalId: 'U1', name: '乙', homeCode: T1, phone: '0561-1234567', idNumber: '340621199001011232' }, fromCode: T1, toCode: LEAD, kind: 'TRAINING', startDate: '2024-03-01', endDate: '2024-03-31' }),
    // Into T2 across two years: 184 days in 2024, 181 in 2025.
    flow({ externalId: 'R-DOWN-2', staff: { externalId: 'D2', name: '丙', homeCode: LEAD, title: 'INTERMEDIATE', profession: 'PHYSICIAN' }, toCode: T2, startDate: '2024-07-01', endDate: '2025-06-30' }),
    // Into T1, open-ended from 2024-10-01: 92 days in 2024 (today is after 2024).
    flow({ externalId: 'R-DOWN-3', staff: { externalId: 'D3', name: '丁', homeCode: LEAD, title: 'JUNIOR', profession: 'PHYSICIAN' }, startDate: '2024-10-01', endDate: null }),
    // A nurse 200 days in 2024: long, but not a physician.
    flow({ externalId: 'R-DOWN-4', staff: { externalId: 'D4', name: '戊', homeCode: LEAD, title: 'SENIOR', profession: 'NURSE' }, toCode: VILLAGE, kind: 'NURSE_POSTING', startDate: '2024-02-01', endDate: '2024-08-18' }),
    // Cancelled: counted nowhere.
    flow({ externalId: 'R-DOWN-5', staff: { externalId: 'D5', name: '己', homeCode: LEAD, ...senior }, startDate: '2024-01-01', endDate: '2024-12-31', cancelled: true }),
  ]);
  expect(result.rejected).toBe(0);
});
afterAll(() => t?.stop());

const county = () => t.token('COUNTY', GROUP);

async function member(code: string, from: string, to: string) {
  const r = await t.execute<{ institution: { personnelSummary: Record<string, unknown> } }, unknown>(
    `query($c: String!, $p: PeriodInput!) { institution(code: $c) { personnelSummary(period: $p) {
       receivedDown sentUp sentDown receivedUp paired pairingRate { value numerator denominator } personDaysReceived } } }`,
    { c: code, p: { from, to } },
    county(),
  );
  expect(r.errors).toBeUndefined();
  return r.data!.institution.personnelSummary;
}

test("a member's summary: flows counted at each end, pairing rate, person-days clipped", async () => {
  expect(await member(T1, '2024-01-01', '2024-12-31')).toEqual({
    receivedDown: 2,
    sentUp: 1,
    sentDown: 0,
    receivedUp: 0,
    paired: 1,
    pairingRate: { value: 0.5, numerator: 1, denominator: 2 },
    personDaysReceived: 182 + 92,
  });
  // Clipped to June..December: 30 days of R-DOWN-1 and 92 of R-DOWN-3.
  expect((await member(T1, '2024-06-01', '2024-12-31')).personDaysReceived).toBe(30 + 92);
  expect(await member(T2, '2024-01-01', '2024-12-31')).toMatchObject({ receivedDown: 1, personDaysReceived: 184, pairingRate: { value: 0, numerator: 0, denominator: 1 } });
  expect((await member(T2, '2025-01-01', '2025-12-31')).personDaysReceived).toBe(181);
  expect(await member(LEAD, '2024-01-01', '2024-12-31')).toMatchObject({ sentDown: 4, receivedUp: 1, receivedDown: 0, pairingRate: { value: null, numerator: 0, denominator: 0 } });
  expect(await member(T1, '2023-01-01', '2023-12-31')).toMatchObject({ receivedDown: 0, personDaysReceived: 0 });
});

test("the group's summary sums the same flows; long-term stationed physicians need 183 days and a title", async () => {
  const r = await t.execute<{ countyGroup: { personnelSummary: unknown; y2024: number; y2025: number } }, unknown>(
    `query($g: String!) { countyGroup(code: $g) {
       personnelSummary(period: { from: "2024-01-01", to: "2024-12-31" }) { downward upward paired pairingRate { value numerator denominator } personDaysDown }
       y2024: longTermStationedPhysicians(year: 2024) y2025: longTermStationedPhysicians(year: 2025) } }`,
    { g: GROUP },
    county(),
  );
  expect(r.data!.countyGroup.personnelSummary).toEqual({
    downward: 4,
    upward: 1,
    paired: 1,
    pairingRate: { value: 0.25, numerator: 1, denominator: 4 },
    personDaysDown: 182 + 184 + 92 + 200,
  });
  // 2024: R-DOWN-2 (intermediate, 184 days) only; R-DOWN-1 has 182, R-DOWN-3 is junior, R-DOWN-4 a nurse.
  expect(r.data!.countyGroup.y2024).toBe(1);
  expect(r.data!.countyGroup.y2025).toBe(0);
});

test('institution flows filter by end, direction, kind and period, and page with cursors', async () => {
  type Page = { institution: { personnelFlows: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { externalId: string; status: string } }[] } } };
  const query = `query($c: String!, $end: FlowEnd, $d: Direction, $k: PersonnelFlowKind, $p: PeriodInput, $after: String) {
    institution(code: $c) { personnelFlows(end: $end, direction: $d, kind: $k, period: $p, first: 1, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { externalId status } } } } }`;
  const into = await t.execute<Page, unknown>(query, { c: T1, end: 'INTO' }, county());
  expect(into.data!.institution.personnelFlows.totalCount).toBe(3); // incl. the cancelled one
  const seen: string[] = [];
  let after: string | undefined;
  do {
    const page = await t.execute<Page, unknown>(query, { c: T1, end: 'INTO', after }, county());
    seen.push(...page.data!.institution.personnelFlows.edges.map((e) => e.node.externalId));
    after = page.data!.institution.personnelFlows.pageInfo.hasNextPage ? page.data!.institution.personnelFlows.pageInfo.endCursor : undefined;
  } while (after);
  expect(seen).toEqual(['R-DOWN-1', 'R-DOWN-5', 'R-DOWN-3']); // by start date, then id
  const out = await t.execute<Page, unknown>(query, { c: T1, end: 'OUT_OF', d: 'UPWARD', k: 'TRAINING', p: { from: '2024-03-15', to: '2024-03-15' } }, county());
  expect(out.data!.institution.personnelFlows.edges.map((e) => e.node)).toEqual([{ externalId: 'R-UP-1', status: 'COMPLETED' }]);
  const statuses = await t.execute<Page, unknown>(query, { c: T1, end: 'INTO', p: { from: '2024-10-01', to: '2024-10-01' } }, county());
  expect(statuses.data!.institution.personnelFlows.edges[0].node.status).toBe('CANCELLED');
  const bad = await t.execute(query, { c: T1, p: { from: '2024-12-31', to: '2024-01-01' } }, county());
  expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period.to' });
});

test('reads are scoped, and staff contact data goes only to the group and the home institution', async () => {
  const flowsQuery = `query($g: String!) { countyGroup(code: $g) { personnelFlows(first: 50) { totalCount edges { node { externalId staff { name phone idNumberMasked } } } } } }`;
  type Flows = { countyGroup: { personnelFlows: { totalCount: number; edges: { node: { externalId: string; staff: { phone: string | null; idNumberMasked: string | null } } }[] } } };
  const asCounty = await t.execute<Flows, unknown>(flowsQuery, { g: GROUP }, county());
  expect(asCounty.errors).toBeUndefined();
  const up = asCounty.data!.countyGroup.personnelFlows.edges.find((e) => e.node.externalId === 'R-UP-1')!;
  expect(up.node.staff).toMatchObject({ phone: '0561-1234567', idNumberMasked: '340621********1232' });

  const asProvince = await t.execute<Flows, unknown>(flowsQuery, { g: GROUP }, t.token('PROVINCE', '340000'));
  expect(asProvince.data!.countyGroup.personnelFlows.totalCount).toBe(asCounty.data!.countyGroup.personnelFlows.totalCount);
  expect(asProvince.errors!.every((e) => e.extensions!.code === 'FORBIDDEN')).toBe(true);
  expect(asProvince.errors!.length).toBe(2 * asCounty.data!.countyGroup.personnelFlows.totalCount);

  const asOtherGroup = await t.execute(flowsQuery, { g: GROUP }, t.token('COUNTY', OTHER_GROUP));
  expect(asOtherGroup.errors![0].extensions!.code).toBe('NOT_FOUND');

  // A township sees the flows into and out of itself only, and the contact data of its own staff.
  const asT2 = await t.execute<Flows, unknown>(
    `query { institution(code: "${T2}") { code } countyGroup(code: "${GROUP}") { personnelFlows(first: 50) { totalCount edges { node { externalId staff { name } } } } } }`,
    undefined,
    t.token('INSTITUTION', T2),
  );
  expect(asT2.data!.countyGroup.personnelFlows.edges.map((e) => e.node.externalId)).toEqual(['R-DOWN-2']);
  const asT1 = await t.execute<Flows, unknown>(flowsQuery, { g: GROUP }, t.token('INSTITUTION', T1));
  const own = asT1.data!.countyGroup.personnelFlows.edges.find((e) => e.node.externalId === 'R-UP-1')!;
  expect(own.node.staff.phone).toBe('0561-1234567');
  expect(asT1.errors!.length).toBe(2 * (asT1.data!.countyGroup.personnelFlows.totalCount - 1));
});

test('days after today are not counted, even when a flow is booked to end later', async () => {
  const today = todayIn('Asia/Shanghai');
  const day = (offset: number) => isoDay(new Date(today.getTime() + offset * 86_400_000));
  const result = await record(t, [
    flow({ externalId: 'R-FUTURE', staff: { externalId: 'D-FUT', name: '庚', homeCode: LEAD, title: 'SENIOR', profession: 'PHYSICIAN' }, toCode: T2, startDate: day(-30), endDate: day(30) }),
  ]);
  expect(result.rejected).toBe(0);
  expect((await member(T2, day(-30), day(30))).personDaysReceived).toBe(31);
  expect((await member(T2, day(1), day(30))).personDaysReceived).toBe(0);
});

test('a cancelled partner is no partner', async () => {
  const down = flow({ externalId: 'R-PD', staff: { externalId: 'PD', name: '辛', homeCode: LEAD }, toCode: T2, startDate: '2020-01-01', endDate: '2020-01-31', pairedExternalId: 'R-PU' });
  const up = flow({ externalId: 'R-PU', staff: { externalId: 'PU', name: '壬', homeCode: T2 }, fromCode: T2, toCode: LEAD, kind: 'TRAINING', startDate: '2020-02-01', endDate: '2020-02-28' });
  expect((await record(t, [down, up])).accepted).toBe(2);
  const partner = async () => {
    const r = await t.execute<{ institution: { personnelFlows: { edges: { node: { externalId: string; pairedWith: { externalId: string } | null } }[] }; personnelSummary: { paired: number } } }, unknown>(
      `{ institution(code: "${T2}") { personnelFlows(end: INTO, period: { from: "2020-01-01", to: "2020-01-31" }) { edges { node { externalId pairedWith { externalId } } } }
         personnelSummary(period: { from: "2020-01-01", to: "2020-12-31" }) { paired } } }`,
      undefined,
      county(),
    );
    return { with: r.data!.institution.personnelFlows.edges[0].node.pairedWith, paired: r.data!.institution.personnelSummary.paired };
  };
  expect(await partner()).toEqual({ with: { externalId: 'R-PU' }, paired: 1 });
  expect((await record(t, [{ ...up, cancelled: true }])).results[0].status).toBe('UPDATED');
  expect(await partner()).toEqual({ with: null, paired: 0 });
});

test('long-term physicians of many groups cost one statement, not one per group', async () => {
  const query = (first: number) => `{ countyGroups(first: ${first}) { edges { node { longTermStationedPhysicians(year: 2025) } } } }`;
  const token = t.token('PROVINCE', '340000');
  const one = await t.countStatements(() => t.execute(query(1), undefined, token));
  const three = await t.countStatements(async () => {
    const r = await t.execute<{ countyGroups: { edges: unknown[] } }, unknown>(query(3), undefined, token);
    expect(r.data!.countyGroups.edges).toHaveLength(3);
  });
  expect(three).toBe(one);
});
