import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../module';
import { connectionComplexity, type Page } from '../../common/pagination';
import { CountyGroup } from './county-group.type';
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
    description: 'The group it belongs to (for an external partner: the group it partners with).',
  })
  group(@Root() institution: Institution, @Ctx() ctx: RequestContext): Promise<CountyGroup | null> {
    return ctx.structure.group(institution.groupCode);
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
