// The batch engine every record… mutation runs on, with a writer of its own over a real database:
// per-record rejections at each stage, one outcome per record, retries, and the size limit.
import 'reflect-metadata';
import { MAX_BATCH_SIZE, RecordStatus, RuleViolation, runBatch, type BatchWriter, type Prepared, type Written } from '../../src/common/batch';
import { openDatabase, type Database } from '../../src/db/client';
import type { Prisma } from '../../src/generated/prisma/client';
import { createTestDatabase, type TestDatabase } from '../support/database';

interface In {
  externalId: string;
  value: number;
}
interface Item {
  externalId: string;
  doubled: number;
}

type Record = Prepared & { input: In };

/** Rejects an empty id in prepare, negative values in check, values over 100 in judge; 7 is stored already (UNCHANGED). */
class Doubler implements BatchWriter<In, Record, Set<number>, Record, Record, Item> {
  judged = 0;
  lookups = 0;
  failures = 0;
  constructor(readonly retry?: BatchWriter<In, Record, Set<number>, Record, Record, Item>['retry']) {}
  prepare(input: In, index: number): Record {
    if (!input.externalId) throw new RuleViolation('REQUIRED', 'externalId must not be empty', 'externalId');
    if (input.value === 13) throw new RuleViolation('UNLUCKY', 'value must not be 13', 'value');
    return { index, key: input.externalId, input };
  }
  async lookup(records: readonly Record[]): Promise<Set<number>> {
    this.lookups++;
    return new Set(records.map((r) => r.input.value));
  }
  check(record: Record): Record {
    if (record.input.value < 0) throw new RuleViolation('NEGATIVE', 'value must not be negative', 'value');
    return record;
  }
  lockKeys(records: readonly Record[]): string[] {
    return records.map(() => 'test:doubler');
  }
  async judge(tx: Prisma.TransactionClient, records: Record[]) {
    this.judged++;
    await tx.$queryRaw`SELECT 1`; // it runs in the transaction
    if (this.failures-- > 0) throw new Error('concurrent change');
    const rejected = new Map(records.filter((r) => r.input.value > 100).map((r) => [r.index, new RuleViolation('TOO_BIG', 'value over 100', 'value')]));
    return { accepted: records.filter((r) => !rejected.has(r.index)), rejected };
  }
  async write(_tx: Prisma.TransactionClient, accepted: Record[]) {
    return new Map<number, Written<Item>>(
      accepted.map((r) => [r.index, { status: r.input.value === 7 ? RecordStatus.UNCHANGED : RecordStatus.CREATED, item: { externalId: r.input.externalId, doubled: r.input.value * 2 } }]),
    );
  }
}

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase('batch');
  db = await openDatabase({ databaseUrl: database.url, pgliteDir: '' });
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

const options = { transaction: { maxWait: 10_000, timeout: 30_000 } };

test('each record gets one outcome by index: rejections from identity, check and judge; the rest stored', async () => {
  const writer = new Doubler();
  const inputs = [
    { externalId: 'a', value: 1 },
    { externalId: '', value: 2 },
    { externalId: 'a', value: 3 },
    { externalId: 'b', value: -1 },
    { externalId: 'c', value: 101 },
    { externalId: 'd', value: 7 },
    { externalId: 'e', value: 13 },
    { externalId: 'e', value: 14 }, // a corrected copy of a record rejected on its own fields is stored
  ];
  const payload = await runBatch(db.prisma, writer, inputs, 'item', options);
  expect(payload.results.map((r) => [r.index, r.externalId, r.status, r.error?.code ?? null, r.error?.field ?? null, r.item?.doubled ?? null])).toEqual([
    [0, 'a', 'CREATED', null, null, 2],
    [1, '', 'REJECTED', 'REQUIRED', 'externalId', null],
    [2, 'a', 'REJECTED', 'DUPLICATE_IN_BATCH', 'externalId', null],
    [3, 'b', 'REJECTED', 'NEGATIVE', 'value', null],
    [4, 'c', 'REJECTED', 'TOO_BIG', 'value', null],
    [5, 'd', 'UNCHANGED', null, null, 14],
    [6, 'e', 'REJECTED', 'UNLUCKY', 'value', null],
    [7, 'e', 'CREATED', null, null, 28],
  ]);
  expect(payload).toMatchObject({ accepted: 3, rejected: 5, created: 2, updated: 0, unchanged: 1 });
  expect(writer.lookups).toBe(1); // one lookup for the whole batch
});

test('a retryable failure judges and writes again; any other failure, or too many, is the caller\'s to see', async () => {
  const retrying = new Doubler({ attempts: 3, when: (e: unknown) => (e as Error).message === 'concurrent change' });
  retrying.failures = 2;
  expect((await runBatch(db.prisma, retrying, [{ externalId: 'a', value: 1 }], 'item', options)).created).toBe(1);
  expect(retrying.judged).toBe(3);

  const giving = new Doubler({ attempts: 2, when: () => true });
  giving.failures = 2;
  await expect(runBatch(db.prisma, giving, [{ externalId: 'a', value: 1 }], 'item', options)).rejects.toThrow('concurrent change');
  const plain = new Doubler();
  plain.failures = 1;
  await expect(runBatch(db.prisma, plain, [{ externalId: 'a', value: 1 }], 'item', options)).rejects.toThrow('concurrent change');
});

test('a record the writer gives no outcome is a bug, never silently dropped: the transaction rolls back', async () => {
  const forgetful = new Doubler();
  forgetful.write = async (tx) => {
    await tx.$executeRaw`CREATE TABLE batch_probe (id int)`;
    return new Map();
  };
  await expect(runBatch(db.prisma, forgetful, [{ externalId: 'a', value: 1 }], 'item', options)).rejects.toThrow('Batch record 0 got no outcome');
  const [{ exists }] = await db.prisma.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('batch_probe') IS NOT NULL AS exists`;
  expect(exists).toBe(false);
});

test(`more than ${MAX_BATCH_SIZE} records is BAD_USER_INPUT on input, before anything is read`, async () => {
  const writer = new Doubler();
  const inputs = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => ({ externalId: `r${i}`, value: 1 }));
  await expect(runBatch(db.prisma, writer, inputs, 'item', options)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input' } });
  expect(writer.lookups).toBe(0);
});

test('a batch whose records are all rejected before the judgement opens no transaction', async () => {
  const writer = new Doubler();
  const payload = await runBatch(db.prisma, writer, [{ externalId: 'a', value: -5 }], 'item', options);
  expect(payload).toMatchObject({ accepted: 0, rejected: 1 });
  expect(writer.judged).toBe(0);
});
