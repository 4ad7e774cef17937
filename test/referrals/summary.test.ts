// Institution.referralSummary(period): referrals a member sent and received, requested in the period
// by its group's local days, REJECTED and CANCELLED left out; batched (constant statements); and the
// module's member figures for the provincial pull (forMembers, changedSince).
import { issueToken, verifyToken } from '../../src/auth/token';
import { createRequestContext } from '../../src/context';
import { modules } from '../../src/modules';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/gateway';
import { RecordReferralsDocument } from './operations';

const HK = 'YGT-610902-HK';
const LEAD = '610902-HK-L01';
const T02 = '610902-HK-T02';
const V001 = '610902-HK-T02-V001';
const MARCH_2019 = { from: '2019-03-01', to: '2019-03-31' };

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

const record = (externalId: string, fromCode: string, toCode: string, requestedAt: string, history?: { status: string; at: string }[]) => ({
  source: 'summary-his',
  externalId,
  patientRef: `S-${externalId}`,
  fromCode,
  toCode,
  urgency: 'ROUTINE',
  requestedAt,
  ...(history ? { history } : {}),
});

const SUMMARY = `query($code: String!, $p: PeriodInput!) { institution(code: $code) { referralSummary(period: $p) {
  sentUp sentDown receivedUp receivedDown sentLateral receivedLateral sentOutOfCounty receivedFromOutOfCounty } } }`;
