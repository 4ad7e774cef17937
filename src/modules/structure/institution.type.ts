import { Field, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { InstitutionKind } from './structure.enums';

@ObjectType({ description: 'A hospital, health centre or clinic of a county group, or an external partner.' })
export class Institution {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => InstitutionKind)
  kind!: InstitutionKind;

  @Field(() => Int, { description: '1 village, 2 township, 3 county, 4 external upper hospital.' })
  level!: number;

  @Field(() => Boolean, { description: 'True when the name is invented for demo data, not taken from a source.' })
  invented!: boolean;

  groupCode!: string;
  parentCode!: string | null;
  updatedAt!: Date;
}

export const InstitutionConnection = ConnectionType(Institution, 'Institution');
