// GraphQL Code Generator: typed documents for the operations in schema/operations/, checked against
// the committed schema/schema.graphql. Runs on install (postinstall) and with `npm run codegen`.
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The contract operations the schema implements so far. The other contract files are kept verbatim
 * beside them and join this list as their domains land.
 */
export const IMPLEMENTED_OPERATIONS = ['schema/operations/frontend.graphql', 'schema/operations/personnel.graphql', 'schema/operations/referrals.graphql'];

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
