// The range of times and dates a source may report, shared by every domain: nothing before 2000 (a
// guard against 1970, 0001 and other defaulted values) and nothing later than the domain allows
// (a referral step not in the future; a personnel flow at most a few years ahead, never 9999-12-31
// standing for "open").
import { RuleViolation } from './batch/rule-violation';
import { badUserInput } from './errors';
import { shown } from './scalars';

/** Nothing is dated before this. */
export const EARLIEST_TIME = new Date('2000-01-01T00:00:00Z');

export interface TimeRange {
  /** The latest time allowed. */
  latest: Date;
  /** The code of a later one, e.g. TIME_IN_FUTURE. */
  lateCode: string;
  /** How the message says it, e.g. "lies in the future". */
  lateSays: string;
  /** The code of an earlier (or invalid) one: INVALID_TIME unless said. */
  earlyCode?: string;
  /** How times show in messages: ISO 8601 unless said (calendar days: YYYY-MM-DD). */
  display?: (at: Date) => string;
}

/** Checks a time against the range: `earlyCode` before EARLIEST_TIME (or not a time at all), `lateCode` after `latest`. */
export function checkTimeRange(at: Date, field: string, range: TimeRange): Date {
  const earlyCode = range.earlyCode ?? 'INVALID_TIME';
  const display = range.display ?? shown;
  if (Number.isNaN(at.getTime())) throw new RuleViolation(earlyCode, `${field} is not a valid time`, field);
  if (at < EARLIEST_TIME) throw new RuleViolation(earlyCode, `${field} (${display(at)}) is before ${display(EARLIEST_TIME)}`, field);
  if (at > range.latest) throw new RuleViolation(range.lateCode, `${field} (${display(at)}) ${range.lateSays}`, field);
  return at;
}

/** Nothing a query asks about lies after this (a report's period may end in the future, not in year 9999). */
export const LATEST_READ_TIME = new Date('2100-01-01T00:00:00Z');

/**
 * A time or day a query names (a period's ends, a filter's bounds): within EARLIEST_TIME and
 * LATEST_READ_TIME, else BAD_USER_INPUT on the field. Year 0000 would otherwise reach PostgreSQL
 * (error 22008) as an internal error.
 */
export function checkReadTime(at: Date, field: string, display: (at: Date) => string = shown): Date {
  try {
    return checkTimeRange(at, field, { latest: LATEST_READ_TIME, lateCode: 'BAD_USER_INPUT', lateSays: `is after ${display(LATEST_READ_TIME)}`, display });
  } catch (error) {
    if (error instanceof RuleViolation) throw badUserInput(error.message, field);
    throw error;
  }
}
