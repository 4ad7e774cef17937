// The committed SDL and the contract operations: drift between code and schema/schema.graphql fails
// here, as does an edited copy of a contract file or a contract operation the schema cannot run.
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
// src/schema first: type-graphql emits types in the order their decorators ran, as in `npm run schema:emit`.
import { printGatewaySdl } from '../../src/schema';
import { modules } from '../../src/modules';

const root = path.resolve(__dirname, '../..');
const committedSdl = () => fs.readFileSync(path.join(root, 'schema/schema.graphql'), 'utf8');

test('schema/schema.graphql is what the code emits (run `npm run schema:emit` after changing types)', async () => {
  expect(committedSdl()).toBe(await printGatewaySdl());
});

// codegen.ts types the same files: it reads them from the same module list.
test('the contract operations of every module validate against the schema', () => {
  const schema = buildSchema(committedSdl());
  const files = modules.flatMap((m) => (m.operations ? [m.operations] : []));
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const errors = validate(schema, parse(fs.readFileSync(path.join(root, file), 'utf8')));
    expect([file, errors.map((e) => e.message)]).toEqual([file, []]);
  }
});

// CI always has ../shared beside the clone: a missing folder fails rather than skipping the check.
const sharedContract = path.resolve(root, '../shared/contract');
test('schema/operations holds the contract files verbatim', () => {
  if (!fs.existsSync(sharedContract)) {
    throw new Error(`The shared contract folder is missing: looked for ${sharedContract} (../shared/contract beside the clone)`);
  }
  const names = fs.readdirSync(sharedContract).filter((f) => f.endsWith('.graphql'));
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) {
    const copy = path.join(root, 'schema/operations', name);
    expect([name, fs.existsSync(copy) && fs.readFileSync(copy, 'utf8')]).toEqual([name, fs.readFileSync(path.join(sharedContract, name), 'utf8')]);
  }
});
