// The contract's scalars: Date (2024-05-01, a calendar day) and DateTime (RFC 3339 with offset).
//
// A DateTime goes out in its group's local offset (2023-05-16T09:12:00+08:00), the same instant as
// UTC but read as the county reads its clock: a resolver that knows the group wraps the instant in
// `inZone`; a bare Date is shown in DEFAULT_TIME_ZONE (every county group in China today). Inputs
// accept any offset, as before.
import { GraphQLScalarType } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { DEFAULT_TIME_ZONE } from './clock';

export const DateScalar = DateResolver;

/** An instant with the time zone it is shown in. */
export class ZonedInstant {
  constructor(
    readonly instant: Date,
    readonly timeZone: string,
  ) {}
}

/** The instant as the group's clock shows it; null and undefined pass through. */
export function inZone<T extends Date | null | undefined>(instant: T, timeZone: string): T extends Date ? ZonedInstant : T {
  return (instant instanceof Date ? new ZonedInstant(instant, timeZone) : instant) as T extends Date ? ZonedInstant : T;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at the instant, in minutes (+480 for Asia/Shanghai). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const name = format.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m || !m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** RFC 3339 with the zone's offset: 2023-05-16T09:12:00+08:00 (milliseconds only when not zero). */
export function formatInZone(instant: Date, timeZone: string): string {
  const offset = offsetMinutes(instant, timeZone);
  const local = new Date(instant.getTime() + offset * 60_000).toISOString(); // …Z, but local wall time
  const wall = local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23);
  if (offset === 0) return `${wall}Z`;
  const abs = Math.abs(offset);
  return `${wall}${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant, RFC 3339. Shown with the offset of the group it belongs to (2023-05-16T09:12:00+08:00, Asia/Shanghai unless the group says otherwise); accepted with any offset.',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  serialize(value: unknown): string {
    if (value instanceof ZonedInstant) return formatInZone(value.instant, value.timeZone);
    const instant = value instanceof Date ? value : (DateTimeResolver.serialize(value) as Date);
    return formatInZone(instant, DEFAULT_TIME_ZONE);
  },
  parseValue: (value) => DateTimeResolver.parseValue(value) as Date,
  parseLiteral: (ast, variables) => DateTimeResolver.parseLiteral(ast, variables) as Date,
});

/** An instant in a message: as the API shows times (the default zone's offset), never as UTC. */
export function shown(instant: Date): string {
  return formatInZone(instant, DEFAULT_TIME_ZONE);
}
