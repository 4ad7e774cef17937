import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { Direction } from '../../common/direction';
import { ProvenancedRecord } from '../../common/provenance';
import { DateScalar } from '../../common/scalars';
import { PersonnelFlowKind } from './personnel.enums';

@ObjectType({ description: 'One posting of one person from one institution to another.' })
export class PersonnelFlow extends ProvenancedRecord {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The personnel system that sent it.' })
  source!: string;

  @Field(() => String, { description: "The source's own id for the flow." })
  externalId!: string;

  @Field(() => Direction, { description: 'From the levels of the two ends (an external partner is level 4).' })
  direction!: Direction;

  @Field(() => Boolean, {
    description:
      "One end is an external partner (外出进修 at an upper hospital, or an upper hospital's expert at a member): counted apart (outOfCounty), never as the group's upward or downward flows, never paired.",
  })
  outOfCounty!: boolean;

  @Field(() => PersonnelFlowKind, { description: 'Fits the direction (KIND_DOES_NOT_FIT_DIRECTION otherwise; see the enum).' })
  kind!: PersonnelFlowKind;

  @Field(() => DateScalar)
  startDate!: Date;

  @Field(() => DateScalar, { nullable: true, description: 'Null while the posting is open.' })
  endDate!: Date | null;

  staffId!: number;
  groupCode!: string;
  fromCode!: string;
  toCode!: string;
  cancelled!: boolean;
  pairedExternalId!: string | null;
}

export const PersonnelFlowConnection = ConnectionType(PersonnelFlow, 'PersonnelFlow');
