// Personnel figures on constructed cases with known answers: flows started in a period (events) and
// active in it (person-days clipped to the period), pairing rates and where they do not apply,
// long-term stationed physicians; the scope of reads and of staff contact data.
import { isoDay, todayIn } from '../../src/common/clock';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { createPersonnelFixture, flow, GROUP, LEAD, OTHER_GROUP, OTHER_LEAD, OTHER_T1, record, T1, T2, VILLAGE } from './fixtures';

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

const MEMBER_COUNTS = `receivedDown sentUp sentDown receivedUp sentLateral receivedLateral paired pairingRate { value numerator denominator } outOfCounty { sentOut receivedIn }`;

async function member(code: string, from: string, to: string) {
  const r = await t.execute<{ institution: { personnelSummary: Record<string, unknown> & { started: Record<string, unknown>; active: Record<string, unknown> } } }, unknown>(
    `query($c: String!, $p: PeriodInput!) { institution(code: $c) { personnelSummary(period: $p) {
       receivedDown sentUp sentDown receivedUp paired pairingRate { value numerator denominator } pairingRateNote personDaysReceived
       started { ${MEMBER_COUNTS} } active { ${MEMBER_COUNTS} personDaysReceived } } } }`,
    { c: code, p: { from, to } },
    county(),
  );
  expect(r.errors).toBeUndefined();
  return r.data!.institution.personnelSummary;
}

test("a member's summary: flows counted at each end, pairing rate, person-days clipped", async () => {
  const t1 = await member(T1, '2024-01-01', '2024-12-31');
  const counts = { receivedDown: 2, sentUp: 1, sentDown: 0, receivedUp: 0, paired: 1, pairingRate: { value: 0.5, numerator: 1, denominator: 2 } };
  expect(t1).toMatchObject({ ...counts, pairingRateNote: null, personDaysReceived: 182 + 92 });
  // Every flow of T1 started in 2024: started and active agree, and the top level is the started block.
  expect(t1.started).toEqual({ ...counts, sentLateral: 0, receivedLateral: 0, outOfCounty: { sentOut: 0, receivedIn: 0 } });
  expect(t1.active).toEqual({ ...t1.started, personDaysReceived: 182 + 92 });
  // Clipped to June..December: 30 days of R-DOWN-1 and 92 of R-DOWN-3; R-DOWN-1 started before June.
  const fromJune = await member(T1, '2024-06-01', '2024-12-31');
  expect(fromJune).toMatchObject({ receivedDown: 1, personDaysReceived: 30 + 92, active: { receivedDown: 2 } });
  expect(await member(T2, '2024-01-01', '2024-12-31')).toMatchObject({ receivedDown: 1, personDaysReceived: 184, pairingRate: { value: 0, numerator: 0, denominator: 1 } });
  // R-DOWN-2 (2024-07-01..2025-06-30) started in 2024: in 2025 it is active (181 days), not started.
  expect(await member(T2, '2025-01-01', '2025-12-31')).toMatchObject({
    receivedDown: 0,
    personDaysReceived: 181,
    started: { receivedDown: 0 },
    active: { receivedDown: 1, personDaysReceived: 181, pairingRate: { value: 0, numerator: 0, denominator: 1 } },
  });
  expect(await member(LEAD, '2024-01-01', '2024-12-31')).toMatchObject({ sentDown: 4, receivedUp: 1, receivedDown: 0, pairingRate: { value: null, numerator: 0, denominator: 0 } });
  expect(await member(T1, '2023-01-01', '2023-12-31')).toMatchObject({ receivedDown: 0, personDaysReceived: 0 });
});

test('summed over years, started flows count each flow once; active ones count it in every year it spans', async () => {
  const years = ['2024', '2025'];
  const of = await Promise.all(years.map((y) => member(T2, `${y}-01-01`, `${y}-12-31`)));
  const whole = await member(T2, '2024-01-01', '2025-12-31');
  const sum = (pick: (s: Awaited<ReturnType<typeof member>>) => number) => of.map(pick).reduce((a, b) => a + b, 0);
  expect(sum((s) => s.receivedDown as number)).toBe(whole.receivedDown);
  expect(sum((s) => s.active.receivedDown as number)).toBe((whole.active.receivedDown as number) + 1); // R-DOWN-2, in both years
  expect(sum((s) => s.personDaysReceived as number)).toBe(whole.personDaysReceived);
});

