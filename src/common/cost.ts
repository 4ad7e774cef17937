// What an operation costs before it runs, in two budgets (README "Operation limits"):
//
// - rows (MAX_QUERY_COMPLEXITY): every field costs 1, and a connection's children cost once per
//   requested row: the work of building the answer;
// - SQL statements (MAX_QUERY_STATEMENTS): a field that sends its own SQL declares how many
//   statements it sends for one set of arguments (`@SqlStatements(n)`). They are counted once per
//   place the field appears in the document, not once per row: a nested field's DataLoader batches it
//   across the rows of its list (test/server/limits.test.ts checks that page size does not change the
//   statements), but not across aliases with distinct arguments: 2,400 aliases of
//   `referrals(filter: …)` were 2,400 statements (issue 8). Lookups by code (`region`, `parent`, …)
//   share one loader per level whatever their aliases, and declare none.
//
// One number could not say both: a per-row price on statements charged a dashboard's 50 members for
// 50 statements it never sends, while a per-field one let thousands of aliases through.
import { Extensions } from 'type-graphql';
import type { ComplexityEstimator, ComplexityEstimatorArgs } from 'graphql-query-complexity';

const STATEMENTS = 'sqlStatements';

/** Declares the SQL statements a field sends for one set of arguments (batched across the rows of its list). */
export const SqlStatements = (statements: number): MethodDecorator & PropertyDecorator & ClassDecorator =>
  Extensions({ [STATEMENTS]: statements });

/** The statements a field declares (0 when none). */
export function declaredStatements(extensions: Readonly<Record<string, unknown>> | null | undefined): number {
  const value = extensions?.[STATEMENTS];
  return typeof value === 'number' ? value : 0;
}

/** Estimator of the SQL budget: a field's own statements plus its children's, whatever the page sizes. */
export const statementEstimator: ComplexityEstimator = ({ field, childComplexity }: ComplexityEstimatorArgs) =>
  declaredStatements(field.extensions) + childComplexity;
