// What a gateway does at its edges: a start that fails half-way closes what it opened; graphql-ws
// refuses oversized messages and caps the operations of one socket; memory:// stays in memory.
import net from 'node:net';
import { Client } from 'pg';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config';
import { MAX_OPERATIONS_PER_SOCKET } from '../../src/http/subscriptions';
import { startGateway } from '../../src/server';
import { createTestDatabase } from '../support/database';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../support/gateway';
import { wsUrl } from '../support/ws';

test('PGLITE_DIR=memory:// is kept as is, not resolved to a folder', () => {
  expect(loadConfig({ PGLITE_DIR: 'memory://' }).pgliteDir).toBe('memory://');
  expect(loadConfig({ PGLITE_DIR: 'rel/dir' }).pgliteDir).toMatch(/^\/.*rel\/dir$/);
});

test('a start that fails half-way (port taken) closes its database connections and pub/sub', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
  const port = (blocker.address() as net.AddressInfo).port;
  const database = await createTestDatabase('gw', { fromTemplate: true });
  try {
    const config = loadConfig({}, { port, host: '127.0.0.1', databaseUrl: database.url, jwtSecret: TEST_JWT_SECRET, seedDemo: 'never', printDemoTokens: false, redisUrl: 'redis://127.0.0.1:6379' });
    await expect(startGateway(config, () => undefined)).rejects.toThrow(/EADDRINUSE/);
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database.name]);
    await admin.end();
    expect(rows[0].n).toBe(0);
  } finally {
    blocker.close();
    await database.drop();
  }
});

describe('graphql-ws limits', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ maxBodyBytes: 64 * 1024 });
  });
  afterAll(() => t?.stop());

  function open(): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(wsUrl(t.gateway.url), 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${t.token('COUNTY', 'YGT-340621-SX')}` } })));
      socket.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'connection_ack') resolve(socket);
      });
      socket.on('error', reject);
    });
  }

  test('a message larger than MAX_BODY_BYTES closes the socket (1009)', async () => {
    const socket = await open();
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ viewer { role } } # ${'x'.repeat(100 * 1024)}` } }));
    expect(await closed).toBe(1009);
  });

  test(`one socket runs at most ${MAX_OPERATIONS_PER_SOCKET} operations at once`, async () => {
    const socket = await open();
    const errors: unknown[] = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'error') errors.push(message.payload[0].extensions?.code);
    });
    const query = 'subscription { referralCountsChanged(groupCode: "YGT-340621-SX", window: TODAY) { upward } }';
    for (let i = 1; i <= MAX_OPERATIONS_PER_SOCKET + 2; i++) socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query } }));
    for (let i = 0; i < 100 && errors.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(errors).toEqual(['TOO_MANY_OPERATIONS', 'TOO_MANY_OPERATIONS']);
    socket.close();
  });
});
