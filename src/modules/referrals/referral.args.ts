import { ArgsType, Field, ID } from 'type-graphql';
import { MAX_BATCH_SIZE } from '../../common/batch';
import { ConnectionArgs } from '../../common/pagination';
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

  @Field(() => CounterWindow)
  window!: CounterWindow;

  @Field(() => String, { nullable: true, description: 'Counters of one member: referrals from or to it. Omitted: the whole group.' })
  institutionCode?: string | null;
}

@ArgsType()
export class ReferralsArgs extends ConnectionArgs {
  @Field(() => ReferralFilter, { nullable: true })
  filter?: ReferralFilter | null;
}
