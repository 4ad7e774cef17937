// A row condition written once and rendered two ways: as a Prisma `where` and as raw SQL over a table
// alias. The access policy states each scope rule once in this form, so the ORM reads and the
// hand-written aggregates of every module can never apply two different rules.
import { Prisma } from '../generated/prisma/client';

export type Condition =
  | { readonly kind: 'always' }
  | { readonly kind: 'never' }
  | { readonly kind: 'equals'; readonly field: string; readonly value: string }
  | { readonly kind: 'oneOf'; readonly field: string; readonly values: readonly string[] }
  | { readonly kind: 'anyOf'; readonly parts: readonly Condition[] }
  | { readonly kind: 'allOf'; readonly parts: readonly Condition[] }
  /** `local` is one of the `remote` values of the rows of `table` (Prisma: the relation) that match `where`. */
  | {
      readonly kind: 'related';
      readonly relation: string;
      readonly many: boolean;
      readonly table: string;
      readonly local: string;
      readonly remote: string;
      readonly where: Condition;
    };

export const always: Condition = { kind: 'always' };
export const never: Condition = { kind: 'never' };
export const equals = (field: string, value: string): Condition => ({ kind: 'equals', field, value });
export const oneOf = (field: string, values: readonly string[]): Condition => ({ kind: 'oneOf', field, values });
export const anyOf = (...parts: Condition[]): Condition => ({ kind: 'anyOf', parts });
export const allOf = (...parts: Condition[]): Condition => ({ kind: 'allOf', parts });

/** Prisma field names are the SQL column names in camelCase (every model maps them with @map). */
export function columnOf(field: string): string {
  if (!/^[a-z][A-Za-z0-9]*$/.test(field)) throw new Error(`Not a Prisma field name: ${field}`);
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The condition as a Prisma `where` input (for any model: the caller names the fields). */
export function toWhere(condition: Condition): Record<string, unknown> {
  switch (condition.kind) {
    case 'always':
      return {};
    case 'never':
      return { OR: [] }; // an empty OR matches no row
    case 'equals':
      return { [condition.field]: condition.value };
    case 'oneOf':
      return { [condition.field]: { in: [...condition.values] } };
    case 'anyOf':
      return { OR: condition.parts.map(toWhere) };
    case 'allOf':
      return { AND: condition.parts.map(toWhere) };
    case 'related':
      return { [condition.relation]: condition.many ? { some: toWhere(condition.where) } : toWhere(condition.where) };
  }
}

/** The same condition as SQL over `alias` (a table alias of the query it goes into). */
export function toSql(condition: Condition, alias: string): Prisma.Sql {
  // Names go into the SQL as text: only code constants reach here, and they must look like names.
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`Not a table alias: ${alias}`);
  const column = (field: string) => Prisma.raw(`${alias}.${columnOf(field)}`);
  switch (condition.kind) {
    case 'always':
      return Prisma.sql`TRUE`;
    case 'never':
      return Prisma.sql`FALSE`;
    case 'equals':
      return Prisma.sql`${column(condition.field)} = ${condition.value}`;
    case 'oneOf':
      return condition.values.length ? Prisma.sql`${column(condition.field)} IN (${Prisma.join([...condition.values])})` : Prisma.sql`FALSE`;
    case 'anyOf':
      return condition.parts.length ? Prisma.sql`(${Prisma.join(condition.parts.map((p) => toSql(p, alias)), ' OR ')})` : Prisma.sql`FALSE`;
    case 'allOf':
      return condition.parts.length ? Prisma.sql`(${Prisma.join(condition.parts.map((p) => toSql(p, alias)), ' AND ')})` : Prisma.sql`TRUE`;
    case 'related': {
      const inner = `${alias}_${columnOf(condition.relation)}`;
      if (!/^[a-z_][a-z0-9_]*$/.test(condition.table)) throw new Error(`Not a table name: ${condition.table}`);
      return Prisma.sql`${column(condition.local)} IN (SELECT ${Prisma.raw(`${inner}.${columnOf(condition.remote)}`)} FROM ${Prisma.raw(
        `${condition.table} ${inner}`,
      )} WHERE ${toSql(condition.where, inner)})`;
    }
  }
}

/** A condition in both forms, for one table. */
export interface RowFilter<Where> {
  readonly condition: Condition;
  /** For Prisma reads of the table's model. */
  readonly where: Where;
  /** For raw SQL over the table under `alias`. */
  sql(alias: string): Prisma.Sql;
}

export function rowFilter<Where>(condition: Condition): RowFilter<Where> {
  return { condition, where: toWhere(condition) as Where, sql: (alias) => toSql(condition, alias) };
}
