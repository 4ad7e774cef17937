import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { Direction } from '../../common/direction';
import { DateScalar } from '../../common/scalars';
import { PersonnelFlowKind } from './personnel.enums';

@ObjectType({ description: 'One posting of one person from one institution to another.' })
export class PersonnelFlow {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The personnel system that sent it.' })
  source!: string;

  @Field(() => String, { description: "The source's own id for the flow." })
  externalId!: string;

  @Field(() => Direction)
  direction!: Direction;

  @Field(() => PersonnelFlowKind)
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
