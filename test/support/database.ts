// A fresh PostgreSQL database per suite, created from TEST_DATABASE_URL and dropped afterwards.
import crypto from 'node:crypto';
import { Client } from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Set by test/support/global-setup.ts: a database migrated and loaded with the demo data once per run. */
export const TEMPLATE_ENV = 'TEST_TEMPLATE_DATABASE';

/**
 * A new database: empty, or with `fromTemplate` a copy of the migrated demo database the run prepared
 * (PostgreSQL copies it in a fraction of a second; loading the demo data takes several).
 */
export async function createTestDatabase(prefix = 'gw', options: { fromTemplate?: boolean } = {}): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const template = options.fromTemplate ? process.env[TEMPLATE_ENV] : undefined;
  await admin((c) => c.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
