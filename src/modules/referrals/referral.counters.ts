// The counters, computed in one SQL statement per (group, window or period, member, provenances) over
// the (group_code, requested_at) index. Shared by the referralCounts query and the live counters;
// never cached across operations.
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import { isoDay } from '../../common/clock';
import type { Period } from '../../common/period';
import { provenanceKey, provenanceSql, type Provenance } from '../../common/provenance';
import { CounterWindow } from './referral.enums';
import type { ReferralCounts } from './referral.type';

export interface CountersKey {
  groupCode: string;
  /** A rolling window, or (exactly one of the two) an explicit period of local calendar days. */
  window?: CounterWindow;
  period?: Period;
  /** Counters of one member (referrals from or to it); undefined: the whole group. */
  institutionCode?: string;
  /** Only referrals of these provenances; undefined: all. */
  provenances?: readonly Provenance[];
}

export interface CountersSpec extends CountersKey {
  /** IANA time zone of the group: windows and periods start at its local midnight. */
  timeZone: string;
}

export function countersKeyString(key: CountersKey): string {
  const range = key.period ? `${isoDay(key.period.from)}..${isoDay(key.period.to)}` : (key.window ?? '');
  return [key.groupCode, range, key.institutionCode ?? '', provenanceKey(key.provenances)].join('\u0000');
}

/** The first instant of the window in SQL, evaluated by PostgreSQL in the group's time zone (DST-safe). */
function windowStart(window: CounterWindow, timeZone: string): Prisma.Sql {
  switch (window) {
    case CounterWindow.TODAY:
      return Prisma.sql`(date_trunc('day', now() AT TIME ZONE ${timeZone}) AT TIME ZONE ${timeZone})`;
    case CounterWindow.LAST_7_DAYS:
      return Prisma.sql`((date_trunc('day', now() AT TIME ZONE ${timeZone}) - interval '6 days') AT TIME ZONE ${timeZone})`;
    case CounterWindow.THIS_MONTH:
      return Prisma.sql`(date_trunc('month', now() AT TIME ZONE ${timeZone}) AT TIME ZONE ${timeZone})`;
    case CounterWindow.ALL_TIME:
      return Prisma.sql`'-infinity'::timestamptz`;
  }
}

/** Requested on the window's or the period's local days. */
function requestedWithin(spec: CountersSpec): Prisma.Sql {
  if (spec.period) {
    return Prisma.sql`r.requested_at >= (${isoDay(spec.period.from)}::date)::timestamp AT TIME ZONE ${spec.timeZone}
      AND r.requested_at < (${isoDay(spec.period.to)}::date + 1)::timestamp AT TIME ZONE ${spec.timeZone}`;
  }
  return Prisma.sql`r.requested_at >= ${windowStart(spec.window ?? CounterWindow.ALL_TIME, spec.timeZone)}`;
}

interface CountersRow {
  requested: number;
  upward: number;
  downward: number;
  lateral: number;
  out_sent: number;
  out_received: number;
  green_channel: number;
  pending: number;
  rejected: number;
  cancelled: number;
  arrived: number;
  median_minutes: number | null;
  green_timed: number;
  median_green_minutes: number | null;
  read_at: Date;
  last_change_at: Date | null;
}

const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/** Reads the counters; `db` may be a transaction. One statement. */
export async function readCounters(db: Pick<PrismaClient, '$queryRaw'>, spec: CountersSpec): Promise<ReferralCounts> {
  const member = spec.institutionCode
    ? Prisma.sql`AND (r.from_code = ${spec.institutionCode} OR r.to_code = ${spec.institutionCode})`
    : Prisma.empty;
  // Counted: requested in the range and neither rejected nor cancelled (an event that happened).
  const [row] = await db.$queryRaw<CountersRow[]>`
    SELECT
      count(*)::int AS requested,
      count(*) FILTER (WHERE c.counted AND r.direction = 'UPWARD' AND NOT r.out_of_county)::int AS upward,
      count(*) FILTER (WHERE c.counted AND r.direction = 'DOWNWARD' AND NOT r.out_of_county)::int AS downward,
      count(*) FILTER (WHERE c.counted AND r.direction = 'LATERAL')::int AS lateral,
      count(*) FILTER (WHERE c.counted AND r.out_of_county AND r.direction = 'UPWARD')::int AS out_sent,
      count(*) FILTER (WHERE c.counted AND r.out_of_county AND r.direction = 'DOWNWARD')::int AS out_received,
      count(*) FILTER (WHERE c.counted AND r.urgency = 'GREEN_CHANNEL')::int AS green_channel,
      count(*) FILTER (WHERE r.status = 'REQUESTED')::int AS pending,
      count(*) FILTER (WHERE r.status = 'REJECTED')::int AS rejected,
      count(*) FILTER (WHERE r.status = 'CANCELLED')::int AS cancelled,
      count(r.arrived_at)::int AS arrived,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.arrived_at - r.requested_at) / 60)
        FILTER (WHERE r.arrived_at IS NOT NULL))::float8 AS median_minutes,
      count(*) FILTER (WHERE c.green_timed)::int AS green_timed,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.admitted_at - r.first_contact_at) / 60)
        FILTER (WHERE c.green_timed))::float8 AS median_green_minutes,
      clock_timestamp() AS read_at,
      max(r.updated_at) AS last_change_at
    FROM referral r
    CROSS JOIN LATERAL (SELECT
      r.status NOT IN ('REJECTED', 'CANCELLED') AS counted,
      r.urgency = 'GREEN_CHANNEL' AND r.first_contact_at IS NOT NULL AND r.admitted_at IS NOT NULL AS green_timed) AS c
    WHERE r.group_code = ${spec.groupCode}
      AND ${requestedWithin(spec)}
      AND ${provenanceSql('r.provenance', spec.provenances)}
      ${member}`;
  return {
    groupCode: spec.groupCode,
    institutionCode: spec.institutionCode ?? null,
    window: spec.window ?? null,
    period: spec.period ?? null,
    provenances: spec.provenances ?? null,
    timeZone: spec.timeZone,
    requested: row.requested,
    upward: row.upward,
    downward: row.downward,
    lateral: row.lateral,
    outOfCounty: { sent: row.out_sent, received: row.out_received },
    greenChannel: row.green_channel,
    pending: row.pending,
    rejected: row.rejected,
    cancelled: row.cancelled,
    arrived: row.arrived,
    medianMinutesToArrival: round2(row.median_minutes),
    greenChannelTimed: row.green_timed,
    medianGreenChannelMinutes: round2(row.median_green_minutes),
    updatedAt: row.read_at,
    lastChangeAt: row.last_change_at,
  };
}

/** True when two readings hold the same figures (their read times aside). */
export function sameCounts(a: ReferralCounts, b: ReferralCounts): boolean {
  return (
    a.requested === b.requested &&
    a.upward === b.upward &&
    a.downward === b.downward &&
    a.lateral === b.lateral &&
    a.outOfCounty.sent === b.outOfCounty.sent &&
    a.outOfCounty.received === b.outOfCounty.received &&
    a.greenChannel === b.greenChannel &&
    a.pending === b.pending &&
    a.rejected === b.rejected &&
    a.cancelled === b.cancelled &&
    a.arrived === b.arrived &&
    a.medianMinutesToArrival === b.medianMinutesToArrival &&
    a.greenChannelTimed === b.greenChannelTimed &&
    a.medianGreenChannelMinutes === b.medianGreenChannelMinutes &&
    (a.lastChangeAt?.getTime() ?? null) === (b.lastChangeAt?.getTime() ?? null)
  );
}
