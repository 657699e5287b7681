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
