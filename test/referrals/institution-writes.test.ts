// INSTITUTION writes (issue 8, item 10), through the real gateway on the demo data: an institution
// token opens referrals from itself only (not from the lead hospital to itself as the receiver), to an
// institution it deals with (one under it, the one it is under, county-level members and partners),
// and no answer, success or error, tells it anything its read scope does not: a clinic under another
// branch or another group's hospital is answered exactly as a code that does not exist.
import { issueToken } from '../../src/auth/token';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/gateway';

const SX = 'YGT-340621-SX';
const NANPING = '340621-SX-T01'; // 南坪分院 (level 2)
const LEAD = '340621-SX-L01';
const HK_LEAD = '610902-HK-L01';

let t: TestGateway;
let ownClinic: { code: string; name: string };
let otherClinic: { code: string; name: string };
beforeAll(async () => {
  t = await startTestGateway();
  const prisma = t.gateway.db.prisma;
  ownClinic = (await prisma.institution.findFirst({ where: { parentCode: NANPING, kind: 'VILLAGE_CLINIC' }, orderBy: { code: 'asc' } }))!;
  otherClinic = (await prisma.institution.findFirst({ where: { groupCode: SX, kind: 'VILLAGE_CLINIC', NOT: { parentCode: NANPING } }, orderBy: { code: 'asc' } }))!;
  expect(ownClinic && otherClinic).toBeTruthy();
});
afterAll(() => t?.stop());

const CREATE = `mutation($input: CreateReferralInput!) {
  createReferral(input: $input) { id direction from { code name } to { code name } }
}`;

interface Created {
  createReferral: { id: string; direction: string; from: { code: string; name: string }; to: { code: string; name: string } };
}

let seq = 0;
function create(fromCode: string, toCode: string, scope = NANPING) {
  const input = { source: 'inst-his', externalId: `IW-${++seq}`, patientRef: `PX-iw-${seq}`, fromCode, toCode, urgency: 'ROUTINE' };
  return t.execute<Created, unknown>(CREATE, { input }, issueToken(TEST_JWT_SECRET, { role: 'INSTITUTION', scope }));
}

const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => {
  const { code, field } = r.errors?.[0]?.extensions ?? {};
  return { code, field };
};
const count = () => t.gateway.db.prisma.referral.count({ where: { source: 'inst-his' } });

test('an institution opens referrals from itself: up to the lead hospital, down to a clinic under it', async () => {
  const up = await create(NANPING, LEAD);
  expect(up.errors).toBeUndefined();
  expect(up.data!.createReferral).toMatchObject({ direction: 'UPWARD', from: { code: NANPING }, to: { code: LEAD } });
  const down = await create(NANPING, ownClinic.code);
  expect(down.errors).toBeUndefined();
  expect(down.data!.createReferral).toMatchObject({ direction: 'DOWNWARD', to: { code: ownClinic.code, name: ownClinic.name } });
  // A clinic refers up to the branch it is under.
  const clinicUp = await create(ownClinic.code, NANPING, ownClinic.code);
  expect(clinicUp.errors).toBeUndefined();
  expect(clinicUp.data!.createReferral).toMatchObject({ direction: 'UPWARD', to: { code: NANPING } });
});

test('not from another institution, nor from the lead hospital to itself as the receiver', async () => {
  const before = await count();
  for (const [from, to] of [[LEAD, NANPING], [LEAD, ownClinic.code], ['340621-SX-T02', LEAD], ['NO-SUCH-CODE', NANPING]]) {
    const r = await create(from, to);
    expect([from, to, codeOf(r)]).toEqual([from, to, { code: 'FORBIDDEN', field: 'fromCode' }]);
    // The same words whether the sender exists or not.
    expect(r.errors![0].message).toBe(`An INSTITUTION token opens referrals from its own institution (${NANPING}) only`);
    expect(r.data).toBeNull();
  }
  expect(await count()).toBe(before);
});

test('a receiver outside its scope is answered as an unknown code, and nothing of it shows', async () => {
  const before = await count();
  const answers = await Promise.all([otherClinic.code, HK_LEAD, 'NO-SUCH-CODE'].map(async (code) => [code, await create(NANPING, code)] as const));
  for (const [code, r] of answers) {
    expect([code, r.data, r.errors?.length, codeOf(r)]).toEqual([code, null, 1, { code: 'BAD_USER_INPUT', field: 'toCode' }]);
    expect(r.errors![0].message).toBe(`Institution "${code}" was not found or is outside your scope`);
    // (Stack traces, in this non-production gateway, aside.)
    expect(JSON.stringify({ data: r.data, message: r.errors![0].message, ...codeOf(r) })).not.toContain(otherClinic.name);
  }
  expect(await count()).toBe(before);
  // The clinic's name stays out of reach: no referral to it can be read either.
  const probe = await t.execute<{ referrals: { edges: { node: { to: { name: string } } }[] } }, unknown>(
    `{ referrals(first: 100) { edges { node { to { name } } } } }`,
    {},
    issueToken(TEST_JWT_SECRET, { role: 'INSTITUTION', scope: NANPING }),
  );
  expect(probe.errors).toBeUndefined();
  expect(JSON.stringify(probe.data)).not.toContain(otherClinic.name);
});

test('a source system still opens referrals between any two members of its group', async () => {
  const r = await t.execute<Created, unknown>(
    CREATE,
    { input: { source: 'inst-his', externalId: `IW-${++seq}`, patientRef: 'PX-iw-s', fromCode: LEAD, toCode: otherClinic.code, urgency: 'ROUTINE' } },
    issueToken(TEST_JWT_SECRET, { role: 'SOURCE_SYSTEM', scope: SX }),
  );
  expect(r.errors).toBeUndefined();
  expect(r.data!.createReferral.to).toEqual({ code: otherClinic.code, name: otherClinic.name });
});
