// The per-request context: who is calling, what that token may do (Access, built once here), and a
// fresh set of every module's services (with their DataLoaders) for this one request. Never shared
// between requests or subscription operations.
import { Access, type GroupDirectory } from './auth/access';
import type { Principal } from './auth/principal';
import type { PrismaClient } from './generated/prisma/client';
import type { RequestContext } from './module';
import { modules } from './modules';

export type { RequestContext };

/** The live parts the modules started on this gateway instance, by module name. */
export type LiveParts = ReadonlyMap<string, unknown>;

const directories = new WeakMap<PrismaClient, GroupDirectory>();

function groupDirectory(prisma: PrismaClient): GroupDirectory {
  let directory = directories.get(prisma);
  if (!directory) {
    const owner = modules.find((m) => m.groupDirectory);
    if (!owner?.groupDirectory) throw new Error('No module answers which county groups a token reads');
    directories.set(prisma, (directory = owner.groupDirectory(prisma)));
  }
  return directory;
}

export function createRequestContext(prisma: PrismaClient, principal: Principal, live: LiveParts = new Map()): RequestContext {
  const access = new Access(principal, groupDirectory(prisma));
  const context: RequestContext = { principal, access } as RequestContext;
  for (const module of modules) {
    Object.assign(context, module.createServices?.({ prisma, access, context, live: live.get(module.name) }));
  }
  return context;
}
