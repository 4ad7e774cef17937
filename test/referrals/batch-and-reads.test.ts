// recordReferrals (contract batch semantics), the demo figures of article 004, patientRef visibility,
// list scope, and the N+1 guards (statement counts) of ReferralCounts and the referrals list.
import { ReferralCountsDocument } from '../../src/generated/operations';
import { MAX_BATCH_SIZE } from '../../src/common/batch';
import { atLeast, underMinutes } from '../../src/demo/seed-figures';
import { ARTICLE_SOURCE, CHEST_PAIN_EXTERNAL_ID, SYNTHETIC_DAYS, SYNTHETIC_SOURCE } from '../../src/modules/referrals/referral.demo';
import { DEMO_GROUP_CODES } from '../../src/modules/structure/structure.demo';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { figure, seedGroup } from '../support/seed-figures';
import { RecordReferralsDocument } from './operations';

const HK = 'YGT-610902-HK';
const SX = 'YGT-340621-SX';
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

const record = (externalId: string, extra: Record<string, unknown> = {}) => ({
  source: 'batch-his',
  externalId,
  patientRef: `B-${externalId}`,
  fromCode: '610902-HK-T02',
  toCode: '610902-HK-L01',
  urgency: 'ROUTINE',
  requestedAt: '2026-02-01T08:00:00+08:00',
  ...extra,
});

