import { Args, Authorized, Ctx, FieldResolver, Float, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Permission } from '../../auth/policy';
import type { RequestContext } from '../../module';
import { connectionComplexity, type Page } from '../../common/pagination';
import { DateTimeScalar, inZone, type ZonedInstant } from '../../common/scalars';
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
import { greenChannelMinutes } from './referral.rules';
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
  transitionReferral(@Args(() => TransitionReferralArgs) { id, to, at, admittedAt }: TransitionReferralArgs, @Ctx() ctx: RequestContext): Promise<Referral> {
    return ctx.referralWriter.transition(id, to, at, admittedAt);
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
  @Query(() => ReferralCounts, {
    description:
      'Counters of a group, or of one member, for a rolling window or an explicit period (exactly one of them) of the group\'s calendar ' +
      'days: the referrals requested on those days.',
  })
  referralCounts(@Args(() => ReferralCountsArgs) args: ReferralCountsArgs, @Ctx() ctx: RequestContext): Promise<ReferralCounts> {
    return ctx.referrals.counts(args);
  }

  @SqlStatements(1)
  @Subscription(() => ReferralCounts, {
    description:
      'The counters at once, then again after every committed referral change in the group (on any gateway instance), ' +
      'for a window or a period, with the same provenance filter as referralCounts. ' +
      'Bursts are coalesced to at most one message per 100 ms; the last message always equals the stored state.',
    subscribe: ({ args, context }) => (context as RequestContext).referrals.liveCounts(args as ReferralCountsArgs),
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

  @FieldResolver(() => DateTimeScalar)
  requestedAt(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ZonedInstant> {
    return ctx.referrals.local(referral.groupCode, referral.requestedAt);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  acceptedAt(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ZonedInstant | null> {
    return ctx.referrals.local(referral.groupCode, referral.acceptedAt);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  arrivedAt(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ZonedInstant | null> {
    return ctx.referrals.local(referral.groupCode, referral.arrivedAt);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  completedAt(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ZonedInstant | null> {
    return ctx.referrals.local(referral.groupCode, referral.completedAt);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  rejectedAt(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ZonedInstant | null> {
    return ctx.referrals.local(referral.groupCode, referral.rejectedAt);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  cancelledAt(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ZonedInstant | null> {
    return ctx.referrals.local(referral.groupCode, referral.cancelledAt);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'First contact with the patient at the referring institution, when the source sent it.' })
  firstContactAt(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ZonedInstant | null> {
    return ctx.referrals.local(referral.groupCode, referral.firstContactAt);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'Admission at the receiving institution, when the source sent it.' })
  admittedAt(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ZonedInstant | null> {
    return ctx.referrals.local(referral.groupCode, referral.admittedAt);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      'The green-channel time: minutes from first contact at the referring institution to admission at the receiving one ' +
      '(梅子铺: "从分院接诊到总院入院"); null unless both are known.',
  })
  greenChannelMinutes(@Root() referral: Referral): number | null {
    return greenChannelMinutes(referral);
  }

  @FieldResolver(() => DateTimeScalar, { description: 'When the gateway last wrote it.' })
  updatedAt(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ZonedInstant> {
    return ctx.referrals.local(referral.groupCode, referral.updatedAt);
  }
}

/** The counters' instants, in the group's time zone (known with the counters: no lookup). */
@Resolver(() => ReferralCounts)
export class ReferralCountsResolver {
  @FieldResolver(() => DateTimeScalar, { description: 'When these counters were read from the database.' })
  updatedAt(@Root() counts: ReferralCounts): ZonedInstant {
    return inZone(counts.updatedAt, counts.timeZone);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the latest change they include was written; null without referrals.' })
  lastChangeAt(@Root() counts: ReferralCounts): ZonedInstant | null {
    return inZone(counts.lastChangeAt, counts.timeZone);
  }
}
