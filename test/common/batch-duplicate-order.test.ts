// A record rejected on its own fields claims no (source, externalId) in its batch, so a corrected copy
// later in the same batch is stored, and the checks run in their old order (times before identity).
// Expected values are those of 89174fe, before the batch engine (a review found the engine had
// changed both).
import { startTestGateway, type TestGateway } from '../support/gateway';
import { RecordReferralsDocument } from '../referrals/operations';
import { outcomes } from '../support/outcomes';

const HK = 'YGT-610902-HK';
const LEAD = '610902-HK-L01';
const T02 = '610902-HK-T02';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());


test('recordReferrals: a corrected copy after a malformed record with the same key is stored', async () => {
  const referral = (externalId: string, extra: Record<string, unknown> = {}) => ({
    source: 'review-his', externalId, patientRef: `P-${externalId}`, fromCode: T02, toCode: LEAD, urgency: 'ROUTINE',
    requestedAt: '2024-03-01T10:00:00+08:00', ...extra,
  });
  const r = await t.execute(
    RecordReferralsDocument,
    { input: [referral('DUP-1', { patientRef: '张三' }), referral('DUP-1'), referral('DUP-2', { diagnosisCode: 'not icd' }), referral('DUP-2')] },
    t.token('SOURCE_SYSTEM', HK),
  );
  expect(outcomes(r.data!.recordReferrals.results)).toEqual([
    ['REJECTED', 'IDENTIFYING_PATIENT_REF', 'patientRef'],
    ['CREATED', null, null],
    ['REJECTED', 'INVALID_DIAGNOSIS_CODE', 'diagnosisCode'],
    ['CREATED', null, null],
  ]);
});

test('recordReferrals: a record with a future requestedAt and a blank source is rejected on requestedAt, as before', async () => {
  const r = await t.execute(
    RecordReferralsDocument,
    { input: [{ source: ' ', externalId: 'ORDER-1', patientRef: 'P-ORDER-1', fromCode: T02, toCode: LEAD, urgency: 'ROUTINE', requestedAt: '2099-01-01T00:00:00Z' }] },
    t.token('SOURCE_SYSTEM', HK),
  );
  expect(outcomes(r.data!.recordReferrals.results)).toEqual([['REJECTED', 'TIME_IN_FUTURE', 'requestedAt']]);
});

test('recordPersonnelFlows: a corrected copy after a malformed record with the same key is stored', async () => {
  const flow = (externalId: string, staff: Record<string, unknown> = {}) => ({
    source: 'review-hr', externalId, staff: { externalId: `S-${externalId}`, name: '王医生', homeCode: LEAD, ...staff },
    fromCode: LEAD, toCode: T02, kind: 'STATIONED', startDate: '2024-03-05', endDate: '2024-03-25',
  });
  const r = await t.execute<{ recordPersonnelFlows: { results: { status: string; error: { code: string; field: string | null } | null }[] } }, unknown>(
    `mutation($input: [PersonnelFlowInput!]!) { recordPersonnelFlows(input: $input) { results { status error { code field } } } }`,
    { input: [flow('FDUP-1', { name: ' ' }), flow('FDUP-1'), flow('FDUP-2', { externalId: 'S-FDUP-2b', phone: 'call me' }), flow('FDUP-2', { externalId: 'S-FDUP-2b' })] },
    t.token('SOURCE_SYSTEM', HK),
  );
  expect(outcomes(r.data!.recordPersonnelFlows.results)).toEqual([
    ['REJECTED', 'REQUIRED', 'staff.name'],
    ['CREATED', null, null],
    ['REJECTED', 'INVALID_PHONE', 'staff.phone'],
    ['CREATED', null, null],
  ]);
});
