import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { batchPayloadTypes } from '../../common/batch';
import { Direction } from '../../common/direction';
import { ConnectionType } from '../../common/pagination';
import type { Period } from '../../common/period';
import { Provenance, ProvenancedRecord } from '../../common/provenance';
import { DateScalar } from '../../common/scalars';
import { CounterWindow, ReferralChannel, ReferralStatus, ReferralUrgency } from './referral.enums';

@ObjectType({
  description:
    'A two-way referral (双向转诊) between two institutions of a group, or between a member and one of its external partners ' +
    '(out-of-county, 县外转诊). Its times are shown with the group\'s UTC offset (2023-05-16T09:12:00+08:00).',
})
export class Referral extends ProvenancedRecord {
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

  @Field(() => Direction, {
    description:
      'Derived from the levels of the two ends (an external upper hospital is level 4); LATERAL for a declared lateral referral ' +
      'between members of the same level. An out-of-county referral is UPWARD to the partner, DOWNWARD from it.',
  })
  direction!: Direction;

  @Field(() => Boolean, { description: 'True when one end is an external partner (县外转诊): counted apart from in-group upward and downward.' })
  outOfCounty!: boolean;

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

  /** The times below are resolved by ReferralResolver, shown in the group's zone. */
  requestedAt!: Date;

  acceptedAt!: Date | null;

  arrivedAt!: Date | null;

  completedAt!: Date | null;

  rejectedAt!: Date | null;

  cancelledAt!: Date | null;

  firstContactAt!: Date | null;
  admittedAt!: Date | null;
  updatedAt!: Date;
}

export const ReferralConnection = ConnectionType(Referral, 'Referral');

@ObjectType({ description: 'Out-of-county referrals (县外转诊): between a member and an external partner hospital.' })
export class OutOfCountyCounts {
  @Field(() => Int, { description: 'Sent to an external partner (太和医院, 协和医院 …).' })
  sent!: number;

  @Field(() => Int, { description: 'Received from an external partner.' })
  received!: number;
}

@ObjectType({ description: 'Calendar days of the group, both inclusive.' })
export class CountedPeriod {
  @Field(() => DateScalar)
  from!: Date;

  @Field(() => DateScalar)
  to!: Date;
}

@ObjectType({
  description:
    'Referral counters of a group (or of one member) for a window or an explicit period. Every figure counts referrals REQUESTED ' +
    'on the local days of the window or period (events, by the day of the request, whatever happened to them later); upward, downward, ' +
    'lateral, outOfCounty and greenChannel count those not REJECTED or CANCELLED ("counted"). upward and downward are in-group only.',
})
export class ReferralCounts {
  @Field(() => String)
  groupCode!: string;

  @Field(() => String, { nullable: true, description: 'Set when the counters are those of one member: referrals from or to it.' })
  institutionCode!: string | null;

  @Field(() => CounterWindow, { nullable: true, description: 'The rolling window counted; null when a period is.' })
  window!: CounterWindow | null;

  @Field(() => CountedPeriod, { nullable: true, description: 'The period counted; null when a window is.' })
  period!: Period | null;

  @Field(() => [Provenance], { nullable: true, description: 'The provenances counted; null: all.' })
  provenances!: readonly Provenance[] | null;

  /** The group's time zone: the DateTimes are shown with its offset. */
  timeZone!: string;

  @Field(() => Int, { description: 'Every referral requested in the window or period, whatever became of it (the events).' })
  requested!: number;

  @Field(() => Int, { description: '上转 within the group: requested, not rejected or cancelled, from a member to a member of a higher level. Out-of-county ones are in outOfCounty.' })
  upward!: number;

  @Field(() => Int, { description: '下转 within the group: requested, not rejected or cancelled, from a member to a member of a lower level. Out-of-county ones are in outOfCounty.' })
  downward!: number;

  @Field(() => Int, { description: '平转: declared lateral referrals between members of the same level, requested, not rejected or cancelled.' })
  lateral!: number;

  @Field(() => OutOfCountyCounts, { description: '县外转诊: to and from external partners, requested, not rejected or cancelled.' })
  outOfCounty!: OutOfCountyCounts;

  @Field(() => Int, { description: 'Green-channel referrals (绿色通道), in-group and out-of-county, requested, not rejected or cancelled.' })
  greenChannel!: number;

  @Field(() => Int, { description: 'Requested and not yet accepted, rejected or cancelled.' })
  pending!: number;

  @Field(() => Int, { description: 'Requested in the window or period and rejected since.' })
  rejected!: number;

  @Field(() => Int, { description: 'Requested in the window or period and cancelled since.' })
  cancelled!: number;

  @Field(() => Float, { nullable: true, description: 'Median minutes from request to arrival of those that arrived; null when none did.' })
  medianMinutesToArrival!: number | null;

  @Field(() => Int, { description: 'Referrals that arrived (the median\'s sample size).' })
  arrived!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Median green-channel time (first contact at the referring institution → admission at the receiving one) of the counted GREEN_CHANNEL referrals that have both; null when none.',
  })
  medianGreenChannelMinutes!: number | null;

  @Field(() => Int, { description: 'Counted GREEN_CHANNEL referrals with first contact and admission (the median\'s sample size).' })
  greenChannelTimed!: number;

  /** Resolved by ReferralCountsResolver, in the group's zone: when these counters were read. */
  updatedAt!: Date;

  /** Resolved by ReferralCountsResolver: when the latest change they include was written. */
  lastChangeAt!: Date | null;
}

export const { ResultType: ReferralRecordResult, PayloadType: RecordReferralsPayload } = batchPayloadTypes({
  item: Referral,
  itemField: 'referral',
  resultName: 'ReferralRecordResult',
  payloadName: 'RecordReferralsPayload',
  what: 'referrals',
});
