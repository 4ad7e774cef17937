// `npm run db:seed`: applies the migrations and loads the demo data into DATABASE_URL (or the
// embedded database) when it holds no county group yet.
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { seedDemoData } from '../src/demo/seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
  try {
    await applyMigrations(db.migrationTarget);
    const { seeded } = await seedDemoData(db.prisma);
    console.log(seeded ? `Demo data loaded (${db.kind})` : `The database already holds county groups: nothing loaded (${db.kind})`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
