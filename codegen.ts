// GraphQL Code Generator: typed documents for the contract operations the modules implement (each
// module's `operations`, from src/modules/index.ts), checked against the committed
// schema/schema.graphql. Runs on install (postinstall) and with `npm run codegen`.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';
import ts from 'typescript';
import type { GatewayModule } from './src/module';

/**
 * The module list, loaded with TypeScript's own transpiler: the config loader cannot compile the
 * modules' decorators, and codegen must read the same list as everything else.
 */
function implementedOperations(): string[] {
  const load = createRequire(path.join(__dirname, 'codegen.ts'));
  const extensions = load('node:module')._extensions as Record<string, (module: { _compile(code: string, file: string): void }, file: string) => void>;
  const compilerOptions = JSON.parse(fs.readFileSync(path.join(__dirname, 'tsconfig.json'), 'utf8')).compilerOptions;
  const previous = extensions['.ts'];
  extensions['.ts'] = (module, file) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { ...ts.convertCompilerOptionsFromJson(compilerOptions, __dirname).options, module: ts.ModuleKind.CommonJS, sourceMap: false },
    });
    module._compile(outputText, file);
  };
  try {
    load('reflect-metadata');
    const { modules } = load('./src/modules') as { modules: readonly GatewayModule[] };
    return modules.flatMap((m) => (m.operations ? [m.operations] : []));
  } finally {
    if (previous) extensions['.ts'] = previous;
    else delete extensions['.ts'];
  }
}

export const IMPLEMENTED_OPERATIONS = implementedOperations();

const config: CodegenConfig = {
  overwrite: true,
  schema: 'schema/schema.graphql',
  documents: IMPLEMENTED_OPERATIONS,
  generates: {
    'src/generated/operations.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false },
        scalars: { Date: 'string', DateTime: 'string' },
      },
    },
  },
};

export default config;
