import { Field, ObjectType } from 'type-graphql';
import { Profession, StaffTitle } from './personnel.enums';

@ObjectType({ description: 'A member of staff, as a personnel system knows them.' })
export class Staff {
  @Field(() => String)
  name!: string;

  @Field(() => StaffTitle)
  title!: StaffTitle;

  @Field(() => Profession)
  profession!: Profession;

  id!: number;
  source!: string;
  externalId!: string;
  homeCode!: string;
  groupCode!: string;
  phone!: string | null;
  idNumberMasked!: string | null;
}
