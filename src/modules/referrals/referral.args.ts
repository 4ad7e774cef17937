import { ArgsType, Field, ID } from 'type-graphql';
import { MAX_BATCH_SIZE } from '../../common/batch';
import { ConnectionArgs } from '../../common/pagination';
import { PeriodArgs, PeriodInput } from '../../common/period';
import { ProvenanceFilter } from '../../common/provenance';
import { DateTimeScalar } from '../../common/scalars';
import { CounterWindow, ReferralStatus } from './referral.enums';
import { CreateReferralInput, RecordReferralInput, ReferralFilter } from './referral.input';

@ArgsType()
export class ReferralIdArgs {
  @Field(() => ID)
  id!: string;
}

@ArgsType()
export class CreateReferralArgs {
  @Field(() => CreateReferralInput)
  input!: CreateReferralInput;
}

@ArgsType()
export class TransitionReferralArgs {
  @Field(() => ID)
  id!: string;

  @Field(() => ReferralStatus, { description: 'The status to move to.' })
  to!: ReferralStatus;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it happened; now when omitted. Not before the previous step.' })
  at?: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'With to: ARRIVED or COMPLETED only: when the patient was admitted at the receiving institution (not before the arrival). ' +
      'Once stored it cannot change (ADMITTED_AT_CONFLICT); repeating the current step with it adds it.',
  })
  admittedAt?: Date | null;
}

@ArgsType()
export class RecordReferralsArgs {
  @Field(() => [RecordReferralInput], { description: `At most ${MAX_BATCH_SIZE} records.` })
  input!: RecordReferralInput[];
}

@ArgsType()
export class ReferralCountsArgs {
  @Field(() => String)
  groupCode!: string;

  @Field(() => CounterWindow, { nullable: true, description: 'A rolling window of the group\'s calendar. Give exactly one of window and period.' })
  window?: CounterWindow | null;

  @Field(() => PeriodInput, {
    nullable: true,
    description: 'Calendar days of the group, both inclusive, e.g. {from: "2023-01-01", to: "2023-06-30"}. Give exactly one of window and period.',
  })
  period?: PeriodInput | null;

  @Field(() => String, { nullable: true, description: 'Counters of one member: referrals from or to it. Omitted: the whole group.' })
  institutionCode?: string | null;

  @Field(() => ProvenanceFilter, { nullable: true, description: 'Count only referrals of these provenances (e.g. [ARTICLE, INVENTED, SOURCE_SYSTEM] hides SYNTHETIC).' })
  provenance?: ProvenanceFilter | null;
}

@ArgsType()
export class ReferralsArgs extends ConnectionArgs {
  @Field(() => ReferralFilter, { nullable: true })
  filter?: ReferralFilter | null;
}

@ArgsType()
export class ReferralSummaryArgs extends PeriodArgs {
  @Field(() => ProvenanceFilter, { nullable: true, description: 'Count only referrals of these provenances (e.g. hide SYNTHETIC).' })
  provenance?: ProvenanceFilter | null;
}
