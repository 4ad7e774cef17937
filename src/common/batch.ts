// Batch ingestion (record… mutations): per-record outcomes by index, idempotent on (source, externalId).
import { Field, ObjectType, registerEnumType } from 'type-graphql';

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

export function recordError(code: string, message: string, field: string | null): RecordError {
  return { code, message, field };
}
