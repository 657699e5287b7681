/**
 * Two projects:
 *  - unit: pure code (rules/), no servers.
 *  - integration: the real Strapi app (cms/dist) on real PostgreSQL and Redis, over real HTTP.
 *  - browser: the same app serving its built admin panel, driven by chromium (playwright-core).
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
  // Booting the app on a fresh schema takes seconds on a 2-core machine; this is a hang guard, not a timing assertion.
  testTimeout: 120000,
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
    },
    {
      // The admin panel in Debian's chromium (playwright-core); fails, never skips, when chromium is missing.
      displayName: 'browser',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
    },
  ],
};
