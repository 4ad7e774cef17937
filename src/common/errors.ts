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
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function gatewayError(code: ErrorCode, message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: field ? { code, field } : { code } });
}

export const badUserInput = (message: string, field: string): GraphQLError =>
  gatewayError(ErrorCode.BAD_USER_INPUT, message, field);

export const notFound = (what: string, code: string, field: string): GraphQLError =>
  gatewayError(ErrorCode.NOT_FOUND, `${what} "${code}" was not found or is outside your scope`, field);

export const forbidden = (message: string): GraphQLError => gatewayError(ErrorCode.FORBIDDEN, message);
