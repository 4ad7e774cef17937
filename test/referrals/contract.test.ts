// The referral contract operations (schema/operations/referrals.graphql, verbatim) against the demo
// data on PostgreSQL: opening and moving referrals, the rules they enforce, the batch, the counters.
import {
  CreateReferralDocument,
  ReferralCountsDocument,
  TransitionReferralDocument,
  type CreateReferralMutationVariables,
} from '../../src/generated/operations';
import { startTestGateway, type TestGateway } from '../support/gateway';

const SX = 'YGT-340621-SX';
const NANPING = '340621-SX-T01'; // 南坪分院, a township branch (level 2)
const LEAD = '340621-SX-L01'; // 濉溪县医院 (level 3)
const LINHUAN = '340621-SX-T02';

let t: TestGateway;
let source: string;
beforeAll(async () => {
  t = await startTestGateway();
  source = t.token('SOURCE_SYSTEM', SX);
});
afterAll(() => t?.stop());

let seq = 0;
function input(overrides: Partial<CreateReferralMutationVariables['input']> = {}): CreateReferralMutationVariables['input'] {
  return {
    source: 'test-his',
    externalId: `C-${++seq}`,
    patientRef: `PX-${seq}a`,
    fromCode: NANPING,
    toCode: LEAD,
    urgency: 'ROUTINE',
    diagnosisCode: 'J18.9',
    ...overrides,
  };
}

async function create(overrides: Partial<CreateReferralMutationVariables['input']> = {}, token = source) {
  return t.execute(CreateReferralDocument, { input: input(overrides) }, token);
}

function errorOf(result: { errors?: { extensions?: Record<string, unknown> }[] }) {
  expect(result.errors).toHaveLength(1);
  const { code, field } = result.errors![0].extensions as { code: string; field?: string };
  return field === undefined ? { code } : { code, field };
}

