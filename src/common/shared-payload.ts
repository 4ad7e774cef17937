// A live event payload marked shareable promises that its execution result depends only on the
// payload, the document and the variables, never on the caller (its fields have no caller-dependent
// resolvers, and scope was checked when the subscription started). The subscription layer then
// executes it once per (payload, query, variables) and hands the result to every subscriber.
import type { ExecutionResult } from 'graphql';

const SHARED = Symbol('shared subscription payload');

export type SharedResults = Map<string, ExecutionResult | Promise<ExecutionResult>>;

/** Marks a payload whose execution result may be shared by every subscriber with the same query. */
export function markShared<T extends object>(payload: T): T {
  Object.defineProperty(payload, SHARED, { value: new Map() satisfies SharedResults, enumerable: false });
  return payload;
}

/** The result cache of a shareable payload; undefined for any other payload. */
export function sharedResults(payload: unknown): SharedResults | undefined {
  return payload !== null && typeof payload === 'object' ? (payload as { [SHARED]?: SharedResults })[SHARED] : undefined;
}
