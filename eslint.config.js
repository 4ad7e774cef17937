// ESLint (flat config): typescript-eslint's recommended rules plus an import-cycle guard, so that a
// domain module never ends up importing, through others, something that imports it.
const fs = require('node:fs');
const path = require('node:path');
const tseslint = require('typescript-eslint');
const importPlugin = require('eslint-plugin-import');

// Module boundaries: a module imports another only through its index.ts; modules never import the
// HTTP layer or the composition roots; the shared layers (auth, common, db) never import a module.
const modulesDir = path.join(__dirname, 'src/modules');
const moduleNames = fs.readdirSync(modulesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const boundaries = [
  ...moduleNames.flatMap((target) =>
    moduleNames
      .filter((from) => from !== target)
      .map((from) => ({
        target: `./src/modules/${target}`,
        from: `./src/modules/${from}`,
        except: ['./index.ts'],
        message: `A module imports another only through its index.ts ('../${from}')`,
      })),
  ),
  {
    target: './src/modules',
    from: ['./src/http', './src/app.ts', './src/server.ts', './src/context.ts', './src/live.ts', './src/schema.ts', './src/main.ts'],
    message: 'Modules depend on the module contract (src/module.ts) and the shared layers, never on the HTTP layer or the composition roots',
  },
  { target: ['./src/auth', './src/common', './src/db'], from: './src/modules', message: 'The shared layers never import a module' },
];

module.exports = tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/generated/', 'data/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: {
      'import/extensions': ['.ts', '.js'],
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
    },
    rules: {
      'import/no-cycle': ['error', { ignoreExternal: true }],
      'import/no-self-import': 'error',
      'import/no-restricted-paths': ['error', { zones: boundaries }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
