// The operation limits (limits.ts) wired into both transports: an Apollo plugin for HTTP, and the
// parse-validate-check step of graphql-ws's onSubscribe. Both answer with the same codes.
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { getOperationAST, GraphQLError, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../common/errors';
import { parseFailed, validationFailed } from './client-errors';
import { checkOperationLimits, guardDocument, type OperationLimits } from './limits';

/**
 * HTTP, before Apollo: the pre-validation checks on the query of a POST body or a GET URL. (Apollo
 * turns an error thrown from its own hooks before validation into a 500, and offers no hook between
 * parse and validation; the document parsed here is bounded by the token limit, so parsing it twice
 * costs little.) A syntax error is left to Apollo's parse (GRAPHQL_PARSE_FAILED).
 */
export function guardRequests(schema: GraphQLSchema, limits: OperationLimits) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // A GET query is read as Apollo reads it (URLSearchParams, first value): Express's parser stops
    // after 1,000 keys and makes an array of a repeated key, and either skipped these checks.
    const query: unknown = req.method === 'GET' ? getQueryOf(req.url) : (req.body as { query?: unknown } | undefined)?.query;
    const guarded = typeof query === 'string' ? guardDocument(schema, query, limits) : undefined;
    if (guarded instanceof GraphQLError && guarded.extensions.code) {
      const { http: _http, ...extensions } = guarded.extensions;
      res.status(400).json({ errors: [{ message: guarded.message, extensions }] });
      return;
    }
    next();
  };
}

function getQueryOf(url: string): string | undefined {
  const at = url.indexOf('?');
  return at < 0 ? undefined : (new URLSearchParams(url.slice(at + 1)).get('query') ?? undefined);
}

/** HTTP, in Apollo: a subscription is refused with a client code; the complexity budget is checked. */
export function operationLimitsPlugin<Context extends object>(schema: GraphQLSchema, limits: OperationLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('Subscriptions run over graphql-ws (graphql-transport-ws) on this path, not over HTTP', {
              extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } },
            });
          }
          const error = checkOperationLimits(schema, document, request.variables, request.operationName, limits);
          if (error) throw error;
        },
      };
    },
  };
}

/**
 * graphql-ws: parse within the limits, the pre-validation checks, graphql-js validation and the
 * complexity budget, each error with its code (a client's mistake, never an internal error).
 */
export function prepareOperation(
  schema: GraphQLSchema,
  payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
  limits: OperationLimits,
  production: boolean,
): DocumentNode | GraphQLError[] {
  const document = guardDocument(schema, payload.query, limits);
  if (document instanceof GraphQLError) return [document.extensions.code ? withoutHttp(document) : parseFailed(document)];
  const invalid = validate(schema, document, specifiedRules);
  if (invalid.length) return invalid.map((error) => validationFailed(error, production));
  // graphql-js's execution reports these without a code (an internal error); Apollo's code on HTTP.
  if (!getOperationAST(document, payload.operationName ?? undefined)) {
    const message = payload.operationName ? `Unknown operation named "${payload.operationName}".` : 'Must provide operation name if query contains multiple operations.';
    return [new GraphQLError(message, { extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE } })];
  }
  const tooMuch = checkOperationLimits(schema, document, payload.variables ?? undefined, payload.operationName, limits);
  return tooMuch ? [withoutHttp(tooMuch)] : document;
}

/** The HTTP status Apollo reads from extensions means nothing on a socket. */
function withoutHttp(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions });
}
