// Reporting periods: both days inclusive, as calendar days of the group's time zone.
import { ArgsType, Field, InputType } from 'type-graphql';
import { isoDay } from './clock';
import { groupBy } from './collections';
import { badUserInput } from './errors';
import { DateScalar } from './scalars';
import { checkReadTime } from './time-range';

/** The longest period a query may ask for, in days (about ten years). */
export const MAX_PERIOD_DAYS = 3700;

@InputType({ description: 'Calendar days from `from` to `to`, both inclusive, in the group\'s time zone.' })
export class PeriodInput {
  @Field(() => DateScalar)
  from!: Date;

  @Field(() => DateScalar)
  to!: Date;
}

@ArgsType()
export class PeriodArgs {
  @Field(() => PeriodInput)
  period!: PeriodInput;
}

/** A validated period as UTC-midnight dates (how Date scalars and DATE columns are represented). */
export interface Period {
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;

/** A period a query names: both days within the readable range (no year 0000), in order, at most MAX_PERIOD_DAYS long. */
export function checkPeriod(period: PeriodInput, field = 'period'): Period {
  checkReadTime(period.from, `${field}.from`, isoDay);
  checkReadTime(period.to, `${field}.to`, isoDay);
  if (period.to.getTime() < period.from.getTime()) {
    throw badUserInput(`${field}.to must not be before ${field}.from`, `${field}.to`);
  }
  if ((period.to.getTime() - period.from.getTime()) / DAY_MS + 1 > MAX_PERIOD_DAYS) {
    throw badUserInput(`${field} may span at most ${MAX_PERIOD_DAYS} days`, field);
  }
  return { from: period.from, to: period.to };
}

/** A period as a stable string (a cache or grouping key). */
export function periodKey(period: Period): string {
  return `${isoDay(period.from)}..${isoDay(period.to)}`;
}

/** Keys grouped by their period, in first-seen order: a loader sends one statement per distinct period. */
export function groupByPeriod<K extends { period: Period }>(keys: readonly K[]): { period: Period; items: K[] }[] {
  return [...groupBy(keys, (k) => periodKey(k.period)).values()].map((items) => ({ period: items[0].period, items }));
}
