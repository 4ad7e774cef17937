// Security headers on every response (helmet): nosniff, no referrer, no framing, and a CSP that lets
// an API response run and load nothing. The browser page gets its own CSP (explorer.ts): its inline
// script and style by hash, requests to its own origin only.
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { EXPLORER_CSP_DIRECTIVES } from './explorer';

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
}

/** The browser page's Content-Security-Policy header, replacing the API's on that response. */
export const EXPLORER_CSP = Object.entries(EXPLORER_CSP_DIRECTIVES)
  .map(([directive, values]) => `${directive} ${values.join(' ')}`)
  .join('; ');
