// CORS for a frontend on another origin: only the origins of CORS_ORIGINS (none by default) get
// CORS headers. Preflights (OPTIONS) are answered here, before authentication: a browser never
// sends the Authorization header with them.
import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Preflight answers may be cached this long by the browser (Chromium caps it at 2 h). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export function corsFor(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  const withHeaders = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Apollo-Require-Preflight', 'X-Apollo-Operation-Name'],
    // Bearer tokens, no cookies: credentials stay off.
    credentials: false,
    exposedHeaders: ['Retry-After'],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  });
  return (req: Request, res: Response, next: NextFunction) =>
    withHeaders(req, res, (error?: unknown) => {
      if (error) return next(error);
      // An origin not on the list: a preflight still ends here (204 without CORS headers, so the
      // browser refuses the request), never in the bearer check with a 401.
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      next();
    });
}
