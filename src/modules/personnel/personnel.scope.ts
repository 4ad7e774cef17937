// What a caller may read of personnel flows, from the structure domain's answer (group codes, and
// for an INSTITUTION token its own code): flows of those groups, or flows into or out of that one.
import { Prisma } from '../../generated/prisma/client';
import type { DomainScope } from '../structure/structure.service';

export function flowScope(scope: DomainScope): Prisma.PersonnelFlowWhereInput {
  const inGroups: Prisma.PersonnelFlowWhereInput = { groupCode: { in: scope.groupCodes } };
  if (!scope.institutionCode) return inGroups;
  return { AND: [inGroups, { OR: [{ fromCode: scope.institutionCode }, { toCode: scope.institutionCode }] }] };
}

/** The same condition for raw SQL over `personnel_flow AS f`. */
export function flowScopeSql(scope: DomainScope): Prisma.Sql {
  const groups = scope.groupCodes.length ? Prisma.sql`f.group_code IN (${Prisma.join(scope.groupCodes)})` : Prisma.sql`FALSE`;
  if (!scope.institutionCode) return groups;
  return Prisma.sql`(${groups} AND (f.from_code = ${scope.institutionCode} OR f.to_code = ${scope.institutionCode}))`;
}

/** Whether the caller may see a person's contact data: their group, or their home institution. */
export function maySeeContact(scope: DomainScope, role: string, staff: { groupCode: string; homeCode: string }): boolean {
  if (role === 'COUNTY' || role === 'SOURCE_SYSTEM') return scope.groupCodes.includes(staff.groupCode);
  if (role === 'INSTITUTION') return scope.institutionCode === staff.homeCode;
  return false;
}
