// Starts a real gateway (HTTP + graphql-ws on a free port) over a fresh PostgreSQL database with the
// demo data, and talks to it over HTTP as a client would.
import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Role } from '../../src/auth/principal';
import { issueToken } from '../../src/auth/token';
import { loadConfig, type GatewayConfig } from '../../src/config';
import { startGateway, type Gateway } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './database';

export const TEST_JWT_SECRET = 'test-secret-not-for-production';

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGateway {
  gateway: Gateway;
  database: TestDatabase;
  token(role: Role, scope: string, ttlSeconds?: number): string;
  /** Runs an operation over HTTP POST. */
  execute<T, V>(document: TypedDocumentNode<T, V> | DocumentNode | string, variables?: V, token?: string): Promise<GraphQLResponse<T>>;
  /** SQL statements the gateway sent while `run` ran. */
  countStatements(run: () => Promise<unknown>): Promise<number>;
  stop(): Promise<void>;
}

export async function startTestGateway(overrides: Partial<GatewayConfig> = {}): Promise<TestGateway> {
  const database = await createTestDatabase('gw', { fromTemplate: overrides.seedDemo !== 'never' });
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: database.url,
      jwtSecret: TEST_JWT_SECRET,
      seedDemo: 'always',
      printDemoTokens: false,
      ...overrides,
    },
  );
  let gateway: Gateway;
  try {
    gateway = await startGateway(config, () => undefined);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const execute: TestGateway['execute'] = async (document, variables, token) => {
    const query = typeof document === 'string' ? document : print(document);
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<never>, 'status'>;
    return { status: response.status, ...body };
  };
  return {
    gateway,
    database,
    token: (role, scope, ttlSeconds) => issueToken(TEST_JWT_SECRET, { role, scope, ttlSeconds }),
    execute,
    countStatements: async (run) => {
      const before = gateway.db.statementCount();
      await run();
      return gateway.db.statementCount() - before;
    },
    stop: async () => {
      await gateway.stop();
      await database.drop();
    },
  };
}
