// The per-request context: who is calling and a fresh set of services (with their DataLoaders) for
// this one request. Never shared between requests or subscriptions.
import type { PrismaClient } from './generated/prisma/client';
import type { Principal } from './auth/principal';
import { StructureService } from './modules/structure/structure.service';
import { PersonnelFlowRecorder } from './modules/personnel/personnel-flow.recorder';
import { PersonnelService } from './modules/personnel/personnel.service';

export interface RequestContext {
  principal: Principal;
  structure: StructureService;
  personnel: PersonnelService;
  personnelRecorder: PersonnelFlowRecorder;
}

export function createRequestContext(prisma: PrismaClient, principal: Principal): RequestContext {
  const structure = new StructureService(prisma, principal);
  return {
    principal,
    structure,
    personnel: new PersonnelService(prisma, principal, structure),
    personnelRecorder: new PersonnelFlowRecorder(prisma, principal, structure),
  };
}
