// A rule a record breaks: a stable code, a message and the offending input field. In a batch it
// rejects that record alone; in a single-record mutation it becomes the GraphQL error.
import { ErrorCode, gatewayError } from '../errors';

export class RuleViolation extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The input field, as a path within the record (e.g. staff.homeCode, history.1.at). */
    readonly field: string,
  ) {
    super(message);
  }

  /**
   * As the error of a single-record mutation: FORBIDDEN for a scope violation, else BAD_USER_INPUT;
   * `extensions.reason` carries the rule's code (the one a batch reports), e.g. LATERAL_NOT_DECLARED.
   */
  toGraphQLError(): Error {
    const code = this.code === OUT_OF_SCOPE || this.code === SOURCE_MISMATCH ? ErrorCode.FORBIDDEN : ErrorCode.BAD_USER_INPUT;
    return gatewayError(code, this.message, this.field, this.code);
  }
}

/** The code of a record outside the group or institution the token writes for. */
export const OUT_OF_SCOPE = 'OUT_OF_SCOPE';

/** The code of a record of another source than the one the token names (its `source` claim). */
export const SOURCE_MISMATCH = 'SOURCE_MISMATCH';

/** Rethrows anything but a RuleViolation, which becomes the mutation's GraphQL error. */
export function asGraphQLError(error: unknown): unknown {
  return error instanceof RuleViolation ? error.toGraphQLError() : error;
}
