// Declared lateral referrals (县医院 → 县中医院), and a referral's times: every DateTime with its
// group's offset (no extra statement per row), first contact and admission (the green channel),
// validated on create, in batches and with the ARRIVED/COMPLETED transition; the 梅子铺 chest-pain
// case of article 004 against its seed figure.
import { underMinutes } from '../../src/demo/seed-figures';
import { CHEST_PAIN_EXTERNAL_ID } from '../../src/modules/referrals/referral.demo';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { outcomes } from '../support/outcomes';
import { figure, seedGroup } from '../support/seed-figures';
import { CreateReferralDocument, RecordReferralsDocument, type RecordReferralsResult } from './operations';

const HK = 'YGT-610902-HK';
const LEAD = '610902-HK-L01';
const T01 = '610902-HK-T01';
const T02 = '610902-HK-T02';
/** A county-level member of 恒口 for these tests (the demo gives it none): same level as the lead hospital. */
const COUNTY_TCM = '610902-HK-C91';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  await t.gateway.db.prisma.institution.create({ data: { code: COUNTY_TCM, name: '测试县中医院', kind: 'COUNTY_HOSPITAL', level: 3, groupCode: HK } });
});
afterAll(() => t?.stop());

const source = () => t.token('SOURCE_SYSTEM', HK);
const input = (externalId: string, extra: Record<string, unknown> = {}) => ({
  source: 'lt-his',
  externalId,
  patientRef: `P-${externalId}`,
  fromCode: LEAD,
  toCode: COUNTY_TCM,
  urgency: 'ROUTINE',
  requestedAt: '2019-10-10T10:00:00+08:00',
  ...extra,
});
const create = (externalId: string, extra: Record<string, unknown> = {}) => t.execute(CreateReferralDocument, { input: input(externalId, extra) as never }, source());
function expectOutcomes(batch: { errors?: unknown; data?: RecordReferralsResult | null }, expected: [string, string | null, string | null][]) {
  expect(batch.errors).toBeUndefined();
  expect(outcomes(batch.data!.recordReferrals.results)).toEqual(expected);
}
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions && { code: r.errors[0].extensions.code, field: r.errors[0].extensions.field };
/** The rule a single mutation broke: the code a batch would report, as `extensions.reason`. */
const reasonOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.reason;

