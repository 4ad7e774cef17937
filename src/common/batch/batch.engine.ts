// The skeleton every record… batch mutation runs: check each record on its own (first alone, then
// with what the batch looked up), then, in one transaction, judge the survivors against the stored
// rows and write the accepted ones. Bad records
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

/** A record that passed the checks it can pass alone, with its identity: (source, externalId). */
export interface Prepared extends Checked {
  key: string;
}

export interface Judgement<Accepted extends Checked> {
  accepted: Accepted[];
  rejected: Map<number, RuleViolation>;
}

export interface Written<Item> {
  status: AcceptedStatus;
  item: Item;
}

export interface BatchWriter<Input, P extends Prepared, Lookups, C extends Checked, Accepted extends Checked, Item> {
  /**
   * The rules a record can be judged on alone, its form; throws RuleViolation. A record that passes
   * them claims its key: a later record of the batch with the same key is a DUPLICATE_IN_BATCH (a
   * rejected record claims nothing, so a corrected copy after it is stored).
   */
  prepare(input: Input, index: number): P;
  /** Lookups the checks need for the whole batch (one statement each), read before the transaction. */
  lookup(records: readonly P[]): Promise<Lookups>;
  /** The rules that need the lookups (the institutions a record names, say); throws RuleViolation. */
  check(record: P, lookups: Lookups): C;
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

export async function runBatch<Input extends { externalId: string }, P extends Prepared, Lookups, C extends Checked, Accepted extends Checked, Item, F extends string>(
  prisma: PrismaClient,
  writer: BatchWriter<Input, P, Lookups, C, Accepted, Item>,
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
  const prepared: P[] = [];
  inputs.forEach((input, index) =>
    onViolation(index, () => {
      const record = writer.prepare(input, index);
      const first = firstIndex.get(record.key);
      if (first !== undefined) {
        throw new RuleViolation('DUPLICATE_IN_BATCH', `externalId ${input.externalId} appears earlier in this batch (record ${first})`, 'externalId');
      }
      firstIndex.set(record.key, index);
      prepared.push(record);
    }),
  );
  const lookups = await writer.lookup(prepared);
  const checked: C[] = [];
  for (const record of prepared) onViolation(record.index, () => checked.push(writer.check(record, lookups)));

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
        const outcomes = await writer.write(tx, judgement.accepted);
        // Before the commit: an accepted record without an outcome is a bug, and nothing of it is stored.
        const missing = judgement.accepted.find((r) => !outcomes.has(r.index));
        if (missing || outcomes.size !== judgement.accepted.length) throw new Error(`Batch record ${missing?.index ?? '?'} got no outcome`);
        return outcomes;
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
    if (!violation && !outcome) throw new Error(`Batch record ${index} got no outcome`); // a bug (the writer checked, the engine lost it)
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
