// Personnel figures of a period, in two kinds that must never be confused: flows STARTED in the period
// (events: what a province sums across periods) and flows ACTIVE in it (overlapping it, with
// person-days clipped to it and to today: a one-year posting over two years counts in each, but only
// with its days there). The top-level fields a contract names are the started figures.
import { Field, Int, ObjectType } from 'type-graphql';
import { Ratio } from '../../common/ratio';

const PAIRING_RATE = 'null when the group does not practise pairing (派一送一; see pairingRateNote); value null when there is nothing to pair.';

@ObjectType({ description: 'Flows with an external partner at one end (外出进修, upper hospitals\' experts): never counted as the group\'s upward or downward flows.' })
export class OutOfCountyFlows {
  @Field(() => Int, { description: 'From a member to an external partner (e.g. a lead-hospital doctor training at 协和).' })
  sentOut!: number;

  @Field(() => Int, { description: 'From an external partner to a member (e.g. an expert of 协和 at the lead hospital).' })
  receivedIn!: number;
}

@ObjectType({ description: "A group's in-group flows of one kind of count (started in, or active in, a period), cancelled flows excluded." })
export class GroupFlowCounts {
  @Field(() => Int, { description: 'Experts sent down inside the group (out-of-county flows excluded).' })
  downward!: number;

  @Field(() => Int, { description: 'Grassroots staff sent up inside the group (out-of-county flows excluded).' })
  upward!: number;

  @Field(() => Int, { description: 'Declared moves between two members of one level.' })
  lateral!: number;

  @Field(() => Int, { description: 'Downward flows paired with an upward flow out of the same member starting in the same calendar year ("派一送一").' })
  paired!: number;

  @Field(() => Ratio, { nullable: true, description: `paired / downward; ${PAIRING_RATE}` })
  pairingRate!: Ratio | null;

  @Field(() => OutOfCountyFlows)
  outOfCounty!: OutOfCountyFlows;
}

@ObjectType({ description: "A group's in-group flows active in a period (overlapping it), with person-days." })
export class GroupActiveFlowCounts extends GroupFlowCounts {
  @Field(() => Int, { description: 'Person-days of in-group downward support inside the period (each flow clipped to the period and to today).' })
  personDaysDown!: number;
}

@ObjectType({
  description:
    "A group's personnel figures for a period. The top-level counts are the flows STARTED in the period (events; as `started`, and what the provincial pull sums); `active` counts the flows that overlap it. Cancelled and out-of-county flows are in neither's upward or downward.",
})
export class GroupPersonnelSummary {
  @Field(() => Int, { description: 'Experts sent down inside the group, flows started in the period (= started.downward).' })
  downward!: number;

  @Field(() => Int, { description: 'Grassroots staff sent up inside the group, flows started in the period (= started.upward).' })
  upward!: number;

  @Field(() => Int, { description: 'Declared lateral moves started in the period (= started.lateral).' })
  lateral!: number;

  @Field(() => Int, { description: 'Downward flows started in the period and paired (= started.paired).' })
  paired!: number;

  @Field(() => Ratio, { nullable: true, description: `paired / downward of the flows started in the period (= started.pairingRate); ${PAIRING_RATE}` })
  pairingRate!: Ratio | null;

  @Field(() => String, { nullable: true, description: 'Why there is no pairing rate (e.g. the group does not practise 派一送一); null when there is one.' })
  pairingRateNote!: string | null;

  @Field(() => OutOfCountyFlows, { description: 'Out-of-county flows started in the period (= started.outOfCounty).' })
  outOfCounty!: OutOfCountyFlows;

  @Field(() => Int, { description: 'Person-days of in-group downward support inside the period: an active figure (= active.personDaysDown).' })
  personDaysDown!: number;

  @Field(() => GroupFlowCounts, { description: 'Flows that started in the period (events): sum these across periods.' })
  started!: GroupFlowCounts;

  @Field(() => GroupActiveFlowCounts, { description: 'Flows active in the period (overlapping it): a flow counts in every period it overlaps, so never sum these across periods.' })
  active!: GroupActiveFlowCounts;
}

@ObjectType({ description: "One institution's flows of one kind of count (started in, or active in, a period), cancelled flows excluded." })
export class MemberFlowCounts {
  @Field(() => Int, { description: 'Experts received: in-group downward flows into it.' })
  receivedDown!: number;

  @Field(() => Int, { description: 'Staff sent up: in-group upward flows out of it.' })
  sentUp!: number;

  @Field(() => Int, { description: 'In-group downward flows out of it (a lead or county hospital sending experts).' })
  sentDown!: number;

  @Field(() => Int, { description: 'In-group upward flows into it (a lead or county hospital receiving trainees).' })
  receivedUp!: number;

  @Field(() => Int, { description: 'Declared lateral moves out of it.' })
  sentLateral!: number;

  @Field(() => Int, { description: 'Declared lateral moves into it.' })
  receivedLateral!: number;

  @Field(() => Int, { description: 'Downward flows into it paired with an upward flow out of it starting in the same calendar year.' })
  paired!: number;

  @Field(() => Ratio, { nullable: true, description: `paired / receivedDown; ${PAIRING_RATE}` })
  pairingRate!: Ratio | null;

  @Field(() => OutOfCountyFlows)
  outOfCounty!: OutOfCountyFlows;
}

@ObjectType({ description: "One institution's flows active in a period (overlapping it), with person-days." })
export class MemberActiveFlowCounts extends MemberFlowCounts {
  @Field(() => Int, { description: 'Person-days of support received: in-group downward flows into it, each clipped to the period and to today.' })
  personDaysReceived!: number;
}

@ObjectType({
  description:
    "One member's personnel figures for a period. The top-level counts are the flows STARTED in the period (events; as `started`, and what the provincial pull sums); `active` counts the flows that overlap it.",
})
export class MemberPersonnelSummary {
  @Field(() => Int, { description: 'Experts received: in-group downward flows into it started in the period (= started.receivedDown).' })
  receivedDown!: number;

  @Field(() => Int, { description: 'Staff sent up: in-group upward flows out of it started in the period (= started.sentUp).' })
  sentUp!: number;

  @Field(() => Int, { description: 'In-group downward flows out of it started in the period (= started.sentDown).' })
  sentDown!: number;

  @Field(() => Int, { description: 'In-group upward flows into it started in the period (= started.receivedUp).' })
  receivedUp!: number;

  @Field(() => Int, { description: 'Downward flows into it started in the period and paired (= started.paired).' })
  paired!: number;

  @Field(() => Ratio, { nullable: true, description: `paired / receivedDown of the flows started in the period (= started.pairingRate); ${PAIRING_RATE}` })
  pairingRate!: Ratio | null;

  @Field(() => String, { nullable: true, description: 'Why there is no pairing rate (its group does not practise 派一送一, or it is no member); null when there is one.' })
  pairingRateNote!: string | null;

  @Field(() => OutOfCountyFlows, { description: 'Out-of-county flows started in the period (= started.outOfCounty).' })
  outOfCounty!: OutOfCountyFlows;

  @Field(() => Int, { description: 'Person-days of in-group support received inside the period: an active figure (= active.personDaysReceived).' })
  personDaysReceived!: number;

  @Field(() => MemberFlowCounts, { description: 'Flows that started in the period (events): sum these across periods.' })
  started!: MemberFlowCounts;

  @Field(() => MemberActiveFlowCounts, { description: 'Flows active in the period (overlapping it): never sum these across periods.' })
  active!: MemberActiveFlowCounts;
}
