// The gateway process: opens the store, applies the migrations, loads the demo data when asked,
// starts the modules' live parts, builds the app and listens. startGateway() is used by main.ts and,
// unchanged, by the tests.
import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp, GRAPHQL_PATH } from './app';
import { resolveJwtSecret } from './auth/secret';
import type { GatewayConfig } from './config';
import { openDatabase, type Database } from './db/client';
import { applyMigrations } from './db/migrate';
import { seedDemoData } from './demo/seed';
import { demoTokens, type DemoToken } from './demo/tokens';
import { createGatewayPubSub } from './http/pubsub';
import { startLiveParts } from './live';

export { GRAPHQL_PATH };

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
  let stopping = false;
  try {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
    closers.push(() => db.close());
    const { applied } = await applyMigrations(db.migrationTarget);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
    if (config.seedDemo === 'always' || (config.seedDemo === 'auto' && db.kind === 'pglite')) {
      const { seeded } = await seedDemoData(db.prisma);
      if (seeded) log('Loaded the demo data (five county groups) into the empty database');
    }
    // Pub/sub (Redis with REDIS_URL, so that every instance hears every change) and the live parts.
    const pubSub = await createGatewayPubSub(config.redisUrl, log);
    closers.push(() => pubSub.close());
    const live = await startLiveParts({ prisma: db.prisma, pubSub: pubSub.pubSub, log });
    closers.push(() => live.stop());
    const app = await buildApp({ config, db, jwtSecret, pubSub: pubSub.pubSub, live: live.parts, log, stopping: () => stopping });
    closers.push(() => app.stop());

    const port = await listen(app.httpServer, config);
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    let stopped: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}${GRAPHQL_PATH}`,
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
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Listens on the configured interface; resolves with the port (config.port 0: a free one). */
async function listen(httpServer: Server, config: GatewayConfig): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    // A long accept queue: a burst of connections while the event loop is busy waits instead of being reset.
    httpServer.listen(config.port, config.host, config.listenBacklog, () => resolve());
  });
  return (httpServer.address() as AddressInfo).port;
}
