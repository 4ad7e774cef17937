// Seeds the deterministic demo data set (the five county groups of src/demo/seed-groups.json) into
// an empty database. Each domain contributes one loader; they run in order in one transaction.
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { loadStructureDemo } from '../modules/structure/structure.demo';
import { loadPersonnelDemo } from '../modules/personnel/personnel.demo';
import { loadReferralDemo } from '../modules/referrals/referral.demo';

type DemoLoader = (tx: Prisma.TransactionClient) => Promise<void>;

/** Domain demo loaders, in dependency order. Add new domains' loaders here. */
const DEMO_LOADERS: readonly DemoLoader[] = [loadStructureDemo, loadPersonnelDemo, loadReferralDemo];

/** Seeds the demo data unless the database already holds a county group. */
export async function seedDemoData(prisma: PrismaClient): Promise<{ seeded: boolean }> {
  const existing = await prisma.countyGroup.findFirst({ select: { code: true } });
  if (existing) return { seeded: false };
  await prisma.$transaction(
    async (tx) => {
      for (const load of DEMO_LOADERS) await load(tx);
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
  return { seeded: true };
}
