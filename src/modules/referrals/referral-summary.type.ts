import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'Referrals one member sent and received that were requested in a period (events, by the local day of its group); ' +
    'REJECTED and CANCELLED ones are left out. Up and down are by the levels of the two ends; a referral to an external partner counts as sent up.',
})
export class ReferralMemberSummary {
  @Field(() => Int, { description: '上转: referrals from it to a higher level.' })
  sentUp!: number;

  @Field(() => Int, { description: '下转: referrals from it to a lower level.' })
  sentDown!: number;

  @Field(() => Int, { description: 'Referrals to it from a lower level.' })
  receivedUp!: number;

  @Field(() => Int, { description: 'Referrals to it from a higher level.' })
  receivedDown!: number;
}
