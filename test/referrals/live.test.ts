// referralCountsChanged over graphql-ws: the counters on subscribe, then after every committed change;
// scope checked on subscribe; the socket closed (4403) when the token expires; 1,000 concurrent
// writes end with every subscriber's last message equal to a recount from the table.
import { CreateReferralDocument, RecordReferralsDocument, TransitionReferralDocument } from './operations';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { figures, subscribeCounts, type Subscriber } from './live-support';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const HK = 'YGT-610902-HK';
const MEIZIPU = '610902-HK-T01';
const LEAD = '610902-HK-L01';
const VILLAGE = '610902-HK-T01-V001';

let t: TestGateway;
let source: string;
const open: Subscriber[] = [];
beforeAll(async () => {
  // A load test: one source token writes 1,000 times at once, beyond any caller's request rate.
  t = await startTestGateway({ redisUrl: REDIS_URL, maxRequestsPerSecond: 0 });
  source = t.token('SOURCE_SYSTEM', HK);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(() => t?.stop());

function sub(token: string, variables: { groupCode: string; window: string; institutionCode?: string }): Subscriber {
  const s = subscribeCounts(t.gateway.url, token, variables);
  open.push(s);
  return s;
}

async function recount(window: 'TODAY' | 'ALL_TIME', institutionCode?: string) {
  const r = await t.execute<{ referralCounts: { upward: number; downward: number; greenChannel: number; pending: number } }, Record<string, unknown>>(
    `query Counts($groupCode: String!, $window: CounterWindow!, $institutionCode: String) {
      referralCounts(groupCode: $groupCode, window: $window, institutionCode: $institutionCode) { upward downward greenChannel pending }
    }`,
    { groupCode: HK, window, institutionCode },
    t.token('COUNTY', HK),
  );
  expect(r.errors).toBeUndefined();
  return r.data!.referralCounts;
}

/** The counters recomputed in the test from the rows, independently of the gateway's SQL. */
async function tableCounts(since: Date) {
  const rows = await t.gateway.db.prisma.referral.findMany({ where: { groupCode: HK, requestedAt: { gte: since } } });
  const live = rows.filter((x) => x.status !== 'REJECTED' && x.status !== 'CANCELLED');
  return {
    upward: live.filter((x) => x.direction === 'UPWARD').length,
    downward: live.filter((x) => x.direction === 'DOWNWARD').length,
    greenChannel: live.filter((x) => x.urgency === 'GREEN_CHANNEL').length,
    pending: rows.filter((x) => x.status === 'REQUESTED').length,
  };
}

let seq = 0;
const create = (overrides: Record<string, unknown> = {}) =>
  t.execute(
    CreateReferralDocument,
    { input: { source: 'live-test', externalId: `L-${++seq}`, patientRef: `LP-${seq}x`, fromCode: MEIZIPU, toCode: LEAD, urgency: 'ROUTINE', ...overrides } as never },
    source,
  );

test('sends the counters on subscribe, then the new counters after a change', async () => {
  const s = sub(t.token('COUNTY', HK), { groupCode: HK, window: 'TODAY' });
  const first = await s.waitFor(() => true);
  expect(figures(first)).toEqual(figures(await recount('TODAY')));
  const created = await create({ urgency: 'GREEN_CHANNEL', channel: 'REMOTE_ECG', diagnosisCode: 'I21.9' });
  expect(created.errors).toBeUndefined();
  const next = await s.waitFor((m) => m.upward === first.upward + 1);
  expect(next).toMatchObject({ groupCode: HK, window: 'TODAY', greenChannel: first.greenChannel + 1, pending: first.pending + 1 });
  await t.execute(TransitionReferralDocument, { id: created.data!.createReferral.id, to: 'ACCEPTED' }, source);
  await s.waitFor((m) => m.pending === first.pending);
});

test('a member screen counts the referrals from or to that member only', async () => {
  const village = sub(t.token('INSTITUTION', VILLAGE), { groupCode: HK, window: 'ALL_TIME' });
  const first = await village.waitFor(() => true);
  expect(figures(first)).toEqual(figures(await recount('ALL_TIME', VILLAGE)));
  await create(); // 梅子铺 → lead: not the village's
  await create({ fromCode: VILLAGE, toCode: MEIZIPU });
  const next = await village.waitFor((m) => m.upward !== first.upward);
  expect(next.upward).toBe(first.upward + 1);
});

test('a period, a provenance filter and out-of-county counters live too', async () => {
  const query = `subscription Period($groupCode: String!, $period: PeriodInput, $provenance: ProvenanceFilter) {
    referralCountsChanged(groupCode: $groupCode, period: $period, provenance: $provenance) {
      groupCode window upward downward greenChannel pending outOfCounty { sent received } lateral period { from to } provenances updatedAt
    }
  }`;
  const variables = { groupCode: HK, period: { from: '2019-11-01', to: '2019-11-30' }, provenance: { in: ['SOURCE_SYSTEM'] } };
  const s = subscribeCounts(t.gateway.url, t.token('COUNTY', HK), variables, query);
  open.push(s);
  const first = (await s.waitFor(() => true)) as unknown as { upward: number; window: null; period: unknown; provenances: string[]; updatedAt: string };
  expect(first).toMatchObject({ window: null, period: variables.period, provenances: ['SOURCE_SYSTEM'], updatedAt: expect.stringMatching(/\+08:00$/) });
  await create({ requestedAt: '2019-12-01T00:30:00+08:00' }); // the next local day: outside the period
  await create({ requestedAt: '2019-11-30T23:30:00+08:00' });
  const next = await s.waitFor((m) => m.upward !== first.upward);
  expect(next.upward).toBe(first.upward + 1);
  // Neither window nor period: an error on subscribe.
  const bad = subscribeCounts(t.gateway.url, t.token('COUNTY', HK), { groupCode: HK }, query);
  open.push(bad);
  await expect(bad.waitFor(() => true, 5000)).rejects.toThrow(/exactly one of window/);
});

test('subscribing outside the token\'s scope is an error', async () => {
  const s = sub(t.token('COUNTY', 'YGT-340621-SX'), { groupCode: HK, window: 'TODAY' });
  await expect(s.waitFor(() => true, 5000)).rejects.toThrow(/NOT_FOUND|not found/i);
  const province = sub(t.token('PROVINCE', '340000'), { groupCode: HK, window: 'TODAY' }); // 恒口 is in 陕西
  await expect(province.waitFor(() => true, 5000)).rejects.toThrow(/outside your scope/);
  const other = sub(t.token('INSTITUTION', VILLAGE), { groupCode: HK, window: 'TODAY', institutionCode: LEAD });
  await expect(other.waitFor(() => true, 5000)).rejects.toThrow(/outside your scope/);
  expect((await sub(t.token('PROVINCE', '610000'), { groupCode: HK, window: 'TODAY' }).waitFor(() => true)).groupCode).toBe(HK);
});

test('a token that expires while subscribed closes the socket with 4403', async () => {
  const closed = new Promise<number>((resolve) => {
    const s = subscribeCounts(t.gateway.url, t.token('COUNTY', HK, 2), { groupCode: HK, window: 'TODAY' });
    open.push(s);
    s.client.on('closed', (event) => resolve((event as { code: number }).code));
  });
  expect(await closed).toBe(4403);
});

test('1,000 concurrent creates and transitions: every subscriber\'s last message equals a recount from the table', async () => {
  const screens = [
    ...Array.from({ length: 8 }, () => sub(t.token('COUNTY', HK), { groupCode: HK, window: 'TODAY' })),
    ...Array.from({ length: 8 }, () => sub(t.token('COUNTY', HK), { groupCode: HK, window: 'ALL_TIME' })),
  ];
  await Promise.all(screens.map((s) => s.waitFor(() => true)));
  // 400 open referrals to move, recorded in one batch.
  const records = Array.from({ length: 400 }, (_, i) => ({
    source: 'load', externalId: `PRE-${i}`, patientRef: `LD-${i}q`, fromCode: i % 2 ? VILLAGE : MEIZIPU, toCode: i % 2 ? MEIZIPU : LEAD,
    urgency: 'URGENT', requestedAt: new Date(Date.now() - 60_000).toISOString(),
  }));
  const batch = await t.execute(RecordReferralsDocument, { input: records as never }, source);
  expect(batch.data!.recordReferrals.created).toBe(400);
  const ids = batch.data!.recordReferrals.results.map((r) => r.referral!.id);
  const targets = ['ACCEPTED', 'REJECTED', 'CANCELLED'] as const;
  const ops = [
    ...Array.from({ length: 600 }, (_, i) => () => create({ fromCode: i % 3 ? MEIZIPU : LEAD, toCode: i % 3 ? LEAD : MEIZIPU, urgency: i % 10 ? 'ROUTINE' : 'GREEN_CHANNEL' })),
    ...ids.map((id, i) => () => t.execute(TransitionReferralDocument, { id, to: targets[i % 3] }, source)),
  ];
  const results = await Promise.all(ops.map((op) => op()));
  expect(results.filter((r) => r.errors)).toEqual([]);

  const since = new Date(Date.now() - 86_400_000 * 365 * 30);
  const today = await tableCounts(todayStart());
  const allTime = await tableCounts(since);
  expect(figures(await recount('TODAY'))).toEqual(today);
  expect(figures(await recount('ALL_TIME'))).toEqual(allTime);
  for (const s of screens) {
    const expected = screens.indexOf(s) < 8 ? today : allTime;
    await s.waitFor((m) => JSON.stringify(figures(m)) === JSON.stringify(expected), 15_000);
  }
  // Nothing else follows: the last message of every screen is the table's state.
  await new Promise((r) => setTimeout(r, 500));
  screens.forEach((s, i) => expect(figures(s.messages.at(-1)!)).toEqual(i < 8 ? today : allTime));
  // Coalesced: far fewer messages than changes.
  expect(Math.max(...screens.map((s) => s.messages.length))).toBeLessThan(1000);
});

function todayStart(now = new Date()): Date {
  const H8 = 8 * 3600_000;
  const local = new Date(now.getTime() + H8);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - H8);
}