test("the group's summary sums the same flows; long-term stationed physicians need 183 days and a title", async () => {
  const r = await t.execute<{ countyGroup: { personnelSummary: unknown; y2024: number; y2025: number } }, unknown>(
    `query($g: String!) { countyGroup(code: $g) {
       personnelSummary(period: { from: "2024-01-01", to: "2024-12-31" }) { downward upward lateral paired pairingRate { value numerator denominator } pairingRateNote personDaysDown
         started { downward upward lateral paired pairingRate { value numerator denominator } outOfCounty { sentOut receivedIn } } }
       y2024: longTermStationedPhysicians(year: 2024) y2025: longTermStationedPhysicians(year: 2025) } }`,
    { g: GROUP },
    county(),
  );
  const counts = { downward: 4, upward: 1, lateral: 0, paired: 1, pairingRate: { value: 0.25, numerator: 1, denominator: 4 } };
  expect(r.data!.countyGroup.personnelSummary).toEqual({
    ...counts,
    pairingRateNote: null,
    personDaysDown: 182 + 184 + 92 + 200,
    started: { ...counts, outOfCounty: { sentOut: 0, receivedIn: 0 } },
  });
  // 2024: R-DOWN-2 (intermediate, 184 days) only; R-DOWN-1 has 182, R-DOWN-3 is junior, R-DOWN-4 a nurse.
  expect(r.data!.countyGroup.y2024).toBe(1);
  expect(r.data!.countyGroup.y2025).toBe(0);
});

