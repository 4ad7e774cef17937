import { Field, Int, ObjectType } from 'type-graphql';
import { Ratio } from '../../common/ratio';

@ObjectType({ description: "A group's flows that overlap a period (cancelled flows excluded)." })
export class GroupPersonnelSummary {
  @Field(() => Int, { description: 'Experts sent down.' })
  downward!: number;

  @Field(() => Int, { description: 'Grassroots staff sent up.' })
  upward!: number;

  @Field(() => Int, { description: 'Downward flows paired with an upward one ("派一送一").' })
  paired!: number;

  @Field(() => Ratio, { description: 'paired / downward.' })
  pairingRate!: Ratio;

  @Field(() => Int, { description: 'Person-days of downward support inside the period (each flow clipped to the period and to today).' })
  personDaysDown!: number;
}

@ObjectType({ description: "One member institution's flows that overlap a period (cancelled flows excluded)." })
export class MemberPersonnelSummary {
  @Field(() => Int, { description: 'Experts received: downward flows into it.' })
  receivedDown!: number;

  @Field(() => Int, { description: 'Staff sent up: upward flows out of it.' })
  sentUp!: number;

  @Field(() => Int, { description: 'Downward flows out of it (a lead or county hospital sending experts).' })
  sentDown!: number;

  @Field(() => Int, { description: 'Upward flows into it (a lead or county hospital receiving trainees).' })
  receivedUp!: number;

  @Field(() => Int, { description: 'Downward flows into it that are paired with an upward flow.' })
  paired!: number;

  @Field(() => Ratio, { description: 'paired / receivedDown.' })
  pairingRate!: Ratio;

  @Field(() => Int, { description: 'Person-days of support received: downward flows into it, each clipped to the period and to today.' })
  personDaysReceived!: number;
}
