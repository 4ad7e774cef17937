import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../module';
import { Region } from './region.type';
import { CodeArgs } from './structure.args';

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => Region, { nullable: true, description: 'A GB/T 2260 division by code (public reference data).' })
  region(@Args(() => CodeArgs) { code }: CodeArgs, @Ctx() ctx: RequestContext): Promise<Region> {
    return ctx.structure.requireRegion(code);
  }

  @FieldResolver(() => Region, { nullable: true })
  parent(@Root() region: Region, @Ctx() ctx: RequestContext): Promise<Region | null> | null {
    return region.parentCode ? ctx.structure.region(region.parentCode) : null;
  }
}
