// prisma/migrations applied through the wasm schema engine, to PostgreSQL and to PGlite, and the
// guard against schema edits that come without a migration.
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { applyMigrations, diffSchemaToMigrations, listMigrationNames } from '../../src/db/migrate';
import { modules } from '../../src/modules';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** Every module's tables, and Prisma's own. */
const EXPECTED_TABLES = ['_prisma_migrations', ...modules.flatMap((m) => m.tables)].sort();
const TABLES_SQL = `SELECT table_name FROM information_schema.tables
  WHERE table_schema = 'public' ORDER BY table_name`;
const MIGRATIONS_SQL = `SELECT migration_name, finished_at IS NOT NULL AS finished,
  rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations ORDER BY migration_name`;

interface MigrationRow {
  migration_name: string;
  finished: boolean;
  rolled_back: boolean;
}

/** What `_prisma_migrations` holds once every folder is applied: one finished row each. */
const finishedRows = (names: string[]): MigrationRow[] =>
  names.map((migration_name) => ({ migration_name, finished: true, rolled_back: false }));

const migrationNames = listMigrationNames();

test('prisma/migrations holds the migrations', () => {
  expect(migrationNames.length).toBeGreaterThan(0);
  for (const name of migrationNames) expect(name).toMatch(/^\d{14}_\w+$/);
});

describe('on a fresh PostgreSQL database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('migrate_scratch');
  });
  afterAll(async () => {
    await database?.drop();
  });

  test('applies every migration once', async () => {
    await expect(applyMigrations({ kind: 'postgres', url: database.url })).resolves.toEqual({
      applied: migrationNames,
    });
    await expect(applyMigrations({ kind: 'postgres', url: database.url })).resolves.toEqual({ applied: [] });

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(TABLES_SQL);
      expect(tables.rows.map((row) => row.table_name)).toEqual(EXPECTED_TABLES);
      const rows = await client.query<MigrationRow>(MIGRATIONS_SQL);
      expect(rows.rows).toEqual(finishedRows(migrationNames));
    } finally {
      await client.end();
    }
  });
});

describe('on an in-memory PGlite database', () => {
  const client = new PGlite();
  afterAll(async () => {
    await client.close();
  });

  test('applies every migration once and leaves the client open', async () => {
    await expect(applyMigrations({ kind: 'pglite', client })).resolves.toEqual({ applied: migrationNames });
    await expect(applyMigrations({ kind: 'pglite', client })).resolves.toEqual({ applied: [] });

    const tables = await client.query<{ table_name: string }>(TABLES_SQL);
    expect(tables.rows.map((row) => row.table_name)).toEqual(EXPECTED_TABLES);
    const rows = await client.query<MigrationRow>(MIGRATIONS_SQL);
    expect(rows.rows).toEqual(finishedRows(migrationNames));
  });
});

test('prisma/schema has no change that prisma/migrations lacks', async () => {
  const sql = await diffSchemaToMigrations();
  if (sql !== '') {
    throw new Error(
      `prisma/schema differs from prisma/migrations: run \`npm run db:diff -- <name>\` to add a migration.\n` +
        `Missing SQL:\n${sql}`,
    );
  }
  expect(sql).toBe('');
});