describe('lateral referrals', () => {
  test('same level: rejected unless declared; declared across levels: NOT_LATERAL; declared ones count apart', async () => {
    const period = { from: '2019-10-01', to: '2019-10-31' };
    const COUNTS = `query($p: PeriodInput!) { referralCounts(groupCode: "${HK}", period: $p) { upward downward lateral } }`;
    const before = (await t.execute<{ referralCounts: Record<string, number> }, unknown>(COUNTS, { p: period }, t.token('COUNTY', HK))).data!.referralCounts;
    const undeclared = await create('L-0');
    expect(codeOf(undeclared)).toEqual({ code: 'BAD_USER_INPUT', field: 'lateral' });
    expect(reasonOf(undeclared)).toBe('LATERAL_NOT_DECLARED');
    const acrossLevels = await create('L-1', { fromCode: T01, toCode: LEAD, lateral: true });
    expect(codeOf(acrossLevels)).toEqual({ code: 'BAD_USER_INPUT', field: 'lateral' });
    expect(reasonOf(acrossLevels)).toBe('NOT_LATERAL');
    const lateral = await create('L-2', { lateral: true });
    expect(lateral.errors).toBeUndefined();
    expect(lateral.data!.createReferral.direction).toBe('LATERAL');
    // Townships too, and in a batch, with the codes of the batch.
    const batch = await t.execute(
      RecordReferralsDocument,
      { input: [input('L-3', { fromCode: T01, toCode: T02, lateral: true }), input('L-4', { fromCode: T01, toCode: T02 }), input('L-5', { fromCode: T01, toCode: LEAD, lateral: true })] },
      source(),
    );
    expectOutcomes(batch, [
      ['CREATED', null, null],
      ['REJECTED', 'LATERAL_NOT_DECLARED', 'lateral'],
      ['REJECTED', 'NOT_LATERAL', 'lateral'],
    ]);
    const after = (await t.execute<{ referralCounts: Record<string, number> }, unknown>(COUNTS, { p: period }, t.token('COUNTY', HK))).data!.referralCounts;
    expect({ upward: after.upward - before.upward, downward: after.downward - before.downward, lateral: after.lateral - before.lateral }).toEqual({ upward: 0, downward: 0, lateral: 2 });
    const summary = await t.execute<{ institution: { referralSummary: Record<string, number> } }, unknown>(
      `query($p: PeriodInput!) { institution(code: "${COUNTY_TCM}") { referralSummary(period: $p) { sentUp receivedUp sentLateral receivedLateral } } }`,
      { p: period },
      t.token('COUNTY', HK),
    );
    expect(summary.data!.institution.referralSummary).toEqual({ sentUp: 0, receivedUp: 0, sentLateral: 0, receivedLateral: 1 });
    // A replay of the declared one is UNCHANGED; the list filters them by direction.
    expectOutcomes(await t.execute(RecordReferralsDocument, { input: [input('L-3', { fromCode: T01, toCode: T02, lateral: true })] }, source()), [['UNCHANGED', null, null]]);
    const list = await t.execute<{ referrals: { totalCount: number } }, unknown>(`{ referrals(filter: { groupCode: "${HK}", direction: LATERAL }) { totalCount } }`, {}, t.token('COUNTY', HK));
    expect(list.data!.referrals.totalCount).toBe(await t.gateway.db.prisma.referral.count({ where: { groupCode: HK, direction: 'LATERAL' } }));
  });
});

const TIMES = `requestedAt acceptedAt arrivedAt completedAt rejectedAt cancelledAt firstContactAt admittedAt greenChannelMinutes updatedAt`;

