// Operation limits: depth and complexity, checked before execution on HTTP and on graphql-ws alike.
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../common/errors';

export interface OperationLimits {
  maxDepth: number;
  maxComplexity: number;
}

/** Depth of the deepest field path; introspection fields (`__schema`, `__type`) are not counted. */
export function operationDepth(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): number {
  const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, seen));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue; // unknown or cyclic spreads fail validation anyway
        deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, name])));
      }
    }
    return deepest;
  };
  return depthOf(operation.selectionSet, new Set());
}

export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
  limits: OperationLimits,
): GraphQLError | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return undefined; // graphql-js reports the missing operation itself
  const depth = operationDepth(operation, fragments);
  if (depth > limits.maxDepth) {
    return new GraphQLError(`The operation is ${depth} levels deep; the maximum is ${limits.maxDepth}`, {
      extensions: { code: ErrorCode.QUERY_TOO_DEEP, depth, maxDepth: limits.maxDepth, http: { status: 400 } },
    });
  }
  let complexity: number;
  try {
    complexity = getComplexity({
      schema,
      query: document,
      operationName: operation.name?.value,
      variables: variables ?? {},
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // The estimator coerces the variables first; a bad one is the client's error, as in execution.
    return new GraphQLError(error instanceof Error ? error.message : 'The variables are not valid', {
      extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
    });
  }
  if (complexity > limits.maxComplexity) {
    return new GraphQLError(
      `The operation's complexity is ${complexity}; the maximum is ${limits.maxComplexity}. Ask for smaller pages (first) or fewer nested lists`,
      { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, complexity, maxComplexity: limits.maxComplexity, http: { status: 400 } } },
    );
  }
  return undefined;
}
