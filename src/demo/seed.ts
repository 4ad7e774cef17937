// Seeds the deterministic demo data set (the five county groups of src/demo/seed-groups.json) into
// an empty database: every module's demo loader, in module order, in one transaction.
import type { PrismaClient } from '../generated/prisma/client';
import { modules } from '../modules';

/** Seeds the demo data unless the database already holds a county group. */
export async function seedDemoData(prisma: PrismaClient): Promise<{ seeded: boolean }> {
  const existing = await prisma.countyGroup.findFirst({ select: { code: true } });
  if (existing) return { seeded: false };
  await prisma.$transaction(
    async (tx) => {
      for (const module of modules) await module.loadDemo?.(tx);
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
  return { seeded: true };
}
