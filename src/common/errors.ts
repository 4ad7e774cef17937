// Errors every client can branch on: a stable `extensions.code` and, for bad input, the offending field.
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  // Operation limits checked before validation (src/http/limits.ts), each with its own code.
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  TOO_MANY_DIRECTIVES: 'TOO_MANY_DIRECTIVES',
  TOO_MANY_REPEATED_FIELDS: 'TOO_MANY_REPEATED_FIELDS',
  TOO_MANY_FRAGMENTS: 'TOO_MANY_FRAGMENTS',
  TOO_MANY_DEFINITIONS: 'TOO_MANY_DEFINITIONS',
  TOO_LONG_NAME: 'TOO_LONG_NAME',
  // Malformed requests (Apollo's codes on HTTP, the same on graphql-ws).
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  UNSUPPORTED_CONTENT_ENCODING: 'UNSUPPORTED_CONTENT_ENCODING',
  UNSUPPORTED_CHARSET: 'UNSUPPORTED_CHARSET',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function gatewayError(code: ErrorCode, message: string, field?: string, reason?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...(field ? { field } : {}), ...(reason ? { reason } : {}) } });
}

export const badUserInput = (message: string, field: string): GraphQLError =>
  gatewayError(ErrorCode.BAD_USER_INPUT, message, field);

/** Longest part of a client's value an error message repeats. */
export const MAX_QUOTED_LENGTH = 64;

/**
 * A client's value as an error message quotes it: cut to its first 64 characters, so that 200
 * aliases of a 900 KB code are not 180 MB of answer (issue 8).
 */
export function quoted(value: string): string {
  return value.length <= MAX_QUOTED_LENGTH ? `"${value}"` : `"${value.slice(0, MAX_QUOTED_LENGTH)}…" (${value.length} characters)`;
}

/** Longest message an error carries to a client (graphql-js's own messages quote literals whole). */
export const MAX_MESSAGE_LENGTH = 1000;

/** A message cut to MAX_MESSAGE_LENGTH, saying how long it was. */
export function boundedMessage(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_MESSAGE_LENGTH)}… (${message.length} characters)`;
}

export const notFound = (what: string, code: string, field: string): GraphQLError =>
  gatewayError(ErrorCode.NOT_FOUND, `${what} ${quoted(code)} was not found or is outside your scope`, field);

export const forbidden = (message: string): GraphQLError => gatewayError(ErrorCode.FORBIDDEN, message);
