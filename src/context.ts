// The per-request context: who is calling and a fresh set of services (with their DataLoaders) for
// this one request. Never shared between requests or subscriptions.
import type { PrismaClient } from './generated/prisma/client';
import type { Principal } from './auth/principal';
import { StructureService } from './modules/structure/structure.service';
import { PersonnelFlowRecorder } from './modules/personnel/personnel-flow.recorder';
import { PersonnelService } from './modules/personnel/personnel.service';
import type { ReferralCountersHub } from './modules/referrals/referral.live';
import { ReferralService } from './modules/referrals/referral.service';

export interface RequestContext {
  principal: Principal;
  structure: StructureService;
  personnel: PersonnelService;
  personnelRecorder: PersonnelFlowRecorder;
  referrals: ReferralService;
}

/** `referralCounters`: the gateway instance's live-counter hub (writes publish through it; subscriptions read from it). */
export function createRequestContext(prisma: PrismaClient, principal: Principal, referralCounters?: ReferralCountersHub): RequestContext {
  const structure = new StructureService(prisma, principal);
  return {
    principal,
    structure,
    personnel: new PersonnelService(prisma, principal, structure),
    personnelRecorder: new PersonnelFlowRecorder(prisma, principal, structure),
    referrals: new ReferralService(prisma, principal, structure, referralCounters),
  };
}
