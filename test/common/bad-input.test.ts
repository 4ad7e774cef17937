// Bad input against the real gateway on PostgreSQL (issue 8, items 4 and 5): refused characters,
// identifiers in free text, resident ID numbers and dates out of range are rejected per record with
// their field while the good records of the batch are stored; in any other argument they are a
// BAD_USER_INPUT, never an internal error; cursors nobody issued are a BAD_USER_INPUT on `after`.
import { hkReferral, RecordReferralsDocument } from '../referrals/operations';
import { outcomes } from '../support/outcomes';
import { createPersonnelFixture, flow, LEAD, record, T1 } from '../personnel/fixtures';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { connect, runOnce } from '../support/ws';

const HK = 'YGT-610902-HK';
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  await createPersonnelFixture(t);
});
afterAll(() => t?.stop());


describe('recordPersonnelFlows', () => {
  test('bad characters, identifiers in names, bad ID numbers and dates out of range reject their record alone', async () => {
    const staff = (externalId: string, extra: Record<string, string>) => ({ externalId, name: '王医生', homeCode: LEAD, ...extra });
    const result = await record(t, [
      flow({ externalId: 'C-GOOD-1', staff: staff('S-C1', { idNumber: '340621198001011238' }) }),
      flow({ externalId: 'C-NUL-NAME', staff: staff('S-C2', { name: '张\u0000三' }) }),
      flow({ externalId: 'C-BIDI-NAME', staff: staff('S-C3', { name: '张三\u202e' }) }),
      flow({ externalId: 'C-NUL-CODE', toCode: `${T1}\u0000` }),
      flow({ externalId: 'C-NUL-KEY\u0000' }),
      flow({ externalId: 'C-NAME-IDS', staff: staff('S-C4', { name: '张三 13800138000 34062119800101123X' }) }),
      flow({ externalId: 'C-NAME-PHONE', staff: staff('S-C5', { name: '张三 １３８００１３８０００' }) }),
      flow({ externalId: 'C-ID-CHECK', staff: staff('S-C6', { idNumber: '34062119800101123X' }) }),
      flow({ externalId: 'C-ID-LONG', staff: staff('S-C7', { idNumber: '9'.repeat(200_000) }) }),
      flow({ externalId: 'C-YEAR-1', startDate: '0001-01-01' }),
      flow({ externalId: 'C-YEAR-9999', endDate: '9999-12-31' }),
      flow({ externalId: 'C-GOOD-2', toCode: T1, startDate: '2024-02-01', endDate: '2024-02-29' }),
    ]);
    expect(outcomes(result.results)).toEqual([
      ['CREATED', null, null],
      ['REJECTED', 'INVALID_CHARACTERS', 'staff.name'],
      ['REJECTED', 'INVALID_CHARACTERS', 'staff.name'],
      ['REJECTED', 'INVALID_CHARACTERS', 'toCode'],
      ['REJECTED', 'INVALID_CHARACTERS', 'externalId'],
      ['REJECTED', 'IDENTIFYING_NAME', 'staff.name'],
      ['REJECTED', 'IDENTIFYING_NAME', 'staff.name'],
      ['REJECTED', 'INVALID_ID_NUMBER', 'staff.idNumber'],
      ['REJECTED', 'INVALID_ID_NUMBER', 'staff.idNumber'],
      ['REJECTED', 'INVALID_DATE', 'startDate'],
      ['REJECTED', 'INVALID_DATE', 'endDate'],
      ['CREATED', null, null],
    ]);
    expect(result).toMatchObject({ accepted: 2, rejected: 10 });
    const prisma = t.gateway.db.prisma;
    expect(await prisma.personnelFlow.count({ where: { externalId: { startsWith: 'C-' } } })).toBe(2);
    expect(await prisma.staff.findFirst({ where: { externalId: 'S-C1' } })).toMatchObject({ idNumberMasked: '340621********1238' });
    expect(await prisma.staff.count({ where: { externalId: { in: ['S-C2', 'S-C3', 'S-C4', 'S-C5', 'S-C6', 'S-C7'] } } })).toBe(0);
  });
});

