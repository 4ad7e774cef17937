// The contract's scalars: Date (2024-05-01, a calendar day) and DateTime (ISO 8601 with offset).
import { DateResolver, DateTimeResolver } from 'graphql-scalars';

export const DateScalar = DateResolver;
export const DateTimeScalar = DateTimeResolver;
