import { Field, ObjectType } from 'type-graphql';
import { ProvenancedRecord } from '../../common/provenance';
import { Profession, StaffTitle } from './personnel.enums';

@ObjectType({ description: 'A member of staff, as a personnel system knows them.' })
export class Staff extends ProvenancedRecord {
  @Field(() => String, { description: 'As the personnel system holds it (invented for every demo person).' })
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
