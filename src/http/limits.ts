// Operation limits, checked on HTTP (an Apollo plugin) and on graphql-ws alike, in two stages:
//
// 1. Before validation, on the raw text and the bare document, each in time linear in the request:
//    tokens (while parsing), the same response name repeated in one selection set, aliases,
//    directives, depth and the number of fields once fragments are expanded. graphql-js validation
//    is quadratic in repeated fields (OverlappingFieldsCanBeMerged) and the complexity estimator is
//    exponential in nested fragment spreads, so nothing of theirs runs on a document that fails here.
// 2. After validation, with the variables: the two budgets of src/common/cost.ts, rows
//    (`MAX_QUERY_COMPLEXITY`) and SQL statements (`MAX_QUERY_STATEMENTS`); README "Operation limits".
//
// Tokens, aliases and directives are counted by graphql-armor; repeated fields, depth (which ignores
// introspection fields) and expanded size by the walk below, which remembers each fragment's figures
// so that a fragment spread twice at every level costs no more than one spread.
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  validate,
  visit,
  BREAK,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { statementEstimator } from '../common/cost';
import { ErrorCode } from '../common/errors';
import type { GatewayConfig } from '../config';

export interface OperationLimits {
  /** Deepest field path (`QUERY_TOO_DEEP`). */
  maxDepth: number;
  /** Rows budget (`QUERY_TOO_COMPLEX`); also the most fields an operation may expand to. */
  maxComplexity: number;
  /** SQL statements the fields of an operation declare, at most (`QUERY_TOO_COMPLEX`). */
  maxStatements: number;
  /** Lexical tokens of the whole document (`TOO_MANY_TOKENS`). */
  maxTokens: number;
  /** Aliases of an operation, its fragments included (`TOO_MANY_ALIASES`). */
  maxAliases: number;
  /** Directives of an operation, its fragments included (`TOO_MANY_DIRECTIVES`). */
  maxDirectives: number;
  /** Fields with the same response name in one selection set, fragments included (`TOO_MANY_REPEATED_FIELDS`). */
  maxRepeatedFields: number;
  /** Fragment definitions of a document (`TOO_MANY_FRAGMENTS`). */
  maxFragments: number;
  /** Operation definitions of a document (`TOO_MANY_DEFINITIONS`). */
  maxOperations: number;
  /** Characters of any name in a document: fields, aliases, arguments, types, fragments (`TOO_LONG_NAME`). */
  maxNameLength: number;
}

/**
 * Fragment definitions per document. graphql-js validation walks every fragment a document's
 * operations reach once per operation: a chain of 1,240 fragments spread by 830 operations (40 KB,
 * within the token limit) held the event loop 300-450 ms. The contract's documents define a handful.
 */
export const MAX_FRAGMENTS = 100;
/** Operations per document, for the same reason: 830 operations spreading a chain of 100 fragments held it 130 ms. */
export const MAX_OPERATIONS_PER_DOCUMENT = 50;
/**
 * Characters of one name. An unknown field's name is compared with every field of its type for a
 * suggestion (hidden in production, computed all the same): 100 unknown 10 KB names took 200 ms.
 */
export const MAX_NAME_LENGTH = 256;
/**
 * Nesting of selection sets, inline fragments and literal values, however deep the fields: inline
 * fragments add no depth, and 2,500 of them nested overflowed the stack of the walk below (an
 * internal error). Counted by graphql-js's visit, which keeps its own stack. The contract nests 8.
 */
export const MAX_NESTING = 64;
/** Variable coercion errors collected before giving up (graphql-js's execution stops at 50 too). */
export const MAX_VARIABLE_ERRORS = 10;

const rejected = (code: ErrorCode, message: string, extensions: Record<string, unknown>): GraphQLError =>
  new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400 } } });

/**
 * Parses `source`, giving up past `maxTokens` tokens. Returns the document, a coded limit error, or
 * the parser's own syntax error (which callers report as GRAPHQL_PARSE_FAILED).
 */
export function parseWithinLimits(source: string, limits: OperationLimits): DocumentNode | GraphQLError {
  let overLimit: GraphQLError | undefined;
  const onReject: GraphQLArmorRejectCallback = (_context, error) => (overLimit = error);
  try {
    return new MaxTokensParserWLexer(source, { n: limits.maxTokens, onReject: [onReject] }).parseDocument();
  } catch (error) {
    if (overLimit && error === overLimit) {
      return rejected(ErrorCode.TOO_MANY_TOKENS, `The document has more than ${limits.maxTokens} tokens`, { maxTokens: limits.maxTokens });
    }
    if (error instanceof GraphQLError) return error;
    // The parser recurses once per nesting level; within the token limit the stack holds, but a
    // smaller stack (or a larger limit) must still end as the client's error.
    if (error instanceof RangeError) {
      return rejected(ErrorCode.QUERY_TOO_DEEP, 'The document is nested too deeply to parse', { maxDepth: limits.maxDepth });
    }
    throw error;
  }
}

