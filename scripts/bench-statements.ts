// `npm run bench:statements`: SQL statements sent by the contract's GroupOverview for each demo group
// and for synthetic groups of 3 and 150 members, and by PersonnelSummary (2021–2025) per demo group, on an in-process gateway over the embedded database
// (in memory), or over DATABASE_URL when set (the database must be empty or hold the demo data).
import 'reflect-metadata';
import { print } from 'graphql';
import { issueToken } from '../src/auth/token';
import { loadConfig } from '../src/config';
import { GroupOverviewDocument, PersonnelSummaryDocument } from '../src/generated/operations';
import { startGateway } from '../src/server';

const SECRET = 'bench-statements';

async function main(): Promise<void> {
  const config = loadConfig(process.env, {
    port: 0,
    host: '127.0.0.1',
    jwtSecret: SECRET,
    seedDemo: 'always',
    printDemoTokens: false,
    pgliteDir: process.env.DATABASE_URL ? '' : 'memory://',
  });
  const gateway = await startGateway(config, () => undefined);
  const prisma = gateway.db.prisma;
  try {
    for (const [code, townships, villages] of [['BENCH-3', 2, 0], ['BENCH-150', 49, 100]] as const) {
      if (await prisma.countyGroup.findUnique({ where: { code } })) continue;
      await prisma.countyGroup.create({ data: { code, name: code, regionCode: '340621', prefectureCode: '340600', provinceCode: '340000', leadCode: `${code}-L01` } });
      const rows = [{ code: `${code}-L01`, name: 'lead', kind: 'LEAD_HOSPITAL' as const, level: 3, groupCode: code, parentCode: null as string | null, provenance: 'INVENTED' as const }];
      for (let i = 1; i <= townships; i++) rows.push({ code: `${code}-T${i}`, name: `t${i}`, kind: 'TOWNSHIP_HEALTH_CENTER' as never, level: 2, groupCode: code, parentCode: `${code}-L01`, provenance: 'INVENTED' as const });
      for (let v = 1; v <= villages; v++) rows.push({ code: `${code}-V${v}`, name: `v${v}`, kind: 'VILLAGE_CLINIC' as never, level: 1, groupCode: code, parentCode: `${code}-T${((v - 1) % townships) + 1}`, provenance: 'INVENTED' as const });
      await prisma.institution.createMany({ data: rows });
    }
    const groups = await prisma.countyGroup.findMany({ select: { code: true, name: true }, orderBy: { code: 'asc' } });
    console.log(`store: ${gateway.db.kind}`);
    console.log('group'.padEnd(20), 'members'.padStart(8), 'GroupOverview'.padStart(14), 'flows'.padStart(7), 'listed'.padStart(7), 'PersonnelSummary'.padStart(17));
    for (const group of groups) {
      const token = issueToken(SECRET, { role: 'COUNTY', scope: group.code });
      const run = async <T>(document: typeof GroupOverviewDocument | typeof PersonnelSummaryDocument, variables: object): Promise<{ data: T; statements: number }> => {
        const before = gateway.db.statementCount();
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: print(document), variables }),
        });
        const body = (await response.json()) as { data: T; errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return { data: body.data, statements: gateway.db.statementCount() - before };
      };
      type Overview = { countyGroup: { memberCounts: { count: number }[] } };
      type Personnel = { countyGroup: { personnelFlows: { totalCount: number; edges: unknown[] } } };
      const overview = await run<Overview>(GroupOverviewDocument, { groupCode: group.code });
      const personnel = await run<Personnel>(PersonnelSummaryDocument, { groupCode: group.code, period: { from: '2021-01-01', to: '2025-12-31' } });
      const members = overview.data.countyGroup.memberCounts.reduce((s, c) => s + c.count, 0);
      const flows = personnel.data.countyGroup.personnelFlows;
      console.log(
        group.code.padEnd(20),
        String(members).padStart(8),
        String(overview.statements).padStart(14),
        String(flows.totalCount).padStart(7),
        String(flows.edges.length).padStart(7),
        String(personnel.statements).padStart(17),
      );
    }
  } finally {
    await gateway.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
