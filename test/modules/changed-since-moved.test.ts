// memberFigures().changedSince must name a member a write moved a record away from (another end, or
// out of the period): that member's figures for the period changed, and a pull built on
// changedSince would otherwise keep stale figures (found in review).
import { issueToken, verifyToken } from '../../src/auth/token';
import { createRequestContext } from '../../src/context';
import { modules } from '../../src/modules';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/gateway';
import { RecordReferralsDocument } from '../referrals/operations';

const HK = 'YGT-610902-HK';
const LEAD = '610902-HK-L01';
const T02 = '610902-HK-T02';
const T03 = '610902-HK-T03';
const MARCH = { from: new Date('2019-03-01T00:00:00Z'), to: new Date('2019-03-31T00:00:00Z') };

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

const figures = (name: string) =>
  modules.find((m) => m.name === name)!.memberFigures!(
    createRequestContext(t.gateway.db.prisma, verifyToken(TEST_JWT_SECRET, issueToken(TEST_JWT_SECRET, { role: 'PROVINCE', scope: '610000' }))),
  );

test('referrals: a member whose referral moved to another end, or out of the period, is named', async () => {
  const referral = (externalId: string, fromCode: string, requestedAt: string) => ({
    source: 'review-moved', externalId, patientRef: `P-${externalId}`, fromCode, toCode: LEAD, urgency: 'ROUTINE', requestedAt,
  });
  const send = (input: Record<string, unknown>[]) => t.execute(RecordReferralsDocument, { input }, t.token('SOURCE_SYSTEM', HK));
  await send([referral('MV-1', T02, '2019-03-10T10:00:00+08:00'), referral('MV-2', T02, '2019-03-11T10:00:00+08:00')]);
  const before = await figures('referrals').forMembers([T02], MARCH);
  const since = new Date();
  await new Promise((resolve) => setTimeout(resolve, 10));
  // MV-1 now comes from T03; MV-2's requestedAt is corrected into April.
  const r = await send([referral('MV-1', T03, '2019-03-10T10:00:00+08:00'), referral('MV-2', T02, '2019-04-11T10:00:00+08:00')]);
  expect(r.data!.recordReferrals.updated).toBe(2);
  const after = await figures('referrals').forMembers([T02], MARCH);
  const sentUp = (figures: Map<string, object>) => (figures.get(T02) as { sentUp: number }).sentUp;
  expect(sentUp(after)).toBe(sentUp(before) - 2); // T02's March figures changed …
  expect(await figures('referrals').changedSince(since, MARCH)).toContain(T02); // … so T02 must be named
});

test('personnel: a member a flow no longer goes to is named', async () => {
  const flow = (toCode: string) => ({
    source: 'review-moved-hr', externalId: 'MVF-1', staff: { externalId: 'MVF-S1', name: '李医生', homeCode: LEAD },
    fromCode: LEAD, toCode, kind: 'STATIONED', startDate: '2019-03-05', endDate: '2019-03-25',
  });
  const send = (input: Record<string, unknown>[]) =>
    t.execute<{ recordPersonnelFlows: { results: { status: string }[] } }, unknown>(
      `mutation($input: [PersonnelFlowInput!]!) { recordPersonnelFlows(input: $input) { results { status } } }`,
      { input },
      t.token('SOURCE_SYSTEM', HK),
    );
  expect((await send([flow(T02)])).data!.recordPersonnelFlows.results[0].status).toBe('CREATED');
  const before = await figures('personnel').forMembers([T02], MARCH);
  const since = new Date();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect((await send([flow(T03)])).data!.recordPersonnelFlows.results[0].status).toBe('UPDATED');
  const after = await figures('personnel').forMembers([T02], MARCH);
  expect(after.get(T02)).not.toEqual(before.get(T02)); // T02's March figures changed …
  expect(await figures('personnel').changedSince(since, MARCH)).toContain(T02); // … so T02 must be named
});

test('personnel: the pull gets the flows started in the period (summable), and changedSince names the ends of a new one', async () => {
  const T01 = '610902-HK-T01';
  const flow = (externalId: string, startDate: string, endDate: string) => ({
    source: 'review-started-hr', externalId, staff: { externalId: `S-${externalId}`, name: '王医生', homeCode: LEAD },
    fromCode: LEAD, toCode: T01, kind: 'STATIONED', startDate, endDate,
  });
  const send = (input: Record<string, unknown>[]) =>
    t.execute<{ recordPersonnelFlows: { results: { status: string }[] } }, unknown>(
      `mutation($input: [PersonnelFlowInput!]!) { recordPersonnelFlows(input: $input) { results { status } } }`,
      { input },
      t.token('SOURCE_SYSTEM', HK),
    );
  const since = new Date();
  await new Promise((resolve) => setTimeout(resolve, 10));
  // One posting started in February and still running in March, one started in March.
  const r = await send([flow('ST-FEB', '2019-02-20', '2019-03-10'), flow('ST-MAR', '2019-03-12', '2019-03-20')]);
  expect(r.data!.recordPersonnelFlows.results.map((x) => x.status)).toEqual(['CREATED', 'CREATED']);
  const march = (await figures('personnel').forMembers([T01], MARCH)).get(T01) as { receivedDown: number; active: { receivedDown: number } };
  expect([march.receivedDown, march.active.receivedDown]).toEqual([1, 2]);
  const february = (await figures('personnel').forMembers([T01], { from: new Date('2019-02-01T00:00:00Z'), to: new Date('2019-02-28T00:00:00Z') })).get(T01) as { receivedDown: number };
  expect(february.receivedDown).toBe(1); // February + March = the two flows, each once
  expect(await figures('personnel').changedSince(since, MARCH)).toEqual(expect.arrayContaining([LEAD, T01]));
});
