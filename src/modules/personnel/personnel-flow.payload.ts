import { Field, Int, ObjectType } from 'type-graphql';
import { RecordError, RecordStatus } from '../../common/batch';
import { PersonnelFlow } from './personnel-flow.type';

@ObjectType({ description: 'The outcome of one record of a batch, by its index in the input.' })
export class PersonnelFlowRecordResult {
  @Field(() => Int)
  index!: number;

  @Field(() => String)
  externalId!: string;

  @Field(() => RecordStatus)
  status!: RecordStatus;

  @Field(() => RecordError, { nullable: true })
  error!: RecordError | null;

  @Field(() => PersonnelFlow, { nullable: true, description: 'The stored flow; null when rejected.' })
  flow!: PersonnelFlow | null;
}

@ObjectType()
export class RecordPersonnelFlowsPayload {
  @Field(() => Int, { description: 'Records stored or confirmed (CREATED, UPDATED, UNCHANGED).' })
  accepted!: number;

  @Field(() => Int)
  rejected!: number;

  @Field(() => [PersonnelFlowRecordResult])
  results!: PersonnelFlowRecordResult[];
}
