// One token per role for the embedded demo, scoped to 濉溪 (the group with the most named places).
import type { PrismaClient } from '../generated/prisma/client';
import { Role } from '../auth/principal';
import { issueToken } from '../auth/token';

export interface DemoToken {
  role: Role;
  scope: string;
  label: string;
  token: string;
}

export const DEMO_PROVINCE = '340000';
export const DEMO_GROUP = 'YGT-340621-SX';
export const DEMO_INSTITUTION_NAME = '南坪分院';

export async function demoTokens(prisma: PrismaClient, secret: string): Promise<DemoToken[]> {
  const institution = await prisma.institution.findFirst({ where: { groupCode: DEMO_GROUP, name: DEMO_INSTITUTION_NAME } });
  const scopes: { role: Role; scope: string | undefined; label: string }[] = [
    { role: Role.PROVINCE, scope: DEMO_PROVINCE, label: '安徽省' },
    { role: Role.COUNTY, scope: DEMO_GROUP, label: '濉溪县医院紧密型县域医共体' },
    { role: Role.INSTITUTION, scope: institution?.code, label: DEMO_INSTITUTION_NAME },
    { role: Role.SOURCE_SYSTEM, scope: DEMO_GROUP, label: '濉溪 source systems' },
  ];
  return scopes
    .filter((s): s is { role: Role; scope: string; label: string } => Boolean(s.scope))
    .map((s) => ({ ...s, token: issueToken(secret, { role: s.role, scope: s.scope }) }));
}
