// The caller's scope applied to the referral table, from the structure domain's DomainScope (the
// referral domain never reads structure's tables).
import type { Principal } from '../../auth/principal';
import type { Prisma } from '../../generated/prisma/client';
import type { DomainScope } from '../structure/structure.service';

/** Referrals the caller may read: those of its groups; for an INSTITUTION token, those from or to it. */
export function referralScope(scope: DomainScope): Prisma.ReferralWhereInput {
  return {
    groupCode: { in: scope.groupCodes },
    ...(scope.institutionCode ? { OR: [{ fromCode: scope.institutionCode }, { toCode: scope.institutionCode }] } : {}),
  };
}

/** Patient references go to the parties of a referral and the group's own systems, never to a province. */
export function maySeePatientRef(principal: Principal): boolean {
  return principal.role !== 'PROVINCE';
}
