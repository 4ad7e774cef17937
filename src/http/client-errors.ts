// A client's mistake is never an internal error: the codes for what graphql-js, Apollo and Express
// report without one (syntax and validation errors on graphql-ws, a persisted query whose hash does
// not match, an unreadable body), and the "Did you mean …" suggestions that production hides.
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { boundedMessage, ErrorCode } from '../common/errors';
import { sendError } from './auth';

/** graphql-js's hints name fields, arguments and enum values: with introspection off they leak the schema. */
export function withoutSuggestions(message: string): string {
  // graphql-js appends its hint last (" Did you mean …?"), and the names it suggests hold no spaces:
  // cut at the last one. Linear, unlike a regex, on messages that echo the client's text (a lazy
  // `.+?\?$` from every "Did you mean" was quadratic: 6 s on 20,000 repeats in one argument).
  if (!message.endsWith('?')) return message;
  const at = message.lastIndexOf('Did you mean ');
  if (at < 0) return message;
  return message.slice(0, at > 0 && message[at - 1] === ' ' ? at - 1 : at);
}

/** A parser error as Apollo reports it on HTTP (the same code on graphql-ws). */
export function parseFailed(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code: ErrorCode.GRAPHQL_PARSE_FAILED },
  });
}

/** A validation error as Apollo reports it on HTTP (the same code on graphql-ws). */
export function validationFailed(error: GraphQLError, production: boolean): GraphQLError {
  return new GraphQLError(production ? withoutSuggestions(error.message) : error.message, {
    nodes: error.nodes,
    extensions: { ...error.extensions, code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
  });
}

/**
 * Codes for Apollo's own request errors that carry an HTTP 4xx status but no code (Apollo would call
 * them INTERNAL_SERVER_ERROR): a persisted query whose hash does not match its text, an unsupported
 * persisted query version. Returns undefined for anything else.
 */
export function codeForRequestError(error: unknown): string | undefined {
  if (!(error instanceof GraphQLError) || error.extensions?.code) return undefined;
  const status = (error.extensions?.http as { status?: number } | undefined)?.status;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  return error.message === 'provided sha does not match query' ? ErrorCode.PERSISTED_QUERY_HASH_MISMATCH : ErrorCode.BAD_REQUEST;
}

/**
 * What a client sees of a coded error's message: no suggestions in production (validation, variable
 * coercion, enum values), and at most MAX_MESSAGE_LENGTH characters (graphql-js quotes literals whole:
 * a 260 KB literal came back inside a validation message).
 */
export function clientMessage(message: string, production: boolean): string {
  return boundedMessage(production ? withoutSuggestions(message) : message);
}

/** clientMessage for Apollo's formatted errors (HTTP). */
export function forClient(formatted: GraphQLFormattedError, production: boolean): GraphQLFormattedError {
  const message = clientMessage(formatted.message, production);
  return message === formatted.message ? formatted : { ...formatted, message };
}

/** clientMessage for graphql-ws's errors (variable coercion, execution) before they are sent. */
export function errorForClient(error: GraphQLError, production: boolean): GraphQLError {
  const message = clientMessage(error.message, production);
  return message === error.message ? error : new GraphQLError(message, { nodes: error.nodes, path: error.path, extensions: error.extensions });
}

/**
 * Express errors before GraphQL runs (the body parser's: size, encoding, charset, a corrupt gzip or
 * deflate stream, JSON) in GraphQL's JSON error shape, never Express's HTML page.
 */
export function bodyErrorHandler(maxBodyBytes: number, log: (line: string) => void) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { type, status, message } = error as { type?: string; status?: number; message?: string };
    if (type === 'entity.too.large') {
      sendError(res, 413, ErrorCode.PAYLOAD_TOO_LARGE, `The request body exceeds ${maxBodyBytes} bytes`);
    } else if (type === 'entity.parse.failed') {
      sendError(res, 400, ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON');
    } else if (type === 'encoding.unsupported') {
      sendError(res, 415, ErrorCode.UNSUPPORTED_CONTENT_ENCODING, `${message ?? 'Unsupported content encoding'}: send identity, gzip, deflate or br`);
    } else if (type === 'charset.unsupported') {
      sendError(res, 415, ErrorCode.UNSUPPORTED_CHARSET, `${message ?? 'Unsupported charset'}: send UTF-8`);
    } else if (typeof status === 'number' && status >= 400 && status < 500) {
      // raw-body's and zlib's errors: a corrupt or truncated compressed body, an aborted request, a
      // Content-Length that does not match.
      sendError(res, status, ErrorCode.BAD_REQUEST, `The request body could not be read: ${message ?? 'malformed'}`);
    } else {
      log(`Internal error (HTTP): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  };
}
