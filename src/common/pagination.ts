// Relay cursor connections (first/after, edges, pageInfo) plus totalCount. Lists are keyset-paginated
// on a unique sort key, so a page costs one indexed range scan however deep the client pages.
import crypto from 'node:crypto';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { ComplexityEstimatorArgs } from 'graphql-query-complexity';
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

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page of the same list (any other value is a BAD_USER_INPUT error).' })
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

/**
 * Cursors are the list's sort key, signed (HMAC-SHA-256, 132 bits kept): a cursor nobody issued, or
 * one edited, truncated or grown, is a BAD_USER_INPUT before any SQL runs. The key comes from the
 * token secret (useCursorSecret at start), so every instance of a deployment takes the others'
 * cursors; until then a random one stands in.
 */
let cursorKey: Buffer = crypto.randomBytes(32);

/** Derives the cursor key from the gateway's token secret (one secret per process). */
export function useCursorSecret(secret: string): void {
  cursorKey = crypto.createHmac('sha256', secret).update('gateway cursor key v1').digest();
}

const SIGNATURE_LENGTH = 22; // base64url characters: 132 bits of the HMAC
/** Far above any key a list sorts on (codes, dates and ids); longer is refused unread. */
export const MAX_CURSOR_LENGTH = 512;

function signature(payload: string): string {
  return crypto.createHmac('sha256', cursorKey).update(payload).digest('base64url').slice(0, SIGNATURE_LENGTH);
}

export function encodeCursor(key: string): string {
  const payload = Buffer.from(key, 'utf8').toString('base64url');
  return `${payload}.${signature(payload)}`;
}

/** The sort key of a cursor this gateway issued; BAD_USER_INPUT on `field` for anything else. */
export function decodeCursor(cursor: string, field = 'after'): string {
  const refused = () => badUserInput(`${field} is not a cursor this gateway issued`, field);
  if (cursor.length > MAX_CURSOR_LENGTH) throw refused();
  const match = /^([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)$/.exec(cursor);
  if (!match || match[2].length !== SIGNATURE_LENGTH) throw refused();
  const expected = Buffer.from(signature(match[1]));
  if (!crypto.timingSafeEqual(expected, Buffer.from(match[2]))) throw refused();
  return Buffer.from(match[1], 'base64url').toString('utf8');
}

/**
 * Rows of a connection field (common/cost.ts): itself, and its children once per requested row. Its
 * SQL (the page and its totalCount) is declared apart, with @SqlStatements(2).
 */
export function connectionComplexity({ args, childComplexity }: ComplexityEstimatorArgs): number {
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + Math.max(first, 1) * childComplexity;
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
