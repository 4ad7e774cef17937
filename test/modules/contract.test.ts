// The module contract: one list of modules, each owning its tables, reaching other modules only
// through their index.ts, and asking every access question of src/auth/.
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { getNamedType, isObjectType } from 'graphql';
import { declaredStatements } from '../../src/common/cost';
import { modules } from '../../src/modules';
import { buildGatewaySchema } from '../../src/schema';

const root = path.resolve(__dirname, '../..');
const modulesDir = path.join(root, 'src/modules');
const folders = fs.readdirSync(modulesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const sourcesOf = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sourcesOf(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));

/** Each Prisma model's table (@@map) and delegate name (the model name in camelCase). */
const prismaTables = fs
  .readdirSync(path.join(root, 'prisma/schema'))
  .flatMap((file) => [...fs.readFileSync(path.join(root, 'prisma/schema', file), 'utf8').matchAll(/^model (\w+) \{[\s\S]*?@@map\("(\w+)"\)/gm)])
  .map(([, model, table]) => ({ table, delegate: model[0].toLowerCase() + model.slice(1) }));

test('src/modules/index.ts lists every module folder, once, and each folder\'s index.ts exports its module', () => {
  expect(modules.map((m) => m.name).sort()).toEqual([...folders].sort());
  for (const folder of folders) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = Object.values(require(path.join(modulesDir, folder)) as Record<string, unknown>);
    expect([folder, exported.filter((value) => modules.includes(value as never)).length]).toEqual([folder, 1]);
  }
});

test('every table belongs to exactly one module, and every module table exists', () => {
  const owned = modules.flatMap((m) => m.tables);
  expect([...owned].sort()).toEqual(prismaTables.map((t) => t.table).sort());
  expect(new Set(owned).size).toBe(owned.length);
});

test('no module reads or writes another module\'s tables, in SQL or through Prisma', () => {
  const reaches: string[] = [];
  for (const module of modules) {
    const foreign = prismaTables.filter((t) => !module.tables.includes(t.table));
    for (const file of sourcesOf(path.join(modulesDir, module.name))) {
      if (file.endsWith('.demo.ts')) continue; // demo loaders seed an empty database in list order; they write only their own tables
      const text = fs.readFileSync(file, 'utf8');
      for (const { table, delegate } of foreign) {
        // Plain, quoted or schema-qualified: FROM institution, JOIN "institution", UPDATE public.institution.
        const sql = new RegExp(`\\b(FROM|JOIN|INTO|UPDATE|TABLE)\\s+(\\w+\\.|"\\w+"\\.)?"?${table}\\b`, 'i');
        const orm = new RegExp(`\\b(prisma|tx|db)\\.${delegate}\\b`);
        if (sql.test(text) || orm.test(text)) reaches.push(`${path.relative(root, file)} → ${table}`);
      }
    }
  }
  expect(reaches).toEqual([]);
});

test('roles are looked at in src/auth/ only', () => {
  const offending: string[] = [];
  // Any use of a token's role or scope, or a role's name: access questions go to Access and the policy.
  const roleTest = /\.role\b|principal\.scope|\.principal\.|\bRole\.|['"`](PROVINCE|COUNTY|INSTITUTION|SOURCE_SYSTEM)['"`]|requireRole/;
  // Issuing the demo tokens and printing them name roles without deciding anything.
  const issuers = ['src/demo/tokens.ts', 'src/main.ts'].map((f) => path.join(root, f));
  for (const file of sourcesOf(path.join(root, 'src'))) {
    if (file.startsWith(path.join(root, 'src/auth') + path.sep) || file.includes(`${path.sep}generated${path.sep}`) || issuers.includes(file)) continue;
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (roleTest.test(line)) offending.push(`${path.relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  expect(offending).toEqual([]);
});

describe('npm run lint keeps the modules apart', () => {
  // The real config, less the cycle rule (it reads the linted file from disk, and these files are not there).
  const eslint = new ESLint({ cwd: root, overrideConfig: { rules: { 'import/no-cycle': 'off' } } });
  const lint = async (file: string, code: string) =>
    (await eslint.lintText(code, { filePath: path.join(root, file) }))[0].messages.filter((m) => m.ruleId === 'import/no-restricted-paths').map((m) => m.message);

  test('a reach into another module\'s files fails', async () => {
    const messages = await lint('src/modules/personnel/x.ts', "import { StructureService } from '../structure/structure.service';\nexport const x = StructureService;\n");
    expect(messages).toEqual([expect.stringContaining("only through its index.ts")]);
  });

  test('another module\'s index.ts is fine', async () => {
    expect(await lint('src/modules/personnel/x.ts', "import { Institution } from '../structure';\nexport const x = Institution;\n")).toEqual([]);
  });

  test('a module importing the HTTP layer fails, and so does a shared layer importing a module', async () => {
    expect(await lint('src/modules/referrals/x.ts', "import { markShared } from '../../http/shared-results';\nexport const x = markShared;\n")).toHaveLength(1);
    expect(await lint('src/common/x.ts', "import { modules } from '../modules';\nexport const x = modules;\n")).toHaveLength(1);
  });
});

test('every connection field declares its SQL statements and a per-row cost (the operation budgets of src/common/cost.ts)', async () => {
  const schema = await buildGatewaySchema();
  const undeclared: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!getNamedType(field.type).name.endsWith('Connection')) continue;
      if (declaredStatements(field.extensions) < 1 || typeof field.extensions.complexity !== 'function') undeclared.push(`${type.name}.${field.name}`);
    }
  }
  expect(undeclared).toEqual([]);
});
