import { ArgsType, Field } from 'type-graphql';
import { ConnectionArgs } from '../../common/pagination';
import { ProvenanceFilter } from '../../common/provenance';
import { InstitutionFilter } from './institution.input';
import { InstitutionKind } from './structure.enums';

@ArgsType()
export class CodeArgs {
  @Field(() => String)
  code!: string;
}

@ArgsType()
export class CountyGroupsArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Only groups in this province (GB/T 2260 code).' })
  provinceCode?: string;
}

@ArgsType()
export class InstitutionsArgs extends ConnectionArgs {
  @Field(() => InstitutionFilter)
  filter!: InstitutionFilter;
}

@ArgsType()
export class MembersArgs extends ConnectionArgs {
  @Field(() => InstitutionKind, { nullable: true, description: 'Only members of this kind. External partners are not members: see `partners`.' })
  kind?: InstitutionKind;

  @Field(() => ProvenanceFilter, { nullable: true, description: 'Only members of these provenances (e.g. hide INVENTED names).' })
  provenance?: ProvenanceFilter;
}

@ArgsType()
export class ChildrenArgs extends ConnectionArgs {
  @Field(() => InstitutionKind, { nullable: true, description: 'Only children of this kind.' })
  kind?: InstitutionKind;
}
