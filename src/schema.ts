// Composition root of the schema: the viewer plus every module's resolvers, and the one authChecker
// behind every @Authorized gate.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema, type NonEmptyArray, type PubSub } from 'type-graphql';
import { authChecker } from './auth/policy';
import { ViewerResolver } from './auth/viewer.resolver';
import { refuseBadTextInArguments } from './common/text-arguments';
import type { ResolverClass } from './module';
import { modules } from './modules';

export const resolvers = [ViewerResolver, ...modules.flatMap((m) => m.resolvers)] as NonEmptyArray<ResolverClass>;

export async function buildGatewaySchema(options: { pubSub?: PubSub } = {}): Promise<GraphQLSchema> {
  // Without a pub/sub (schema emission, tests of the SDL) an in-process one stands in.
  const schema = await buildSchema({ resolvers, pubSub: options.pubSub ?? (createPubSub() as PubSub), validate: false, authChecker, authMode: 'error' });
  // No control, bidi or other refused character in any argument reaches a resolver (or SQL).
  return refuseBadTextInArguments(schema);
}

/** The SDL committed as schema/schema.graphql (a test fails when the two drift). */
export async function printGatewaySdl(): Promise<string> {
  const { printSchema } = await import('graphql');
  return printSchema(await buildGatewaySchema()) + '\n';
}
