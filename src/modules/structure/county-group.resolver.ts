import { Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../module';
import { connectionComplexity, ConnectionArgs, type Page } from '../../common/pagination';
import { CountyGroup, CountyGroupConnection, MemberCount } from './county-group.type';
import { Institution, InstitutionConnection } from './institution.type';
import { Region } from './region.type';
import { CodeArgs, CountyGroupsArgs, MembersArgs } from './structure.args';
import { SqlStatements } from '../../common/cost';

@Resolver(() => CountyGroup)
export class CountyGroupResolver {
  @Query(() => CountyGroup, { nullable: true, description: 'A group by code; NOT_FOUND when unknown or out of scope.' })
  countyGroup(@Args(() => CodeArgs) { code }: CodeArgs, @Ctx() ctx: RequestContext): Promise<CountyGroup> {
    return ctx.structure.requireGroup(code);
  }

  @SqlStatements(2)
  @Query(() => CountyGroupConnection, { complexity: connectionComplexity, description: 'Every group the caller may see.' })
  countyGroups(@Args(() => CountyGroupsArgs) args: CountyGroupsArgs, @Ctx() ctx: RequestContext): Promise<Page<CountyGroup>> {
    return ctx.structure.listGroups(args);
  }

  @FieldResolver(() => Region, { description: 'The county-level region the group serves.' })
  region(@Root() group: CountyGroup, @Ctx() ctx: RequestContext): Promise<Region> {
    return ctx.structure.requireRegion(group.regionCode, 'region');
  }

  @FieldResolver(() => Institution, { nullable: true, description: 'The lead hospital (null when outside the caller\'s scope).' })
  lead(@Root() group: CountyGroup, @Ctx() ctx: RequestContext): Promise<Institution | null> | null {
    return group.leadCode ? ctx.structure.institution(group.leadCode) : null;
  }

  @FieldResolver(() => Boolean, {
    description:
      'Whether the caller reads the whole group. False for an institution\'s token: it reads itself and the institutions directly under it, so every list, count and figure under this group (memberCount, members, personnelSummary, personnelFlows …) covers that part only, never the whole group.',
  })
  readInFull(@Ctx() ctx: RequestContext): boolean {
    return ctx.access.readsWholeGroups;
  }

  @FieldResolver(() => [MemberCount], { description: 'Members per kind, every member kind listed (external partners excluded); the part the caller reads (see readInFull).' })
  memberCounts(@Root() group: CountyGroup, @Ctx() ctx: RequestContext): Promise<MemberCount[]> {
    return ctx.structure.memberCounts(group.code);
  }

  @FieldResolver(() => Int, { description: 'All members, the lead hospital included (external partners excluded); those the caller reads (see readInFull).' })
  async memberCount(@Root() group: CountyGroup, @Ctx() ctx: RequestContext): Promise<number> {
    const counts = await ctx.structure.memberCounts(group.code);
    return counts.reduce((sum, c) => sum + c.count, 0);
  }

  @SqlStatements(2)
  @FieldResolver(() => InstitutionConnection, { complexity: connectionComplexity })
  members(@Root() group: CountyGroup, @Args(() => MembersArgs) args: MembersArgs, @Ctx() ctx: RequestContext): Promise<Page<Institution>> {
    return ctx.structure.members(group.code, args.kind, args);
  }

  @SqlStatements(2)
  @FieldResolver(() => InstitutionConnection, {
    complexity: connectionComplexity,
    description: 'Hospitals outside the group that partner with it (上级医院): members of no group, never counted as members; one partner of several groups is listed under each.',
  })
  partners(@Root() group: CountyGroup, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<Page<Institution>> {
    return ctx.structure.partners(group.code, args);
  }
}
