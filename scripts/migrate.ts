// Usage (after `npx tsc -p tsconfig.build.json`):
//   node dist/scripts/migrate.js             apply prisma/migrations to DATABASE_URL, or else to the
//                                            embedded PGlite database in $PGLITE_DIR (default data/pglite)
//   node dist/scripts/migrate.js --diff NAME write prisma/migrations/<timestamp>_NAME/migration.sql
//                                            for the changes in prisma/schema since the last migration
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, diffSchemaToMigrations, findProjectRoot, MIGRATION_LOCK_TOML } from '../src/db/migrate';

/** UTC YYYYMMDDHHMMSS, the prefix Prisma gives migration folders. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

async function writeDiff(rawName: string): Promise<void> {
  const name = rawName.trim().replace(/[^A-Za-z0-9_]+/g, '_');
  if (!name) throw new Error('Usage: migrate --diff NAME');
  const sql = await diffSchemaToMigrations();
  if (!sql.trim()) {
    console.log('no changes: prisma/migrations already matches prisma/schema');
    return;
  }
  const migrationsDir = path.join(findProjectRoot(), 'prisma', 'migrations');
  const dir = path.join(migrationsDir, `${timestamp(new Date())}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
  console.log(`wrote ${path.relative(process.cwd(), path.join(dir, 'migration.sql'))}`);
  const lockfile = path.join(migrationsDir, 'migration_lock.toml');
  if (!fs.existsSync(lockfile)) {
    fs.writeFileSync(lockfile, MIGRATION_LOCK_TOML);
    console.log(`wrote ${path.relative(process.cwd(), lockfile)}`);
  }
}

async function apply(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url) {
    report(await applyMigrations({ kind: 'postgres', url }), 'DATABASE_URL');
    return;
  }
  const dir = process.env.PGLITE_DIR ?? path.join(findProjectRoot(), 'data', 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir);
  try {
    report(await applyMigrations({ kind: 'pglite', client }), `PGlite ${dir}`);
  } finally {
    await client.close();
  }
}

function report({ applied }: { applied: string[] }, where: string): void {
  if (applied.length === 0) console.log(`${where}: no pending migrations`);
  else console.log(`${where}: applied ${applied.length} migration(s):\n${applied.map((n) => `  ${n}`).join('\n')}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--diff') await writeDiff(args[1] ?? '');
  else if (args.length === 0) await apply();
  else throw new Error('Usage: migrate [--diff NAME]');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
