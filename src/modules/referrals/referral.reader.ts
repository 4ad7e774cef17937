// Reads of the referral domain. One instance per request (or per subscription operation): its
// DataLoaders batch one operation's lookups and die with it. Live counters are never served from
// them: the subscription reads fresh through the instance's ReferralCountersHub.
import DataLoader from 'dataloader';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { Access } from '../../auth/access';
import type { RowFilter } from '../../auth/condition';
import { GroupClock, isoDay } from '../../common/clock';
import { loadAll } from '../../common/collections';
import { badUserInput, notFound } from '../../common/errors';
import { Page, pageRequest } from '../../common/pagination';
import { checkPeriod, groupByPeriod, periodKey, type Period, type PeriodInput } from '../../common/period';
import { checkReadTime } from '../../common/time-range';
import type { Institution, StructureService } from '../structure';
import { countersKeyString, readCounters, type CountersKey, type CountersSpec } from './referral.counters';
import type { CounterWindow } from './referral.enums';
import type { ReferralFilter } from './referral.input';
import type { ReferralCountersHub } from './referral.live';
import { MAX_ID, parseId, toReferral } from './referral.rows';
import type { ReferralMemberSummary } from './referral-summary.type';
import type { Referral, ReferralCounts } from './referral.type';

export class ReferralReader {
  private readonly clock: GroupClock;
  private readonly countsLoader: DataLoader<CountersSpec, ReferralCounts, string>;
  private readonly memberSummaries: DataLoader<{ code: string; period: Period }, ReferralMemberSummary, string>;
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
      cacheKeyFn: (k) => `${k.code}@${periodKey(k.period)}`,
    });
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
  async counts(key: CountersKey): Promise<ReferralCounts> {
    return this.countsLoader.load(await this.countersSpec(key));
  }

  /** The live counters: the current ones at once, then after every change. Scope is checked here. */
  async liveCounts(key: CountersKey): Promise<AsyncIterable<ReferralCounts>> {
    const spec = await this.countersSpec(key);
    if (!this.live) throw new Error('Live referral counters are not configured on this gateway');
    return this.live.subscribe(spec);
  }

  private async countersSpec(key: { groupCode: string; window: CounterWindow; institutionCode?: string | null }): Promise<CountersSpec> {
    if (!(await this.access.readableGroupCodes()).includes(key.groupCode)) throw notFound('County group', key.groupCode, 'groupCode');
    let institutionCode = key.institutionCode ?? undefined;
    const own = this.access.ownInstitution;
    if (own !== undefined) {
      // An institution sees the counters of its own referrals.
      if (institutionCode !== undefined && institutionCode !== own) throw notFound('Institution', institutionCode, 'institutionCode');
      institutionCode = own;
    } else if (institutionCode !== undefined) {
      const institution = await this.structure.institution(institutionCode);
      if (!institution || institution.groupCode !== key.groupCode) throw notFound('Institution', institutionCode, 'institutionCode');
    }
    return { groupCode: key.groupCode, window: key.window, institutionCode, timeZone: await this.clock.timeZone(key.groupCode) };
  }

  /** Referrals sent and received by one member, requested in the period (its group's calendar days). */
  memberSummary(code: string, period: PeriodInput): Promise<ReferralMemberSummary> {
    return this.memberSummaries.load({ code, period: checkPeriod(period) });
  }

  /** The provincial pull's source: each member's summary for the period (one statement for all of them). */
  async forMembers(codes: readonly string[], period: Period): Promise<Map<string, ReferralMemberSummary>> {
    const summaries = await loadAll(this.memberSummaries, codes.map((code) => ({ code, period })));
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

  private async loadMemberSummaries(keys: readonly { code: string; period: Period }[]): Promise<ReferralMemberSummary[]> {
    const results = new Map<string, ReferralMemberSummary>();
    const scope = await this.referralScope();
    const localDays = await this.localDays();
    // One statement per distinct period (a dashboard asks for one), covering every member asked.
    for (const { period, items } of groupByPeriod(keys)) {
      const codes = items.map((k) => k.code);
      const rows = await this.prisma.$queryRaw<{ code: string; sent_up: number; sent_down: number; received_up: number; received_down: number }[]>`
        SELECT e.code,
               count(*) FILTER (WHERE e.end_kind = 'from' AND r.direction = 'UPWARD')::int AS sent_up,
               count(*) FILTER (WHERE e.end_kind = 'from' AND r.direction = 'DOWNWARD')::int AS sent_down,
               count(*) FILTER (WHERE e.end_kind = 'to' AND r.direction = 'UPWARD')::int AS received_up,
               count(*) FILTER (WHERE e.end_kind = 'to' AND r.direction = 'DOWNWARD')::int AS received_down
        FROM referral r ${localDays}
        CROSS JOIN LATERAL (VALUES (r.from_code, 'from'), (r.to_code, 'to')) AS e(code, end_kind)
        WHERE e.code IN (${Prisma.join(codes)})
          AND (r.from_code IN (${Prisma.join(codes)}) OR r.to_code IN (${Prisma.join(codes)}))
          AND ${scope.sql('r')} AND r.status NOT IN ('REJECTED', 'CANCELLED') AND ${requestedIn(period)}
        GROUP BY e.code`;
      for (const code of codes) {
        const row = rows.find((r) => r.code === code);
        results.set(`${code}@${periodKey(period)}`, {
          sentUp: row?.sent_up ?? 0,
          sentDown: row?.sent_down ?? 0,
          receivedUp: row?.received_up ?? 0,
          receivedDown: row?.received_down ?? 0,
        });
      }
    }
    return keys.map((k) => results.get(`${k.code}@${periodKey(k.period)}`)!);
  }

  /** Joins each referral to its group's time zone `z.time_zone` (the groups the caller reads). */
  private async localDays(): Promise<Prisma.Sql> {
    const codes = await this.access.readableGroupCodes();
    if (!codes.length) return Prisma.sql`JOIN (SELECT NULL::text AS group_code, NULL::text AS time_zone) AS z ON FALSE`;
    const zones = await Promise.all(codes.map(async (code) => Prisma.sql`(${code}, ${await this.clock.timeZone(code)})`));
    return Prisma.sql`JOIN (VALUES ${Prisma.join(zones)}) AS z(group_code, time_zone) ON z.group_code = r.group_code`;
  }
}

/** Referral `r` was requested on a day of the period, in its group's calendar (`z.time_zone`). */
function requestedIn(period: Period): Prisma.Sql {
  return Prisma.sql`r.requested_at >= (${isoDay(period.from)}::date)::timestamp AT TIME ZONE z.time_zone
    AND r.requested_at < (${isoDay(period.to)}::date + 1)::timestamp AT TIME ZONE z.time_zone`;
}
