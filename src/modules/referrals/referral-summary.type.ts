import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'Referrals one member sent and received that were requested in a period (events, by the local day of its group); ' +
    'REJECTED and CANCELLED ones are left out. Up and down are within the group, by the levels of the two ends; referrals to and ' +
    'from external partners (县外转诊) and declared lateral ones are counted apart.',
})
export class ReferralMemberSummary {
  @Field(() => Int, { description: '上转 within the group: referrals from it to a member of a higher level (not to an external partner: see sentOutOfCounty).' })
  sentUp!: number;

  @Field(() => Int, { description: '下转 within the group: referrals from it to a member of a lower level.' })
  sentDown!: number;

  @Field(() => Int, { description: 'Referrals to it from a member of a lower level.' })
  receivedUp!: number;

  @Field(() => Int, { description: 'Referrals to it from a member of a higher level (not from an external partner: see receivedFromOutOfCounty).' })
  receivedDown!: number;

  @Field(() => Int, { description: '平转: declared lateral referrals from it to a member of the same level.' })
  sentLateral!: number;

  @Field(() => Int, { description: 'Declared lateral referrals to it from a member of the same level.' })
  receivedLateral!: number;

  @Field(() => Int, { description: '县外转诊: referrals from it to an external partner hospital.' })
  sentOutOfCounty!: number;

  @Field(() => Int, { description: 'Referrals to it from an external partner hospital.' })
  receivedFromOutOfCounty!: number;
}