describe('recordReferrals', () => {
  const run = (input: Record<string, unknown>[], token = t.token('SOURCE_SYSTEM', HK)) => t.execute(RecordReferralsDocument, { input }, token);

  test('CREATED, UNCHANGED on replay, UPDATED when the content or the history grows; bad records never stop good ones', async () => {
    const accepted = [{ status: 'ACCEPTED', at: '2026-02-01T08:20:00+08:00' }];
    const first = await run([
      record('B1'),
      record('B2', { history: accepted }),
      record('B3', { patientRef: '13812345678' }),
      record('B4', { diagnosisCode: 'XX' }),
      record('B5', { toCode: '610902-HK-T03' }), // same level, not declared lateral
      record('B6', { history: [{ status: 'ARRIVED', at: '2026-02-01T09:00:00+08:00' }] }), // skips ACCEPTED
      record('B7', { fromCode: '340621-SX-T01', toCode: '340621-SX-L01' }), // another group
      record('B8', { history: [{ status: 'ACCEPTED', at: '2026-02-01T07:00:00+08:00' }] }), // before the request
    ]);
    expect(first.errors).toBeUndefined();
    const r = first.data!.recordReferrals;
    expect(r.results.map((x) => [x.index, x.status, x.error?.code ?? null, x.error?.field ?? null])).toEqual([
      [0, 'CREATED', null, null],
      [1, 'CREATED', null, null],
      [2, 'REJECTED', 'IDENTIFYING_PATIENT_REF', 'patientRef'],
      [3, 'REJECTED', 'INVALID_DIAGNOSIS_CODE', 'diagnosisCode'],
      [4, 'REJECTED', 'LATERAL_NOT_DECLARED', 'lateral'],
      [5, 'REJECTED', 'ILLEGAL_TRANSITION', 'history.0.status'],
      [6, 'REJECTED', 'OUT_OF_SCOPE', 'fromCode'],
      [7, 'REJECTED', 'TIME_BEFORE_PREVIOUS', 'history.0.at'],
    ]);
    expect(r).toMatchObject({ accepted: 2, created: 2, rejected: 6 });
    expect(r.results[1].referral).toMatchObject({ status: 'ACCEPTED', direction: 'UPWARD' });

    const replay = await run([record('B1'), record('B2', { history: accepted })]);
    expect(replay.data!.recordReferrals.results.map((x) => x.status)).toEqual(['UNCHANGED', 'UNCHANGED']);
    // A record sent before the gateway got a later step keeps that step: still UNCHANGED.
    const arrived = [...accepted, { status: 'ARRIVED', at: '2026-02-01T09:10:00+08:00' }];
    const grown = await run([record('B1', { reason: '复查' }), record('B2', { history: arrived })]);
    expect(grown.data!.recordReferrals.results.map((x) => x.status)).toEqual(['UPDATED', 'UPDATED']);
    expect((await run([record('B2', { history: accepted })])).data!.recordReferrals.results[0].status).toBe('UNCHANGED');
    // A different history is a conflict.
    const conflict = await run([record('B2', { history: [{ status: 'REJECTED', at: '2026-02-01T08:30:00+08:00' }] })]);
    expect(conflict.data!.recordReferrals.results[0]).toMatchObject({ status: 'REJECTED', error: { code: 'HISTORY_CONFLICT' } });
    // The same key twice in one batch.
    const dup = await run([record('B9'), record('B9')]);
    expect(dup.data!.recordReferrals.results.map((x) => x.status)).toEqual(['CREATED', 'REJECTED']);
    expect(await t.gateway.db.prisma.referral.count({ where: { source: 'batch-his' } })).toBe(3);
  });

  test(`at most ${MAX_BATCH_SIZE} records; SOURCE_SYSTEM tokens only`, async () => {
    const tooMany = await run(Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => record(`M${i}`)));
    expect(tooMany.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    expect((await run([record('X1')], t.token('COUNTY', HK))).errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await run([record('X1')], t.token('INSTITUTION', '610902-HK-L01'))).errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});

describe('demo data', () => {
  test('恒口: 130 or more upward referrals from its townships and villages, and the 梅子铺 chest-pain case', async () => {
    const seed = seedGroup('恒口');
    const prisma = t.gateway.db.prisma;
    const article = await prisma.referral.findMany({ where: { groupCode: HK, source: ARTICLE_SOURCE } });
    const upward = article.filter((r) => r.direction === 'UPWARD');
    expect(upward.length).toBeGreaterThanOrEqual(atLeast(figure(seed, 'upward referrals')));
    // From township (T..) and village (T..-V...) members only.
    for (const r of upward) expect(r.fromCode).toMatch(/^610902-HK-T\d\d(-V\d{3})?$/);

    const r = await t.execute(
      `query($id: ID!) { referral(id: $id) { urgency channel diagnosisCode status requestedAt arrivedAt from { name kind } to { name kind } } }`,
      { id: String(article.find((x) => x.externalId === CHEST_PAIN_EXTERNAL_ID)!.id) },
      t.token('COUNTY', HK),
    );
    const chest = (r.data as { referral: Record<string, unknown> & { requestedAt: string; arrivedAt: string } }).referral;
    expect(chest).toMatchObject({
      urgency: 'GREEN_CHANNEL',
      channel: 'REMOTE_ECG',
      diagnosisCode: 'I21.9',
      status: 'COMPLETED',
      from: { name: figure(seed, 'named branch'), kind: 'TOWNSHIP_HEALTH_CENTER' },
      to: { name: seed.lead, kind: 'LEAD_HOSPITAL' },
    });
    const minutes = (Date.parse(chest.arrivedAt) - Date.parse(chest.requestedAt)) / 60_000;
    expect(minutes).toBeGreaterThan(0);
    expect(minutes).toBeLessThan(underMinutes(figure(seed, 'green-channel chest-pain referral')));
  });

  test('every group has two years of synthetic referrals, up and down', async () => {
    const rows = await t.gateway.db.prisma.referral.groupBy({
      by: ['groupCode', 'direction'],
      where: { source: SYNTHETIC_SOURCE },
      _count: { _all: true },
      _min: { requestedAt: true },
    });
    for (const code of DEMO_GROUP_CODES) {
      const up = rows.find((x) => x.groupCode === code && x.direction === 'UPWARD');
      const down = rows.find((x) => x.groupCode === code && x.direction === 'DOWNWARD');
      expect(up!._count._all).toBeGreaterThan(down!._count._all);
      expect(down!._count._all).toBeGreaterThan(100);
      const days = (Date.now() - up!._min.requestedAt!.getTime()) / 86_400_000;
      expect(days).toBeGreaterThan(SYNTHETIC_DAYS - 2);
      expect(days).toBeLessThanOrEqual(SYNTHETIC_DAYS + 1);
    }
  });
});

describe('reads', () => {
  const LIST = `query($filter: ReferralFilter, $first: Int, $after: String) {
    referrals(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id groupCode patientRef direction from { code name parent { code } } to { code name } } }
    }
  }`;
  const PAGE = `query($filter: ReferralFilter, $first: Int) {
    referrals(filter: $filter, first: $first) { totalCount edges { node { id patientRef from { code name } to { code name } } } }
  }`;
  type List = { referrals: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string; groupCode: string; patientRef: string | null; from: { code: string }; to: { code: string } } }[] } };

  test('patientRef is FORBIDDEN for a province; the rest of the row is not', async () => {
    const r = await t.execute<List, Record<string, unknown>>(LIST, { filter: { groupCode: HK }, first: 3 }, t.token('PROVINCE', '610000'));
    expect(r.data!.referrals.edges).toHaveLength(3);
    expect(r.data!.referrals.edges.every((e) => e.node.patientRef === null && e.node.from.code)).toBe(true);
    expect(r.errors!.map((e) => [e.extensions!.code, e.path!.at(-1)])).toEqual(Array(3).fill(['FORBIDDEN', 'patientRef']));
    const county = await t.execute<List, Record<string, unknown>>(LIST, { filter: { groupCode: HK }, first: 3 }, t.token('COUNTY', HK));
    expect(county.errors).toBeUndefined();
    expect(county.data!.referrals.edges.every((e) => e.node.patientRef)).toBe(true);
  });

  test('an institution sees only its referrals, with both ends, and pages through them', async () => {
    const village = '610902-HK-T01-V001';
    const prisma = t.gateway.db.prisma;
    const expected = await prisma.referral.count({ where: { OR: [{ fromCode: village }, { toCode: village }] } });
    expect(expected).toBeGreaterThan(3);
    const token = t.token('INSTITUTION', village);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const r = await t.execute<List, Record<string, unknown>>(LIST, { first: 3, after }, token);
      expect(r.errors).toBeUndefined();
      expect(r.data!.referrals.totalCount).toBe(expected);
      for (const { node } of r.data!.referrals.edges) {
        expect([node.from.code, node.to.code]).toContain(village);
        seen.push(node.id);
      }
      if (!r.data!.referrals.pageInfo.hasNextPage) break;
      after = r.data!.referrals.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(expected);
    // Another group's counters are NOT_FOUND for it.
    const other = await t.execute(ReferralCountsDocument, { groupCode: SX, window: 'ALL_TIME' }, token);
    expect(other.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'groupCode' });
  });

  test('statements: ReferralCounts costs the same for every group; a page of 100 referrals as few as a page of 1', async () => {
    const counts: number[] = [];
    for (const code of DEMO_GROUP_CODES) {
      counts.push(
        await t.countStatements(async () => {
          const r = await t.execute(ReferralCountsDocument, { groupCode: code, window: 'ALL_TIME' }, t.token('COUNTY', code));
          expect(r.errors).toBeUndefined();
        }),
      );
    }
    // The caller's scope, the group's time zone, the counters.
    expect(counts).toEqual(Array(DEMO_GROUP_CODES.length).fill(3));
    const page = (first: number) =>
      t.countStatements(async () => {
        const r = await t.execute<List, Record<string, unknown>>(PAGE, { filter: { groupCode: SX }, first }, t.token('COUNTY', SX));
        expect(r.errors).toBeUndefined();
        expect(r.data!.referrals.edges).toHaveLength(first);
      });
    const one = await page(1);
    const hundred = await page(100);
    expect(hundred).toBe(one);
    // Scope, page, total, both ends of every row (one batch).
    expect(one).toBe(4);
  });
});
