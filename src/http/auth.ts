// Bearer authentication for HTTP. Every request but the health endpoints and the browser page needs a
// valid token; a missing, malformed or expired one is HTTP 401 with a GraphQL-shaped error body.
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../auth/principal';
import { bearerToken, TokenError, verifyToken, type TokenKeys } from '../auth/token';
import { ErrorCode } from '../common/errors';

export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

export function requireBearer(keys: string | TokenKeys) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendError(res, 401, ErrorCode.UNAUTHENTICATED, 'A bearer token is required: Authorization: Bearer <token>');
      return;
    }
    try {
      res.locals.principal = verifyToken(keys, token) satisfies Principal;
    } catch (error) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      sendError(res, 401, ErrorCode.UNAUTHENTICATED, error instanceof TokenError ? error.message : 'The bearer token is not valid');
      return;
    }
    next();
  };
}
