// The skeleton every record… batch mutation runs: check each record on its own, then, in one
// transaction, judge the survivors against the stored rows and write the accepted ones. Bad records
// are rejected one by one and never stop the good ones; a record is reported accepted only once the
// transaction has committed, and every record gets exactly one outcome.
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { badUserInput } from '../errors';
import { MAX_BATCH_SIZE, RecordStatus, type AcceptedStatus, type BatchPayload, type RecordResult } from './batch.types';
import { RuleViolation } from './rule-violation';

/** A record that passed its own checks, with its position in the request. */
export interface Checked {
  index: number;
}

export interface Judgement<Accepted extends Checked> {
  accepted: Accepted[];
  rejected: Map<number, RuleViolation>;
}

export interface Written<Item> {
  status: AcceptedStatus;
  item: Item;
}

export interface BatchWriter<Input, Lookups, C extends Checked, Accepted extends Checked, Item> {
  /** The record's identity, (source, externalId), after checking those two fields; the batch rejects repeats. */
  keyOf(input: Input): string;
  /** Lookups the checks need for the whole batch (one statement each), read before the transaction. */
  lookup(inputs: readonly Input[]): Promise<Lookups>;
  /** The rules a record can be judged on alone (and the lookups); throws RuleViolation. */
  check(input: Input, index: number, lookups: Lookups): C;
  /** Advisory locks taken first in the transaction, so that two batches cannot both pass the judgement. */
  lockKeys?(records: readonly C[]): string[];
  /** The rules that need stored rows; runs in the transaction. */
  judge(tx: Prisma.TransactionClient, records: C[]): Promise<Judgement<Accepted>>;
  /** Writes the accepted records (a few statements for the whole batch) and says what became of each. */
  write(tx: Prisma.TransactionClient, accepted: Accepted[]): Promise<Map<number, Written<Item>>>;
  /** A concurrent writer got in between (optimistic writes): judge and write again, at most `attempts` times in all. */
  retry?: { attempts: number; when(error: unknown): boolean };
}

export interface BatchOptions {
  /** How long to wait for a connection, and for the whole transaction. */
  transaction: { maxWait: number; timeout: number };
}

export async function runBatch<Input extends { externalId: string }, Lookups, C extends Checked, Accepted extends Checked, Item, F extends string>(
  prisma: PrismaClient,
  writer: BatchWriter<Input, Lookups, C, Accepted, Item>,
  inputs: readonly Input[],
  itemField: F,
  options: BatchOptions,
): Promise<BatchPayload<Item, F>> {
  if (inputs.length > MAX_BATCH_SIZE) {
    throw badUserInput(`A batch holds at most ${MAX_BATCH_SIZE} records; this one has ${inputs.length}`, 'input');
  }
  const rejected = new Map<number, RuleViolation>();
  const onViolation = (index: number, run: () => void) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      rejected.set(index, error);
    }
  };

  const firstIndex = new Map<string, number>();
  const identified: { index: number; input: Input }[] = [];
  inputs.forEach((input, index) =>
    onViolation(index, () => {
      const key = writer.keyOf(input);
      const first = firstIndex.get(key);
      if (first !== undefined) {
        throw new RuleViolation('DUPLICATE_IN_BATCH', `externalId ${input.externalId} appears earlier in this batch (record ${first})`, 'externalId');
      }
      firstIndex.set(key, index);
      identified.push({ index, input });
    }),
  );
  const lookups = await writer.lookup(identified.map((r) => r.input));
  const checked: C[] = [];
  for (const { index, input } of identified) onViolation(index, () => checked.push(writer.check(input, index, lookups)));

  let written = new Map<number, Written<Item>>();
  const attempts = writer.retry?.attempts ?? 1;
  for (let attempt = 1; checked.length; attempt++) {
    const judged = new Map<number, RuleViolation>();
    try {
      written = await prisma.$transaction(async (tx) => {
        for (const key of [...new Set(writer.lockKeys?.(checked) ?? [])].sort()) {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
        }
        const judgement = await writer.judge(tx, checked);
        judgement.rejected.forEach((violation, index) => judged.set(index, violation));
        return writer.write(tx, judgement.accepted);
      }, options.transaction);
      judged.forEach((violation, index) => rejected.set(index, violation));
      break;
    } catch (error) {
      if (attempt >= attempts || !writer.retry?.when(error)) throw error;
    }
  }

  const results = inputs.map((input, index): RecordResult<Item, F> => {
    const violation = rejected.get(index);
    const outcome = written.get(index);
    if (!violation && !outcome) throw new Error(`Batch record ${index} got no outcome`); // a bug, never a client's mistake
    return {
      index,
      externalId: input.externalId,
      status: violation ? RecordStatus.REJECTED : outcome!.status,
      error: violation ? { code: violation.code, message: violation.message, field: violation.field } : null,
      [itemField]: violation ? null : outcome!.item,
    } as RecordResult<Item, F>;
  });
  const count = (status: RecordStatus) => results.filter((r) => r.status === status).length;
  return {
    accepted: results.length - count(RecordStatus.REJECTED),
    rejected: count(RecordStatus.REJECTED),
    created: count(RecordStatus.CREATED),
    updated: count(RecordStatus.UPDATED),
    unchanged: count(RecordStatus.UNCHANGED),
    results,
  };
}
