// The GraphQL shape of every record… batch mutation: one outcome per record, by index, and counts.
import { Field, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';

/** The documented maximum number of records in one batch mutation. */
export const MAX_BATCH_SIZE = 500;

export enum RecordStatus {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  REJECTED = 'REJECTED',
}

registerEnumType(RecordStatus, {
  name: 'RecordStatus',
  description: 'What a batch did with one record.',
  valuesConfig: {
    CREATED: { description: 'Stored as a new record.' },
    UPDATED: { description: 'Replaced the stored record with the same (source, externalId), whose content differed.' },
    UNCHANGED: { description: 'Identical to the stored record: nothing written.' },
    REJECTED: { description: 'Not stored; `error` says why. The other records are not affected.' },
  },
});

@ObjectType({ description: 'Why a record was rejected.' })
export class RecordError {
  @Field(() => String, { description: 'Stable machine-readable reason, e.g. UNKNOWN_INSTITUTION.' })
  code!: string;

  @Field(() => String)
  message!: string;

  @Field(() => String, { nullable: true, description: 'The offending input field, as a path within the record (e.g. staff.homeCode).' })
  field!: string | null;
}

/** The stored states a batch leaves an accepted record in. */
export type AcceptedStatus = RecordStatus.CREATED | RecordStatus.UPDATED | RecordStatus.UNCHANGED;

/** One record's outcome; the stored item sits under the batch's own field name (`flow`, `referral` …). */
export type RecordResult<Item, F extends string> = {
  index: number;
  externalId: string;
  status: RecordStatus;
  error: RecordError | null;
} & { [K in F]: Item | null };

export interface BatchPayload<Item, F extends string> {
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  results: RecordResult<Item, F>[];
}

/**
 * Declares a batch's GraphQL types, e.g. `PersonnelFlowRecordResult` (with the item under `flow`) and
 * `RecordPersonnelFlowsPayload`.
 */
export function batchPayloadTypes<Item extends object, F extends string>(options: {
  item: ClassType<Item>;
  itemField: F;
  resultName: string;
  payloadName: string;
  /** What the batch stores, in the plural, for descriptions ("flows"). */
  what: string;
}) {
  @ObjectType(options.resultName, { description: 'The outcome of one record of a batch, by its index in the input.' })
  class ResultType {
    @Field(() => Int, { description: 'Position of the record in the request, from 0.' })
    index!: number;

    @Field(() => String)
    externalId!: string;

    @Field(() => RecordStatus)
    status!: RecordStatus;

    @Field(() => RecordError, { nullable: true })
    error!: RecordError | null;
  }
  Field(() => options.item, { nullable: true, description: 'The stored record; null when REJECTED.' })(ResultType.prototype, options.itemField);

  @ObjectType(options.payloadName, { description: `The outcome of a batch of ${options.what}: one result per record, in request order.` })
  class PayloadType {
    @Field(() => Int, { description: 'Records stored or already stored: CREATED, UPDATED and UNCHANGED.' })
    accepted!: number;

    @Field(() => Int)
    rejected!: number;

    @Field(() => Int)
    created!: number;

    @Field(() => Int)
    updated!: number;

    @Field(() => Int)
    unchanged!: number;

    @Field(() => [ResultType])
    results!: RecordResult<Item, F>[];
  }
  return { ResultType, PayloadType };
}
