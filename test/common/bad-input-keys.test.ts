// Bad input, second round (issue 8, items 4 and 5, after an adversarial test), against the real
// gateway on PostgreSQL: real pseudonymous references pass the identifier check; keys holding a
// resident ID or phone number are refused per record (IDENTIFYING_KEY); blank fillers and U+FFFD are
// refused in every field, tab and line feed outside free text; personnel keys are trimmed as
// referral keys are; dates out of range in read arguments and LIKE wildcards in name filters are the
// caller's input, never an internal error nor a match of everything.
import { issueToken } from '../../src/auth/token';
import { createPersonnelFixture, flow, GROUP, LEAD, RECORD, type FlowInput, type RecordResult } from '../personnel/fixtures';
import { hkReferral, RecordReferralsDocument } from '../referrals/operations';
import { outcomes } from '../support/outcomes';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/gateway';

const HK = 'YGT-610902-HK';
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  await createPersonnelFixture(t);
});
afterAll(() => t?.stop());


const referral = (externalId: string, extra: Record<string, unknown> = {}) => hkReferral('keys-his', externalId, extra);

async function recordReferrals(input: Record<string, unknown>[], token = t.token('SOURCE_SYSTEM', HK)) {
  const r = await t.execute(RecordReferralsDocument, { input }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.recordReferrals;
}

async function recordFlows(input: FlowInput[], source?: string) {
  const token = issueToken(TEST_JWT_SECRET, { role: 'SOURCE_SYSTEM', scope: GROUP, source });
  const r = await t.execute<{ recordPersonnelFlows: { accepted: number; rejected: number; results: RecordResult[] } }, unknown>(RECORD, { input }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.recordPersonnelFlows;
}

describe('recordReferrals', () => {
  test('pseudonymous references and spaced dates pass; keys with an ID or phone number, fillers and U+FFFD are refused per record', async () => {
    const payload = await recordReferrals([
      referral('K-HEX', { patientRef: '7884fe1825fd6afd2e48d15057751610' }),
      referral('K-MZ', { patientRef: 'MZ036021735433' }),
      referral('K-MZ15', { patientRef: 'MZ330108120512003' }),
      referral('K-ZY15', { patientRef: 'ZY110105010112345' }),
      referral('K-SPACED-DATE', { reason: '到达时间 2023 01 15 13 00 00' }),
      referral('HK-2023-0002'),
      referral('U-1795492185-1', { patientRef: 'P-U-1' }),
      referral('11010519491231002X'),
      referral('K-SOURCE', { source: 'his-13800138000' }),
      referral('K-DATED-ID', { reason: '身份证 340621-1980-01-01-1238' }),
      referral('K-FILLER', { patientRef: 'P-\u3164' }),
      referral('K-FFFD', { reason: '胸痛\ufffd\ufffd' }),
    ]);
    expect(outcomes(payload.results)).toEqual([
      ['CREATED', null, null],
      ['CREATED', null, null],
      ['CREATED', null, null],
      ['CREATED', null, null],
      ['CREATED', null, null],
      ['CREATED', null, null],
      ['CREATED', null, null],
      ['REJECTED', 'IDENTIFYING_KEY', 'externalId'],
      ['REJECTED', 'IDENTIFYING_KEY', 'source'],
      ['REJECTED', 'IDENTIFYING_REASON', 'reason'],
      ['REJECTED', 'INVALID_CHARACTERS', 'patientRef'],
      ['REJECTED', 'INVALID_CHARACTERS', 'reason'],
    ]);
    expect(payload.results[11].error!.message).toContain('encoding other than UTF-8');
    // Nothing of the key is quoted back: it is personal data.
    expect(payload.results[7].error!.message).not.toContain('110105');
  });

  test('a token bound to a source takes that source with surrounding spaces, as the key is stored trimmed', async () => {
    const token = issueToken(TEST_JWT_SECRET, { role: 'SOURCE_SYSTEM', scope: HK, source: 'keys-bound' });
    const payload = await recordReferrals([referral('K-BOUND', { source: ' keys-bound ' })], token);
    expect(outcomes(payload.results)).toEqual([['CREATED', null, null]]);
  });
});

describe('recordPersonnelFlows', () => {
  test('keys are trimmed like referral keys: " WS-1 " is WS-1, of a source-bound token\'s source', async () => {
    const staff = (externalId: string) => ({ externalId, name: '专家WS', homeCode: LEAD, title: 'INTERMEDIATE', profession: 'PHYSICIAN' });
    const dates = { startDate: '2024-03-01', endDate: '2024-03-31' };
    const first = await recordFlows([flow({ externalId: 'WS-1', source: 'hr-ws', staff: staff('S-WS-1'), ...dates })], 'hr-ws');
    const again = await recordFlows([flow({ externalId: ' WS-1 ', source: ' hr-ws ', staff: staff(' S-WS-1 '), ...dates })], 'hr-ws');
    expect(outcomes(first.results)).toEqual([['CREATED', null, null]]);
    expect(outcomes(again.results)).toEqual([['UNCHANGED', null, null]]);
    const prisma = t.gateway.db.prisma;
    expect(await prisma.personnelFlow.findMany({ where: { externalId: { contains: 'WS-1' } }, select: { source: true, externalId: true } })).toEqual([
      { source: 'hr-ws', externalId: 'WS-1' },
    ]);
    expect(await prisma.staff.count({ where: { externalId: { contains: 'S-WS-1' } } })).toBe(1);
  });

  test('a resident ID or phone number in a key, and fillers in a name, reject their record alone', async () => {
    const result = await recordFlows([
      flow({ externalId: 'KF-GOOD', startDate: '2024-04-01', endDate: '2024-04-30' }),
      flow({ externalId: 'KF-STAFF', staff: { externalId: '13900139000', name: '王医生', homeCode: LEAD } }),
      flow({ externalId: 'KF-PAIRED', pairedExternalId: 'hr-13800138000' }),
      flow({ externalId: '340621198001011238' }),
      flow({ externalId: 'KF-FILLER', staff: { externalId: 'S-KF-FILLER', name: '张\u3164三', homeCode: LEAD } }),
      flow({ externalId: 'KF-BRAILLE\u2800' }),
    ]);
    expect(outcomes(result.results)).toEqual([
      ['CREATED', null, null],
      ['REJECTED', 'IDENTIFYING_KEY', 'staff.externalId'],
      ['REJECTED', 'IDENTIFYING_KEY', 'pairedExternalId'],
      ['REJECTED', 'IDENTIFYING_KEY', 'externalId'],
      ['REJECTED', 'INVALID_CHARACTERS', 'staff.name'],
      ['REJECTED', 'INVALID_CHARACTERS', 'externalId'],
    ]);
  });
});

describe('arguments', () => {
  const county = () => t.token('COUNTY', HK);

  test.each([
    ['a tab in a code', `{ countyGroup(code: "YGT\\t610902-HK") { name } }`, 'code'],
    ['a line feed in an id', `{ referral(id: "1\\n") { id } }`, 'id'],
    ['a carriage return in a filter', `{ institutions(filter: {nameContains: "a\\r"}) { totalCount } }`, 'filter.nameContains'],
    ['a Hangul filler in a code', `{ institution(code: "610902-HK-L01\\u3164") { name } }`, 'code'],
  ])('%s is a BAD_USER_INPUT on its field', async (_what, query, field) => {
    const r = await t.execute(query, undefined, county());
    expect(r.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
  });

  test('free text runs over lines: a single referral\'s reason keeps its line feeds', async () => {
    const r = await t.execute(
      `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`,
      { input: { ...referral('K-SINGLE-LINES', { reason: '胸痛 2 小时\n\t心电图 ST 段抬高' }), requestedAt: undefined } },
      t.token('SOURCE_SYSTEM', HK),
    );
    expect(r.errors).toBeUndefined();
  });

  test.each([
    ['a group\'s personnelSummary', `{ countyGroup(code: "${HK}") { personnelSummary(period: {from: "0000-01-01", to: "0000-01-02"}) { __typename } } }`, 'period.from'],
    ['a member\'s personnelSummary', `{ institution(code: "610902-HK-L01") { personnelSummary(period: {from: "2024-01-01", to: "9999-12-31"}) { __typename } } }`, 'period.to'],
    ['a referralSummary', `{ institution(code: "610902-HK-L01") { referralSummary(period: {from: "0000-01-01", to: "0000-01-02"}) { __typename } } }`, 'period.from'],
    ['personnelFlows', `{ countyGroup(code: "${HK}") { personnelFlows(period: {from: "0000-01-01", to: "0000-01-02"}) { totalCount } } }`, 'period.from'],
    ['referrals since year 0', `{ referrals(filter: {requestedSince: "0000-01-01T00:00:00Z"}) { totalCount } }`, 'filter.requestedSince'],
    ['referrals before year 0', `{ referrals(filter: {requestedBefore: "0000-01-01T00:00:00Z"}) { totalCount } }`, 'filter.requestedBefore'],
  ])('a date out of range in %s is a BAD_USER_INPUT on its field', async (_what, query, field) => {
    const r = await t.execute(query, undefined, county());
    expect(r.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
  });

  test('nameContains matches %, _ and \\ literally', async () => {
    type Count = { institutions: { totalCount: number } };
    const count = async (nameContains: string) => {
      const r = await t.execute<Count, unknown>(`query($n: String) { institutions(filter: {nameContains: $n}) { totalCount } }`, { n: nameContains }, county());
      expect(r.errors).toBeUndefined();
      return r.data!.institutions.totalCount;
    };
    expect(await count('医院')).toBeGreaterThan(0);
    expect(await count('%')).toBe(0);
    expect(await count('_')).toBe(0);
    expect(await count('\\')).toBe(0);
    expect(await count('医%院')).toBe(0);
  });
});