type Summary = { sentUp: number; sentDown: number; receivedUp: number; receivedDown: number };
/** None of these 恒口 fixtures is lateral or out-of-county. */
const NONE_APART = { sentLateral: 0, receivedLateral: 0, sentOutOfCounty: 0, receivedFromOutOfCounty: 0 };
const summary = async (code: string, period = MARCH_2019, token = t.token('COUNTY', HK)) => {
  const r = await t.execute<{ institution: { referralSummary: Summary } }, unknown>(SUMMARY, { code, p: period }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.institution.referralSummary;
};

let beforeWrites: Date;
beforeAll(async () => {
  beforeWrites = new Date();
  const r = await t.execute(
    RecordReferralsDocument,
    {
      input: [
        record('M1', T02, LEAD, '2019-03-10T10:00:00+08:00'),
        record('M2', T02, LEAD, '2019-03-31T23:30:00+08:00'), // 15:30 UTC: March in Asia/Shanghai
        record('M3', T02, LEAD, '2019-04-01T00:30:00+08:00'), // 2019-03-31 in UTC, but April locally: not counted
        record('M4', LEAD, T02, '2019-03-15T09:00:00+08:00'),
        record('M5', T02, LEAD, '2019-03-16T09:00:00+08:00', [{ status: 'REJECTED', at: '2019-03-16T09:30:00+08:00' }]),
        record('M6', T02, LEAD, '2019-03-17T09:00:00+08:00', [{ status: 'CANCELLED', at: '2019-03-17T09:30:00+08:00' }]),
        record('M7', V001, T02, '2019-03-18T09:00:00+08:00'),
        record('M8', T02, LEAD, '2019-02-28T23:59:00+08:00'), // February
      ],
    },
    t.token('SOURCE_SYSTEM', HK),
  );
  expect(r.data!.recordReferrals.created).toBe(8);
});

test('known answers: local days, both ends, REJECTED and CANCELLED left out', async () => {
  expect(await summary(T02)).toEqual({ sentUp: 2, sentDown: 0, receivedUp: 1, receivedDown: 1, ...NONE_APART });
  expect(await summary(LEAD)).toEqual({ sentUp: 0, sentDown: 1, receivedUp: 2, receivedDown: 0, ...NONE_APART });
  expect(await summary(V001)).toEqual({ sentUp: 1, sentDown: 0, receivedUp: 0, receivedDown: 0, ...NONE_APART });
  expect(await summary(T02, { from: '2019-04-01', to: '2019-04-30' })).toEqual({ sentUp: 1, sentDown: 0, receivedUp: 0, receivedDown: 0, ...NONE_APART });
});

test('equals a plain count over every referral of the group, for each member, over the demo data', async () => {
  const period = { from: '2025-01-01', to: '2025-12-31' };
  const rows = await t.gateway.db.prisma.referral.findMany({ where: { groupCode: HK } });
  const localDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
  const counted = rows.filter((r) => !['REJECTED', 'CANCELLED'].includes(r.status) && localDay(r.requestedAt) >= period.from && localDay(r.requestedAt) <= period.to);
  const members = [LEAD, T02, '610902-HK-T01', '610902-HK-T03'];
  expect(counted.length).toBeGreaterThan(20); // not vacuous
  for (const code of members) {
    const expected = {
      sentUp: counted.filter((r) => r.fromCode === code && r.direction === 'UPWARD' && !r.outOfCounty).length,
      sentDown: counted.filter((r) => r.fromCode === code && r.direction === 'DOWNWARD' && !r.outOfCounty).length,
      receivedUp: counted.filter((r) => r.toCode === code && r.direction === 'UPWARD' && !r.outOfCounty).length,
      receivedDown: counted.filter((r) => r.toCode === code && r.direction === 'DOWNWARD' && !r.outOfCounty).length,
      sentLateral: counted.filter((r) => r.fromCode === code && r.direction === 'LATERAL').length,
      receivedLateral: counted.filter((r) => r.toCode === code && r.direction === 'LATERAL').length,
      sentOutOfCounty: counted.filter((r) => r.fromCode === code && r.outOfCounty).length,
      receivedFromOutOfCounty: counted.filter((r) => r.toCode === code && r.outOfCounty).length,
    };
    expect([code, await summary(code, period)]).toEqual([code, expected]);
  }
});

test('an institution token sees the summary of its own referrals; another group\'s token does not reach the member', async () => {
  expect(await summary(T02, MARCH_2019, t.token('INSTITUTION', T02))).toEqual({ sentUp: 2, sentDown: 0, receivedUp: 1, receivedDown: 1, ...NONE_APART });
  const r = await t.execute(SUMMARY, { code: T02, p: MARCH_2019 }, t.token('COUNTY', 'YGT-340621-SX'));
  expect(r.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
});

test('a bad period is BAD_USER_INPUT on the period', async () => {
  const r = await t.execute(SUMMARY, { code: T02, p: { from: '2019-03-31', to: '2019-03-01' } }, t.token('COUNTY', HK));
  expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period.to' });
});

test('the summaries of many members cost the statements of one (batched)', async () => {
  const query = (first: number) =>
    `{ countyGroup(code: "${HK}") { members(first: ${first}) { edges { node { code referralSummary(period: { from: "2025-01-01", to: "2025-12-31" }) { sentUp receivedUp } } } } } }`;
  const token = t.token('COUNTY', HK);
  const few = await t.countStatements(() => t.execute(query(2), {}, token));
  const many = await t.countStatements(async () => {
    const r = await t.execute<{ countyGroup: { members: { edges: unknown[] } } }, unknown>(query(100), {}, token);
    expect(r.data!.countyGroup.members.edges.length).toBe(100);
  });
  expect(many).toBe(few);
});

describe('member figures for the provincial pull', () => {
  const context = () => createRequestContext(t.gateway.db.prisma, verifyToken(TEST_JWT_SECRET, issueToken(TEST_JWT_SECRET, { role: 'PROVINCE', scope: '610000' })));
  const period = { from: new Date('2019-03-01T00:00:00Z'), to: new Date('2019-03-31T00:00:00Z') };
  const figuresOf = (name: string) => modules.find((m) => m.name === name)!.memberFigures!(context());

  test('referrals: forMembers equals the API; changedSince names the members written after the instant', async () => {
    const figures = await figuresOf('referrals').forMembers([T02, LEAD], period);
    expect(figures.get(T02)).toEqual(await summary(T02));
    expect(figures.get(LEAD)).toEqual(await summary(LEAD));
    expect(await figuresOf('referrals').changedSince(beforeWrites, period)).toEqual([LEAD, T02, V001].sort());
    expect(await figuresOf('referrals').changedSince(new Date(), period)).toEqual([]);
  });

  test('personnel: forMembers equals the API; changedSince names the ends of flows written after the instant', async () => {
    const since = new Date();
    const flow = {
      source: 'summary-hr',
      externalId: 'PF-1',
      staff: { externalId: 'ST-1', name: '李医生', homeCode: LEAD },
      fromCode: LEAD,
      toCode: T02,
      kind: 'STATIONED',
      startDate: '2019-03-05',
      endDate: '2019-03-25',
    };
    const recorded = await t.execute<{ recordPersonnelFlows: { accepted: number } }, unknown>(
      `mutation($input: [PersonnelFlowInput!]!) { recordPersonnelFlows(input: $input) { accepted } }`,
      { input: [flow] },
      t.token('SOURCE_SYSTEM', HK),
    );
    expect(recorded.data!.recordPersonnelFlows.accepted).toBe(1);
    const api = await t.execute<{ institution: { personnelSummary: Record<string, unknown> } }, unknown>(
      `query($p: PeriodInput!) { institution(code: "${T02}") { personnelSummary(period: $p) { receivedDown sentUp sentDown receivedUp paired personDaysReceived pairingRate { numerator denominator value } } } }`,
      { p: MARCH_2019 },
      t.token('COUNTY', HK),
    );
    const figures = await figuresOf('personnel').forMembers([T02], period);
    expect(figures.get(T02)).toMatchObject(api.data!.institution.personnelSummary); // forMembers also holds the started and active blocks
    expect(figures.get(T02)).toMatchObject({ receivedDown: 1, personDaysReceived: 21 });
    expect(await figuresOf('personnel').changedSince(since, period)).toEqual([LEAD, T02].sort());
  });
});