interface Shape {
  /** Deepest field path below (introspection fields not counted). */
  depth: number;
  /** Fields once fragments are expanded. */
  fields: number;
  /** Response names of this selection set, inline fragments and spreads flattened in, with counts. */
  names: Map<string, number>;
  /** The most repeated response name in this set or any set below. */
  repeated: { name: string; count: number };
}

const EMPTY: Shape = { depth: 0, fields: 0, names: new Map(), repeated: { name: '', count: 0 } };

/** Depth, expanded size and repeated response names of every operation and fragment of `document`. */
export function measureDocument(document: DocumentNode): Omit<Shape, 'names'> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, Shape>();
  const fragmentShape = (name: string): Shape => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment) return EMPTY; // unknown spreads fail validation
    memo.set(name, EMPTY); // a cycle (a validation error too) counts as empty while it is measured
    const shape = setShape(fragment.selectionSet);
    memo.set(name, shape);
    return shape;
  };
  const setShape = (set: SelectionSetNode): Shape => {
    const shape: Shape = { depth: 0, fields: 0, names: new Map(), repeated: { name: '', count: 0 } };
    const absorb = (inner: Shape, extraDepth: number) => {
      shape.depth = Math.max(shape.depth, inner.depth + extraDepth);
      shape.fields += inner.fields;
      if (inner.repeated.count > shape.repeated.count) shape.repeated = inner.repeated;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias?.value ?? selection.name.value;
        shape.names.set(name, (shape.names.get(name) ?? 0) + 1);
        shape.fields += 1;
        const inner = selection.selectionSet ? setShape(selection.selectionSet) : EMPTY;
        absorb(inner, selection.name.value.startsWith('__') ? -inner.depth : 1);
      } else {
        const inner = selection.kind === Kind.INLINE_FRAGMENT ? setShape(selection.selectionSet) : fragmentShape(selection.name.value);
        absorb(inner, 0);
        for (const [name, count] of inner.names) shape.names.set(name, (shape.names.get(name) ?? 0) + count);
      }
    }
    for (const [name, count] of shape.names) if (count > shape.repeated.count) shape.repeated = { name, count };
    return shape;
  };
  const total: Omit<Shape, 'names'> = { depth: 0, fields: 0, repeated: { name: '', count: 0 } };
  for (const definition of document.definitions) {
    let shape: Shape | undefined;
    if (definition.kind === Kind.OPERATION_DEFINITION) shape = setShape(definition.selectionSet);
    if (definition.kind === Kind.FRAGMENT_DEFINITION) shape = fragmentShape(definition.name.value);
    if (!shape) continue;
    total.depth = Math.max(total.depth, shape.depth);
    total.fields = Math.max(total.fields, shape.fields);
    if (shape.repeated.count > total.repeated.count) total.repeated = shape.repeated;
  }
  return total;
}

/**
 * The most fields sharing one response path once repeated parents are merged, as graphql-js merges
 * them: `{ a { b } a { b } }` selects `a.b` twice. OverlappingFieldsCanBeMerged compares every pair
 * at every level, so two repeats at each of ten levels are a million comparisons although no single
 * selection set repeats a name more than twice. Fragment spreads are followed once per merged set (as
 * graphql-js collects them); levels below `maxLevels` are not looked at (the depth check covers them).
 */
