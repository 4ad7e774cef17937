// The committed SDL and the contract operations: drift between code and schema/schema.graphql fails
// here, as does an edited copy of a contract file or a contract operation the schema cannot run.
import crypto from 'node:crypto';
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

// The copies in schema/operations/ must be the contract verbatim. Beside the shared folder (CI always
// has ../shared next to the clone) they are compared with it, and so is schema/operations/SHA256SUMS;
// in a clone without it (an outside contributor's) they are checked against SHA256SUMS. Either way an
// edited copy fails.
const sharedContract = path.resolve(root, '../shared/contract');
const operationsDir = path.join(root, 'schema/operations');
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const manifest = () =>
  fs
    .readFileSync(path.join(operationsDir, 'SHA256SUMS'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(/\s+/))
    .map(([hash, name]) => ({ hash, name }));

test('schema/operations holds the contract files verbatim', () => {
  const listed = manifest();
  expect(listed.length).toBeGreaterThan(0);
  for (const { hash, name } of listed) expect([name, fs.existsSync(path.join(operationsDir, name)) && sha256(path.join(operationsDir, name))]).toEqual([name, hash]);
  if (!fs.existsSync(sharedContract)) return; // checked against the manifest above
  const names = fs.readdirSync(sharedContract).filter((f) => f.endsWith('.graphql')).sort();
  expect(listed.map((l) => l.name).sort()).toEqual(names);
  for (const name of names) {
    const copy = path.join(operationsDir, name);
    expect([name, fs.existsSync(copy) && fs.readFileSync(copy, 'utf8')]).toEqual([name, fs.readFileSync(path.join(sharedContract, name), 'utf8')]);
  }
});