describe('createReferral', () => {
  test('derives the direction from the levels and starts REQUESTED at now', async () => {
    const before = Date.now();
    const up = await create();
    expect(up.errors).toBeUndefined();
    expect(up.data!.createReferral).toMatchObject({ direction: 'UPWARD', status: 'REQUESTED', urgency: 'ROUTINE', from: { code: NANPING }, to: { code: LEAD } });
    const requestedAt = Date.parse(up.data!.createReferral.requestedAt);
    expect(requestedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(requestedAt).toBeLessThanOrEqual(Date.now() + 1000);
    const down = await create({ fromCode: LEAD, toCode: NANPING });
    expect(down.data!.createReferral.direction).toBe('DOWNWARD');
    // An external upper hospital is level 4: the lead hospital refers up to it.
    const external = await create({ fromCode: '420322-YX-L01', toCode: '420322-YX-E01' }, t.token('SOURCE_SYSTEM', 'YGT-420322-YX'));
    expect(external.data!.createReferral.direction).toBe('UPWARD');
  });

  test('a lateral referral, an unknown or out-of-scope institution, a cross-group referral are clear errors', async () => {
    expect(errorOf(await create({ toCode: LINHUAN }))).toEqual({ code: 'BAD_USER_INPUT', field: 'lateral' }); // same level, not declared
    expect(errorOf(await create({ toCode: 'NOPE-1' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'toCode' });
    expect(errorOf(await create({ fromCode: '610902-HK-T01', toCode: '610902-HK-L01' }))).toEqual({ code: 'FORBIDDEN', field: 'fromCode' });
    // An institution token: only referrals from itself, written as its own source (its code).
    const nanping = t.token('INSTITUTION', NANPING);
    expect((await create({ source: NANPING }, nanping)).errors).toBeUndefined();
    expect(errorOf(await create({ source: NANPING, fromCode: LINHUAN, toCode: LEAD }, nanping))).toEqual({ code: 'FORBIDDEN', field: 'fromCode' });
    expect(errorOf(await create({}, nanping))).toEqual({ code: 'FORBIDDEN', field: 'source' });
    // Reading roles may not write.
    expect(errorOf(await create({}, t.token('COUNTY', SX))).code).toBe('FORBIDDEN');
    expect(errorOf(await create({}, t.token('PROVINCE', '340000'))).code).toBe('FORBIDDEN');
  });

  test.each([
    ['a resident ID number', '34062119900307123X'],
    ['an ID number inside the ref', 'P-340621199003071234'],
    ['a mobile number', '13812345678'],
    ['a mobile number with separators', 'tel 138-1234-5678'],
    ['a Chinese name', '张三'],
    ['a name inside the ref', 'P-王芳-01'],
  ])('rejects a patientRef holding %s', async (_what, patientRef) => {
    expect(errorOf(await create({ patientRef }))).toEqual({ code: 'BAD_USER_INPUT', field: 'patientRef' });
  });

  test.each([['a resident ID number', '转诊 340621199001011234'], ['a phone number', '家属电话 13812345678']])('rejects a reason holding %s', async (_what, reason) => {
    expect(errorOf(await create({ reason }))).toEqual({ code: 'BAD_USER_INPUT', field: 'reason' });
  });

  test.each(['I21.9', 'J18', 'E11.65', 'S72.0', 'Z50.1'])('accepts the ICD-10 code %s', async (diagnosisCode) => {
    expect((await create({ diagnosisCode })).errors).toBeUndefined();
  });

  test.each(['I219', 'U07.1', '121.9', 'I21.', 'I21.12345', 'chest pain'])('rejects the diagnosis code %s', async (diagnosisCode) => {
    expect(errorOf(await create({ diagnosisCode }))).toEqual({ code: 'BAD_USER_INPUT', field: 'diagnosisCode' });
  });

  test('is idempotent on (source, externalId); the same key with other data is an error', async () => {
    const key = { externalId: 'IDEMP-1', requestedAt: '2026-01-05T08:00:00+08:00' };
    const first = await create({ ...key, patientRef: 'PX-idem-a' });
    expect(first.errors).toBeUndefined();
    // Same key, different patientRef: the DUPLICATE_EXTERNAL_ID rule (its message is what tells it
    // apart from other bad externalIds on the wire), and the stored referral is left as it was.
    const again = await create({ ...key, patientRef: 'PX-idem-b' });
    expect(errorOf(again)).toEqual({ code: 'BAD_USER_INPUT', field: 'externalId' });
    expect(again.errors![0].message).toMatch(/^A different referral with source "test-his" and externalId "IDEMP-1" already exists/);
    const stored = await t.gateway.db.prisma.referral.findFirst({ where: { source: 'test-his', externalId: 'IDEMP-1' } });
    expect(stored!.patientRef).toBe('PX-idem-a');
    const same = { ...input({ externalId: 'IDEMP-2' }) };
    const a = await t.execute(CreateReferralDocument, { input: same }, source);
    const b = await t.execute(CreateReferralDocument, { input: same }, source);
    expect(b.data!.createReferral).toEqual(a.data!.createReferral);
    expect(await t.gateway.db.prisma.referral.count({ where: { source: 'test-his', externalId: 'IDEMP-2' } })).toBe(1);
  });
});

describe('transitionReferral', () => {
  const transition = (id: string, to: string, at?: string, token = source) =>
    t.execute(TransitionReferralDocument, { id, to: to as never, at }, token);

  test('REQUESTED → ACCEPTED → ARRIVED → COMPLETED, each step timestamped; a repeat is idempotent', async () => {
    const { id } = (await create({ requestedAt: '2026-03-01T08:00:00+08:00' })).data!.createReferral;
    const accepted = await transition(id, 'ACCEPTED', '2026-03-01T08:10:00+08:00');
    expect(accepted.data!.transitionReferral).toMatchObject({ status: 'ACCEPTED', arrivedAt: null });
    expect(Date.parse(accepted.data!.transitionReferral.acceptedAt!)).toBe(Date.parse('2026-03-01T08:10:00+08:00'));
    const again = await transition(id, 'ACCEPTED', '2026-03-01T08:10:00+08:00');
    expect(again.data!.transitionReferral).toEqual(accepted.data!.transitionReferral);
    // The same step at another time is not a repeat.
    expect(errorOf(await transition(id, 'ACCEPTED', '2026-03-01T08:11:00+08:00'))).toEqual({ code: 'BAD_USER_INPUT', field: 'at' });
    // Earlier than the previous step.
    expect(errorOf(await transition(id, 'ARRIVED', '2026-03-01T08:05:00+08:00'))).toEqual({ code: 'BAD_USER_INPUT', field: 'at' });
    const arrived = await transition(id, 'ARRIVED', '2026-03-01T08:50:00+08:00');
    expect(arrived.data!.transitionReferral.status).toBe('ARRIVED');
    // ARRIVED cannot be cancelled.
    expect(errorOf(await transition(id, 'CANCELLED'))).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
    const completed = await transition(id, 'COMPLETED');
    expect(completed.data!.transitionReferral.status).toBe('COMPLETED');
    // A retry without `at` (a lost response) returns the step as stored.
    expect((await transition(id, 'COMPLETED')).data!.transitionReferral).toEqual(completed.data!.transitionReferral);
    expect(errorOf(await transition(id, 'ACCEPTED'))).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  test('REJECTED and CANCELLED only from REQUESTED or ACCEPTED; skipping a step is illegal', async () => {
    const a = (await create()).data!.createReferral.id;
    expect(errorOf(await transition(a, 'ARRIVED'))).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
    expect((await transition(a, 'REJECTED')).data!.transitionReferral.status).toBe('REJECTED');
    const b = (await create()).data!.createReferral.id;
    await transition(b, 'ACCEPTED');
    expect((await transition(b, 'CANCELLED')).data!.transitionReferral.status).toBe('CANCELLED');
  });

  test('an institution moves the referrals sent to it and cancels those it sent; others are NOT_FOUND', async () => {
    const id = (await create()).data!.createReferral.id; // 南坪 → lead
    expect(errorOf(await transition(id, 'ACCEPTED', undefined, t.token('INSTITUTION', NANPING))).code).toBe('FORBIDDEN');
    expect((await transition(id, 'ACCEPTED', undefined, t.token('INSTITUTION', LEAD))).data!.transitionReferral.status).toBe('ACCEPTED');
    expect(errorOf(await transition(id, 'CANCELLED', undefined, t.token('INSTITUTION', LINHUAN)))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect(errorOf(await transition(id, 'CANCELLED', undefined, t.token('SOURCE_SYSTEM', 'YGT-610902-HK')))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect((await transition(id, 'CANCELLED', undefined, t.token('INSTITUTION', NANPING))).data!.transitionReferral.status).toBe('CANCELLED');
    expect(errorOf(await transition('999999999', 'ACCEPTED'))).toEqual({ code: 'NOT_FOUND', field: 'id' });
  });
});

describe('ReferralCounts', () => {
  test('equals a recount from the table for every window', async () => {
    const prisma = t.gateway.db.prisma;
    for (const window of ['TODAY', 'LAST_7_DAYS', 'THIS_MONTH', 'ALL_TIME'] as const) {
      const r = await t.execute(ReferralCountsDocument, { groupCode: SX, window }, t.token('COUNTY', SX));
      expect(r.errors).toBeUndefined();
      const since = windowStart(window);
      const rows = await prisma.referral.findMany({ where: { groupCode: SX, requestedAt: { gte: since } } });
      const live = rows.filter((x) => x.status !== 'REJECTED' && x.status !== 'CANCELLED');
      const minutes = rows.filter((x) => x.arrivedAt).map((x) => (x.arrivedAt!.getTime() - x.requestedAt.getTime()) / 60000);
      expect(r.data!.referralCounts).toMatchObject({
        groupCode: SX,
        window,
        upward: live.filter((x) => x.direction === 'UPWARD').length,
        downward: live.filter((x) => x.direction === 'DOWNWARD').length,
        greenChannel: live.filter((x) => x.urgency === 'GREEN_CHANNEL').length,
        pending: rows.filter((x) => x.status === 'REQUESTED').length,
      });
      const median = r.data!.referralCounts.medianMinutesToArrival;
      if (minutes.length) expect(median).toBeCloseTo(medianOf(minutes), 1);
      else expect(median).toBeNull();
    }
  });
});

/** The window's first instant, computed independently of the gateway: Asia/Shanghai is UTC+8 all year. */
export function windowStart(window: string, now = new Date()): Date {
  const H8 = 8 * 3600_000;
  const local = new Date(now.getTime() + H8);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - H8;
  if (window === 'TODAY') return new Date(midnight);
  if (window === 'LAST_7_DAYS') return new Date(midnight - 6 * 86_400_000);
  if (window === 'THIS_MONTH') return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - H8);
  return new Date(0);
}

export function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

describe('windows', () => {
  test('the day turns at local midnight in the group\'s time zone (Asia/Shanghai), not at UTC midnight', async () => {
    const counts = async (window: string) =>
      (await t.execute(ReferralCountsDocument, { groupCode: SX, window: window as never }, t.token('COUNTY', SX))).data!.referralCounts;
    const midnight = windowStart('TODAY');
    const [today0, week0] = [await counts('TODAY'), await counts('LAST_7_DAYS')];
    // One second before local midnight: yesterday (in LAST_7_DAYS, not in TODAY); at midnight: today.
    expect((await create({ fromCode: LEAD, toCode: NANPING, requestedAt: new Date(midnight.getTime() - 1000).toISOString() })).errors).toBeUndefined();
    expect((await create({ fromCode: LEAD, toCode: NANPING, requestedAt: midnight.toISOString() })).errors).toBeUndefined();
    const [today1, week1] = [await counts('TODAY'), await counts('LAST_7_DAYS')];
    expect(today1.downward - today0.downward).toBe(1);
    expect(week1.downward - week0.downward).toBe(2);
    expect(today1.pending - today0.pending).toBe(1);
  });
});
