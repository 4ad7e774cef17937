// Reads of the referral domain. One instance per request (or per subscription operation): its
// DataLoaders batch one operation's lookups and die with it. Live counters are never served from
// them: the subscription reads fresh through the instance's ReferralCountersHub.
import DataLoader from 'dataloader';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { Access } from '../../auth/access';
import type { RowFilter } from '../../auth/condition';
import { GroupClock, isoDay } from '../../common/clock';
import { groupBy, loadAll } from '../../common/collections';
import { badUserInput, notFound } from '../../common/errors';
import { Page, pageRequest } from '../../common/pagination';
import { checkPeriod, groupByPeriod, periodKey, type Period, type PeriodInput } from '../../common/period';
import { provenanceKey, provenanceSql, provenancesOf, type Provenance, type ProvenanceFilter } from '../../common/provenance';
import { inZone, type ZonedInstant } from '../../common/scalars';
import { checkReadTime } from '../../common/time-range';
import type { Institution, StructureService } from '../structure';
import { countersKeyString, readCounters, type CountersSpec } from './referral.counters';
import type { CounterWindow } from './referral.enums';
import type { ReferralFilter } from './referral.input';
import type { ReferralCountersHub } from './referral.live';
import { MAX_ID, parseId, toReferral } from './referral.rows';
import type { ReferralMemberSummary } from './referral-summary.type';
import type { Referral, ReferralCounts } from './referral.type';

