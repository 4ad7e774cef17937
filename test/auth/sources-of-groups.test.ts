// Sources belong to a group (issue 8, item 3), tried as an attacker with a valid token would: two
// groups' source systems use the same source names and externalIds without colliding; a token that
// names its source writes that source only; and no answer to a cross-group attempt says anything of
// the other group's records (keys, directions, groups). Personnel flows and their staff, referral
// batches, single referrals and their status steps, on PostgreSQL through the real gateway.
import jwt from 'jsonwebtoken';
import type { Role } from '../../src/auth/principal';
import { issueToken, verifyToken } from '../../src/auth/token';
import { ARTICLE_SOURCE, CHEST_PAIN_EXTERNAL_ID } from '../../src/modules/referrals/referral.demo';
import { createPersonnelFixture, flow, GROUP, LEAD, OTHER_GROUP, OTHER_LEAD, OTHER_T1, RECORD, T1, type FlowInput, type RecordResult } from '../personnel/fixtures';
import { CreateReferralDocument, RecordReferralsDocument, TransitionReferralDocument } from '../referrals/operations';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/gateway';

const HK = 'YGT-610902-HK';
const ZP = 'YGT-411324-ZP';
const HK_T02 = '610902-HK-T02';
const HK_LEAD = '610902-HK-L01';
const ZP_T01 = '411324-ZP-T01';
const ZP_LEAD = '411324-ZP-L01';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  await createPersonnelFixture(t);
});
afterAll(() => t?.stop());

const token = (scope: string, source?: string, role: Role = 'SOURCE_SYSTEM') => issueToken(TEST_JWT_SECRET, { role, scope, source });

/** Every message an answer carries: GraphQL errors and per-record errors. */
function messagesOf(result: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'message' && typeof v === 'string') found.push(v);
        else walk(v);
      }
    }
  };
  walk(result);
  return found;
}

/** Nothing of the other group: its code, its records' fields, directions, "another group". */
function expectNothingOf(messages: string[], other: { group: string; codes: string[] }): void {
  for (const message of messages) {
    for (const word of [other.group, ...other.codes, 'DOWNWARD', 'UPWARD', 'LATERAL', 'another group', 'other group', 'belongs to']) {
      expect([message, message.includes(word)]).toEqual([message, false]);
    }
  }
}

async function recordFlows(input: FlowInput[], scope: string, source?: string) {
  const r = await t.execute<{ recordPersonnelFlows: { accepted: number; rejected: number; results: RecordResult[] } }, unknown>(RECORD, { input }, token(scope, source));
  expect(r.errors).toBeUndefined();
  return r.data!.recordPersonnelFlows;
}

const PAIRING = `query($code: String!) {
  countyGroup(code: $code) { personnelSummary(period: { from: "2024-01-01", to: "2024-12-31" }) { pairingRate { numerator denominator } } }
}`;

