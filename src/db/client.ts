// Opens the store: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, else the embedded
// PGlite database. Both speak the same SQL and take the same migrations.
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import type { MigrationTarget } from './migrate';

export interface Database {
  kind: 'postgres' | 'pglite';
  prisma: PrismaClient;
  migrationTarget: MigrationTarget;
  /** SQL statements sent since the database was opened; tests use it to catch N+1 access. */
  statementCount(): number;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Embedded database directory; `memory://` keeps it in memory. */
  pgliteDir: string;
  /** Size of the PostgreSQL pool. */
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let statements = 0;
  const log = [{ emit: 'event', level: 'query' }] as const;
  if (options.databaseUrl) {
    // Sessions in UTC: timestamp columns hold UTC wall-clock time, whatever zone the server was set up in.
    const adapter = new PrismaPg({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, options: '-c TimeZone=UTC' });
    const prisma = new PrismaClient({ adapter, log: [...log] });
    prisma.$on('query', () => void statements++);
    return {
      kind: 'postgres',
      prisma,
      migrationTarget: { kind: 'postgres', url: options.databaseUrl },
      statementCount: () => statements,
      close: () => prisma.$disconnect(),
    };
  }
  if (!options.pgliteDir.startsWith('memory://')) fs.mkdirSync(options.pgliteDir, { recursive: true });
  const client = await PGlite.create(options.pgliteDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client), log: [...log] });
  prisma.$on('query', () => void statements++);
  return {
    kind: 'pglite',
    prisma,
    migrationTarget: { kind: 'pglite', client },
    statementCount: () => statements,
    close: async () => {
      await prisma.$disconnect();
      await client.close();
    },
  };
}