export class ReferralReader {
  private readonly clock: GroupClock;
  private readonly countsLoader: DataLoader<CountersSpec, ReferralCounts, string>;
  private readonly memberSummaries: DataLoader<SummaryKey, ReferralMemberSummary, string>;
  private scope?: Promise<RowFilter<Prisma.ReferralWhereInput>>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly access: Access,
    private readonly structure: StructureService,
    private readonly live?: ReferralCountersHub,
  ) {
    this.clock = new GroupClock((codes) => structure.timeZones(codes), () => access.readableGroupCodes());
    // One statement per (group, window, member); repeated keys in one operation share it.
    this.countsLoader = new DataLoader<CountersSpec, ReferralCounts, string>((specs) => Promise.all(specs.map((spec) => readCounters(prisma, spec))), {
      cacheKeyFn: countersKeyString,
    });
    this.memberSummaries = new DataLoader((keys) => this.loadMemberSummaries(keys), {
      cacheKeyFn: summaryKey,
    });
  }

  /** An instant of a referral as its group's clock shows it (the zones of one request: one batched lookup). */
  async local<T extends Date | null>(groupCode: string, instant: T): Promise<T extends Date ? ZonedInstant : null> {
    return inZone(instant, await this.clock.timeZone(groupCode)) as T extends Date ? ZonedInstant : null;
  }

  /** The referrals the caller reads: of its groups; for an institution, those from or to it. Once per request. */
  private referralScope(): Promise<RowFilter<Prisma.ReferralWhereInput>> {
    this.scope ??= this.access.rows({ group: 'groupCode', institutions: ['fromCode', 'toCode'] });
    return this.scope;
  }

  async requireReferral(id: string, field = 'id'): Promise<Referral> {
    const row = await this.prisma.referral.findFirst({ where: { AND: [{ id: parseId(id, field) }, (await this.referralScope()).where] } });
    if (!row) throw notFound('Referral', id, field);
    return toReferral(row);
  }

  /** Newest first, keyset-paginated on id. */
  async list(filter: ReferralFilter | null | undefined, args: { first?: number; after?: string }): Promise<Page<Referral>> {
    const page = pageRequest(args);
    const f = filter ?? {};
    const conditions: Prisma.ReferralWhereInput[] = [(await this.referralScope()).where];
    if (f.groupCode) conditions.push({ groupCode: f.groupCode });
    if (f.institutionCode) conditions.push({ OR: [{ fromCode: f.institutionCode }, { toCode: f.institutionCode }] });
    if (f.status) conditions.push({ status: f.status });
    if (f.direction) conditions.push({ direction: f.direction });
    if (f.outOfCounty !== undefined && f.outOfCounty !== null) conditions.push({ outOfCounty: f.outOfCounty });
    const provenances = provenancesOf(f.provenance);
    if (provenances) conditions.push({ provenance: { in: [...provenances] } });
    if (f.urgency) conditions.push({ urgency: f.urgency });
    if (f.requestedSince) conditions.push({ requestedAt: { gte: checkReadTime(f.requestedSince, 'filter.requestedSince') } });
    if (f.requestedBefore) conditions.push({ requestedAt: { lt: checkReadTime(f.requestedBefore, 'filter.requestedBefore') } });
    const where: Prisma.ReferralWhereInput = { AND: conditions };
    let afterId: number | undefined;
    if (page.afterKey !== undefined) {
      // Signed, but maybe another list's: only a referral id is a key here.
      afterId = /^[0-9]{1,10}$/.test(page.afterKey) ? Number(page.afterKey) : NaN;
      if (!(afterId >= 1 && afterId <= MAX_ID)) throw badUserInput('after is not a cursor of this list', 'after');
    }
    const rows = await this.prisma.referral.findMany({
      where: { AND: [where, afterId !== undefined ? { id: { lt: afterId } } : {}] },
      orderBy: { id: 'desc' },
      take: page.take + 1,
    });
    return Page.fromRows(rows.map(toReferral), page.take, (r) => r.id, () => this.prisma.referral.count({ where }));
  }

  /** One end of a referral the caller reads: visible with it, also outside the caller's institution scope. */
  end(code: string, field: string): Promise<Institution> {
    return this.structure.requireEndOfRecord(code, field);
  }

  /** The counters of a group or member, read now. */
  async counts(args: CountersArgs): Promise<ReferralCounts> {
    return this.countsLoader.load(await this.countersSpec(args));
  }

  /** The live counters: the current ones at once, then after every change. Scope is checked here. */
  async liveCounts(args: CountersArgs): Promise<AsyncIterable<ReferralCounts>> {
    const spec = await this.countersSpec(args);
    if (!this.live) throw new Error('Live referral counters are not configured on this gateway');
    return this.live.subscribe(spec);
  }

  private async countersSpec(key: CountersArgs): Promise<CountersSpec> {
    // Exactly one of window and period, checked before anything is read.
    if ((key.window == null) === (key.period == null)) {
      throw badUserInput('Give exactly one of window (a rolling window) and period (calendar days)', key.window == null ? 'window' : 'period');
    }
    const period = key.period ? checkPeriod(key.period) : undefined;
    if (!(await this.access.readableGroupCodes()).includes(key.groupCode)) throw notFound('County group', key.groupCode, 'groupCode');
    let institutionCode = key.institutionCode ?? undefined;
    const own = this.access.ownInstitution;
    if (own !== undefined) {
      // An institution sees the counters of its own referrals.
      if (institutionCode !== undefined && institutionCode !== own) throw notFound('Institution', institutionCode, 'institutionCode');
      institutionCode = own;
    } else if (institutionCode !== undefined) {
      const institution = await this.structure.institution(institutionCode);
      // A member of the group, or one of its partners (the group's referrals to and from it).
      const inGroup = institution && (institution.groupCode === key.groupCode || (await this.structure.partnerOf(institution)).some((g) => g.code === key.groupCode));
      if (!inGroup) throw notFound('Institution', institutionCode, 'institutionCode');
    }
    return {
      groupCode: key.groupCode,
      window: key.window ?? undefined,
      period,
      institutionCode,
      provenances: provenancesOf(key.provenance),
      timeZone: await this.clock.timeZone(key.groupCode),
    };
  }

  /** Referrals sent and received by one member, requested in the period (its group's calendar days). */
  memberSummary(code: string, period: PeriodInput, provenance?: ProvenanceFilter | null): Promise<ReferralMemberSummary> {
    return this.memberSummaries.load({ code, period: checkPeriod(period), provenances: provenancesOf(provenance) });
  }

  /** The provincial pull's source: each member's summary for the period (one statement for all of them). */
  async forMembers(codes: readonly string[], period: Period): Promise<Map<string, ReferralMemberSummary>> {
    const summaries = await loadAll(this.memberSummaries, codes.map((code) => ({ code, period, provenances: undefined })));
    return new Map(codes.map((code, i) => [code, summaries[i]]));
  }

  /**
   * Members whose figures for the period may have changed since the instant: the ends of referrals
   * created since then and requested in the period, and, since an update may have moved a referral's
   * ends or day and the earlier ones are not kept, every institution of a group with a referral
   * updated since then (more than changed, never less).
   */
  async changedSince(instant: Date, period: Period): Promise<string[]> {
    const scope = await this.referralScope();
    const created = await this.prisma.$queryRaw<{ code: string }[]>`
      SELECT DISTINCT e.code
      FROM referral r ${await this.localDays()} CROSS JOIN LATERAL (VALUES (r.from_code), (r.to_code)) AS e(code)
      WHERE r.created_at > ${instant} AND ${scope.sql('r')} AND ${requestedIn(period)}`;
    const updated = await this.prisma.$queryRaw<{ group_code: string }[]>`
      SELECT DISTINCT r.group_code FROM referral r WHERE r.updated_at > ${instant} AND r.created_at <= ${instant} AND ${scope.sql('r')}`;
    const moved = await this.structure.institutionCodesOfGroups(updated.map((row) => row.group_code));
    return [...new Set([...created.map((row) => row.code), ...moved])].sort();
  }

  private async loadMemberSummaries(keys: readonly SummaryKey[]): Promise<ReferralMemberSummary[]> {
    const results = new Map<string, ReferralMemberSummary>();
    const scope = await this.referralScope();
    const localDays = await this.localDays();
    // One statement per distinct period and provenance filter (a dashboard asks for one), covering every member asked.
    for (const byProvenance of groupBy(keys, (k) => provenanceKey(k.provenances)).values()) {
      const provenances = byProvenance[0].provenances;
      for (const { period, items } of groupByPeriod(byProvenance)) {
        const codes = items.map((k) => k.code);
        const rows = await this.prisma.$queryRaw<SummaryRow[]>`
          SELECT e.code,
                 count(*) FILTER (WHERE e.end_kind = 'from' AND r.direction = 'UPWARD' AND NOT r.out_of_county)::int AS sent_up,
                 count(*) FILTER (WHERE e.end_kind = 'from' AND r.direction = 'DOWNWARD' AND NOT r.out_of_county)::int AS sent_down,
                 count(*) FILTER (WHERE e.end_kind = 'to' AND r.direction = 'UPWARD' AND NOT r.out_of_county)::int AS received_up,
                 count(*) FILTER (WHERE e.end_kind = 'to' AND r.direction = 'DOWNWARD' AND NOT r.out_of_county)::int AS received_down,
                 count(*) FILTER (WHERE e.end_kind = 'from' AND r.direction = 'LATERAL')::int AS sent_lateral,
                 count(*) FILTER (WHERE e.end_kind = 'to' AND r.direction = 'LATERAL')::int AS received_lateral,
                 count(*) FILTER (WHERE e.end_kind = 'from' AND r.out_of_county)::int AS sent_out,
                 count(*) FILTER (WHERE e.end_kind = 'to' AND r.out_of_county)::int AS received_out
          FROM referral r ${localDays}
          CROSS JOIN LATERAL (VALUES (r.from_code, 'from'), (r.to_code, 'to')) AS e(code, end_kind)
          WHERE e.code IN (${Prisma.join(codes)})
            AND (r.from_code IN (${Prisma.join(codes)}) OR r.to_code IN (${Prisma.join(codes)}))
            AND ${scope.sql('r')} AND r.status NOT IN ('REJECTED', 'CANCELLED') AND ${requestedIn(period)}
            AND ${provenanceSql('r.provenance', provenances)}
          GROUP BY e.code`;
        const byCode = new Map(rows.map((r) => [r.code, r]));
        for (const key of items) {
          const row = byCode.get(key.code);
          results.set(summaryKey(key), {
            sentUp: row?.sent_up ?? 0,
            sentDown: row?.sent_down ?? 0,
            receivedUp: row?.received_up ?? 0,
            receivedDown: row?.received_down ?? 0,
            sentLateral: row?.sent_lateral ?? 0,
            receivedLateral: row?.received_lateral ?? 0,
            sentOutOfCounty: row?.sent_out ?? 0,
            receivedFromOutOfCounty: row?.received_out ?? 0,
          });
        }
      }
    }
    return keys.map((k) => results.get(summaryKey(k))!);
  }

  /** Joins each referral to its group's time zone `z.time_zone` (the groups the caller reads). */
  private async localDays(): Promise<Prisma.Sql> {
    const codes = await this.access.readableGroupCodes();
    if (!codes.length) return Prisma.sql`JOIN (SELECT NULL::text AS group_code, NULL::text AS time_zone) AS z ON FALSE`;
    const zones = await Promise.all(codes.map(async (code) => Prisma.sql`(${code}, ${await this.clock.timeZone(code)})`));
    return Prisma.sql`JOIN (VALUES ${Prisma.join(zones)}) AS z(group_code, time_zone) ON z.group_code = r.group_code`;
  }
}

/** What the counters are asked for (referralCounts and referralCountsChanged take the same arguments). */
export interface CountersArgs {
  groupCode: string;
  window?: CounterWindow | null;
  period?: PeriodInput | null;
  institutionCode?: string | null;
  provenance?: ProvenanceFilter | null;
}

interface SummaryKey {
  code: string;
  period: Period;
  provenances: readonly Provenance[] | undefined;
}

const summaryKey = (k: SummaryKey) => `${k.code}@${periodKey(k.period)}@${provenanceKey(k.provenances)}`;

interface SummaryRow {
  code: string;
  sent_up: number;
  sent_down: number;
  received_up: number;
  received_down: number;
  sent_lateral: number;
  received_lateral: number;
  sent_out: number;
  received_out: number;
}

/** Referral `r` was requested on a day of the period, in its group's calendar (`z.time_zone`). */
function requestedIn(period: Period): Prisma.Sql {
  return Prisma.sql`r.requested_at >= (${isoDay(period.from)}::date)::timestamp AT TIME ZONE z.time_zone
    AND r.requested_at < (${isoDay(period.to)}::date + 1)::timestamp AT TIME ZONE z.time_zone`;
}
