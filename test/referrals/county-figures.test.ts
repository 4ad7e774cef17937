// Figures a county statistician would trust (#9), through the API against the demo and the seed
// figures: out-of-county referrals apart from in-group upward/downward (counters, member summaries,
// the provincial member figures), counters for an explicit period, provenance on every referral and
// its filter, 恒口's counted 130余 of H1 2023 and its synthetic volume at the article's rate, and the
// migration's out_of_county backfill.
import { issueToken, verifyToken } from '../../src/auth/token';
import { createRequestContext } from '../../src/context';
import { todayIn } from '../../src/common/clock';
import { atLeast } from '../../src/demo/seed-figures';
import { modules } from '../../src/modules';
import { ARTICLE_HALF_YEAR } from '../../src/modules/referrals/referral.demo';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/gateway';
import { figure, seedGroup } from '../support/seed-figures';
import { migrationNamed, migrationSql } from '../support/migrations';
import { CreateReferralDocument, ReferralCountsDocument } from './operations';

const HK = 'YGT-610902-HK';
const HK_LEAD = '610902-HK-L01';
const YX = 'YGT-420322-YX';
const YX_LEAD = '420322-YX-L01';
const YX_TAIHE = '420322-YX-E01';
const YX_T01 = '420322-YX-T01';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

interface Counts {
  requested: number;
  upward: number;
  downward: number;
  lateral: number;
  outOfCounty: { sent: number; received: number };
  greenChannel: number;
  rejected: number;
  cancelled: number;
  pending: number;
  window: string | null;
  period: { from: string; to: string } | null;
  provenances: string[] | null;
  updatedAt: string;
}

const COUNTS = `query($g: String!, $w: CounterWindow, $p: PeriodInput, $i: String, $prov: ProvenanceFilter) {
  referralCounts(groupCode: $g, window: $w, period: $p, institutionCode: $i, provenance: $prov) {
    requested upward downward lateral outOfCounty { sent received } greenChannel rejected cancelled pending
    window period { from to } provenances updatedAt
  } }`;

async function counts(vars: { g: string; w?: string; p?: { from: string; to: string }; i?: string; prov?: { in: string[] } }, token = t.token('COUNTY', vars.g)): Promise<Counts> {
  const r = await t.execute<{ referralCounts: Counts }, unknown>(COUNTS, vars, token);
  expect(r.errors).toBeUndefined();
  return r.data!.referralCounts;
}

const NOT_SYNTHETIC = { in: ['ARTICLE', 'INVENTED', 'SOURCE_SYSTEM'] };

