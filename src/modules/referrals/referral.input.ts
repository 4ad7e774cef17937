import { Field, InputType } from 'type-graphql';
import { Direction } from '../../common/direction';
import { ProvenanceFilter } from '../../common/provenance';
import { DateTimeScalar } from '../../common/scalars';
import { ReferralChannel, ReferralStatus, ReferralUrgency } from './referral.enums';

@InputType({ description: 'A referral as the referring system opens it. Direction is derived from the levels of the two ends.' })
export class CreateReferralInput {
  @Field(() => String, { description: 'The referral system that sends it.' })
  source!: string;

  @Field(() => String, { description: 'Its id in that system: sending the same (source, externalId) again returns the stored referral.' })
  externalId!: string;

  @Field(() => String, {
    description: 'Pseudonymous patient reference (at most 64 characters). Rejected when it holds CJK characters, a resident ID or a phone number.',
  })
  patientRef!: string;

  @Field(() => String, { description: 'Institution code of the referring end.' })
  fromCode!: string;

  @Field(() => String, { description: 'Institution code of the receiving end (a member or an external partner of the same group).' })
  toCode!: string;

  @Field(() => ReferralUrgency)
  urgency!: ReferralUrgency;

  @Field(() => ReferralChannel, { nullable: true })
  channel?: ReferralChannel | null;

  @Field(() => String, { nullable: true, description: 'Free text, at most 500 characters; no patient names.' })
  reason?: string | null;

  @Field(() => String, { nullable: true, description: 'ICD-10 in form, e.g. I21.9, J18 or E11.65.' })
  diagnosisCode?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Now when omitted.' })
  requestedAt?: Date | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true declares a lateral referral (平转) between two members of the same level, e.g. 县医院 → 县中医院; counted apart from upward ' +
      'and downward. Same-level ends without it: LATERAL_NOT_DECLARED; with it across levels: NOT_LATERAL.',
  })
  lateral?: boolean | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'First contact with the patient at the referring institution (the green channel\'s start); not after requestedAt.',
  })
  firstContactAt?: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Admission at the receiving institution (the green channel\'s end): only once the patient arrived (ADMITTED_NOT_ARRIVED), ' +
      'not before the arrival, not after completion. createReferral opens a REQUESTED referral, so it sets it only through ' +
      'transitionReferral(to: ARRIVED | COMPLETED, admittedAt) or a batch record whose history reaches ARRIVED.',
  })
  admittedAt?: Date | null;
}

@InputType({ description: 'One step of a referral\'s status history after REQUESTED.' })
export class ReferralTransitionInput {
  @Field(() => ReferralStatus)
  status!: ReferralStatus;

  @Field(() => DateTimeScalar)
  at!: Date;
}

@InputType({ description: 'A referral as a source system sends it in a batch, with its status history so far.' })
export class RecordReferralInput extends CreateReferralInput {
  @Field(() => DateTimeScalar, { description: 'When it was requested (required in a batch).' })
  override requestedAt!: Date;

  @Field(() => [ReferralTransitionInput], {
    nullable: true,
    description:
      'The steps after REQUESTED, in order, e.g. [{status: ACCEPTED, at}, {status: ARRIVED, at}]. Omitted: still REQUESTED. ' +
      'A stored referral may only be extended: steps the gateway already holds must be repeated as they are.',
  })
  history?: ReferralTransitionInput[] | null;
}

@InputType({ description: 'Filters of the referrals list; every field is optional and they combine with AND.' })
export class ReferralFilter {
  @Field(() => String, { nullable: true })
  groupCode?: string;

  @Field(() => String, { nullable: true, description: 'Referrals from or to this institution.' })
  institutionCode?: string;

  @Field(() => ReferralStatus, { nullable: true })
  status?: ReferralStatus;

  @Field(() => Direction, {
    nullable: true,
    description: 'By the levels of the ends (out-of-county ones included: add outOfCounty: false for in-group only); LATERAL: declared lateral referrals.',
  })
  direction?: Direction;

  @Field(() => Boolean, { nullable: true, description: 'true: only out-of-county referrals (an external partner at one end, 县外转诊); false: only in-group ones.' })
  outOfCounty?: boolean;

  @Field(() => ProvenanceFilter, { nullable: true, description: 'Only referrals of these provenances (e.g. hide SYNTHETIC demo activity).' })
  provenance?: ProvenanceFilter;

  @Field(() => ReferralUrgency, { nullable: true })
  urgency?: ReferralUrgency;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Requested at or after this time.' })
  requestedSince?: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Requested before this time.' })
  requestedBefore?: Date;
}