test('a list with cancelled: false holds what the summary counts; cancelled: true the cancelled flows alone', async () => {
  const query = `query($c: String!, $x: Boolean) { institution(code: $c) { personnelFlows(end: INTO, cancelled: $x) { totalCount edges { node { status } } } } }`;
  type Answer = { institution: { personnelFlows: { totalCount: number; edges: { node: { status: string } }[] } } };
  const counting = await t.execute<Answer, unknown>(query, { c: T1, x: false }, county());
  const cancelled = await t.execute<Answer, unknown>(query, { c: T1, x: true }, county());
  const all = await t.execute<Answer, unknown>(query, { c: T1 }, county());
  expect(counting.data!.institution.personnelFlows.edges.every((e) => e.node.status !== 'CANCELLED')).toBe(true);
  expect(cancelled.data!.institution.personnelFlows.edges.map((e) => e.node.status)).toEqual(['CANCELLED']);
  expect(counting.data!.institution.personnelFlows.totalCount + 1).toBe(all.data!.institution.personnelFlows.totalCount);
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
  // Nor does the cancelled side name its former partner.
  const cancelledSide = await t.execute<{ institution: { personnelFlows: { edges: { node: { externalId: string; status: string; pairedWith: unknown } }[] } } }, unknown>(
    `{ institution(code: "${T2}") { personnelFlows(end: OUT_OF, startedIn: { from: "2020-02-01", to: "2020-02-28" }) { edges { node { externalId status pairedWith { externalId } } } } } }`,
    undefined,
    county(),
  );
  expect(cancelledSide.data!.institution.personnelFlows.edges.map((e) => e.node)).toEqual([{ externalId: 'R-PU', status: 'CANCELLED', pairedWith: null }]);
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

test('a group that does not practise pairing has no pairing rate, with the reason; its flows still count', async () => {
  await t.gateway.db.prisma.countyGroup.update({ where: { code: OTHER_GROUP }, data: { practisesPairing: false } });
  const result = await record(
    t,
    [
      flow({ externalId: 'NP-DOWN', staff: { externalId: 'NP-D', name: '癸', homeCode: OTHER_LEAD }, fromCode: OTHER_LEAD, toCode: OTHER_T1, startDate: '2024-04-01', endDate: '2024-04-30', pairedExternalId: 'NP-UP' }),
      flow({ externalId: 'NP-UP', staff: { externalId: 'NP-U', name: '子', homeCode: OTHER_T1 }, fromCode: OTHER_T1, toCode: OTHER_LEAD, kind: 'TRAINING', startDate: '2024-05-01', endDate: '2024-05-31' }),
    ],
    OTHER_GROUP,
  );
  expect(result.rejected).toBe(0);
  const r = await t.execute<{ countyGroup: { practisesPairing: boolean; personnelSummary: Record<string, unknown> }; institution: { personnelSummary: Record<string, unknown> } }, unknown>(
    `query($g: String!, $c: String!) { countyGroup(code: $g) { practisesPairing personnelSummary(period: { from: "2024-01-01", to: "2024-12-31" }) {
       downward paired pairingRate { value } pairingRateNote started { pairingRate { value } } active { pairingRate { value } } } }
     institution(code: $c) { personnelSummary(period: { from: "2024-01-01", to: "2024-12-31" }) { receivedDown paired pairingRate { value } pairingRateNote } } }`,
    { g: OTHER_GROUP, c: OTHER_T1 },
    t.token('COUNTY', OTHER_GROUP),
  );
  expect(r.errors).toBeUndefined();
  expect(r.data!.countyGroup.practisesPairing).toBe(false);
  expect(r.data!.countyGroup.personnelSummary).toMatchObject({ downward: 1, paired: 1, pairingRate: null, started: { pairingRate: null }, active: { pairingRate: null } });
  expect(r.data!.countyGroup.personnelSummary.pairingRateNote).toMatch(/does not practise pairing \(派一送一\)/);
  expect(r.data!.institution.personnelSummary).toMatchObject({ receivedDown: 1, paired: 1, pairingRate: null });
  expect(r.data!.institution.personnelSummary.pairingRateNote).toMatch(/does not practise pairing/);
});

test('provenance: API writes are SOURCE_SYSTEM; lists and summaries filter by provenance', async () => {
  const prisma = t.gateway.db.prisma;
  const row = await prisma.personnelFlow.findFirstOrThrow({ where: { groupCode: GROUP, externalId: 'R-DOWN-3' }, include: { staff: true } });
  expect([row.provenance, row.article, row.provenanceNote, row.staff.provenance]).toEqual(['SOURCE_SYSTEM', null, null, 'SOURCE_SYSTEM']);
  // Mark one flow synthetic, as the demo loader would.
  await prisma.personnelFlow.update({ where: { id: row.id }, data: { provenance: 'SYNTHETIC', provenanceNote: 'test' } });
  try {
    type Result = { countyGroup: { all: { downward: number }; real: { downward: number }; flows: { totalCount: number; edges: { node: { externalId: string; provenance: string; staff: { provenance: string } } }[] } } };
    const r = await t.execute<Result, unknown>(
      `query($g: String!) { countyGroup(code: $g) {
         all: personnelSummary(period: { from: "2024-01-01", to: "2024-12-31" }) { downward }
         real: personnelSummary(period: { from: "2024-01-01", to: "2024-12-31" }, provenance: { in: [ARTICLE, INVENTED, SOURCE_SYSTEM] }) { downward }
         flows: personnelFlows(first: 50, provenance: { in: [SYNTHETIC] }) { totalCount edges { node { externalId provenance staff { provenance } } } } } }`,
      { g: GROUP },
      county(),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.countyGroup.real.downward).toBe(r.data!.countyGroup.all.downward - 1);
    expect(r.data!.countyGroup.flows.edges.map((e) => e.node)).toEqual([{ externalId: 'R-DOWN-3', provenance: 'SYNTHETIC', staff: { provenance: 'SOURCE_SYSTEM' } }]);
    // A source system sending the record again makes it its own.
    const flows = await record(t, [flow({ externalId: 'R-DOWN-3', staff: { externalId: 'D3', name: '丁', homeCode: LEAD, title: 'JUNIOR', profession: 'PHYSICIAN' }, startDate: '2024-10-01', endDate: '2024-12-31' })]);
    expect(flows.results[0].status).toBe('UPDATED');
    expect((await prisma.personnelFlow.findUniqueOrThrow({ where: { id: row.id } })).provenance).toBe('SOURCE_SYSTEM');
  } finally {
    await prisma.personnelFlow.update({ where: { id: row.id }, data: { provenance: 'SOURCE_SYSTEM', provenanceNote: null, endDate: null } });
  }
});

test('startedIn lists the flows a summary counts at its top level; period those it counts as active', async () => {
  type Page = { countyGroup: { started: { edges: { node: { externalId: string } }[] }; active: { edges: { node: { externalId: string } }[] }; summary: { receivedDown: number } } };
  const r = await t.execute<Page, unknown>(
    `query($g: String!) { countyGroup(code: $g) {
       started: personnelFlows(startedIn: { from: "2025-01-01", to: "2025-12-31" }, direction: DOWNWARD, first: 50) { edges { node { externalId } } }
       active: personnelFlows(period: { from: "2025-01-01", to: "2025-12-31" }, direction: DOWNWARD, first: 50) { edges { node { externalId } } }
       summary: personnelSummary(period: { from: "2025-01-01", to: "2025-12-31" }) { receivedDown: downward } } }`,
    { g: GROUP },
    county(),
  );
  expect(r.errors).toBeUndefined();
  const ids = (list: { edges: { node: { externalId: string } }[] }) => list.edges.map((e) => e.node.externalId);
  expect(ids(r.data!.countyGroup.active)).toEqual(expect.arrayContaining(['R-DOWN-2', 'R-DOWN-3']));
  expect(ids(r.data!.countyGroup.started)).not.toContain('R-DOWN-2');
  const bad = await t.execute(`{ countyGroup(code: "${GROUP}") { personnelFlows(startedIn: { from: "2025-02-01", to: "2025-01-01" }) { totalCount } } }`, undefined, county());
  expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'startedIn.to' });
});
