// A referral's ends share the lookups of every other institution read (for every token but an
// institution's): reading an end's parent costs no more SQL statements than 89174fe (found in review).
import { startTestGateway, type TestGateway } from '../support/gateway';
import { RecordReferralsDocument } from './operations';

const HK = 'YGT-610902-HK';
const LEAD = '610902-HK-L01';
const T02 = '610902-HK-T02';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  const referral = (externalId: string, fromCode: string, toCode: string) => ({
    source: 'review-ends', externalId, patientRef: `P-${externalId}`, fromCode, toCode, urgency: 'ROUTINE', requestedAt: '2019-05-10T10:00:00+08:00',
  });
  const r = await t.execute(RecordReferralsDocument, { input: [referral('E-1', T02, LEAD), referral('E-2', LEAD, T02)] }, t.token('SOURCE_SYSTEM', HK));
  expect(r.data!.recordReferrals.created).toBe(2);
});
afterAll(() => t?.stop());

// Only the two referrals above: their ends are T02 and LEAD, and T02's parent is LEAD.
const query = (toFields: string) =>
  `{ referrals(filter: { groupCode: "${HK}", requestedSince: "2019-05-01T00:00:00Z", requestedBefore: "2019-06-01T00:00:00Z" }) { edges { node { id from { code } to { code ${toFields} } } } } }`;

test.each([
  ['COUNTY', HK],
  ['PROVINCE', '610000'],
  ['SOURCE_SYSTEM', HK],
])('the parent of an end that is itself an end costs no statement (%s)', async (role, scope) => {
  const token = t.token(role as 'COUNTY' | 'PROVINCE' | 'SOURCE_SYSTEM', scope);
  const without = await t.countStatements(() => t.execute(query(''), {}, token));
  const withParent = await t.countStatements(async () => {
    const r = await t.execute<{ referrals: { edges: { node: { to: { code: string; parent: { code: string } | null } } }[] } }, unknown>(query('parent { code }'), {}, token);
    expect(r.data!.referrals.edges.map((e) => [e.node.to.code, e.node.to.parent?.code ?? null]).sort()).toEqual([[LEAD, null], [T02, LEAD]]);
  });
  expect(withParent).toBe(without); // 89174fe: equal
});
