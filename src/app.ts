// The app builder: Express and Apollo on one HTTP server, graphql-ws on the same path, the health
// endpoints and the browser page. It opens nothing and listens on nothing: server.ts does.
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { PubSub } from 'type-graphql';
import { loadTokenKeys } from './auth/keys';
import { ErrorCode } from './common/errors';
import type { Principal } from './auth/principal';
import { useCursorSecret } from './common/pagination';
import type { GatewayConfig } from './config';
import { createRequestContext, type LiveParts, type RequestContext } from './context';
import type { Database } from './db/client';
import { listMigrationNames } from './db/migrate';
import { requireBearer, sendError } from './http/auth';
import { createCallerLimits } from './http/caller-limits';
import { bodyErrorHandler, codeForRequestError, errorForClient, forClient } from './http/client-errors';
import { corsFor } from './http/cors';
import { EXPLORER_HTML } from './http/explorer';
import { EXPLORER_CSP, securityHeaders } from './http/headers';
import { operationLimitsOf } from './http/limits';
import { guardRequests, operationLimitsPlugin } from './http/operation-guard';
import { attachSubscriptions } from './http/subscriptions';
import { buildGatewaySchema } from './schema';

export const GRAPHQL_PATH = '/graphql';

export interface AppOptions {
  config: GatewayConfig;
  db: Database;
  jwtSecret: string;
  pubSub: PubSub;
  /** The modules' live parts on this instance. */
  live: LiveParts;
  log: (line: string) => void;
  /** True once the gateway is shutting down (readiness fails first). */
  stopping: () => boolean;
}

export interface GatewayApp {
  httpServer: http.Server;
  /** Drains in-flight requests and subscriptions, then closes them. */
  stop(): Promise<void>;
}

export async function buildApp({ config, db, jwtSecret, pubSub, live, log, stopping }: AppOptions): Promise<GatewayApp> {
  const createContext = (principal: Principal) => createRequestContext(db.prisma, principal, live);
  useCursorSecret(jwtSecret); // cursors signed with a key of the deployment: every instance takes them
  const schema = await buildGatewaySchema({ pubSub });
  const limits = operationLimitsOf(config);
  const tokenKeys = loadTokenKeys({
    secret: jwtSecret,
    publicKeyFile: config.jwtPublicKeyFile,
    jwksFile: config.jwksFile,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
  });
  const callerLimits = createCallerLimits({ ...config, log });
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  const httpServer = http.createServer(app);
  // Node's default (5 s) is below the idle timeout of common proxies and load balancers, which then
  // reuse a connection the gateway is closing and get ECONNRESET. Idle connections are still closed
  // at once on stop() (the drain plugin), and headersTimeout does not apply to them (Node >= 18).
  httpServer.keepAliveTimeout = config.keepAliveTimeoutMs;
  const subscriptions = attachSubscriptions({
    httpServer,
    path: GRAPHQL_PATH,
    schema,
    tokenKeys,
    limits,
    callerLimits,
    createContext,
    maxPayloadBytes: config.maxBodyBytes,
    maskError: (error) => maskError(error, config.production, log),
    production: config.production,
  });
  const apollo = new ApolloServer<RequestContext>({
    schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      { async serverWillStart() { return { drainServer: () => subscriptions.dispose() }; } },
      ApolloServerPluginLandingPageDisabled(),
      operationLimitsPlugin<RequestContext>(schema, limits),
    ],
    includeStacktraceInErrorResponses: !config.production,
    // Production hides "Did you mean …" in formatError (forClient, linear): Apollo's own
    // hideSchemaDetailsFromClientErrors strips it with a regex quadratic in messages that echo the
    // client's text (a 260 KB string literal of "Did you mean " took 3 s).
    hideSchemaDetailsFromClientErrors: false,
    parseOptions: { maxTokens: limits.maxTokens }, // guardRequests checks first; this bounds any other path
    stopOnTerminationSignals: false, // main.ts owns shutdown: stop(), then the database, then exit 0
    formatError: (formatted, error) => maskInternalErrors(formatted, error, config.production, log),
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const problem = stopping() ? 'shutting down' : await readinessProblem(db);
    res.status(problem ? 503 : 200).json(problem ? { status: 'unavailable', reason: problem } : { status: 'ready' });
  });
  app.use(GRAPHQL_PATH, corsFor(config.corsOrigins));
  // The browser page; it carries no data, so it needs no token.
  app.get(GRAPHQL_PATH, (req, res, next) => {
    if (req.query.query === undefined && req.accepts(['application/json', 'text/html']) === 'text/html') {
      res.setHeader('Content-Security-Policy', EXPLORER_CSP);
      res.type('html').send(EXPLORER_HTML);
      return;
    }
    next();
  });
  app.use(
    GRAPHQL_PATH,
    requireBearer(tokenKeys),
    callerLimits.http,
    express.json({ limit: config.maxBodyBytes }),
    guardRequests(schema, limits),
    expressMiddleware(apollo, {
      context: async ({ res }) => createContext(res.locals.principal as Principal),
    }),
  );
  // Anything else: GraphQL's JSON error shape, not Express's HTML page.
  app.use((_req: express.Request, res: express.Response) => sendError(res, 404, ErrorCode.NOT_FOUND, `Not found: the API is at ${GRAPHQL_PATH}`));
  app.use(bodyErrorHandler(config.maxBodyBytes, log));

  // Stopping Apollo drains HTTP (in-flight requests finish) and the subscriptions, then closes them.
  return {
    httpServer,
    stop: async () => {
      await apollo.stop();
      await callerLimits.close();
    },
  };
}

async function readinessProblem(db: Database): Promise<string | undefined> {
  try {
    const rows = await db.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const applied = new Set(rows.map((r) => r.migration_name));
    const missing = listMigrationNames().filter((name) => !applied.has(name));
    return missing.length ? `migrations not applied: ${missing.join(', ')}` : undefined;
  } catch {
    return 'database unreachable';
  }
}

/**
 * graphql-ws's errors (no Apollo there): an error without a code is unexpected; in production its
 * message is replaced, as Apollo's formatError does for HTTP.
 */
function maskError(error: GraphQLError, production: boolean, log: (line: string) => void): GraphQLError {
  if (error.extensions?.code) return errorForClient(error, production);
  log(`Internal error (graphql-ws): ${error.originalError?.stack ?? error.message}`);
  if (!production) return error;
  return new GraphQLError('Internal server error', { path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/** Unexpected errors keep their message in development; in production the client sees a generic one. */
function maskInternalErrors(
  formatted: GraphQLFormattedError,
  error: unknown,
  production: boolean,
  log: (line: string) => void,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const requestCode = codeForRequestError(error); // Apollo's 4xx errors without a code
  if (requestCode) return forClient({ ...formatted, extensions: { ...formatted.extensions, code: requestCode } }, production);
  if (code !== 'INTERNAL_SERVER_ERROR') return forClient(formatted, production);
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  log(`Internal error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}`);
  return production ? { message: 'Internal server error', extensions: { code }, path: formatted.path } : formatted;
}
