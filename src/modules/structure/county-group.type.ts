import { Field, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { ProvenancedRecord } from '../../common/provenance';
import { InstitutionKind, UnifiedDimension } from './structure.enums';

@ObjectType({ description: 'A county medical community (医共体 / 总医院 / 医疗集团): a lead hospital and its members.' })
export class CountyGroup extends ProvenancedRecord {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => [UnifiedDimension], { description: 'The dimensions the group manages in common, where the source itemises them.' })
  unifiedDimensions!: UnifiedDimension[];

  @Field(() => Int, {
    nullable: true,
    description: 'How many dimensions the group says it unifies, also when the source does not itemise them.',
  })
  declaredDimensionCount!: number | null;

  @Field(() => String, { description: 'IANA time zone in which the group\'s days and periods turn.' })
  timeZone!: string;

  @Field(() => Boolean, {
    description: 'Whether the group practises pairing (派一送一: one grassroots worker sent up for every expert sent down); a group that does not has no pairing rate.',
  })
  practisesPairing!: boolean;

  @Field(() => String, { nullable: true, description: 'When the group was formed, as the source states it.' })
  since!: string | null;

  regionCode!: string;
  prefectureCode!: string;
  provinceCode!: string;
  leadCode!: string | null;
}

@ObjectType({ description: 'The number of members of one kind.' })
export class MemberCount {
  @Field(() => InstitutionKind)
  kind!: InstitutionKind;

  @Field(() => Int)
  count!: number;
}

export const CountyGroupConnection = ConnectionType(CountyGroup, 'CountyGroup');
