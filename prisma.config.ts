// Prisma CLI configuration. The gateway itself never reads this file: it connects through a driver
// adapter (src/db/client.ts) and migrates with scripts/migrate.ts (Prisma's WebAssembly engine).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
});
