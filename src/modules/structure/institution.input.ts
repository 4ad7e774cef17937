import { Field, InputType } from 'type-graphql';
import { ProvenanceFilter } from '../../common/provenance';
import { InstitutionKind } from './structure.enums';

@InputType({ description: 'Search filters; every field is optional and they combine with AND.' })
export class InstitutionFilter {
  @Field(() => String, {
    nullable: true,
    description: 'The members of this group; with `kind: EXTERNAL`, its external partners instead (partners are members of no group).',
  })
  groupCode?: string;

  @Field(() => String, {
    nullable: true,
    description:
      'A GB/T 2260 code of any level: province, prefecture or county. Members of the groups in that region, and external partners whose own region lies in it.',
  })
  regionCode?: string;

  @Field(() => InstitutionKind, { nullable: true })
  kind?: InstitutionKind;

  @Field(() => String, { nullable: true })
  parentCode?: string;

  @Field(() => String, { nullable: true, description: 'Part of the name, at most 50 characters.' })
  nameContains?: string;

  @Field(() => ProvenanceFilter, { nullable: true, description: 'Only institutions of these provenances, e.g. `{ in: [ARTICLE] }` hides invented names.' })
  provenance?: ProvenanceFilter;
}
