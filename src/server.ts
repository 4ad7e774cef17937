// The gateway process: one HTTP port serving GraphQL over HTTP and graphql-ws at /graphql, plus the
// health endpoints. startGateway() is used by main.ts and, unchanged, by the tests.
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Principal } from './auth/principal';
import { resolveJwtSecret } from './auth/secret';
import { ErrorCode } from './common/errors';
import type { GatewayConfig } from './config';
import { createRequestContext, type RequestContext } from './context';
import { openDatabase, type Database } from './db/client';
import { applyMigrations, listMigrationNames } from './db/migrate';
import { seedDemoData } from './demo/seed';
import { demoTokens, type DemoToken } from './demo/tokens';
import { requireBearer, sendError } from './http/auth';
import { EXPLORER_HTML } from './http/explorer';
import { checkOperationLimits, type OperationLimits } from './http/limits';
import { createGatewayPubSub, type GatewayPubSub } from './http/pubsub';
import { attachSubscriptions } from './http/subscriptions';
import { ReferralCountersHub } from './modules/referrals';
import { buildGatewaySchema } from './schema';

export const GRAPHQL_PATH = '/graphql';

export interface Gateway {
  url: string;
  port: number;
  db: Database;
  jwtSecret: string;
  /** Tokens for the demo roles, when the config asks to print them. */
  demoTokens: DemoToken[];
  stop(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, log: (line: string) => void = console.log): Promise<Gateway> {
  const jwtSecret = resolveJwtSecret({
    jwtSecret: config.jwtSecret,
    dataDir: config.dataDir,
    allowGenerated: !config.production && !config.databaseUrl,
  });
  // Everything opened is closed again, newest first: on stop(), and when starting fails half-way.
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => log(`While closing: ${String(error)}`));
  };
  try {
    return await assemble(config, jwtSecret, closers, closeAll, log);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function assemble(
  config: GatewayConfig,
  jwtSecret: string,
  closers: (() => Promise<void>)[],
  closeAll: () => Promise<void>,
  log: (line: string) => void,
): Promise<Gateway> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
  closers.push(() => db.close());
  const { applied } = await applyMigrations(db.migrationTarget);
  if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
  if (config.seedDemo === 'always' || (config.seedDemo === 'auto' && db.kind === 'pglite')) {
    const { seeded } = await seedDemoData(db.prisma);
    if (seeded) log('Loaded the demo data (five county groups) into the empty database');
  }

  // Pub/sub (Redis with REDIS_URL, so that every instance hears every change) and the live counters.
  const pubSub: GatewayPubSub = await createGatewayPubSub(config.redisUrl, log);
  closers.push(() => pubSub.close());
  const referralCounters = new ReferralCountersHub({ pubSub: pubSub.pubSub, prisma: db.prisma, log });
  closers.push(() => referralCounters.stop());
  await referralCounters.start();

  const schema = await buildGatewaySchema({ pubSub: pubSub.pubSub });
  const limits: OperationLimits = { maxDepth: config.maxQueryDepth, maxComplexity: config.maxQueryComplexity };
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const subscriptions = attachSubscriptions({
    httpServer,
    path: GRAPHQL_PATH,
    schema,
    prisma: db.prisma,
    jwtSecret,
    limits,
    referralCounters,
    maxPayloadBytes: config.maxBodyBytes,
    maskError: (error) => maskError(error, config.production, log),
  });
  let stopping = false;

  const limitsPlugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const error = checkOperationLimits(schema, document, request.variables, request.operationName, limits);
          if (error) throw error;
        },
      };
    },
  };
  const apollo = new ApolloServer<RequestContext>({
    schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      { async serverWillStart() { return { drainServer: () => subscriptions.dispose() }; } },
      ApolloServerPluginLandingPageDisabled(),
      limitsPlugin,
    ],
    includeStacktraceInErrorResponses: !config.production,
    stopOnTerminationSignals: false, // main.ts owns shutdown: stop(), then the database, then exit 0
    formatError: (formatted, error) => maskInternalErrors(formatted, error, config.production, log),
  });
  await apollo.start();
  // Stopping Apollo drains HTTP (in-flight requests finish) and the subscriptions, then closes them.
  closers.push(() => apollo.stop());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const problem = stopping ? 'shutting down' : await readinessProblem(db);
    res.status(problem ? 503 : 200).json(problem ? { status: 'unavailable', reason: problem } : { status: 'ready' });
  });
  // The browser page; it carries no data, so it needs no token.
  app.get(GRAPHQL_PATH, (req, res, next) => {
    if (req.query.query === undefined && req.accepts(['application/json', 'text/html']) === 'text/html') {
      res.type('html').send(EXPLORER_HTML);
      return;
    }
    next();
  });
  app.use(
    GRAPHQL_PATH,
    requireBearer(jwtSecret),
    express.json({ limit: config.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ res }) => createRequestContext(db.prisma, res.locals.principal as Principal, referralCounters),
    }),
  );
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      sendError(res, 413, ErrorCode.PAYLOAD_TOO_LARGE, `The request body exceeds ${config.maxBodyBytes} bytes`);
    } else if (type === 'entity.parse.failed') {
      sendError(res, 400, ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON');
    } else {
      next(error);
    }
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}${GRAPHQL_PATH}`;

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    db,
    jwtSecret,
    demoTokens: config.printDemoTokens ? await demoTokens(db.prisma, jwtSecret) : [],
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        await closeAll();
      })()),
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
  if (error.extensions?.code) return error;
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
  if (code !== 'INTERNAL_SERVER_ERROR') return formatted;
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  log(`Internal error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}`);
  return production ? { message: 'Internal server error', extensions: { code }, path: formatted.path } : formatted;
}
