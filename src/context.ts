// The per-request context: who is calling and a fresh set of services (with their DataLoaders) for
// this one request. Never shared between requests or subscriptions.
import type { PrismaClient } from './generated/prisma/client';
import type { Principal } from './auth/principal';
import { StructureService } from './modules/structure/structure.service';

export interface RequestContext {
  principal: Principal;
  structure: StructureService;
}

export function createRequestContext(prisma: PrismaClient, principal: Principal): RequestContext {
  return {
    principal,
    structure: new StructureService(prisma, principal),
  };
}
