import { ArgsType, Field, Int, registerEnumType } from 'type-graphql';
import { ConnectionArgs } from '../../common/pagination';
import { PeriodInput } from '../../common/period';
import { Direction } from '../../common/direction';
import { PersonnelFlowInput } from './personnel-flow.input';
import { PersonnelFlowKind } from './personnel.enums';

@ArgsType()
export class RecordPersonnelFlowsArgs {
  @Field(() => [PersonnelFlowInput])
  input!: PersonnelFlowInput[];
}

export enum FlowEnd {
  INTO = 'INTO',
  OUT_OF = 'OUT_OF',
  EITHER = 'EITHER',
}

registerEnumType(FlowEnd, { name: 'FlowEnd', description: 'Which end of a flow an institution is.' });

@ArgsType()
export class PersonnelFlowsArgs extends ConnectionArgs {
  @Field(() => PeriodInput, { nullable: true, description: 'Only flows that overlap this period.' })
  period?: PeriodInput;

  @Field(() => Direction, { nullable: true })
  direction?: Direction;

  @Field(() => PersonnelFlowKind, { nullable: true })
  kind?: PersonnelFlowKind;
}

@ArgsType()
export class InstitutionFlowsArgs extends PersonnelFlowsArgs {
  @Field(() => FlowEnd, { defaultValue: FlowEnd.EITHER, description: 'Flows into the institution, out of it, or either.' })
  end!: FlowEnd;
}

@ArgsType()
export class YearArgs {
  @Field(() => Int, { description: 'A calendar year, e.g. 2024.' })
  year!: number;
}
