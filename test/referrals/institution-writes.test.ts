// INSTITUTION writes (issue 8, item 10), through the real gateway on the demo data: an institution
// token opens referrals from itself only (not from the lead hospital to itself as the receiver), to an
// institution it deals with (one under it, the one it is under, a sibling of its level under the same
// parent for a declared lateral referral, county-level members and partners),
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
// An institution's HIS writes as its own code (the token names no other source).
function create(fromCode: string, toCode: string, scope = NANPING) {
  const input = { source: scope, externalId: `IW-${++seq}`, patientRef: `PX-iw-${seq}`, fromCode, toCode, urgency: 'ROUTINE' };
  return t.execute<Created, unknown>(CREATE, { input }, issueToken(TEST_JWT_SECRET, { role: 'INSTITUTION', scope }));
}

const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => {
  const { code, field } = r.errors?.[0]?.extensions ?? {};
  return { code, field };
};
const count = () => t.gateway.db.prisma.referral.count({ where: { externalId: { startsWith: 'IW-' } } });

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

test('a sibling (same level, same parent) takes a declared lateral referral: township to township, clinic to clinic of one branch; the receiver accepts it', async () => {
  const prisma = t.gateway.db.prisma;
  const branch = await prisma.institution.findUniqueOrThrow({ where: { code: NANPING } });
  const sibling = (await prisma.institution.findFirst({ where: { parentCode: branch.parentCode, level: branch.level, NOT: { code: NANPING } }, orderBy: { code: 'asc' } }))!;
  const clinic2 = (await prisma.institution.findFirst({ where: { parentCode: NANPING, kind: 'VILLAGE_CLINIC', NOT: { code: ownClinic.code } }, orderBy: { code: 'asc' } }))!;
  const lateral = (fromCode: string, toCode: string, scope: string, declared = true) =>
    t.execute<Created, unknown>(
      CREATE,
      { input: { source: scope, externalId: `IW-${++seq}`, patientRef: `PX-iw-${seq}`, fromCode, toCode, urgency: 'ROUTINE', lateral: declared } },
      issueToken(TEST_JWT_SECRET, { role: 'INSTITUTION', scope }),
    );
  const townships = await lateral(NANPING, sibling.code, NANPING);
  expect(townships.errors).toBeUndefined();
  expect(townships.data!.createReferral).toMatchObject({ direction: 'LATERAL', to: { code: sibling.code } });
  const clinics = await lateral(ownClinic.code, clinic2.code, ownClinic.code);
  expect(clinics.errors).toBeUndefined();
  expect(clinics.data!.createReferral).toMatchObject({ direction: 'LATERAL', to: { code: clinic2.code } });
  // Undeclared, it is the lateral rule that answers (the sibling is in scope); a clinic under another branch stays unknown.
  expect(codeOf(await lateral(NANPING, sibling.code, NANPING, false))).toEqual({ code: 'BAD_USER_INPUT', field: 'lateral' });
  const outside = await lateral(ownClinic.code, otherClinic.code, ownClinic.code);
  expect(codeOf(outside)).toEqual({ code: 'BAD_USER_INPUT', field: 'toCode' });
  expect(outside.errors![0].message).toBe(`Institution "${otherClinic.code}" was not found or is outside your scope`);
  // The receiving sibling's HIS accepts it.
  const accepted = await t.execute<{ transitionReferral: { status: string } }, unknown>(
    `mutation($id: ID!) { transitionReferral(id: $id, to: ACCEPTED) { status } }`,
    { id: townships.data!.createReferral.id },
    issueToken(TEST_JWT_SECRET, { role: 'INSTITUTION', scope: sibling.code }),
  );
  expect(accepted.errors).toBeUndefined();
  expect(accepted.data!.transitionReferral.status).toBe('ACCEPTED');
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

describe('an institution writes its own source only', () => {
  const PLATFORM = 'sx-referral-platform';
  const platform = () => issueToken(TEST_JWT_SECRET, { role: 'SOURCE_SYSTEM', scope: SX, source: PLATFORM });
  const nanping = (source?: string) => issueToken(TEST_JWT_SECRET, { role: 'INSTITUTION', scope: NANPING, ...(source ? { source } : {}) });
  const input = (source: string, externalId: string, fromCode = NANPING) => ({ source, externalId, patientRef: `PX-${externalId}`, fromCode, toCode: LEAD, urgency: 'ROUTINE' });

  test("another source's keys: refused on source before any lookup, the same words whether the key exists or not", async () => {
    // The platform's referral from 临涣 to the lead hospital, which 南坪 cannot read.
    const stored = await t.execute<Created, unknown>(CREATE, { input: input(PLATFORM, 'IWP-1', '340621-SX-T02') }, platform());
    expect(stored.errors).toBeUndefined();
    const before = await t.gateway.db.prisma.referral.count();
    const probes = await Promise.all(['IWP-1', 'IWP-NONE'].map((key) => t.execute<Created, unknown>(CREATE, { input: input(PLATFORM, key) }, nanping())));
    for (const r of probes) {
      expect([r.data, codeOf(r)]).toEqual([null, { code: 'FORBIDDEN', field: 'source' }]);
      expect(r.errors![0].message).toBe(`This token writes as source "${NANPING}" only`);
    }
    expect(await t.gateway.db.prisma.referral.count()).toBe(before);
  });

  test("an institution cannot squat a key of the platform's; the platform then writes it", async () => {
    const squat = await t.execute<Created, unknown>(CREATE, { input: input(PLATFORM, 'IWP-SQUAT') }, nanping());
    expect(codeOf(squat)).toEqual({ code: 'FORBIDDEN', field: 'source' });
    const own = await t.execute<Created, unknown>(CREATE, { input: input(PLATFORM, 'IWP-SQUAT') }, platform());
    expect(own.errors).toBeUndefined();
    expect(own.data!.createReferral.from.code).toBe(NANPING);
  });

  test('with a source claim it writes that source, not its code; a key is a duplicate only within its own source', async () => {
    const his = 'nanping-his';
    expect((await t.execute<Created, unknown>(CREATE, { input: input(his, 'IWP-2') }, nanping(his))).errors).toBeUndefined();
    expect(codeOf(await t.execute<Created, unknown>(CREATE, { input: input(NANPING, 'IWP-3') }, nanping(his)))).toEqual({ code: 'FORBIDDEN', field: 'source' });
    // The same key again with other data: a duplicate of its own source's referral.
    const again = await t.execute<Created, unknown>(CREATE, { input: { ...input(his, 'IWP-2'), patientRef: 'PX-other' } }, nanping(his));
    expect(codeOf(again)).toEqual({ code: 'BAD_USER_INPUT', field: 'externalId' });
    expect(again.errors![0].message).toMatch(/^A different referral with source "nanping-his" and externalId "IWP-2" already exists/);
  });
});
