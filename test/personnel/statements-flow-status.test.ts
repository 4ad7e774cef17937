// PersonnelFlow.status reads the group's time zone from the group row the operation already loaded:
// no more SQL statements than 89174fe (found in review).
import { startTestGateway, type TestGateway } from '../support/gateway';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

const query = (fields: string) => `{ countyGroup(code: "YGT-610902-HK") { personnelFlows(first: 5) { edges { node { id ${fields} } } } } }`;

test.each([
  ['COUNTY', 'YGT-610902-HK'],
  ['PROVINCE', '610000'],
])('status costs no statement once the group is loaded (%s)', async (role, scope) => {
  const token = t.token(role as 'COUNTY' | 'PROVINCE', scope);
  const without = await t.countStatements(() => t.execute(query(''), {}, token));
  const withStatus = await t.countStatements(async () => {
    const r = await t.execute(query('status'), {}, token);
    expect(r.errors).toBeUndefined();
  });
  expect(withStatus).toBe(without); // 89174fe: 3 and 3
});

// The started and active figures, the pairing rate's group and the out-of-county counts come from the
// summary's one statement and the rows the operation already loaded: no statement more than the
// contract's fields alone, for a group and for a page of members.
test.each([
  ['group', `{ countyGroup(code: "YGT-610902-HK") { personnelSummary(period: { from: "2025-01-01", to: "2025-12-31" }) { FIELDS } } }`, 'downward upward paired pairingRate { value }'],
  [
    'members',
    `{ institutions(filter: { groupCode: "YGT-340621-SX", kind: TOWNSHIP_HEALTH_CENTER }, first: 12) { edges { node { code personnelSummary(period: { from: "2025-01-01", to: "2025-12-31" }) { FIELDS } } } } }`,
    'receivedDown sentUp sentDown receivedUp pairingRate { value }',
  ],
])('started, active, out-of-county and the pairing note cost no statement more (%s)', async (_what, query, contractFields) => {
  const token = t.token('COUNTY', query.includes('HK') ? 'YGT-610902-HK' : 'YGT-340621-SX');
  const more = `${contractFields} pairingRateNote outOfCounty { sentOut receivedIn } started { paired outOfCounty { sentOut } } active { paired pairingRate { numerator } }`;
  const contract = await t.countStatements(() => t.execute(query.replace('FIELDS', contractFields), {}, token));
  const all = await t.countStatements(async () => {
    const r = await t.execute(query.replace('FIELDS', more), {}, token);
    expect(r.errors).toBeUndefined();
  });
  expect(all).toBe(contract);
});

test('a provenance filter is part of the one statement of a summary, not another one', async () => {
  const token = t.token('COUNTY', 'YGT-610902-HK');
  const query = (args: string) => `{ countyGroup(code: "YGT-610902-HK") { personnelSummary(period: { from: "2025-01-01", to: "2025-12-31" }${args}) { downward } } }`;
  const plain = await t.countStatements(() => t.execute(query(''), {}, token));
  const filtered = await t.countStatements(async () => {
    const r = await t.execute(query(', provenance: { in: [ARTICLE, INVENTED] }'), {}, token);
    expect(r.errors).toBeUndefined();
  });
  expect(filtered).toBe(plain);
});
