// The group clock: a group's days, months and years turn at midnight in its own time zone. "Today"
// for a group is computed here and nowhere else.
import DataLoader from 'dataloader';
import { Prisma } from '../generated/prisma/client';

/** The time zone of a group that does not say otherwise (every county group in China today). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Today's calendar day in a time zone, as a UTC-midnight Date (how Date scalars and DATE columns are held). */
export function todayIn(timeZone: string, now: Date = new Date()): Date {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return new Date(`${day}T00:00:00Z`);
}

/** A calendar day as YYYY-MM-DD. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Time zones of groups by code; a group the source does not know gets DEFAULT_TIME_ZONE. */
export type TimeZoneSource = (groupCodes: readonly string[]) => Promise<Map<string, string>>;

/** Today per group, for one request: the zones asked for in one tick are read in one statement, once. */
export class GroupClock {
  private readonly zones: DataLoader<string, string>;
  /** One "today" per request and column, so that a response straddling midnight uses one day. */
  private readonly todays = new Map<string, Promise<Prisma.Sql>>();

  constructor(
    timeZones: TimeZoneSource,
    /** The groups the request reads (todaySql covers them). */
    private readonly groupCodes: () => Promise<readonly string[]>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.zones = new DataLoader(async (codes) => {
      const zones = await timeZones(codes);
      return codes.map((code) => zones.get(code) ?? DEFAULT_TIME_ZONE);
    });
  }

  timeZone(groupCode: string): Promise<string> {
    return this.zones.load(groupCode);
  }

  async today(groupCode: string): Promise<Date> {
    return todayIn(await this.timeZone(groupCode), this.now());
  }

  /**
   * Today in the group of each row, as an SQL date over `groupColumn` (e.g. `f.group_code`): a
   * constant when every group the request reads shares one day, else a CASE over them.
   */
  todaySql(groupColumn: string): Promise<Prisma.Sql> {
    let today = this.todays.get(groupColumn);
    if (!today) this.todays.set(groupColumn, (today = this.computeTodaySql(groupColumn)));
    return today;
  }

  private async computeTodaySql(groupColumn: string): Promise<Prisma.Sql> {
    const codes = await this.groupCodes();
    const zones = await Promise.all(codes.map((code) => this.timeZone(code)));
    const now = this.now();
    const fallback = isoDay(todayIn(DEFAULT_TIME_ZONE, now));
    const days = codes.map((code, i) => [code, isoDay(todayIn(zones[i], now))] as const);
    if (days.every(([, day]) => day === fallback)) return Prisma.sql`${fallback}::date`;
    const branches = days.map(([code, day]) => Prisma.sql`WHEN ${code} THEN ${day}::date`);
    return Prisma.sql`(CASE ${Prisma.raw(groupColumn)} ${Prisma.join(branches, ' ')} ELSE ${fallback}::date END)`;
  }
}
