// Every setting the gateway reads from its environment, in one place (the README lists them).
import path from 'node:path';

export interface GatewayConfig {
  port: number;
  host: string;
  production: boolean;
  /** PostgreSQL connection string; unset means the embedded PGlite database. */
  databaseUrl?: string;
  /** Directory of the embedded database (only without databaseUrl). */
  pgliteDir: string;
  /** Directory for local state of the embedded demo (database, generated JWT secret). */
  dataDir: string;
  /** HMAC secret for bearer tokens; the embedded demo generates one when unset. */
  jwtSecret?: string;
  /** PEM file of an outside issuer's public keys or certificates (RS256/ES256 tokens). */
  jwtPublicKeyFile?: string;
  /** JWKS file of an outside issuer's public keys (RS256/ES256 tokens, chosen by kid). */
  jwksFile?: string;
  /** The `iss` that tokens of the public keys must carry (a provincial identity service's name for itself). */
  jwtIssuer?: string;
  /** The `aud` that tokens of the public keys must carry (the name the identity service gives this gateway). */
  jwtAudience?: string;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins: string[];
  /** Requests one caller (token subject) may make per second over HTTP and graphql-ws; 0: no limit. */
  maxRequestsPerSecond: number;
  /** graphql-ws sockets one caller (token subject) may hold open on one instance; 0: no limit. */
  maxSocketsPerCaller: number;
  /** HTTP requests and graphql-ws queries and mutations one caller may have running at once on one instance; 0: no limit. */
  maxConcurrentRequestsPerCaller: number;
  /** Load the demo data into an empty database at start: 'auto' = only on the embedded default. */
  seedDemo: 'auto' | 'always' | 'never';
  maxQueryDepth: number;
  /** Rows budget: every field 1, a connection's children once per requested row (src/common/cost.ts). */
  maxQueryComplexity: number;
  /** SQL statements the fields of one operation may declare (src/common/cost.ts). */
  maxQueryStatements: number;
  /** Lexical tokens a document may have; parsing stops past it (before validation, as the next three). */
  maxQueryTokens: number;
  /** Aliases an operation may have, its fragments included. */
  maxQueryAliases: number;
  /** Directives an operation may have, its fragments included. */
  maxQueryDirectives: number;
  /** Fields with the same response name one selection set may hold (graphql-js validation is quadratic in them). */
  maxRepeatedFields: number;
  maxBodyBytes: number;
  shutdownTimeoutMs: number;
  /**
   * How long an idle keep-alive connection stays open. Above the idle timeout of any proxy or load
   * balancer in front (60 s is common), so that the proxy, not the gateway, closes it: otherwise a
   * request it sends just as the gateway closes is reset (a 502 at the proxy).
   */
  keepAliveTimeoutMs: number;
  /**
   * Connections the kernel may queue for the gateway to accept (capped by net.core.somaxconn). Past
   * it, while the event loop is busy, new connections are dropped and retried seconds later, and
   * some half-open ones are reset.
   */
  listenBacklog: number;
  /** Print the demo tokens at start (embedded default only, never in production). */
  printDemoTokens: boolean;
  redisUrl?: string;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** CORS_ORIGINS: comma-separated origins (`https://host[:port]`), each exactly as a browser sends it. */
function origins(raw: string | undefined): string[] {
  const list = (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
      throw new Error(`CORS_ORIGINS must list origins such as https://dashboard.example.cn, got "${origin}"`);
    }
  }
  return list;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const dataDir = path.resolve(env.DATA_DIR ?? path.join(process.cwd(), 'data'));
  const seed = env.SEED_DEMO ?? 'auto';
  if (seed !== 'auto' && seed !== 'always' && seed !== 'never') {
    throw new Error(`SEED_DEMO must be auto, always or never, got "${seed}"`);
  }
  const production = env.NODE_ENV === 'production';
  const config: GatewayConfig = {
    port: int(env, 'PORT', 4000),
    host: env.HOST ?? '0.0.0.0',
    production,
    databaseUrl: env.DATABASE_URL || undefined,
    // memory:// keeps the embedded database in memory: it is no path to resolve.
    pgliteDir: env.PGLITE_DIR?.startsWith('memory://') ? env.PGLITE_DIR : path.resolve(env.PGLITE_DIR ?? path.join(dataDir, 'pglite')),
    dataDir,
    jwtSecret: env.JWT_SECRET || undefined,
    jwtPublicKeyFile: env.JWT_PUBLIC_KEY_FILE || undefined,
    jwksFile: env.JWKS_FILE || undefined,
    jwtIssuer: env.JWT_ISSUER || undefined,
    jwtAudience: env.JWT_AUDIENCE || undefined,
    corsOrigins: origins(env.CORS_ORIGINS),
    // A screen sends a few requests a minute; a provincial bulk pull pages at tens a second.
    maxRequestsPerSecond: int(env, 'MAX_REQUESTS_PER_SECOND', 50),
    // One socket per screen; a control room of a dozen screens sharing one token fits.
    maxSocketsPerCaller: int(env, 'MAX_SOCKETS_PER_CALLER', 20),
    // A dashboard loads a handful of panels at once and a few screens may share a token; 150
    // concurrent heavy requests of one caller within its rate held another caller's query up.
    maxConcurrentRequestsPerCaller: int(env, 'MAX_CONCURRENT_REQUESTS_PER_CALLER', 16),
    seedDemo: seed,
    maxQueryDepth: int(env, 'MAX_QUERY_DEPTH', 12),
    maxQueryComplexity: int(env, 'MAX_QUERY_COMPLEXITY', 5000),
    maxQueryStatements: int(env, 'MAX_QUERY_STATEMENTS', 150),
    maxQueryTokens: int(env, 'MAX_QUERY_TOKENS', 10_000),
    maxQueryAliases: int(env, 'MAX_QUERY_ALIASES', 200),
    maxQueryDirectives: int(env, 'MAX_QUERY_DIRECTIVES', 50),
    maxRepeatedFields: int(env, 'MAX_REPEATED_FIELDS', 10),
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 1024 * 1024),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000),
    keepAliveTimeoutMs: int(env, 'KEEP_ALIVE_TIMEOUT_MS', 65_000),
    listenBacklog: int(env, 'LISTEN_BACKLOG', 4096),
    printDemoTokens: !production && !env.DATABASE_URL,
    redisUrl: env.REDIS_URL || undefined,
    ...overrides,
  };
  if (config.production && !config.jwtSecret) throw new Error('JWT_SECRET is required when NODE_ENV=production');
  return config;
}
