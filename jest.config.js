// Tests run against real PostgreSQL (TEST_DATABASE_URL, a fresh database per suite) and PGlite.
// ts-jest only transpiles (tsconfig.test.json): `npm run typecheck` does the type checking.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  testTimeout: 120000,
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