describe('out-of-county is not upward', () => {
  test('郧西: the demo\'s referrals to its partner hospitals count as out-of-county, apart from in-group upward', async () => {
    const all = await counts({ g: YX, w: 'ALL_TIME' });
    expect(all.outOfCounty.sent).toBeGreaterThan(0);
    expect(all.outOfCounty.received).toBeGreaterThan(0);
    // Cross-check with the list: counted = listed − rejected − cancelled, in-group and out-of-county apart.
    const list = await t.execute<Record<string, { totalCount: number }>, unknown>(
      `query($g: String!) {
        outUp: referrals(filter: { groupCode: $g, outOfCounty: true, direction: UPWARD }) { totalCount }
        outUpRejected: referrals(filter: { groupCode: $g, outOfCounty: true, direction: UPWARD, status: REJECTED }) { totalCount }
        outUpCancelled: referrals(filter: { groupCode: $g, outOfCounty: true, direction: UPWARD, status: CANCELLED }) { totalCount }
        inUp: referrals(filter: { groupCode: $g, outOfCounty: false, direction: UPWARD }) { totalCount }
        inUpRejected: referrals(filter: { groupCode: $g, outOfCounty: false, direction: UPWARD, status: REJECTED }) { totalCount }
        inUpCancelled: referrals(filter: { groupCode: $g, outOfCounty: false, direction: UPWARD, status: CANCELLED }) { totalCount }
      }`,
      { g: YX },
      t.token('COUNTY', YX),
    );
    expect(list.errors).toBeUndefined();
    const n = (k: string) => list.data![k].totalCount;
    expect(all.outOfCounty.sent).toBe(n('outUp') - n('outUpRejected') - n('outUpCancelled'));
    expect(all.upward).toBe(n('inUp') - n('inUpRejected') - n('inUpCancelled'));
    // The partners are level 4: nothing in-group reaches them.
    const rows = await t.gateway.db.prisma.referral.findMany({ where: { groupCode: YX, OR: [{ toCode: { endsWith: '-E01' } }, { toCode: { endsWith: '-E02' } }, { toCode: { endsWith: '-E03' } }] }, select: { outOfCounty: true } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.outOfCounty)).toBe(true);
  });

  test('a referral to a partner moves outOfCounty.sent, not upward, in the counters and in the lead hospital\'s summary', async () => {
    const period = { from: '2019-06-01', to: '2019-06-30' };
    const summaryQuery = `query($p: PeriodInput!) { institution(code: "${YX_LEAD}") { referralSummary(period: $p) { sentUp receivedUp sentOutOfCounty receivedFromOutOfCounty } } }`;
    const token = t.token('SOURCE_SYSTEM', YX);
    const before = await counts({ g: YX, p: period });
    const create = (externalId: string, fromCode: string, toCode: string) =>
      t.execute(CreateReferralDocument, { input: { source: 'yx-his', externalId, patientRef: `P-${externalId}`, fromCode, toCode, urgency: 'URGENT', requestedAt: '2019-06-10T10:00:00+08:00' } }, token);
    const out = await create('OUT-1', YX_LEAD, YX_TAIHE);
    expect(out.errors).toBeUndefined();
    expect(out.data!.createReferral.direction).toBe('UPWARD');
    expect((await create('BACK-1', YX_TAIHE, YX_LEAD)).errors).toBeUndefined();
    expect((await create('UP-1', YX_T01, YX_LEAD)).errors).toBeUndefined();
    const after = await counts({ g: YX, p: period });
    expect({ upward: after.upward - before.upward, downward: after.downward - before.downward, out: after.outOfCounty.sent - before.outOfCounty.sent, back: after.outOfCounty.received - before.outOfCounty.received }).toEqual({
      upward: 1,
      downward: 0,
      out: 1,
      back: 1,
    });
    const s = await t.execute<{ institution: { referralSummary: Record<string, number> } }, unknown>(summaryQuery, { p: period }, t.token('COUNTY', YX));
    expect(s.data!.institution.referralSummary).toEqual({ sentUp: 0, receivedUp: 1, sentOutOfCounty: 1, receivedFromOutOfCounty: 1 });
    // The provincial pull's member figures say the same.
    const context = createRequestContext(t.gateway.db.prisma, verifyToken(TEST_JWT_SECRET, issueToken(TEST_JWT_SECRET, { role: 'PROVINCE', scope: '420000' })));
    const figures = await modules.find((m) => m.name === 'referrals')!.memberFigures!(context).forMembers([YX_LEAD], { from: new Date('2019-06-01T00:00:00Z'), to: new Date('2019-06-30T00:00:00Z') });
    expect(figures.get(YX_LEAD)).toMatchObject({ sentUp: 0, receivedUp: 1, sentOutOfCounty: 1, receivedFromOutOfCounty: 1 });
    // The stored rows say where they come from: an API write is SOURCE_SYSTEM.
    const r = await t.execute<{ referrals: { edges: { node: { provenance: string; article: string | null; outOfCounty: boolean } }[] } }, unknown>(
      `{ referrals(filter: { groupCode: "${YX}", requestedSince: "2019-06-01T00:00:00+08:00", requestedBefore: "2019-07-01T00:00:00+08:00" }) { edges { node { provenance article outOfCounty } } } }`,
      {},
      t.token('COUNTY', YX),
    );
    expect(r.data!.referrals.edges.map((e) => e.node).sort((a, b) => Number(a.outOfCounty) - Number(b.outOfCounty))).toEqual([
      { provenance: 'SOURCE_SYSTEM', article: null, outOfCounty: false },
      { provenance: 'SOURCE_SYSTEM', article: null, outOfCounty: true },
      { provenance: 'SOURCE_SYSTEM', article: null, outOfCounty: true },
    ]);
  });

  test('a partner\'s counters within a group: the group\'s referrals to and from it, all out-of-county; not in another group', async () => {
    const taihe = await counts({ g: YX, w: 'ALL_TIME', i: YX_TAIHE });
    expect(taihe.outOfCounty.sent + taihe.outOfCounty.received).toBeGreaterThan(0);
    expect([taihe.upward, taihe.downward, taihe.lateral]).toEqual([0, 0, 0]);
    const elsewhere = await t.execute(COUNTS, { g: HK, w: 'ALL_TIME', i: YX_TAIHE }, t.token('COUNTY', HK));
    expect(elsewhere.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'institutionCode' });
  });

  test('summing the summaries of every institution of a province counts out-of-county once: a partner has no member summary', async () => {
    const period = { from: '2024-01-01', to: '2026-12-31' };
    const province = t.token('PROVINCE', '420000');
    const everyInstitution = await t.execute<{ institutions: { edges: { node: { kind: string; referralSummary: Record<string, number> | null; personnelSummary: { outOfCounty: { sentOut: number; receivedIn: number } } | null } }[] } }, unknown>(
      `query($p: PeriodInput!, $after: String) { institutions(filter: { regionCode: "420000" }, first: 100, after: $after) {
        edges { node { kind referralSummary(period: $p) { sentOutOfCounty receivedFromOutOfCounty } personnelSummary(period: $p) { outOfCounty { sentOut receivedIn } } } }
      } }`,
      { p: period },
      province,
    );
    expect(everyInstitution.errors).toBeUndefined();
    const nodes = everyInstitution.data!.institutions.edges.map((e) => e.node);
    const partners = nodes.filter((n) => n.kind === 'EXTERNAL');
    expect(partners.length).toBeGreaterThan(0);
    expect(partners.every((n) => n.referralSummary === null && n.personnelSummary === null)).toBe(true);
    // The first page holds the lead hospital (the only member with out-of-county referrals in the demo).
    const sent = nodes.reduce((sum, n) => sum + (n.referralSummary?.sentOutOfCounty ?? 0), 0);
    const group = await counts({ g: YX, p: period });
    expect(sent).toBe(group.outOfCounty.sent);
  });

  test('the migration sets out_of_county from the kinds of the ends', async () => {
    const prisma = t.gateway.db.prisma;
    await prisma.referral.updateMany({ where: { groupCode: YX }, data: { outOfCounty: false } });
    const sql = migrationSql(migrationNamed('referrals_scope_times_provenance'));
    const backfill = /UPDATE "referral" r SET "out_of_county" = true[^;]+;/.exec(sql)![0];
    await prisma.$executeRawUnsafe(backfill);
    const rows = await prisma.referral.findMany({ where: { groupCode: YX }, select: { fromCode: true, toCode: true, outOfCounty: true } });
    const external = (code: string) => /-E\d\d$/.test(code);
    expect(rows.filter((r) => r.outOfCounty).length).toBeGreaterThan(0);
    for (const r of rows) expect([r.fromCode, r.toCode, r.outOfCounty]).toEqual([r.fromCode, r.toCode, external(r.fromCode) || external(r.toCode)]);
  });
});

