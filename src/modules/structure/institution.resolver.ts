import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../module';
import { connectionComplexity, type Page } from '../../common/pagination';
import { CountyGroup } from './county-group.type';
import { Region } from './region.type';
import { Provenance } from '../../common/provenance';
import { Institution, InstitutionConnection } from './institution.type';
import { ChildrenArgs, CodeArgs, InstitutionsArgs } from './structure.args';
import { SqlStatements } from '../../common/cost';

@Resolver(() => Institution)
export class InstitutionResolver {
  @Query(() => Institution, { nullable: true, description: 'An institution by code; NOT_FOUND when unknown or out of scope.' })
  institution(@Args(() => CodeArgs) { code }: CodeArgs, @Ctx() ctx: RequestContext): Promise<Institution> {
    return ctx.structure.requireInstitution(code);
  }

  @SqlStatements(2)
  @Query(() => InstitutionConnection, { complexity: connectionComplexity, description: 'Search across the groups the caller may see.' })
  institutions(@Args(() => InstitutionsArgs) args: InstitutionsArgs, @Ctx() ctx: RequestContext): Promise<Page<Institution>> {
    return ctx.structure.searchInstitutions(args.filter, args);
  }

  @FieldResolver(() => CountyGroup, {
    nullable: true,
    description: 'The group it is a member of; null for an external partner, which belongs to no group (see `partnerOf`).',
  })
  group(@Root() institution: Institution, @Ctx() ctx: RequestContext): Promise<CountyGroup | null> | null {
    return institution.groupCode === null ? null : ctx.structure.group(institution.groupCode);
  }

  @SqlStatements(1)
  @FieldResolver(() => [CountyGroup], {
    description: 'The groups an external partner partners with, among those the caller may see; empty for a member.',
  })
  partnerOf(@Root() institution: Institution, @Ctx() ctx: RequestContext): Promise<CountyGroup[]> | CountyGroup[] {
    return ctx.structure.partnerOf(institution);
  }

  @FieldResolver(() => Region, { description: "Where it lies: a member, its group's county; an external partner, its own region (any level)." })
  region(@Root() institution: Institution, @Ctx() ctx: RequestContext): Promise<Region> {
    return ctx.structure.regionOf(institution);
  }

  @FieldResolver(() => Boolean, { description: 'True when the name is invented for demo data (provenance INVENTED), not taken from a source.' })
  invented(@Root() institution: Institution): boolean {
    return institution.provenance === Provenance.INVENTED;
  }

  @FieldResolver(() => Institution, {
    nullable: true,
    description: 'The institution it is under: a village clinic\'s township centre, a branch\'s lead hospital.',
  })
  parent(@Root() institution: Institution, @Ctx() ctx: RequestContext): Promise<Institution | null> | null {
    return institution.parentCode ? ctx.structure.institution(institution.parentCode) : null;
  }

  @SqlStatements(2)
  @FieldResolver(() => InstitutionConnection, { complexity: connectionComplexity, description: 'The institutions directly under it.' })
  children(@Root() institution: Institution, @Args(() => ChildrenArgs) args: ChildrenArgs, @Ctx() ctx: RequestContext): Promise<Page<Institution>> {
    return ctx.structure.children(institution.code, args.kind, args);
  }
}