describe('local time and the green channel', () => {
  test('梅子铺\'s chest-pain case: first contact and admission at local times, under the article\'s hour', async () => {
    const seed = seedGroup('恒口');
    const row = await t.gateway.db.prisma.referral.findFirstOrThrow({ where: { groupCode: HK, externalId: CHEST_PAIN_EXTERNAL_ID } });
    const r = await t.execute<{ referral: Record<string, string | number | null> & { from: { name: string } } }, unknown>(
      `query($id: ID!) { referral(id: $id) { urgency provenance article provenanceNote from { name } ${TIMES} } }`,
      { id: String(row.id) },
      t.token('COUNTY', HK),
    );
    expect(r.errors).toBeUndefined();
    const c = r.data!.referral;
    expect(c).toMatchObject({ urgency: 'GREEN_CHANNEL', provenance: 'INVENTED', article: seed.article, from: { name: figure(seed, 'named branch') } });
    expect(c.provenanceNote).toMatch(/invented/);
    // Shown as the county reads its clock: the same instants, with +08:00.
    for (const field of ['requestedAt', 'acceptedAt', 'arrivedAt', 'completedAt', 'firstContactAt', 'admittedAt', 'updatedAt']) expect([field, c[field]]).toEqual([field, expect.stringMatching(/\+08:00$/)]);
    expect(c.firstContactAt).toBe('2023-05-16T09:12:00+08:00');
    expect(c.admittedAt).toMatch(/^2023-05-16T10:0\d:00\+08:00$/);
    expect(Date.parse(c.firstContactAt as string)).toBe(row.firstContactAt!.getTime());
    const minutes = c.greenChannelMinutes as number;
    expect(minutes).toBe((row.admittedAt!.getTime() - row.firstContactAt!.getTime()) / 60_000);
    expect(minutes).toBeGreaterThan(0);
    expect(minutes).toBeLessThan(underMinutes(figure(seed, 'green-channel chest-pain referral')));
    // The counters' median green-channel time over the article's half year is this one case.
    const counts = await t.execute<{ referralCounts: { greenChannel: number; greenChannelTimed: number; medianGreenChannelMinutes: number; updatedAt: string } }, unknown>(
      `{ referralCounts(groupCode: "${HK}", period: { from: "2023-01-01", to: "2023-06-30" }, provenance: { in: [INVENTED] }) { greenChannel greenChannelTimed medianGreenChannelMinutes updatedAt } }`,
      {},
      t.token('COUNTY', HK),
    );
    expect(counts.data!.referralCounts).toEqual({ greenChannel: 1, greenChannelTimed: 1, medianGreenChannelMinutes: minutes, updatedAt: expect.stringMatching(/\+08:00$/) });
  });

  test('first contact and admission: validated on create and in batches; admission with the ARRIVED or COMPLETED step', async () => {
    expect(codeOf(await create('G-1', { fromCode: T01, toCode: LEAD, firstContactAt: '2019-10-10T10:01:00+08:00' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'firstContactAt' });
    expect(codeOf(await create('G-2', { fromCode: T01, toCode: LEAD, admittedAt: '2019-10-10T10:30:00+08:00' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'admittedAt' });
    const created = await create('G-3', { fromCode: T01, toCode: LEAD, urgency: 'GREEN_CHANNEL', firstContactAt: '2019-10-10T09:50:00+08:00' });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createReferral.id;
    expect(created.data!.createReferral.requestedAt).toBe('2019-10-10T10:00:00+08:00');
    const move = (to: string, at: string, admittedAt?: string) =>
      t.execute<{ transitionReferral: Record<string, string | number | null> }, unknown>(
        `mutation($id: ID!, $to: ReferralStatus!, $at: DateTime, $admittedAt: DateTime) { transitionReferral(id: $id, to: $to, at: $at, admittedAt: $admittedAt) { status ${TIMES} } }`,
        { id, to, at, admittedAt },
        source(),
      );
    expect(codeOf(await move('ACCEPTED', '2019-10-10T10:05:00+08:00', '2019-10-10T10:40:00+08:00'))).toEqual({ code: 'BAD_USER_INPUT', field: 'admittedAt' });
    expect((await move('ACCEPTED', '2019-10-10T10:05:00+08:00')).errors).toBeUndefined();
    expect(codeOf(await move('ARRIVED', '2019-10-10T10:35:00+08:00', '2019-10-10T10:30:00+08:00'))).toEqual({ code: 'BAD_USER_INPUT', field: 'admittedAt' });
    const arrived = await move('ARRIVED', '2019-10-10T10:35:00+08:00', '2019-10-10T10:40:00+08:00');
    expect(arrived.errors).toBeUndefined();
    expect(arrived.data!.transitionReferral).toMatchObject({
      status: 'ARRIVED',
      firstContactAt: '2019-10-10T09:50:00+08:00',
      arrivedAt: '2019-10-10T10:35:00+08:00',
      admittedAt: '2019-10-10T10:40:00+08:00',
      greenChannelMinutes: 50,
    });
    // Repeating the step with the same admission changes nothing; another admission time conflicts.
    expect((await move('ARRIVED', '2019-10-10T10:35:00+08:00', '2019-10-10T10:40:00+08:00')).errors).toBeUndefined();
    expect(codeOf(await move('COMPLETED', '2019-10-12T10:00:00+08:00', '2019-10-10T10:41:00+08:00'))).toEqual({ code: 'BAD_USER_INPUT', field: 'admittedAt' });
    expect((await move('COMPLETED', '2019-10-12T10:00:00+08:00')).data!.transitionReferral).toMatchObject({ status: 'COMPLETED', admittedAt: '2019-10-10T10:40:00+08:00' });

    // A batch carries both moments with its history; a record without them keeps the stored ones.
    const history = [
      { status: 'ACCEPTED', at: '2019-10-11T10:05:00+08:00' },
      { status: 'ARRIVED', at: '2019-10-11T10:40:00+08:00' },
    ];
    const rec = (externalId: string, extra: Record<string, unknown>) => input(externalId, { fromCode: T01, toCode: LEAD, urgency: 'GREEN_CHANNEL', requestedAt: '2019-10-11T10:00:00+08:00', history, ...extra });
    const batch = await t.execute(
      RecordReferralsDocument,
      {
        input: [
          rec('G-10', { firstContactAt: '2019-10-11T09:45:00+08:00', admittedAt: '2019-10-11T10:45:00+08:00' }),
          rec('G-11', { firstContactAt: '2019-10-11T10:01:00+08:00' }),
          rec('G-12', { admittedAt: '2019-10-11T10:39:00+08:00' }),
          rec('G-13', { history: history.slice(0, 1), admittedAt: '2019-10-11T10:45:00+08:00' }),
        ],
      },
      source(),
    );
    expectOutcomes(batch, [
      ['CREATED', null, null],
      ['REJECTED', 'FIRST_CONTACT_AFTER_REQUEST', 'firstContactAt'],
      ['REJECTED', 'ADMITTED_BEFORE_ARRIVAL', 'admittedAt'],
      ['REJECTED', 'ADMITTED_NOT_ARRIVED', 'admittedAt'],
    ]);
    expectOutcomes(await t.execute(RecordReferralsDocument, { input: [rec('G-10', {})] }, source()), [['UNCHANGED', null, null]]);
    const stored = await t.gateway.db.prisma.referral.findFirstOrThrow({ where: { groupCode: HK, source: 'lt-his', externalId: 'G-10' } });
    expect((stored.admittedAt!.getTime() - stored.firstContactAt!.getTime()) / 60_000).toBe(60);
    expect(stored.provenance).toBe('SOURCE_SYSTEM');
  });

  test('a stored first contact or admission never changes (batch as transition); a conflict is reported on the field the caller sent', async () => {
    const history = [
      { status: 'ACCEPTED', at: '2019-10-12T10:05:00+08:00' },
      { status: 'ARRIVED', at: '2019-10-12T10:30:00+08:00' },
    ];
    const completed = [...history, { status: 'COMPLETED', at: '2019-10-12T10:45:00+08:00' }];
    const rec = (externalId: string, extra: Record<string, unknown> = {}) =>
      input(externalId, { fromCode: T01, toCode: LEAD, urgency: 'GREEN_CHANNEL', requestedAt: '2019-10-12T10:00:00+08:00', history, ...extra });
    const batch = async (records: Record<string, unknown>[]) => t.execute(RecordReferralsDocument, { input: records as never }, source());
    const moments = { firstContactAt: '2019-10-12T09:50:00+08:00', admittedAt: '2019-10-12T11:00:00+08:00' };
    expectOutcomes(await batch([rec('G-20', moments)]), [['CREATED', null, null]]);
    // Each in its own batch (one key per batch): a different moment conflicts; omitted keeps the stored one.
    expectOutcomes(await batch([rec('G-20', { ...moments, admittedAt: '2019-10-12T11:10:00+08:00' })]), [['REJECTED', 'ADMITTED_AT_CONFLICT', 'admittedAt']]);
    expectOutcomes(await batch([rec('G-20', { ...moments, firstContactAt: '2019-10-12T09:40:00+08:00' })]), [['REJECTED', 'FIRST_CONTACT_CONFLICT', 'firstContactAt']]);
    expectOutcomes(await batch([rec('G-20')]), [['UNCHANGED', null, null]]);
    // A completion before the stored admission (which cannot change), the record omitting it: the
    // record's COMPLETED step is at fault. A record that contradicts itself is at fault on the moment it
    // sends, as on create.
    expectOutcomes(await batch([rec('G-20', { history: completed })]), [['REJECTED', 'ADMITTED_AFTER_COMPLETION', 'history.2.at']]);
    expectOutcomes(await batch([rec('G-20', { history: completed, admittedAt: moments.admittedAt })]), [['REJECTED', 'ADMITTED_AFTER_COMPLETION', 'admittedAt']]);
    // A corrected request before the stored first contact: the request is at fault.
    expectOutcomes(await batch([rec('G-20', { requestedAt: '2019-10-12T09:45:00+08:00' })]), [['REJECTED', 'FIRST_CONTACT_AFTER_REQUEST', 'requestedAt']]);
    const stored = await t.gateway.db.prisma.referral.findFirstOrThrow({ where: { groupCode: HK, source: 'lt-his', externalId: 'G-20' } });
    expect([stored.status, stored.firstContactAt!.toISOString(), stored.admittedAt!.toISOString()]).toEqual([
      'ARRIVED',
      new Date(moments.firstContactAt).toISOString(),
      new Date(moments.admittedAt).toISOString(),
    ]);
    // transitionReferral: a completion before the stored admission is the fault of `at`, the time it was sent.
    const complete = await t.execute(
      `mutation($id: ID!) { transitionReferral(id: $id, to: COMPLETED, at: "2019-10-12T10:45:00+08:00") { status } }`,
      { id: String(stored.id) },
      source(),
    );
    expect(codeOf(complete)).toEqual({ code: 'BAD_USER_INPUT', field: 'at' });
    expect(complete.errors![0].message).toMatch(/after the completion/);
    const again = await t.execute(
      `mutation($id: ID!, $a: DateTime) { transitionReferral(id: $id, to: COMPLETED, at: "2019-10-12T10:45:00+08:00", admittedAt: $a) { status } }`,
      { id: String(stored.id), a: moments.admittedAt },
      source(),
    );
    expect(codeOf(again)).toEqual({ code: 'BAD_USER_INPUT', field: 'at' });
    // Once the admission is not contradicted, it completes.
    expectOutcomes(await batch([rec('G-20', { history: [...history, { status: 'COMPLETED', at: '2019-10-12T12:00:00+08:00' }] })]), [['UPDATED', null, null]]);
  });

  test('first contact at most 7 days before the request (FIRST_CONTACT_TOO_EARLY), on create and in batches', async () => {
    const requestedAt = new Date('2019-10-20T10:00:00+08:00');
    const before = (ms: number) => new Date(requestedAt.getTime() - ms).toISOString();
    const WEEK = 7 * 24 * 3_600_000;
    expect(codeOf(await create('G-30', { fromCode: T01, toCode: LEAD, requestedAt: requestedAt.toISOString(), firstContactAt: '2000-01-01T00:00:00Z' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'firstContactAt',
    });
    const rec = (externalId: string, firstContactAt: string) => input(externalId, { fromCode: T01, toCode: LEAD, requestedAt: requestedAt.toISOString(), firstContactAt });
    expectOutcomes(await t.execute(RecordReferralsDocument, { input: [rec('G-31', before(WEEK + 60_000)), rec('G-32', before(WEEK))] }, source()), [
      ['REJECTED', 'FIRST_CONTACT_TOO_EARLY', 'firstContactAt'],
      ['CREATED', null, null],
    ]);
  });

  test('local times cost no statement per row: a page of 100 referrals with every time costs what a page of 1 does', async () => {
    const token = t.token('COUNTY', HK);
    const query = (first: number, fields: string) => `{ referrals(first: ${first}, filter: { groupCode: "${HK}" }) { edges { node { id ${fields} } } } }`;
    const bare = await t.countStatements(() => t.execute(query(100, ''), {}, token));
    const one = await t.countStatements(() => t.execute(query(1, TIMES), {}, token));
    const many = await t.countStatements(async () => {
      const r = await t.execute<{ referrals: { edges: { node: { requestedAt: string } }[] } }, unknown>(query(100, TIMES), {}, token);
      expect(r.data!.referrals.edges).toHaveLength(100);
      expect(r.data!.referrals.edges.every((e) => e.node.requestedAt.endsWith('+08:00'))).toBe(true);
    });
    expect(many).toBe(one);
    // The zones of the request's groups: at most one statement beyond the bare page.
    expect(many - bare).toBeLessThanOrEqual(1);
  });
});
