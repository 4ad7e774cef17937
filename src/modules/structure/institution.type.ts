import { Field, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { ProvenancedRecord } from '../../common/provenance';
import { InstitutionKind } from './structure.enums';

@ObjectType({
  description: 'A member of a county group (hospital, health centre or clinic), or an external partner hospital (上级医院), which belongs to no group.',
})
export class Institution extends ProvenancedRecord {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => InstitutionKind)
  kind!: InstitutionKind;

  @Field(() => Int, { description: '1 village, 2 township, 3 county, 4 external upper hospital.' })
  level!: number;

  /** The group it is a member of; null for an external partner (see InstitutionResolver.partnerOf). */
  groupCode!: string | null;
  /** A partner's own region; null for members, which are in their group's region. */
  regionCode!: string | null;
  parentCode!: string | null;
  updatedAt!: Date;
}

export const InstitutionConnection = ConnectionType(Institution, 'Institution');
