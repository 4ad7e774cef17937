// What a caller may read of the structure, as SQL conditions. Every read of groups and institutions
// goes through these, so an out-of-scope row is never fetched, whatever path the query takes.
import { Prisma } from '../../generated/prisma/client';
import type { Principal } from '../../auth/principal';

export function groupScope(principal: Principal): Prisma.CountyGroupWhereInput {
  switch (principal.role) {
    case 'PROVINCE':
      return { provinceCode: principal.scope };
    case 'COUNTY':
    case 'SOURCE_SYSTEM':
      return { code: principal.scope };
    case 'INSTITUTION':
      return { institutions: { some: { code: principal.scope } } };
  }
}

export function institutionScope(principal: Principal): Prisma.InstitutionWhereInput {
  switch (principal.role) {
    case 'PROVINCE':
      return { group: { provinceCode: principal.scope } };
    case 'COUNTY':
    case 'SOURCE_SYSTEM':
      return { groupCode: principal.scope };
    case 'INSTITUTION':
      return { OR: [{ code: principal.scope }, { parentCode: principal.scope }] };
  }
}

/** The same condition as institutionScope, for raw SQL over `institution AS i`. */
export function institutionScopeSql(principal: Principal): Prisma.Sql {
  switch (principal.role) {
    case 'PROVINCE':
      return Prisma.sql`i.group_code IN (SELECT g.code FROM county_group g WHERE g.province_code = ${principal.scope})`;
    case 'COUNTY':
    case 'SOURCE_SYSTEM':
      return Prisma.sql`i.group_code = ${principal.scope}`;
    case 'INSTITUTION':
      return Prisma.sql`(i.code = ${principal.scope} OR i.parent_code = ${principal.scope})`;
  }
}
