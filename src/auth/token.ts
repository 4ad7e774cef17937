// Signed bearer tokens (HS256 JWTs). Claims: sub, role, scope, exp, and optionally source.
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { isRole, type Principal, type Role } from './principal';

export interface TokenRequest {
  role: Role;
  scope: string;
  /** The source system the token writes as (optional). */
  source?: string;
  subject?: string;
  /** Lifetime in seconds. */
  ttlSeconds?: number;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

// Handed a string, jsonwebtoken first tries to parse it as a public key and only falls back to a
// secret after that throws: about half a millisecond per token. A KeyObject made once skips it.
const keys = new Map<string, KeyObject>();
function secretKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export function issueToken(secret: string, request: TokenRequest): string {
  const subject = request.subject ?? `${request.role.toLowerCase()}:${request.scope}`;
  const source = request.source ? { source: request.source } : {};
  return jwt.sign({ role: request.role, scope: request.scope, ...source }, secretKey(secret), {
    algorithm: 'HS256',
    subject,
    expiresIn: request.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
  });
}

export class TokenError extends Error {
  constructor(
    message: string,
    /** Whether the token was valid but is no longer (graphql-ws closes such sockets with 4403). */
    readonly expired: boolean,
  ) {
    super(message);
  }
}

export function verifyToken(secret: string, token: string): Principal {
  let claims: jwt.JwtPayload | string;
  try {
    claims = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'] });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new TokenError('The bearer token has expired', true);
    throw new TokenError('The bearer token is not valid', false);
  }
  if (typeof claims === 'string' || !isRole(claims.role) || typeof claims.scope !== 'string' || !claims.scope) {
    throw new TokenError('The bearer token lacks a valid role and scope', false);
  }
  return { role: claims.role, scope: claims.scope, ...sourceClaim(claims), subject: claims.sub ?? '', expiresAt: claims.exp ?? 0 };
}

/** The optional `source` claim: a non-empty string when present. */
function sourceClaim(claims: jwt.JwtPayload): { source?: string } {
  const source: unknown = claims.source;
  if (source === undefined) return {};
  if (typeof source !== 'string' || !source) throw new TokenError('The bearer token has an invalid source', false);
  return { source };
}

/** Reads `Bearer <token>` (case-insensitive scheme); undefined when absent or malformed. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
