// What a field costs against the complexity budget (MAX_QUERY_COMPLEXITY, 5,000 by default) when it
// sends its own SQL: a field costs 1, and each SQL statement it sends for one set of arguments costs
// SQL_STATEMENT_COST more. DataLoaders batch a nested field's statements across the rows of its list,
// but not across aliases with distinct arguments: 2,400 aliases of `referrals(filter: …)` were 2,400
// statements (issue 8). With 30 per statement, 5,000 buys at most 166 statements; the few lookups
// every operation makes besides (scope, batched codes) keep an accepted operation under 200. The
// per-field table is in README.md, "Operation limits"; test/server/limits.test.ts measures it.
import type { ComplexityEstimatorArgs } from 'graphql-query-complexity';

export const SQL_STATEMENT_COST = 30;

/** Cost of `statements` SQL statements on top of a field's 1. */
export const sqlCost = (statements: number): number => statements * SQL_STATEMENT_COST;

/** A type-graphql `complexity` for a field that sends `statements` statements of its own. */
export const sqlField =
  (statements = 1) =>
  ({ childComplexity }: ComplexityEstimatorArgs): number =>
    1 + sqlCost(statements) + childComplexity;
