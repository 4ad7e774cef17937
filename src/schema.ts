// Composition root: the one place that lists every module's resolvers.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { PubSub } from 'type-graphql';
import { ViewerResolver } from './auth/viewer.resolver';
import { structureResolvers } from './modules/structure';
import { personnelResolvers } from './modules/personnel';

export const resolvers = [ViewerResolver, ...structureResolvers, ...personnelResolvers] as const;

export function buildGatewaySchema(options: { pubSub?: PubSub } = {}): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, pubSub: options.pubSub, validate: false });
}

/** The SDL committed as schema/schema.graphql (a test fails when the two drift). */
export async function printGatewaySdl(): Promise<string> {
  const { printSchema } = await import('graphql');
  return printSchema(await buildGatewaySchema()) + '\n';
}