export function mostRepeatedPath(document: DocumentNode, maxLevels: number): { path: string; count: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  let worst = { path: '', count: 0 };
  // A fragment merged into the top level of a visit is looked at there with everything beside it:
  // alone it repeats no more, so its own visit is skipped (a chain F0 -> F1 -> … was walked once
  // per definition, quadratic in its length).
  const mergedAtTop = new Set<string>();
  const walk = (sets: readonly SelectionSetNode[], path: string, level: number) => {
    if (level > maxLevels) return;
    const groups = new Map<string, { count: number; sets: SelectionSetNode[] }>();
    const spread = level === 1 ? mergedAtTop : new Set<string>();
    const collect = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.alias?.value ?? selection.name.value;
          const group = groups.get(name) ?? { count: 0, sets: [] };
          group.count += 1;
          if (selection.selectionSet) group.sets.push(selection.selectionSet);
          groups.set(name, group);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          collect(selection.selectionSet);
        } else if (!spread.has(selection.name.value)) {
          spread.add(selection.name.value);
          const fragment = fragments.get(selection.name.value);
          if (fragment) collect(fragment.selectionSet);
        }
      }
    };
    sets.forEach(collect);
    for (const [name, group] of groups) {
      const at = path ? `${path}.${name}` : name;
      if (group.count > worst.count) worst = { path: at, count: group.count };
      if (group.sets.length) walk(group.sets, at, level + 1);
    }
  };
  const seen = new Set<string>();
  const spreadSomewhere = new Set<string>();
  visit(document, { FragmentSpread: (node) => void spreadSomewhere.add(node.name.value) });
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      mergedAtTop.clear(); // each operation merges its own spreads
      walk([definition.selectionSet], '', 1);
      for (const name of mergedAtTop) seen.add(name);
    }
  }
  // Fragments nobody spreads first (the heads of chains), then whatever is left (cycles).
  const fragmentDefinitions = [...fragments.values()];
  const ordered = [...fragmentDefinitions.filter((f) => !spreadSomewhere.has(f.name.value)), ...fragmentDefinitions.filter((f) => spreadSomewhere.has(f.name.value))];
  for (const fragment of ordered) {
    if (seen.has(fragment.name.value)) continue;
    mergedAtTop.clear();
    mergedAtTop.add(fragment.name.value);
    walk([fragment.selectionSet], `...${fragment.name.value}`, 1);
    for (const name of mergedAtTop) seen.add(name);
  }
  return worst;
}

/**
 * The checks that must pass before graphql-js validation runs: each linear in the document, each
 * with its own code. Applies to every operation and fragment of the document, used or not.
 */
export function checkDocumentShape(schema: GraphQLSchema, document: DocumentNode, limits: OperationLimits): GraphQLError | undefined {
  const fragmentCount = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION).length;
  if (fragmentCount > limits.maxFragments) {
    return rejected(ErrorCode.TOO_MANY_FRAGMENTS, `The document defines ${fragmentCount} fragments; the maximum is ${limits.maxFragments}`, {
      count: fragmentCount,
      maxFragments: limits.maxFragments,
    });
  }
  const operationCount = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
  if (operationCount > limits.maxOperations) {
    return rejected(ErrorCode.TOO_MANY_DEFINITIONS, `The document defines ${operationCount} operations; the maximum is ${limits.maxOperations}`, {
      count: operationCount,
      maxOperations: limits.maxOperations,
    });
  }
  let longName: string | undefined;
  let nesting = 0;
  let deepest = 0;
  const nest = {
    enter: () => {
      deepest = Math.max(deepest, ++nesting);
      return nesting > MAX_NESTING ? BREAK : undefined;
    },
    leave: () => {
      nesting--;
    },
  };
  visit(document, {
    Name: (node) => {
      if (node.value.length > limits.maxNameLength) longName ??= node.value;
    },
    SelectionSet: nest,
    ObjectValue: nest,
    ListValue: nest,
  });
  if (deepest > MAX_NESTING) {
    return rejected(ErrorCode.QUERY_TOO_DEEP, `The document nests selection sets, fragments or values more than ${MAX_NESTING} levels deep`, {
      maxNesting: MAX_NESTING,
    });
  }
  if (longName !== undefined) {
    return rejected(ErrorCode.TOO_LONG_NAME, `A name of the document has ${longName.length} characters; the maximum is ${limits.maxNameLength}`, {
      name: `${longName.slice(0, 32)}…`,
      maxNameLength: limits.maxNameLength,
    });
  }
  const shape = measureDocument(document);
  if (shape.repeated.count > limits.maxRepeatedFields) {
    return rejected(
      ErrorCode.TOO_MANY_REPEATED_FIELDS,
      `"${shape.repeated.name}" is selected ${shape.repeated.count} times in one selection set; the maximum is ${limits.maxRepeatedFields}`,
      { field: shape.repeated.name, count: shape.repeated.count, maxRepeatedFields: limits.maxRepeatedFields },
    );
  }
  // graphql-armor's rules need a ValidationContext: run them alone, before the full validation.
  let armor: { code: ErrorCode; limit: Record<string, number>; error: GraphQLError } | undefined;
  const onReject = (code: ErrorCode, limit: Record<string, number>): GraphQLArmorRejectCallback => (_context, error) => {
    armor ??= { code, limit, error };
  };
  validate(
    schema,
    document,
    [
      maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, onReject: [onReject(ErrorCode.TOO_MANY_ALIASES, { maxAliases: limits.maxAliases })] }),
      maxDirectivesRule({ n: limits.maxDirectives, propagateOnRejection: false, onReject: [onReject(ErrorCode.TOO_MANY_DIRECTIVES, { maxDirectives: limits.maxDirectives })] }),
    ],
    { maxErrors: 1 },
  );
  if (armor) return rejected(armor.code, armor.error.message.replace(/^Syntax Error: /, ''), armor.limit);
  if (shape.depth > limits.maxDepth) {
    return rejected(ErrorCode.QUERY_TOO_DEEP, `The operation is ${shape.depth} levels deep; the maximum is ${limits.maxDepth}`, {
      depth: shape.depth,
      maxDepth: limits.maxDepth,
    });
  }
  // Every field costs at least 1, so an operation expanding to more fields than the budget is over it.
  if (shape.fields > limits.maxComplexity) {
    return rejected(
      ErrorCode.QUERY_TOO_COMPLEX,
      `The operation expands to ${shape.fields > 1e15 ? 'more than 10^15' : shape.fields} fields once its fragments are spread; the maximum is ${limits.maxComplexity}`,
      { maxComplexity: limits.maxComplexity },
    );
  }
  // Linear in the expanded fields, which the check above bounds.
  const merged = mostRepeatedPath(document, limits.maxDepth + 1);
  if (merged.count > limits.maxRepeatedFields) {
    return rejected(
      ErrorCode.TOO_MANY_REPEATED_FIELDS,
      `"${merged.path}" is selected ${merged.count} times once repeated fields are merged; the maximum is ${limits.maxRepeatedFields}`,
      { field: merged.path, count: merged.count, maxRepeatedFields: limits.maxRepeatedFields },
    );
  }
  return undefined;
}

