// Migration tests: a PGlite database brought to the state before a migration, rows written as that
// state held them, then the migrations that follow, checked for what they made of the rows.
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { findProjectRoot, listMigrationNames } from '../../src/db/migrate';

/** The migration whose folder name ends with `_<suffix>`. */
export function migrationNamed(suffix: string): string {
  const name = listMigrationNames().find((n) => n.endsWith(`_${suffix}`));
  if (!name) throw new Error(`No migration ends with _${suffix}`);
  return name;
}

/** The first migration of issue #9: rows written before it are what a pre-#9 database held. */
export const FIRST_OF_9 = migrationNamed('foundations_provenance');

/** A migration's SQL, as committed. */
export function migrationSql(name: string): string {
  return fs.readFileSync(path.join(findProjectRoot(), 'prisma', 'migrations', name, 'migration.sql'), 'utf8');
}

async function apply(db: PGlite, keep: (name: string) => boolean): Promise<void> {
  for (const name of listMigrationNames().filter(keep)) await db.exec(migrationSql(name));
}

/** Every migration before `name`, in order. */
export function applyMigrationsBefore(db: PGlite, name: string): Promise<void> {
  return apply(db, (n) => n < name);
}

/** The migrations from `first` through `last`, both included, in order. */
export function applyMigrationsFrom(db: PGlite, first: string, last: string): Promise<void> {
  return apply(db, (n) => n >= first && n <= last);
}
