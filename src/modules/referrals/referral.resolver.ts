import { Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Permission } from '../../auth/policy';
import type { RequestContext } from '../../module';
import { connectionComplexity, type Page } from '../../common/pagination';
import { CountyGroup, Institution } from '../structure';
import {
  CreateReferralArgs,
  RecordReferralsArgs,
  ReferralCountsArgs,
  ReferralIdArgs,
  ReferralsArgs,
  TransitionReferralArgs,
} from './referral.args';
import type { RecordReferralsResult } from './referral.recorder';
import { RecordReferralsPayload, Referral, ReferralConnection, ReferralCounts } from './referral.type';
import { SqlStatements } from '../../common/cost';

@Resolver(() => Referral)
export class ReferralResolver {
  @SqlStatements(1)
  @Query(() => Referral, { nullable: true, description: 'A referral by id; NOT_FOUND when unknown or out of scope.' })
  referral(@Args(() => ReferralIdArgs) { id }: ReferralIdArgs, @Ctx() ctx: RequestContext): Promise<Referral> {
    return ctx.referrals.requireReferral(id);
  }

  @SqlStatements(2)
  @Query(() => ReferralConnection, { complexity: connectionComplexity, description: 'Referrals the caller may see, newest first.' })
  referrals(@Args(() => ReferralsArgs) args: ReferralsArgs, @Ctx() ctx: RequestContext): Promise<Page<Referral>> {
    return ctx.referrals.list(args.filter, args);
  }

  @Authorized(Permission.WRITE_REFERRALS)
  @SqlStatements(4)
  @Mutation(() => Referral, {
    description:
      'Opens a referral (SOURCE_SYSTEM tokens: within their group; INSTITUTION tokens: from themselves, to an institution under ' +
      'them, the one they are under, or a county-level member or partner). A token writes its own source only: the one its ' +
      'source claim names; without a claim, an INSTITUTION token writes as source "<its institution code>" and a SOURCE_SYSTEM ' +
      'token any source of its group (another source: FORBIDDEN on source). ' +
      'Sending the same (source, externalId) with the same data again returns the stored referral (keys are per group and source).',
  })
  createReferral(@Args(() => CreateReferralArgs) { input }: CreateReferralArgs, @Ctx() ctx: RequestContext): Promise<Referral> {
    return ctx.referralWriter.create(input);
  }

  @Authorized(Permission.WRITE_REFERRALS)
  @SqlStatements(4)
  @Mutation(() => Referral, {
    description:
      'Moves a referral along REQUESTED → ACCEPTED → ARRIVED → COMPLETED, or to REJECTED/CANCELLED from REQUESTED or ACCEPTED. ' +
      'Repeating the current status with the same time changes nothing. An INSTITUTION token moves the referrals sent to it, ' +
      'and cancels those it sent.',
  })
  transitionReferral(@Args(() => TransitionReferralArgs) { id, to, at }: TransitionReferralArgs, @Ctx() ctx: RequestContext): Promise<Referral> {
    return ctx.referralWriter.transition(id, to, at);
  }

  @Authorized(Permission.RECORD_BATCHES)
  @SqlStatements(40)
  @Mutation(() => RecordReferralsPayload, {
    description:
      'Batch ingestion for SOURCE_SYSTEM tokens: idempotent on (source, externalId) within the group, one outcome per record by index.',
  })
  recordReferrals(@Args(() => RecordReferralsArgs) { input }: RecordReferralsArgs, @Ctx() ctx: RequestContext): Promise<RecordReferralsResult> {
    return ctx.referralRecorder.record(input);
  }

  @SqlStatements(1)
  @Query(() => ReferralCounts, { description: 'Counters of a group, or of one member, for a window in the group\'s time zone.' })
  referralCounts(@Args(() => ReferralCountsArgs) args: ReferralCountsArgs, @Ctx() ctx: RequestContext): Promise<ReferralCounts> {
    return ctx.referrals.counts({ groupCode: args.groupCode, window: args.window, institutionCode: args.institutionCode ?? undefined });
  }

  @SqlStatements(1)
  @Subscription(() => ReferralCounts, {
    description:
      'The counters at once, then again after every committed referral change in the group (on any gateway instance). ' +
      'Bursts are coalesced to at most one message per 100 ms; the last message always equals the stored state.',
    subscribe: ({ args, context }) => {
      const { groupCode, window, institutionCode } = args as ReferralCountsArgs;
      return (context as RequestContext).referrals.liveCounts({ groupCode, window, institutionCode: institutionCode ?? undefined });
    },
  })
  referralCountsChanged(@Root() counts: ReferralCounts, @Args(() => ReferralCountsArgs) _args: ReferralCountsArgs): ReferralCounts {
    return counts;
  }

  @Authorized(Permission.SEE_PATIENT_REFS)
  @FieldResolver(() => String, { nullable: true, description: 'Pseudonymous patient reference; FORBIDDEN for PROVINCE tokens.' })
  patientRef(@Root() referral: Referral): string {
    return referral.patientRef;
  }

  @FieldResolver(() => Institution, { description: 'The referring institution.' })
  from(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<Institution> {
    return ctx.referrals.end(referral.fromCode, 'from');
  }

  @FieldResolver(() => Institution, { description: 'The receiving institution.' })
  to(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<Institution> {
    return ctx.referrals.end(referral.toCode, 'to');
  }

  @FieldResolver(() => CountyGroup, { nullable: true, description: 'The group (null when outside the caller\'s structure scope).' })
  group(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<CountyGroup | null> {
    return ctx.structure.group(referral.groupCode);
  }
}