describe('personnel flows and staff', () => {
  // A downward posting and its upward pair, with one person each, under the same source and ids in both groups.
  const pair = (lead: string, township: string, name: string): FlowInput[] => [
    flow({ externalId: 'PF-1', staff: { externalId: 'P-1', name: `${name}甲`, homeCode: lead, phone: '0551-1' }, fromCode: lead, toCode: township, startDate: '2024-02-01', endDate: '2024-02-29', pairedExternalId: 'PF-2' }),
    flow({ externalId: 'PF-2', staff: { externalId: 'P-2', name: `${name}乙`, homeCode: township }, fromCode: township, toCode: lead, kind: 'TRAINING', startDate: '2024-02-01', endDate: '2024-02-29' }),
  ];

  test('two groups use the same source name, flow and staff ids independently, both ways round', async () => {
    const a = await recordFlows(pair(LEAD, T1, '本组'), GROUP);
    expect(a.results.map((r) => [r.status, r.error])).toEqual([['CREATED', null], ['CREATED', null]]);
    const b = await recordFlows(pair(OTHER_LEAD, OTHER_T1, '外组'), OTHER_GROUP);
    expect(b.results.map((r) => [r.status, r.error])).toEqual([['CREATED', null], ['CREATED', null]]);
    // Replays and changes stay in their group.
    expect((await recordFlows(pair(LEAD, T1, '本组'), GROUP)).results.map((r) => r.status)).toEqual(['UNCHANGED', 'UNCHANGED']);
    const changed = pair(OTHER_LEAD, OTHER_T1, '外组');
    changed[1].endDate = '2024-03-15';
    expect((await recordFlows(changed, OTHER_GROUP)).results.map((r) => r.status)).toEqual(['UNCHANGED', 'UPDATED']);

    const prisma = t.gateway.db.prisma;
    const flows = await prisma.personnelFlow.findMany({ where: { source: 'hr', externalId: 'PF-2' }, orderBy: { groupCode: 'asc' } });
    expect(flows.map((f) => [f.groupCode, f.endDate!.toISOString().slice(0, 10)])).toEqual([[GROUP, '2024-02-29'], [OTHER_GROUP, '2024-03-15']]);
    const staff = await prisma.staff.findMany({ where: { source: 'hr', externalId: 'P-1' }, orderBy: { groupCode: 'asc' } });
    expect(staff.map((s) => [s.groupCode, s.name])).toEqual([[GROUP, '本组甲'], [OTHER_GROUP, '外组甲']]);
    // Each pair is paired within its group only, in the reads too.
    for (const group of [GROUP, OTHER_GROUP]) {
      const r = await t.execute<{ countyGroup: { personnelSummary: { pairingRate: { numerator: number; denominator: number } } } }, unknown>(PAIRING, { code: group }, token(group));
      expect([group, r.errors, r.data?.countyGroup.personnelSummary.pairingRate]).toEqual([group, undefined, { numerator: 1, denominator: 1 }]);
    }
  });

  test("a group's batch cannot reach the other group's flows or people, and is told nothing of them", async () => {
    // OTHER_GROUP holds PF-1 (DOWNWARD, paired with PF-2) and person P-1; this group asks for ids it never sent.
    await recordFlows([flow({ externalId: 'ONLY-THERE', staff: { externalId: 'P-ONLY', name: '外组丙', homeCode: OTHER_T1 }, fromCode: OTHER_T1, toCode: OTHER_LEAD, kind: 'TRAINING', startDate: '2024-05-01', endDate: '2024-05-31' })], OTHER_GROUP);
    const attempt = (pairedExternalId: string, suffix: string) => [
      // Pairs with an id only the other group has: same answer as an id nobody has.
      flow({ externalId: `ATT-PAIR-${suffix}`, staff: { externalId: `P-ATT-${suffix}`, name: '攻击', homeCode: LEAD }, fromCode: LEAD, toCode: T1, startDate: '2024-05-01', endDate: '2024-05-31', pairedExternalId }),
    ];
    const there = await recordFlows(attempt('ONLY-THERE', 'A'), GROUP);
    const nowhere = await recordFlows(attempt('NOWHERE-AT-ALL', 'B'), GROUP);
    expect(there.results[0].error).toMatchObject({ code: 'PAIR_NOT_FOUND', field: 'pairedExternalId' });
    expect(there.results[0].error!.message).toBe(nowhere.results[0].error!.message.replace('NOWHERE-AT-ALL', 'ONLY-THERE'));
    // The other group's person P-ONLY is not this group's: recording them makes this group's own person.
    const person = await recordFlows([flow({ externalId: 'ATT-PERSON', staff: { externalId: 'P-ONLY', name: '本组丁', homeCode: LEAD }, startDate: '2024-05-01', endDate: '2024-05-31' })], GROUP);
    expect(person.results[0]).toMatchObject({ status: 'CREATED', error: null });
    expect(await t.gateway.db.prisma.staff.findMany({ where: { externalId: 'P-ONLY' }, select: { groupCode: true, name: true }, orderBy: { groupCode: 'asc' } })).toEqual([
      { groupCode: GROUP, name: '本组丁' },
      { groupCode: OTHER_GROUP, name: '外组丙' },
    ]);
    // Institutions of the other group stay out of scope, without a word about its records.
    const scope = await recordFlows([flow({ externalId: 'PF-1', fromCode: OTHER_LEAD, toCode: OTHER_T1 })], GROUP);
    expect(scope.results[0].error).toMatchObject({ code: 'OUT_OF_SCOPE', field: 'fromCode' });
    expectNothingOf([...messagesOf(there), ...messagesOf(nowhere), ...messagesOf(scope)], { group: OTHER_GROUP, codes: ['外组'] });
  });

  test('a token that names its source: records of another source are refused one by one, the good ones stored', async () => {
    const result = await recordFlows(
      [
        flow({ externalId: 'SRC-1', source: 'hr-a', startDate: '2024-07-01', endDate: '2024-07-31' }),
        flow({ externalId: 'SRC-2', source: 'hr-b', startDate: '2024-07-01', endDate: '2024-07-31' }),
        flow({ externalId: 'SRC-3', source: 'hr-a', toCode: OTHER_T1 }),
      ],
      GROUP,
      'hr-a',
    );
    expect(result.results.map((r) => [r.status, r.error?.code ?? null, r.error?.field ?? null])).toEqual([
      ['CREATED', null, null],
      ['REJECTED', 'SOURCE_MISMATCH', 'source'],
      ['REJECTED', 'OUT_OF_SCOPE', 'toCode'],
    ]);
    expect(result.results[1].error!.message).toBe('This token writes as source "hr-a" only');
    expect(await t.gateway.db.prisma.personnelFlow.count({ where: { externalId: { in: ['SRC-1', 'SRC-2', 'SRC-3'] } } })).toBe(1);
  });
});