describe('an explicit period', () => {
  test('恒口, first half of 2023, is one query: the counted figure is at least the article\'s, with the rejected and cancelled ones apart', async () => {
    const seed = seedGroup('恒口');
    const article = await counts({ g: HK, p: ARTICLE_HALF_YEAR, prov: { in: ['ARTICLE', 'INVENTED'] } });
    expect(article.upward).toBeGreaterThanOrEqual(atLeast(figure(seed, 'upward referrals')));
    expect(article.rejected).toBeGreaterThan(0);
    expect(article.cancelled).toBeGreaterThan(0);
    expect(article.requested).toBe(article.upward + article.rejected + article.cancelled);
    expect(article).toMatchObject({ downward: 0, lateral: 0, outOfCounty: { sent: 0, received: 0 }, window: null, period: ARTICLE_HALF_YEAR, provenances: ['ARTICLE', 'INVENTED'] });
    // To the lead hospital, from townships and village clinics: the lead's own counters hold them all.
    expect((await counts({ g: HK, p: ARTICLE_HALF_YEAR, i: HK_LEAD, prov: { in: ['ARTICLE', 'INVENTED'] } })).upward).toBe(article.upward);
    // Local days: the period's counters equal a count of the rows requested on those days in Asia/Shanghai.
    const rows = await t.gateway.db.prisma.referral.findMany({ where: { groupCode: HK, provenance: { in: ['ARTICLE', 'INVENTED'] } } });
    const localDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
    const inHalf = rows.filter((r) => localDay(r.requestedAt) >= ARTICLE_HALF_YEAR.from && localDay(r.requestedAt) <= ARTICLE_HALF_YEAR.to);
    expect(article.requested).toBe(inHalf.length);
    // Every referral of the period was requested on one of its days, whatever happened later.
    expect(article.updatedAt).toMatch(/\+08:00$/);
  });

  test('the period\'s days are the group\'s: a referral at 23:30 local on its last day counts, one at 00:30 the next day does not', async () => {
    const token = t.token('SOURCE_SYSTEM', HK);
    const period = { from: '2019-08-01', to: '2019-08-31' };
    const before = await counts({ g: HK, p: period });
    for (const [id, at] of [['P-EDGE-1', '2019-08-31T23:30:00+08:00'], ['P-EDGE-2', '2019-09-01T00:30:00+08:00'], ['P-EDGE-3', '2019-08-01T00:10:00+08:00']]) {
      const r = await t.execute(CreateReferralDocument, { input: { source: 'hk-his', externalId: id, patientRef: `P-${id}`, fromCode: '610902-HK-T01', toCode: HK_LEAD, urgency: 'ROUTINE', requestedAt: at } }, token);
      expect(r.errors).toBeUndefined();
    }
    expect((await counts({ g: HK, p: period })).upward - before.upward).toBe(2);
  });

  test('exactly one of window and period; the contract\'s window query still works', async () => {
    const both = await t.execute(COUNTS, { g: HK, w: 'TODAY', p: ARTICLE_HALF_YEAR }, t.token('COUNTY', HK));
    expect(both.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
    const neither = await t.execute(COUNTS, { g: HK }, t.token('COUNTY', HK));
    expect(neither.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'window' });
    const backwards = await t.execute(COUNTS, { g: HK, p: { from: '2023-06-30', to: '2023-01-01' } }, t.token('COUNTY', HK));
    expect(backwards.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period.to' });
    const contract = await t.execute(ReferralCountsDocument, { groupCode: HK, window: 'ALL_TIME' as never }, t.token('COUNTY', HK));
    expect(contract.errors).toBeUndefined();
    expect(contract.data!.referralCounts.window).toBe('ALL_TIME');
  });
});

describe('provenance', () => {
  test('the article\'s referrals are INVENTED (naming the article), generated ones SYNTHETIC; the filter hides them', async () => {
    const seed = seedGroup('恒口');
    const token = t.token('COUNTY', HK);
    const r = await t.execute<Record<string, { totalCount: number; edges: { node: { provenance: string; article: string | null; provenanceNote: string | null } }[] }>, unknown>(
      `{
        article: referrals(first: 100, filter: { groupCode: "${HK}", provenance: { in: [ARTICLE, INVENTED] } }) { totalCount edges { node { provenance article provenanceNote } } }
        synthetic: referrals(first: 100, filter: { groupCode: "${HK}", provenance: { in: [SYNTHETIC] } }) { totalCount edges { node { provenance article provenanceNote } } }
        all: referrals(filter: { groupCode: "${HK}" }) { totalCount }
      }`,
      {},
      token,
    );
    expect(r.errors).toBeUndefined();
    const { article, synthetic, all } = r.data!;
    expect(article.edges.every((e) => e.node.provenance === 'INVENTED' && e.node.article === seed.article && !!e.node.provenanceNote)).toBe(true);
    expect(synthetic.edges.every((e) => e.node.provenance === 'SYNTHETIC' && e.node.article === null)).toBe(true);
    expect(synthetic.totalCount).toBeGreaterThan(100);
    const sourceSystem = await t.gateway.db.prisma.referral.count({ where: { groupCode: HK, provenance: 'SOURCE_SYSTEM' } });
    expect(article.totalCount + synthetic.totalCount + sourceSystem).toBe(all.totalCount);
    // Counters hide them too: the synthetic years and the rest add up.
    const every = await counts({ g: HK, w: 'ALL_TIME' });
    const withoutSynthetic = await counts({ g: HK, w: 'ALL_TIME', prov: NOT_SYNTHETIC });
    const onlySynthetic = await counts({ g: HK, w: 'ALL_TIME', prov: { in: ['SYNTHETIC'] } });
    expect(withoutSynthetic.requested + onlySynthetic.requested).toBe(every.requested);
    expect(withoutSynthetic.upward + onlySynthetic.upward).toBe(every.upward);
    expect((await counts({ g: HK, w: 'ALL_TIME', prov: { in: [] } })).requested).toBe(0);
  });

  test('恒口\'s synthetic year does not contradict the article: about its half-year figure twice a year', async () => {
    const seed = seedGroup('恒口');
    const halfYear = atLeast(figure(seed, 'upward referrals'));
    const today = todayIn('Asia/Shanghai');
    const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const lastYear = await counts({ g: HK, p: { from: day(-365), to: day(-1) }, prov: { in: ['SYNTHETIC'] } });
    expect(lastYear.upward).toBeGreaterThan(1.5 * halfYear);
    expect(lastYear.upward).toBeLessThan(2.5 * halfYear);
  });
});

describe('provenance of API writes', () => {
  test('a demo (SYNTHETIC) referral moved by transitionReferral is SOURCE_SYSTEM from then on: a screen hiding synthetic data shows the real step', async () => {
    const prisma = t.gateway.db.prisma;
    const demo = await prisma.referral.findFirstOrThrow({ where: { groupCode: YX, provenance: 'SYNTHETIC', status: 'REQUESTED' }, orderBy: { id: 'asc' } });
    const moved = await t.execute<{ transitionReferral: { status: string; provenance: string; article: string | null; provenanceNote: string | null } }, unknown>(
      `mutation($id: ID!) { transitionReferral(id: $id, to: ACCEPTED) { status provenance article provenanceNote } }`,
      { id: String(demo.id) },
      t.token('SOURCE_SYSTEM', YX),
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.transitionReferral).toEqual({ status: 'ACCEPTED', provenance: 'SOURCE_SYSTEM', article: null, provenanceNote: null });
    expect(await prisma.referral.findUniqueOrThrow({ where: { id: demo.id }, select: { provenance: true, article: true, provenanceNote: true } })).toEqual({
      provenance: 'SOURCE_SYSTEM',
      article: null,
      provenanceNote: null,
    });
    const shown = await t.execute<{ referrals: { edges: { node: { id: string } }[] } }, unknown>(
      `query($s: DateTime!, $b: DateTime!) { referrals(first: 100, filter: { groupCode: "${YX}", requestedSince: $s, requestedBefore: $b, provenance: { in: [ARTICLE, INVENTED, SOURCE_SYSTEM] } }) { edges { node { id } } } }`,
      { s: demo.requestedAt.toISOString(), b: new Date(demo.requestedAt.getTime() + 1).toISOString() },
      t.token('COUNTY', YX),
    );
    expect(shown.data!.referrals.edges.map((e) => e.node.id)).toContain(String(demo.id));
  });
});
