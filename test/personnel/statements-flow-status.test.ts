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
