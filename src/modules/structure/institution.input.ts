import { Field, InputType } from 'type-graphql';
import { InstitutionKind } from './structure.enums';

@InputType({ description: 'Search filters; every field is optional and they combine with AND.' })
export class InstitutionFilter {
  @Field(() => String, { nullable: true })
  groupCode?: string;

  @Field(() => String, { nullable: true, description: 'A GB/T 2260 code of any level: province, prefecture or county.' })
  regionCode?: string;

  @Field(() => InstitutionKind, { nullable: true })
  kind?: InstitutionKind;

  @Field(() => String, { nullable: true })
  parentCode?: string;

  @Field(() => String, { nullable: true, description: 'Part of the name, at most 50 characters.' })
  nameContains?: string;
}
