/**
 * Two projects:
 *  - unit: pure code (rules/), no servers.
 *  - integration: the real Strapi app (cms/dist) on real PostgreSQL and Redis, over real HTTP.
 * Type checking is `npm run typecheck` (strict, tests included); jest only transpiles.
 */
const transform = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
};
const moduleNameMapper = {
  '^@mch/rules$': '<rootDir>/rules/src/index.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      testTimeout: 60000,
    },
  ],
};
