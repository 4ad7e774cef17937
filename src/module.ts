// The module contract. Each domain lives in src/modules/<domain>/ and its index.ts exports one
// GatewayModule; src/modules/index.ts lists them, and that list is the only one: the schema, the
// request context, the demo seed, the live parts of the server, codegen and the tests iterate it.
import type { PubSub } from 'type-graphql';
import type { Access, GroupDirectory } from './auth/access';
import type { Principal } from './auth/principal';
import type { Period } from './common/period';
import type { Prisma, PrismaClient } from './generated/prisma/client';

/**
 * What a resolver receives: who is calling and this request's services (with their DataLoaders),
 * never shared between requests. Each module adds its services' keys by augmenting this interface
 * (`declare module '../../module' { interface RequestContext { … } }` in its index.ts).
 */
export interface RequestContext {
  principal: Principal;
  access: Access;
}

/** What a module's per-request services are built from. */
export interface ServiceDeps<Live> {
  prisma: PrismaClient;
  access: Access;
  /** The context so far: the services of the modules listed before this one. */
  context: RequestContext;
  /** The module's live part on this gateway instance (see `live`), when it has one and it runs. */
  live?: Live;
}

/** What live parts (subscription hubs and the like) are started with, once per gateway instance. */
export interface LiveDeps {
  prisma: PrismaClient;
  /** The gateway's pub/sub: through Redis when configured, so that every instance hears every event. */
  pubSub: PubSub;
  log: (line: string) => void;
}

/**
 * A module's member-level figures for a period, batched, in the caller's scope: what the provincial
 * pull assembles across modules.
 */
export interface MemberFigures<Figures> {
  /** The figures of each member asked for (one or a few statements, whatever the number of members). */
  forMembers(codes: readonly string[], period: Period): Promise<Map<string, Figures>>;
  /** Members whose figures for the period may have changed since the instant (a write touched them). */
  changedSince(instant: Date, period: Period): Promise<string[]>;
}

// type-graphql takes resolver classes as plain functions.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ResolverClass = Function;

export interface GatewayModule<Live = unknown> {
  /** The domain's name, e.g. `referrals`. */
  readonly name: string;
  readonly resolvers: readonly ResolverClass[];
  /** Its tables (SQL names): no other module reads or writes them. */
  readonly tables: readonly string[];
  /** The contract operations it implements (repo-relative), which codegen types and the tests check. */
  readonly operations?: string;
  /** Per-request services, merged into the request context. */
  createServices?(deps: ServiceDeps<Live>): Partial<RequestContext>;
  /** Which county groups a condition selects: answered by the module that owns the groups. */
  groupDirectory?(prisma: PrismaClient): GroupDirectory;
  /** Loads the module's demo rows into an empty database (modules load in list order, in one transaction). */
  loadDemo?(tx: Prisma.TransactionClient): Promise<void>;
  /** Live infrastructure, started once per gateway instance before it serves, stopped after it drains. */
  live?: { start(deps: LiveDeps): Promise<Live>; stop(live: Live): Promise<void> };
  /** Member-level figures for the provincial pull, from a request's context. */
  memberFigures?(context: RequestContext): MemberFigures<object>;
}

/** Types a module value (its live part keeps its own type inside the module). */
export function defineModule<Live>(module: GatewayModule<Live>): GatewayModule<Live> {
  return module;
}
