import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { batchPayloadTypes } from '../../common/batch';
import { Direction } from '../../common/direction';
import { ConnectionType } from '../../common/pagination';
import { DateTimeScalar } from '../../common/scalars';
import { CounterWindow, ReferralChannel, ReferralStatus, ReferralUrgency } from './referral.enums';

@ObjectType({ description: 'A two-way referral (双向转诊) between two institutions of a group, or to one of its external partners.' })
export class Referral {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The referral system that sent it.' })
  source!: string;

  @Field(() => String, { description: 'Its id in that system; unique per source within the group.' })
  externalId!: string;

  /** Resolved by ReferralResolver.patientRef (FORBIDDEN for PROVINCE tokens). */
  patientRef!: string;

  @Field(() => String, { description: 'The group both ends belong to.' })
  groupCode!: string;

  /** Resolved by ReferralResolver.from / .to. */
  fromCode!: string;
  toCode!: string;

  @Field(() => Direction, { description: 'Derived from the levels of the two ends (an external upper hospital is level 4).' })
  direction!: Direction;

  @Field(() => ReferralUrgency)
  urgency!: ReferralUrgency;

  @Field(() => ReferralChannel, { nullable: true })
  channel!: ReferralChannel | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'ICD-10, e.g. I21.9.' })
  diagnosisCode!: string | null;

  @Field(() => ReferralStatus)
  status!: ReferralStatus;

  @Field(() => DateTimeScalar)
  requestedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  arrivedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  completedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  rejectedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  cancelledAt!: Date | null;

  @Field(() => DateTimeScalar, { description: 'When the gateway last wrote it.' })
  updatedAt!: Date;
}

export const ReferralConnection = ConnectionType(Referral, 'Referral');

@ObjectType({
  description:
    'Referral counters of a group (or of one member) for a window. Referrals count by the local day on which they were ' +
    'requested; REJECTED and CANCELLED ones count in none of upward, downward and greenChannel.',
})
export class ReferralCounts {
  @Field(() => String)
  groupCode!: string;

  @Field(() => String, { nullable: true, description: 'Set when the counters are those of one member: referrals from or to it.' })
  institutionCode!: string | null;

  @Field(() => CounterWindow)
  window!: CounterWindow;

  @Field(() => Int, { description: '上转: to a higher level.' })
  upward!: number;

  @Field(() => Int, { description: '下转: to a lower level.' })
  downward!: number;

  @Field(() => Int, { description: 'Green-channel referrals (绿色通道).' })
  greenChannel!: number;

  @Field(() => Int, { description: 'Requested and not yet accepted, rejected or cancelled.' })
  pending!: number;

  @Field(() => Float, { nullable: true, description: 'Median minutes from request to arrival of those that arrived; null when none did.' })
  medianMinutesToArrival!: number | null;

  @Field(() => Int, { description: 'Referrals that arrived (the median\'s sample size).' })
  arrived!: number;

  @Field(() => DateTimeScalar, { description: 'When these counters were read from the database.' })
  updatedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the latest change they include was written; null without referrals.' })
  lastChangeAt!: Date | null;
}

export const { ResultType: ReferralRecordResult, PayloadType: RecordReferralsPayload } = batchPayloadTypes({
  item: Referral,
  itemField: 'referral',
  resultName: 'ReferralRecordResult',
  payloadName: 'RecordReferralsPayload',
  what: 'referrals',
});
