// Once per test run: a PostgreSQL database migrated and loaded with the demo data, which each suite
// copies (CREATE DATABASE … TEMPLATE) instead of loading the demo data again.
import 'reflect-metadata';
import { Client } from 'pg';
import { openDatabase } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migrate';
import { seedDemoData } from '../../src/demo/seed';
import { TEMPLATE_ENV, TEST_DATABASE_URL } from './database';

export default async function globalSetup(): Promise<void> {
  const name = `gw_template_${process.pid}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), pgliteDir: '' });
  try {
    await applyMigrations(db.migrationTarget);
    await seedDemoData(db.prisma);
  } finally {
    await db.close(); // a template must have no open connections when it is copied
  }
  process.env[TEMPLATE_ENV] = name;
}
