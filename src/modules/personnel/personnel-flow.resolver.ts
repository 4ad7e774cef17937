import { Args, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/policy';
import type { RequestContext } from '../../module';
import { MAX_BATCH_SIZE } from '../../common/batch';
import type { RecordFlowsPayload } from './personnel-flow.recorder';
import { Institution } from '../structure';
import { RecordPersonnelFlowsArgs } from './personnel.args';
import { PersonnelFlowStatus } from './personnel.enums';
import { RecordPersonnelFlowsPayload } from './personnel-flow.payload';
import { PersonnelFlow } from './personnel-flow.type';
import { Staff } from './staff.type';
import { SqlStatements } from '../../common/cost';

@Resolver(() => PersonnelFlow)
export class PersonnelFlowResolver {
  @Authorized(Permission.RECORD_BATCHES)
  @SqlStatements(40)
  @Mutation(() => RecordPersonnelFlowsPayload, {
    description: `Stores personnel flows from a source system (SOURCE_SYSTEM tokens, for their group): at most ${MAX_BATCH_SIZE} records, idempotent on (source, externalId) within the group. Every record gets an outcome by index; a bad one is REJECTED with a code and field and never stops the others.`,
  })
  recordPersonnelFlows(@Args(() => RecordPersonnelFlowsArgs) { input }: RecordPersonnelFlowsArgs, @Ctx() ctx: RequestContext): Promise<RecordFlowsPayload> {
    return ctx.personnelRecorder.record(input);
  }

  @FieldResolver(() => PersonnelFlowStatus)
  status(@Root() flow: PersonnelFlow, @Ctx() ctx: RequestContext): Promise<PersonnelFlowStatus> {
    return ctx.personnel.status(flow);
  }

  @FieldResolver(() => Staff)
  async staff(@Root() flow: PersonnelFlow, @Ctx() ctx: RequestContext): Promise<Staff> {
    return (await ctx.personnel.staff(flow.staffId))!;
  }

  @FieldResolver(() => Institution, { nullable: true, description: "Where the person comes from (null when outside the caller's scope)." })
  from(@Root() flow: PersonnelFlow, @Ctx() ctx: RequestContext): Promise<Institution | null> {
    return ctx.structure.institution(flow.fromCode);
  }

  @FieldResolver(() => Institution, { nullable: true, description: "Where the person goes (null when outside the caller's scope)." })
  to(@Root() flow: PersonnelFlow, @Ctx() ctx: RequestContext): Promise<Institution | null> {
    return ctx.structure.institution(flow.toCode);
  }

  @FieldResolver(() => PersonnelFlow, {
    nullable: true,
    description: 'The opposite-direction flow it is paired with ("派一送一"), whichever side declared the pair; null when either of the two is cancelled.',
  })
  pairedWith(@Root() flow: PersonnelFlow, @Ctx() ctx: RequestContext): Promise<PersonnelFlow | null> {
    return ctx.personnel.pairedWith(flow);
  }
}
