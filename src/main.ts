// Entry point: `npm start`. Reads the environment, starts the gateway, prints how to reach it and
// stops cleanly on SIGTERM/SIGINT (in-flight requests finish, sockets close, exit 0).
import 'reflect-metadata';
import { loadConfig } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const startedAt = Date.now();
  const gateway = await startGateway(config);
  console.log(`Gateway ready at ${gateway.url} (${gateway.db.kind}) in ${Date.now() - startedAt} ms`);
  if (gateway.demoTokens.length) {
    console.log('Demo tokens (Authorization: Bearer <token>):');
    for (const t of gateway.demoTokens) console.log(`  ${t.role} ${t.scope} (${t.label}): ${t.token}`);
  }
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`${signal} received: finishing in-flight requests and shutting down`);
    const force = setTimeout(() => {
      console.error('Shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5000);
    force.unref();
    gateway.stop().then(
      () => {
        console.log('Gateway stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
