// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Another package's internals: everything of ours goes through a package's index. */
const deepImports = [
  { group: ['@mch/*/*'], message: 'Import a package through its index (e.g. "@mch/rules"), not its internals.' },
  { group: ['**/rules/src/**', '**/rules/dist/**'], message: 'Import rules/ as "@mch/rules".' },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      'cms/.strapi/**',
      'cms/.tmp/**',
      'cms/types/generated/**',
      'cms/public/**',
      'coverage/**',
      'test-output/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: deepImports }],
    },
  },
  {
    // The product's code (not tests, benchmarks or the seed tools): no object literal with a property
    // after a spread. On Node 20 (V8 11.3) `{ ...a, b }` is 10-24x slower than a plain literal (npm run bench:spread) and its
    // objects survive into the old space; on the feed's path it made nearly all of what reached V8's
    // old space and every major collection at 1,500 req/s (BENCHMARKS.md, ninth session).
    files: ['cms/src/**/*.ts', 'rules/src/**/*.ts', 'workers/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement ~ Property',
          message: 'A property after a spread (V8 11.3: slow, and its objects reach the old space). Write the properties out, put the spread last if the keys are disjoint, or use Object.assign({}, a, { b }).',
        },
      ],
    },
  },
  {
    // rules/ is pure: nothing of ours, no framework, no I/O.
    files: ['rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@mch/*', '**/cms/**', '**/workers/**', '**/content-seed/**'], message: 'rules/ depends on nothing of ours.' },
            { group: ['@strapi/*', 'bull', 'ioredis', 'pg', 'knex'], message: 'rules/ is pure: no framework, queue or database.' },
          ],
        },
      ],
    },
  },
  {
    // Only workers/src/queue/ talks to bull (and bull-board): a later move to another queue touches one folder.
    files: ['workers/**/*.ts'],
    ignores: ['workers/src/queue/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...deepImports, { group: ['bull', 'bull/*', '@bull-board/*'], message: 'Only workers/src/queue/ imports bull and bull-board.' }] },
      ],
    },
  },
  {
    // supertest types response bodies as `any`; the tests assert their shape instead.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },
);
