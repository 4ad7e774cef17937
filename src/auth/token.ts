// Signed bearer tokens (JWTs). Claims: sub, role, scope, iat, exp (both required), and optionally
// source. HS256 with the gateway's secret; RS256/ES256 with the public keys of an outside issuer
// (keys.ts) when configured, with its iss and aud when those are configured.
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { textProblem } from '../common/text';
import { isRole, Role, type Principal } from './principal';

export interface TokenRequest {
  role: Role;
  scope: string;
  /** The source system the token writes as (optional). */
  source?: string;
  subject?: string;
  /** Lifetime in seconds; at most the role's cap (MAX_TOKEN_LIFETIME_SECONDS). */
  ttlSeconds?: number;
}

const DAY = 24 * 3600;

/**
 * The longest a token of each role may live (exp - iat), at issue and at verification. The wider
 * the reach, the shorter: a PROVINCE token reads every group of a province (a provincial identity
 * service can issue short ones with its own keys); dashboards of one group or institution run on
 * screens for weeks; a source system's token sits in a feeding system's configuration, rotated
 * quarterly with its vendor.
 */
export const MAX_TOKEN_LIFETIME_SECONDS: Record<Role, number> = {
  [Role.PROVINCE]: 7 * DAY,
  [Role.COUNTY]: 30 * DAY,
  [Role.INSTITUTION]: 30 * DAY,
  [Role.SOURCE_SYSTEM]: 90 * DAY,
};

/** Lifetime when none is asked for: 30 days, or the role's cap when shorter. */
export const DEFAULT_TOKEN_TTL_SECONDS = 30 * DAY;

/** How far in the future `iat` may lie (the issuer's clock may run a little ahead of ours). */
export const MAX_CLOCK_SKEW_SECONDS = 60;

// Handed a string, jsonwebtoken first tries to parse it as a public key and only falls back to a
// secret after that throws: about half a millisecond per token. A KeyObject made once skips it.
const keys = new Map<string, KeyObject>();
function secretKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

/** What verifies tokens: the HMAC secret, and optionally an outside issuer's public keys (keys.ts). */
export interface TokenKeys {
  secret: string;
  publicKeys: readonly PublicVerificationKey[];
  /** The `iss` a token verified with the public keys must carry (JWT_ISSUER); unchecked when unset. */
  issuer?: string;
  /** The `aud` a token verified with the public keys must carry, or contain (JWT_AUDIENCE); unchecked when unset. */
  audience?: string;
}

export interface PublicVerificationKey {
  algorithm: 'RS256' | 'ES256';
  key: KeyObject;
  /** The JWKS `kid`; a token naming a kid is checked against that key only. */
  kid?: string;
}

export class TokenLifetimeError extends Error {}

export function issueToken(secret: string, request: TokenRequest): string {
  const subject = request.subject ?? `${request.role.toLowerCase()}:${request.scope}`;
  // An unknown role (only tests forge one) is issued as asked; verification refuses it anyway.
  const cap = MAX_TOKEN_LIFETIME_SECONDS[request.role] ?? DEFAULT_TOKEN_TTL_SECONDS;
  const ttl = request.ttlSeconds ?? Math.min(DEFAULT_TOKEN_TTL_SECONDS, cap);
  if (ttl > cap) throw new TokenLifetimeError(`A ${request.role} token lives at most ${cap} seconds (${cap / DAY} days); asked for ${ttl}`);
  const source = request.source ? { source: request.source } : {};
  return jwt.sign({ role: request.role, scope: request.scope, ...source }, secretKey(secret), {
    algorithm: 'HS256',
    subject,
    expiresIn: ttl,
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

export function verifyToken(keys: string | TokenKeys, token: string): Principal {
  let claims: jwt.JwtPayload | string;
  try {
    claims = verifySignature(typeof keys === 'string' ? { secret: keys, publicKeys: [] } : keys, token);
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new TokenError('The bearer token has expired', true);
    throw new TokenError('The bearer token is not valid', false);
  }
  if (typeof claims === 'string' || !isRole(claims.role)) throw new TokenError("The bearer token's role claim is not valid", false);
  const scope = textClaim(claims, 'scope');
  if (scope === undefined) throw new TokenError("The bearer token's scope claim is not valid", false);
  // Without exp a token would be accepted forever; without iat its lifetime cannot be checked.
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') {
    throw new TokenError('The bearer token must carry exp and iat', false);
  }
  if (claims.iat > Date.now() / 1000 + MAX_CLOCK_SKEW_SECONDS) throw new TokenError('The bearer token is issued in the future (iat)', false);
  const cap = MAX_TOKEN_LIFETIME_SECONDS[claims.role];
  if (claims.exp - claims.iat > cap) {
    throw new TokenError(`The bearer token lives longer than a ${claims.role} token may (${cap / DAY} days from iat to exp)`, false);
  }
  const source = textClaim(claims, 'source');
  // Without sub, the subject issueToken would give: the caller's key (rate limits) stays its own.
  const subject = textClaim(claims, 'sub') ?? `${claims.role.toLowerCase()}:${scope}`;
  return { role: claims.role, scope, ...(source === undefined ? {} : { source }), subject, expiresAt: claims.exp };
}

/** Checks the signature with the keys of the token's algorithm (and kid) only: an RS256 key never checks an HS256 token. */
function verifySignature(keys: TokenKeys, token: string): jwt.JwtPayload | string {
  const header = jwt.decode(token, { complete: true })?.header;
  if (!header || header.alg === 'HS256') return jwt.verify(token, secretKey(keys.secret), { algorithms: ['HS256'] });
  const candidates = keys.publicKeys.filter((k) => k.algorithm === header.alg && (header.kid === undefined || k.kid === undefined || k.kid === header.kid));
  if (!candidates.length) throw new jwt.JsonWebTokenError(`no key for ${header.alg}`);
  let failure: unknown;
  for (const candidate of candidates) {
    try {
      return jwt.verify(token, candidate.key, {
        algorithms: [candidate.algorithm],
        // An outside issuer's keys may sign tokens for other applications too: only those it issued for us count.
        ...(keys.issuer === undefined ? {} : { issuer: keys.issuer }),
        ...(keys.audience === undefined ? {} : { audience: keys.audience }),
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw error;
      failure = error;
    }
  }
  throw failure;
}

/** The longest scope, source or subject a token may carry. */
export const MAX_CLAIM_LENGTH = 128;

/**
 * A string claim (scope, source, sub): absent is undefined; present, it must be a non-empty string of
 * at most MAX_CLAIM_LENGTH characters without refused characters (common/text.ts). A NUL reached
 * PostgreSQL as an internal error, and an object reached viewer.subject.
 */
function textClaim(claims: jwt.JwtPayload, name: 'scope' | 'source' | 'sub'): string | undefined {
  const value: unknown = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value || value.length > MAX_CLAIM_LENGTH || textProblem(value)) {
    throw new TokenError(`The bearer token's ${name} claim is not valid`, false);
  }
  return value;
}

/** Reads `Bearer <token>` (case-insensitive scheme); undefined when absent or malformed. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