/** Parse and the pre-validation checks in one: the document, or the coded error to answer with. */
export function guardDocument(schema: GraphQLSchema, source: string, limits: OperationLimits): DocumentNode | GraphQLError {
  const document = parseWithinLimits(source, limits);
  if (document instanceof GraphQLError) return document;
  return checkDocumentShape(schema, document, limits) ?? document;
}

/** The limits a gateway configuration sets. */
export function operationLimitsOf(
  config: Pick<
    GatewayConfig,
    'maxQueryDepth' | 'maxQueryComplexity' | 'maxQueryStatements' | 'maxQueryTokens' | 'maxQueryAliases' | 'maxQueryDirectives' | 'maxRepeatedFields'
  >,
): OperationLimits {
  return {
    maxDepth: config.maxQueryDepth,
    maxComplexity: config.maxQueryComplexity,
    maxStatements: config.maxQueryStatements,
    maxTokens: config.maxQueryTokens,
    maxAliases: config.maxQueryAliases,
    maxDirectives: config.maxQueryDirectives,
    maxRepeatedFields: config.maxRepeatedFields,
    maxFragments: MAX_FRAGMENTS,
    maxOperations: MAX_OPERATIONS_PER_DOCUMENT,
    maxNameLength: MAX_NAME_LENGTH,
  };
}

/** The rows and statements budgets, after validation (they need valid variables). */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
  limits: OperationLimits,
): GraphQLError | undefined {
  // The variables are coerced once here with an error limit: graphql-query-complexity coerces them
  // without one, one error per missing field per record, and 1 MB of `[{}, {}, …]` ran the heap out.
  // Past this check they are valid, and coercing them again (estimator, execution) is linear.
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation) {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: MAX_VARIABLE_ERRORS });
    if (coerced.errors) {
      return new GraphQLError(coerced.errors[0].message, {
        nodes: coerced.errors[0].nodes,
        extensions: { code: ErrorCode.BAD_USER_INPUT, ...(coerced.errors.length > 1 ? { errorCount: coerced.errors.length } : {}), http: { status: 400 } },
      });
    }
  }
  let complexity: number;
  let statements: number;
  try {
    const common = { schema, query: document, operationName: operationName ?? undefined, variables: variables ?? {} };
    complexity = getComplexity({ ...common, estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })] });
    statements = getComplexity({ ...common, estimators: [statementEstimator] });
  } catch (error) {
    // The estimator coerces the variables first; a bad one is the client's error, as in execution.
    return new GraphQLError(error instanceof Error ? error.message : 'The variables are not valid', {
      extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
    });
  }
  if (complexity > limits.maxComplexity) {
    return rejected(
      ErrorCode.QUERY_TOO_COMPLEX,
      `The operation's complexity is ${complexity}; the maximum is ${limits.maxComplexity}. Ask for smaller pages (first) or fewer nested lists`,
      { complexity, maxComplexity: limits.maxComplexity },
    );
  }
  if (statements > limits.maxStatements) {
    return rejected(
      ErrorCode.QUERY_TOO_COMPLEX,
      `The operation's fields send ${statements} SQL statements; the maximum is ${limits.maxStatements}. Ask for fewer aliases of fields that each run their own query (README "Operation limits")`,
      { statements, maxStatements: limits.maxStatements },
    );
  }
  return undefined;
}
