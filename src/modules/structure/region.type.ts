import { Field, ObjectType } from 'type-graphql';
import { RegionLevel } from './structure.enums';

@ObjectType({ description: 'A GB/T 2260 administrative division: province, prefecture or county.' })
export class Region {
  @Field(() => String, { description: 'Six-digit GB/T 2260 division code.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => RegionLevel)
  level!: RegionLevel;

  /** Resolved by RegionResolver.parent. */
  parentCode!: string | null;
}
