// Composition root: the one place that lists every module's resolvers.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema } from 'type-graphql';
import type { PubSub } from 'type-graphql';
import { ViewerResolver } from './auth/viewer.resolver';
import { structureResolvers } from './modules/structure';
import { personnelResolvers } from './modules/personnel';
import { referralResolvers } from './modules/referrals';

export const resolvers = [ViewerResolver, ...structureResolvers, ...personnelResolvers, ...referralResolvers] as const;

export function buildGatewaySchema(options: { pubSub?: PubSub } = {}): Promise<GraphQLSchema> {
  // Without a pub/sub (schema emission, tests of the SDL) an in-process one stands in.
  return buildSchema({ resolvers, pubSub: options.pubSub ?? (createPubSub() as PubSub), validate: false });
}

/** The SDL committed as schema/schema.graphql (a test fails when the two drift). */
export async function printGatewaySdl(): Promise<string> {
  const { printSchema } = await import('graphql');
  return printSchema(await buildGatewaySchema()) + '\n';
}
