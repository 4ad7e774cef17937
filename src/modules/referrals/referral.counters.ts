// The counters, computed in one SQL statement per (group, window, member) over the
// (group_code, requested_at) index. Shared by the referralCounts query and the live counters; never
// cached across operations.
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import { CounterWindow } from './referral.enums';
import type { ReferralCounts } from './referral.type';

export interface CountersKey {
  groupCode: string;
  window: CounterWindow;
  /** Counters of one member (referrals from or to it); undefined: the whole group. */
  institutionCode?: string;
}

export interface CountersSpec extends CountersKey {
  /** IANA time zone of the group: the windows start at its local midnight. */
  timeZone: string;
}

export function countersKeyString(key: CountersKey): string {
  return `${key.groupCode}\u0000${key.window}\u0000${key.institutionCode ?? ''}`;
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

interface CountersRow {
  upward: number;
  downward: number;
  green_channel: number;
  pending: number;
  arrived: number;
  median_minutes: number | null;
  read_at: Date;
  last_change_at: Date | null;
}

/** Reads the counters; `db` may be a transaction. One statement. */
export async function readCounters(db: Pick<PrismaClient, '$queryRaw'>, spec: CountersSpec): Promise<ReferralCounts> {
  const member = spec.institutionCode
    ? Prisma.sql`AND (r.from_code = ${spec.institutionCode} OR r.to_code = ${spec.institutionCode})`
    : Prisma.empty;
  const [row] = await db.$queryRaw<CountersRow[]>`
    SELECT
      count(*) FILTER (WHERE r.direction = 'UPWARD' AND r.status NOT IN ('REJECTED', 'CANCELLED'))::int AS upward,
      count(*) FILTER (WHERE r.direction = 'DOWNWARD' AND r.status NOT IN ('REJECTED', 'CANCELLED'))::int AS downward,
      count(*) FILTER (WHERE r.urgency = 'GREEN_CHANNEL' AND r.status NOT IN ('REJECTED', 'CANCELLED'))::int AS green_channel,
      count(*) FILTER (WHERE r.status = 'REQUESTED')::int AS pending,
      count(r.arrived_at)::int AS arrived,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.arrived_at - r.requested_at) / 60)
        FILTER (WHERE r.arrived_at IS NOT NULL))::float8 AS median_minutes,
      clock_timestamp() AS read_at,
      max(r.updated_at) AS last_change_at
    FROM referral r
    WHERE r.group_code = ${spec.groupCode}
      AND r.requested_at >= ${windowStart(spec.window, spec.timeZone)}
      ${member}`;
  return {
    groupCode: spec.groupCode,
    institutionCode: spec.institutionCode ?? null,
    window: spec.window,
    upward: row.upward,
    downward: row.downward,
    greenChannel: row.green_channel,
    pending: row.pending,
    arrived: row.arrived,
    medianMinutesToArrival: row.median_minutes === null ? null : Math.round(row.median_minutes * 100) / 100,
    updatedAt: row.read_at,
    lastChangeAt: row.last_change_at,
  };
}

/** True when two readings hold the same figures (their read times aside). */
export function sameCounts(a: ReferralCounts, b: ReferralCounts): boolean {
  return (
    a.upward === b.upward &&
    a.downward === b.downward &&
    a.greenChannel === b.greenChannel &&
    a.pending === b.pending &&
    a.arrived === b.arrived &&
    a.medianMinutesToArrival === b.medianMinutesToArrival &&
    (a.lastChangeAt?.getTime() ?? null) === (b.lastChangeAt?.getTime() ?? null)
  );
}
