// Relay cursor connections (first/after, edges, pageInfo) plus totalCount. Lists are keyset-paginated
// on a unique sort key, so a page costs one indexed range scan however deep the client pages.
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { sqlCost } from './cost';
import { badUserInput } from './errors';

/** The documented maximum of `first` on every connection. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size: ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE} (a larger value is a BAD_USER_INPUT error).`,
  })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' })
  after?: string;
}

export interface PageRequest {
  /** Rows to return. */
  take: number;
  /** Sort key of the last row already seen, decoded from `after`. */
  afterKey?: string;
}

export function pageRequest(args: { first?: number | null; after?: string | null }): PageRequest {
  const take = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(take) || take < 0 || take > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}, got ${args.first}`, 'first');
  }
  return { take, afterKey: args.after == null ? undefined : decodeCursor(args.after) };
}

const CURSOR_PREFIX = 'k:';

export function encodeCursor(key: string): string {
  return Buffer.from(CURSOR_PREFIX + key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX) || encodeCursor(decoded.slice(CURSOR_PREFIX.length)) !== cursor) {
    throw badUserInput('after is not a cursor this gateway issued', 'after');
  }
  return decoded.slice(CURSOR_PREFIX.length);
}

/**
 * Complexity of a connection field: its own SQL round trips (the page and its totalCount, see
 * common/cost.ts), and its children once per requested row.
 */
export function connectionComplexity({ args, childComplexity }: ComplexityEstimatorArgs): number {
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + sqlCost(2) + Math.max(first, 1) * childComplexity;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/**
 * A page of rows. `totalCount` is a lazy getter: the default resolver reads it only when a client
 * asks for it, so an unrequested count costs no SQL.
 */
export class Page<T> {
  constructor(
    readonly edges: Edge<T>[],
    readonly pageInfo: PageInfo,
    private readonly count: () => Promise<number>,
  ) {}

  get totalCount(): Promise<number> {
    return this.count();
  }

  /** Builds a page from up to take+1 rows fetched in key order. */
  static fromRows<T>(rows: T[], take: number, keyOf: (row: T) => string, count: () => Promise<number>): Page<T> {
    const visible = rows.slice(0, take);
    const edges = visible.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
    return new Page(
      edges,
      { hasNextPage: rows.length > take, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
      count,
    );
  }
}

/** Declares `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionTypeClass {
    @Field(() => Int, { description: 'Rows matching the filters, over all pages.' })
    totalCount!: number;

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => [EdgeType])
    edges!: EdgeType[];
  }
  return ConnectionTypeClass;
}
