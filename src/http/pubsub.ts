// The gateway's pub/sub, handed to type-graphql's buildSchema: through Redis when REDIS_URL is set, so
// that an event published by one gateway instance reaches the subscribers of every instance; in
// process otherwise.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';

export interface GatewayPubSub {
  kind: 'redis' | 'memory';
  pubSub: PubSub;
  close(): Promise<void>;
}

export async function createGatewayPubSub(redisUrl: string | undefined, log: (line: string) => void): Promise<GatewayPubSub> {
  if (!redisUrl) return { kind: 'memory', pubSub: createPubSub() as PubSub, close: async () => undefined };

  const options = { lazyConnect: true, connectionName: 'county-gateway', maxRetriesPerRequest: 3 } as const;
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  let closing = false;
  for (const client of [publishClient, subscribeClient]) {
    client.on('error', (error: Error) => {
      if (!closing) log(`Redis: ${error.message}`);
    });
  }
  try {
    await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  } catch (error) {
    publishClient.disconnect();
    subscribeClient.disconnect();
    throw new Error(`REDIS_URL: cannot connect to ${redactUrl(redisUrl)}: ${(error as Error).message}`);
  }
  const target = createRedisEventTarget({ publishClient, subscribeClient });
  // The Redis target publishes without handling a failed PUBLISH (an unhandled rejection would end
  // the process): publish here, and log a failure. Subscribers recover through their periodic refresh.
  const eventTarget: typeof target = {
    addEventListener: (type, listener) => target.addEventListener(type, listener),
    removeEventListener: (type, listener) => target.removeEventListener(type, listener),
    dispatchEvent: (event) => {
      const detail = (event as CustomEvent).detail;
      publishClient.publish(event.type, detail === undefined ? '' : JSON.stringify(detail)).catch((error: Error) => {
        if (!closing) log(`Redis PUBLISH ${event.type} failed: ${error.message}`);
      });
      return true;
    },
  };
  return {
    kind: 'redis',
    pubSub: createPubSub({ eventTarget }) as PubSub,
    close: async () => {
      closing = true;
      await Promise.all(
        [publishClient, subscribeClient].map((client) => client.quit().catch(() => client.disconnect())),
      );
    },
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
