import { ArgsType, Field, Int, registerEnumType } from 'type-graphql';
import { ConnectionArgs } from '../../common/pagination';
import { PeriodArgs, PeriodInput } from '../../common/period';
import { ProvenanceFilter } from '../../common/provenance';
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
  @Field(() => PeriodInput, { nullable: true, description: 'Only flows active in this period (overlapping it): what personnelSummary counts under `active` (with `cancelled: false`: cancelled flows are listed, as CANCELLED, unless filtered out, and count nowhere).' })
  period?: PeriodInput;

  @Field(() => PeriodInput, { nullable: true, description: 'Only flows started in this period: what personnelSummary counts at its top level and under `started` (with `cancelled: false`).' })
  startedIn?: PeriodInput;

  @Field(() => Direction, { nullable: true })
  direction?: Direction;

  @Field(() => PersonnelFlowKind, { nullable: true })
  kind?: PersonnelFlowKind;

  @Field(() => Boolean, { nullable: true, description: 'true: only out-of-county flows (an external partner at one end); false: only in-group flows; omitted: both.' })
  outOfCounty?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'false: only flows that count (not cancelled); true: only cancelled ones; omitted: both.' })
  cancelled?: boolean | null;

  @Field(() => ProvenanceFilter, { nullable: true, description: 'Only flows of these provenances (e.g. hide SYNTHETIC demo activity); every flow when omitted.' })
  provenance?: ProvenanceFilter;
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

  @Field(() => ProvenanceFilter, { nullable: true, description: 'Only flows of these provenances; every flow when omitted.' })
  provenance?: ProvenanceFilter;
}

@ArgsType()
export class PersonnelSummaryArgs extends PeriodArgs {
  @Field(() => ProvenanceFilter, { nullable: true, description: 'Count only flows of these provenances (e.g. [ARTICLE, INVENTED, SOURCE_SYSTEM] hides SYNTHETIC demo activity); every flow when omitted.' })
  provenance?: ProvenanceFilter;
}