describe('recordReferrals and createReferral', () => {
  const referral = (externalId: string, extra: Record<string, unknown> = {}) => hkReferral('text-his', externalId, extra);

  test('a NUL or bidi character, or an identifier however written, rejects its record alone', async () => {
    const r = await t.execute(
      RecordReferralsDocument,
      {
        input: [
          referral('R-GOOD-1', { reason: '胸痛 2 小时\n心电图 ST 段抬高' }),
          referral('R-NUL-REF', { patientRef: 'P-\u0000' }),
          referral('R-NUL-REASON', { reason: '胸痛\u0000' }),
          referral('R-BIDI-REASON', { reason: '胸痛 \u202e' }),
          referral('R-SURROGATE-REF', { patientRef: 'P-\ud800' }),
          referral('R-NUL-CODE', { fromCode: '610902-HK-T02\u0000' }),
          referral('R-REF-DOTTED', { patientRef: '138.0013.8000' }),
          referral('R-REASON-FULLWIDTH', { reason: '家属电话 １３８００１３８０００' }),
          referral('R-REASON-SPACED-ID', { reason: '身份证 340621 19800101 1238' }),
          referral('R-GOOD-2', { reason: '2023-01-15 复查，住院 12 天，I21.9' }),
        ],
      },
      t.token('SOURCE_SYSTEM', HK),
    );
    expect(r.errors).toBeUndefined();
    const payload = r.data!.recordReferrals;
    expect(outcomes(payload.results)).toEqual([
      ['CREATED', null, null],
      ['REJECTED', 'INVALID_CHARACTERS', 'patientRef'],
      ['REJECTED', 'INVALID_CHARACTERS', 'reason'],
      ['REJECTED', 'INVALID_CHARACTERS', 'reason'],
      ['REJECTED', 'INVALID_CHARACTERS', 'patientRef'],
      ['REJECTED', 'INVALID_CHARACTERS', 'fromCode'],
      ['REJECTED', 'IDENTIFYING_PATIENT_REF', 'patientRef'],
      ['REJECTED', 'IDENTIFYING_REASON', 'reason'],
      ['REJECTED', 'IDENTIFYING_REASON', 'reason'],
      ['CREATED', null, null],
    ]);
    expect(await t.gateway.db.prisma.referral.count({ where: { source: 'text-his' } })).toBe(2);
  });

  test('createReferral: a NUL is a BAD_USER_INPUT on the field', async () => {
    const r = await t.execute(
      `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`,
      { input: { ...referral('R-SINGLE', { patientRef: 'P\u0000' }), requestedAt: undefined } },
      t.token('SOURCE_SYSTEM', HK),
    );
    expect(r.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.patientRef' })]);
  });
});

describe('arguments of queries and subscriptions', () => {
  test.each([
    ['a NUL in a name filter', `{ institutions(filter: {nameContains: "a\\u0000"}) { totalCount } }`, 'filter.nameContains'],
    ['a NUL in a code', `{ countyGroup(code: "\\u0000") { name } }`, 'code'],
    ['a bidi override in a filter', `{ referrals(filter: {institutionCode: "610902-HK-L01\\u202e"}) { totalCount } }`, 'filter.institutionCode'],
    ['a NUL in an id', `{ referral(id: "1\\u0000") { id } }`, 'id'],
    ['a NUL in a nested argument', `{ countyGroup(code: "${HK}") { members(first: 1, after: "\\u0000") { totalCount } } }`, 'after'],
  ])('%s is a BAD_USER_INPUT on its field', async (_what, query, field) => {
    const r = await t.execute(query, undefined, t.token('COUNTY', HK));
    expect(r.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
  });

  test('200 aliases sharing a 900 KB string are refused on its length, at once, with a short answer', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: institution(code: $c) { code }`).join(' ');
    const started = performance.now();
    const response = await fetch(t.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token('COUNTY', HK)}` },
      body: JSON.stringify({ query: `query($c: String!) { ${aliases} }`, variables: { c: `${'中'.repeat(290_000)}\u0000` } }),
    });
    const text = await response.text();
    const elapsed = performance.now() - started;
    const body = JSON.parse(text) as { errors: { extensions: Record<string, unknown>; message: string }[] };
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    expect(body.errors[0].message).toContain('at most 2000');
    expect(text.length).toBeLessThan(1_000_000); // 200 errors with stack traces (development); 180 MB when every alias quoted the code
    expect(elapsed).toBeLessThan(5_000); // 4.5 s of scanning before, tens of ms now; generous for a loaded machine
  });

  test('over graphql-ws too, for a subscription', async () => {
    const client = connect(t.gateway.url, `Bearer ${t.token('COUNTY', HK)}`);
    try {
      const r = await runOnce(client, `subscription($g: String!) { referralCountsChanged(groupCode: $g, window: TODAY) { upward } }`, { g: `${HK}\u0000` });
      expect((r.errors as { extensions?: unknown }[]).map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'groupCode' })]);
    } finally {
      await client.dispose();
    }
  });
});