describe('referrals', () => {
  const referral = (externalId: string, fromCode: string, toCode: string, extra: Record<string, unknown> = {}) => ({
    source: ARTICLE_SOURCE,
    externalId,
    patientRef: `PX-${externalId}`,
    fromCode,
    toCode,
    urgency: 'ROUTINE',
    requestedAt: '2026-02-01T08:00:00+08:00',
    ...extra,
  });
  const create = (input: Record<string, unknown>, tok: string) => t.execute(CreateReferralDocument, { input: input as never }, tok);
  const batch = (input: Record<string, unknown>[], tok: string) => t.execute(RecordReferralsDocument, { input }, tok);

  test("镇平's source system uses 恒口's source name and ids; 恒口's own system is not refused", async () => {
    // The attack of the issue: 镇平 writes under hk-referral-platform, the demo's 恒口 source, even the
    // chest-pain referral's id; each is 镇平's own referral, and 恒口's records are untouched.
    const zp = token(ZP);
    const hk = token(HK);
    const chest = await create(referral(CHEST_PAIN_EXTERNAL_ID, ZP_T01, ZP_LEAD), zp);
    expect(chest.errors).toBeUndefined();
    const zpOne = await create(referral('SHARED-1', ZP_T01, ZP_LEAD), zp);
    expect(zpOne.errors).toBeUndefined();
    const hkOne = await create(referral('SHARED-1', HK_T02, HK_LEAD), hk);
    expect(hkOne.errors).toBeUndefined();
    expect(hkOne.data!.createReferral.id).not.toBe(zpOne.data!.createReferral.id);
    // Replays return each group's own referral.
    expect((await create(referral('SHARED-1', HK_T02, HK_LEAD), hk)).data!.createReferral).toEqual(hkOne.data!.createReferral);
    expect((await create(referral('SHARED-1', ZP_T01, ZP_LEAD), zp)).data!.createReferral).toEqual(zpOne.data!.createReferral);

    const rows = await t.gateway.db.prisma.referral.findMany({ where: { source: ARTICLE_SOURCE, externalId: { in: ['SHARED-1', CHEST_PAIN_EXTERNAL_ID] } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.groupCode, r.externalId]).sort()).toEqual([
      [ZP, CHEST_PAIN_EXTERNAL_ID],
      [ZP, 'SHARED-1'],
      [HK, CHEST_PAIN_EXTERNAL_ID],
      [HK, 'SHARED-1'],
    ]);
    const hkChest = rows.find((r) => r.groupCode === HK && r.externalId === CHEST_PAIN_EXTERNAL_ID)!;
    expect(hkChest.fromCode.startsWith('610902-HK-')).toBe(true);

    // Batches: the same keys in both groups, created, replayed and extended independently.
    const zpBatch = await batch([referral('SHARED-B', ZP_T01, ZP_LEAD), referral(CHEST_PAIN_EXTERNAL_ID, ZP_T01, ZP_LEAD)], zp);
    expect(zpBatch.data!.recordReferrals.results.map((r) => [r.status, r.error])).toEqual([['CREATED', null], ['UNCHANGED', null]]);
    const accepted = [{ status: 'ACCEPTED', at: '2026-02-01T08:30:00+08:00' }];
    const hkBatch = await batch([referral('SHARED-B', HK_T02, HK_LEAD, { history: accepted })], hk);
    expect(hkBatch.data!.recordReferrals.results.map((r) => [r.status, r.error, r.referral?.status])).toEqual([['CREATED', null, 'ACCEPTED']]);
    const zpAgain = await batch([referral('SHARED-B', ZP_T01, ZP_LEAD)], zp);
    expect(zpAgain.data!.recordReferrals.results.map((r) => [r.status, r.referral?.status])).toEqual([['UNCHANGED', 'REQUESTED']]);
  });

  test('no answer to a cross-group attempt says anything of the other group', async () => {
    const zp = token(ZP);
    // 恒口's chest-pain referral: its id, its key.
    const hkChest = (await t.gateway.db.prisma.referral.findFirst({ where: { groupCode: HK, source: ARTICLE_SOURCE, externalId: CHEST_PAIN_EXTERNAL_ID } }))!;
    const answers: unknown[] = [];
    // Moving it: NOT_FOUND, as for an id that does not exist.
    const move = await t.execute(TransitionReferralDocument, { id: String(hkChest.id), to: 'CANCELLED' as never }, zp);
    const moveNone = await t.execute(TransitionReferralDocument, { id: '999999999', to: 'CANCELLED' as never }, zp);
    expect(move.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(move.errors![0].message).toBe(moveNone.errors![0].message.replace('999999999', String(hkChest.id)));
    answers.push(move, moveNone);
    // A batch naming 恒口's ends with 恒口's key, and one with a conflicting history for 恒口's key.
    const ends = await batch([referral(CHEST_PAIN_EXTERNAL_ID, HK_T02, HK_LEAD)], zp);
    expect(ends.data!.recordReferrals.results[0].error).toMatchObject({ code: 'OUT_OF_SCOPE', field: 'fromCode' });
    const history = await batch([referral('SHARED-1', ZP_T01, ZP_LEAD, { history: [{ status: 'REJECTED', at: '2026-02-01T08:10:00+08:00' }] })], zp);
    expect(history.data!.recordReferrals.results[0]).toMatchObject({ status: 'UPDATED', error: null });
    answers.push(ends, history);
    // A create with 恒口's key and other data: 镇平's own referral, not a duplicate of 恒口's.
    const created = await create(referral(CHEST_PAIN_EXTERNAL_ID, ZP_T01, ZP_LEAD, { patientRef: 'PX-other' }), zp);
    expect(created.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'externalId' });
    expect(created.errors![0].message).toMatch(/already exists/);
    // …and that one is 镇平's own (made in the test before), so nothing of 恒口 is in it.
    answers.push(created);
    // (The codes 镇平 sent come back as sent; nothing else of 恒口 does.)
    const chestFrom = hkChest.fromCode === HK_T02 ? [] : [hkChest.fromCode];
    expectNothingOf(answers.flatMap(messagesOf), { group: HK, codes: ['恒口', '梅子铺', hkChest.patientRef, ...chestFrom] });
    // 恒口's chest-pain referral is as the demo left it.
    expect(await t.gateway.db.prisma.referral.findUnique({ where: { id: hkChest.id } })).toEqual(hkChest);
  });

  test('a token that names its source writes and moves that source only', async () => {
    const named = token(HK, 'his-a');
    const any = token(HK);
    const result = await batch(
      [referral('N-1', HK_T02, HK_LEAD, { source: 'his-a' }), referral('N-2', HK_T02, HK_LEAD, { source: 'his-b' }), referral('N-3', HK_T02, HK_LEAD, { source: ' his-a ' })],
      named,
    );
    expect(result.data!.recordReferrals.results.map((r) => [r.status, r.error?.code ?? null, r.error?.field ?? null])).toEqual([
      ['CREATED', null, null],
      ['REJECTED', 'SOURCE_MISMATCH', 'source'],
      ['CREATED', null, null], // compared as stored: trimmed
    ]);
    const single = await create(referral('N-4', HK_T02, HK_LEAD, { source: 'his-b' }), named);
    expect(single.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'source' });
    expect(single.errors![0].message).toBe('This token writes as source "his-a" only');
    expect(await t.gateway.db.prisma.referral.count({ where: { externalId: { in: ['N-2', 'N-4'] } } })).toBe(0);

    // Status steps: its own source's referral moves; another source's is FORBIDDEN and stays as it was.
    const own = result.data!.recordReferrals.results[0].referral!.id;
    const theirs = (await create(referral('N-5', HK_T02, HK_LEAD, { source: 'his-b' }), any)).data!.createReferral.id;
    const moved = await t.execute(TransitionReferralDocument, { id: own, to: 'ACCEPTED' as never }, named);
    expect(moved.data?.transitionReferral.status).toBe('ACCEPTED');
    const refused = await t.execute(TransitionReferralDocument, { id: theirs, to: 'ACCEPTED' as never }, named);
    expect(refused.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'id' });
    expect((await t.gateway.db.prisma.referral.findUnique({ where: { id: Number(theirs) } }))!.status).toBe('REQUESTED');
  });
});

test('the source claim travels in the token; an empty or non-string one is refused', () => {
  expect(verifyToken(TEST_JWT_SECRET, token(HK, 'his-a'))).toMatchObject({ role: 'SOURCE_SYSTEM', scope: HK, source: 'his-a' });
  expect(verifyToken(TEST_JWT_SECRET, token(HK)).source).toBeUndefined();
  for (const source of ['', 42]) {
    const forged = jwt.sign({ role: 'SOURCE_SYSTEM', scope: HK, source }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: 60 });
    expect(() => verifyToken(TEST_JWT_SECRET, forged)).toThrow("The bearer token's source claim is not valid");
  }
});
