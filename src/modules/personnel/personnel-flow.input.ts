import { Field, InputType } from 'type-graphql';
import { DateScalar } from '../../common/scalars';
import { PersonnelFlowKind, Profession, StaffTitle } from './personnel.enums';

@InputType({ description: 'The person a flow is about, as the personnel system knows them.' })
export class StaffInput {
  @Field(() => String)
  externalId!: string;

  @Field(() => String, { description: 'The name as the personnel system holds it; no phone or resident ID numbers (IDENTIFYING_NAME).' })
  name!: string;

  @Field(() => String, { description: "Institution code of the person's employer." })
  homeCode!: string;

  @Field(() => StaffTitle, { nullable: true })
  title?: StaffTitle;

  @Field(() => Profession, { nullable: true })
  profession?: Profession;

  @Field(() => String, { nullable: true, description: 'Contact phone; shown only to the group and the home institution.' })
  phone?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Resident ID number: 18 characters with the GB 11643 check digit and a real birth date (INVALID_ID_NUMBER otherwise). Only a masked form (first 6, last 4) is stored.',
  })
  idNumber?: string;
}

@InputType({ description: 'One flow as a personnel system sends it. Direction is derived from the two ends.' })
export class PersonnelFlowInput {
  @Field(() => String)
  source!: string;

  @Field(() => String)
  externalId!: string;

  @Field(() => StaffInput)
  staff!: StaffInput;

  @Field(() => String)
  fromCode!: string;

  @Field(() => String)
  toCode!: string;

  @Field(() => PersonnelFlowKind)
  kind!: PersonnelFlowKind;

  @Field(() => DateScalar, { description: 'From 2000-01-01 to ten years ahead (INVALID_DATE otherwise).' })
  startDate!: Date;

  @Field(() => DateScalar, { nullable: true, description: 'As startDate; omitted when the end is not known (never 9999-12-31).' })
  endDate?: Date;

  @Field(() => Boolean, { nullable: true, description: 'true declares a move between two institutions of the same level.' })
  lateral?: boolean;

  @Field(() => String, { nullable: true, description: 'The opposite-direction flow of the same source it is paired with ("派一送一").' })
  pairedExternalId?: string;

  @Field(() => Boolean, { nullable: true, description: 'true marks the flow cancelled: kept, counted nowhere.' })
  cancelled?: boolean;
}
