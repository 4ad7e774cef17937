// The personnel figures attached to groups and institutions of the structure domain.
import { Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../module';
import { connectionComplexity, type Page } from '../../common/pagination';
import { CountyGroup, Institution, isPartner } from '../structure';
import { InstitutionFlowsArgs, PersonnelFlowsArgs, PersonnelSummaryArgs, YearArgs } from './personnel.args';
import { LONG_TERM_DAYS } from './personnel.service';
import { type PersonnelFlow, PersonnelFlowConnection } from './personnel-flow.type';
import { GroupPersonnelSummary, MemberPersonnelSummary } from './personnel-summary.type';
import { SqlStatements } from '../../common/cost';

@Resolver(() => CountyGroup)
export class GroupPersonnelResolver {
  @SqlStatements(1)
  @FieldResolver(() => GroupPersonnelSummary, {
    description: "The group's flows of the period: the top-level counts are flows started in it (events), `active` those overlapping it; out-of-county flows apart.",
  })
  personnelSummary(@Root() group: CountyGroup, @Args(() => PersonnelSummaryArgs) { period, provenance }: PersonnelSummaryArgs, @Ctx() ctx: RequestContext): Promise<GroupPersonnelSummary> {
    return ctx.personnel.groupSummary(group, period, provenance);
  }

  @SqlStatements(2)
  @FieldResolver(() => PersonnelFlowConnection, { complexity: connectionComplexity, description: 'Flows of the group, by start date.' })
  personnelFlows(@Root() group: CountyGroup, @Args(() => PersonnelFlowsArgs) args: PersonnelFlowsArgs, @Ctx() ctx: RequestContext): Promise<Page<PersonnelFlow>> {
    return ctx.personnel.groupFlows(group.code, args, args);
  }

  @SqlStatements(1)
  @FieldResolver(() => Int, {
    description: `Physicians of intermediate title or higher (中级及以上) stationed down inside the group for ${LONG_TERM_DAYS} days or more in the year (in-group downward flows of each person added up, clipped to the year and to today).`,
  })
  longTermStationedPhysicians(@Root() group: CountyGroup, @Args(() => YearArgs) { year, provenance }: YearArgs, @Ctx() ctx: RequestContext): Promise<number> {
    return ctx.personnel.longTermStationedPhysicians(group.code, year, provenance);
  }
}

@Resolver(() => Institution)
export class InstitutionPersonnelResolver {
  @SqlStatements(1)
  @FieldResolver(() => MemberPersonnelSummary, {
    nullable: true,
    description:
      'Flows into and out of the member: the top-level counts are flows started in the period (events), `active` those overlapping it; out-of-county flows apart. Null for an external partner: it is no member, and its flows with a group are that group\'s out-of-county figures, which a member summary of it would count a second time.',
  })
  async personnelSummary(
    @Root() institution: Institution,
    @Args(() => PersonnelSummaryArgs) { period, provenance }: PersonnelSummaryArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<MemberPersonnelSummary | null> {
    if (isPartner(institution)) return null;
    return ctx.personnel.memberSummary(institution, period, provenance);
  }

  @SqlStatements(2)
  @FieldResolver(() => PersonnelFlowConnection, { complexity: connectionComplexity, description: 'Flows into or out of the institution, by start date.' })
  personnelFlows(@Root() institution: Institution, @Args(() => InstitutionFlowsArgs) args: InstitutionFlowsArgs, @Ctx() ctx: RequestContext): Promise<Page<PersonnelFlow>> {
    return ctx.personnel.institutionFlows(institution.code, args.end, args, args);
  }
}