describe('cursors', () => {
  type Referrals = { referrals: { pageInfo: { endCursor: string }; edges: { node: { id: string } }[] } };
  const referrals = (after?: string) =>
    t.execute<Referrals, unknown>(`query($after: String) { referrals(first: 2, after: $after) { pageInfo { endCursor } edges { node { id } } } }`, { after }, t.token('COUNTY', HK));
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

  test('a cursor the gateway issued pages on', async () => {
    const first = await referrals();
    const second = await referrals(first.data!.referrals.pageInfo.endCursor);
    expect(second.errors).toBeUndefined();
    expect(Number(second.data!.referrals.edges[0].node.id)).toBeLessThan(Number(first.data!.referrals.edges[1].node.id));
  });

  test('forged, edited, truncated, oversized and other lists\' cursors are a BAD_USER_INPUT on after', async () => {
    const issued = (await referrals()).data!.referrals.pageInfo.endCursor;
    const [payload, signature] = issued.split('.');
    type Members = { countyGroup: { members: { pageInfo: { endCursor: string } } } };
    const member = (await t.execute<Members, unknown>(`{ countyGroup(code: "${HK}") { members(first: 1) { pageInfo { endCursor } } } }`, undefined, t.token('COUNTY', HK))).data!
      .countyGroup.members.pageInfo.endCursor;
    type Flows = { countyGroup: { personnelFlows: { pageInfo: { endCursor: string } } } };
    const flowCursor = (await t.execute<Flows, unknown>(`{ countyGroup(code: "${HK}") { personnelFlows(first: 1) { pageInfo { endCursor } } } }`, undefined, t.token('COUNTY', HK))).data!
      .countyGroup.personnelFlows.pageInfo.endCursor;
    const forged = [
      b64('k:99999999999999999999'), // the old unsigned form, with an id beyond any integer column
      `${b64('99999999999999999999')}.${signature}`, // another key under a real signature
      `${payload}.${'A'.repeat(signature.length)}`, // a made-up signature
      issued.slice(0, -3), // truncated
      `${issued}AAAA`, // grown
      'x'.repeat(100_000), // oversized
      '',
      member, // an institution list's cursor
      flowCursor, // a personnel flow list's cursor
    ];
    for (const after of forged) {
      const r = await referrals(after);
      expect([after.slice(0, 40), r.errors?.map((e) => e.extensions)]).toEqual([after.slice(0, 40), [expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' })]]);
    }
    const r = await t.execute(`query($after: String) { countyGroup(code: "${HK}") { personnelFlows(first: 1, after: $after) { totalCount } } }`, { after: issued }, t.token('COUNTY', HK));
    expect(r.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' })]);
  });
});
