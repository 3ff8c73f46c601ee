// The TypeScript gate: `npm run lint` runs it with Prettier's check and the C++ checks (npm test runs that).
//
// ESLint + typescript-eslint + Prettier rather than Biome: the bugs worth a gate here are type-aware —
// a floating or misused promise, an `await` on a non-promise, an `any` flowing into production code, a `switch` that
// misses a union member — and only typescript-eslint reads the TypeScript program for them (Biome's floating-promise
// rule is a partial type inference of its own, with no await-thenable, no-unsafe-* or exhaustiveness check). The
// repository's import boundaries are one small local rule (tools/lint/import-boundaries.mjs) on ESLint's plain rule
// API. Prettier formats everything ESLint does not read (JSON, Markdown, YAML), so ESLint carries no style rules.
import js from '@eslint/js';
import vitest from '@vitest/eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import udagram from './tools/lint/import-boundaries.mjs';

const TS = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS = ['**/*.js', '**/*.mjs', '**/*.cjs'];
// Every test layer: *.spec.ts (unit) and *.<layer>-spec.ts (e2e-spec, integration-spec, browser-spec, stack-spec).
const TESTS = ['**/*.spec.ts', '**/*.spec.tsx', '**/*-spec.ts'];
/** Code that never ships: its `any` from JSON, child processes and emulated wire formats is checked by its tests. */
const DEV_ONLY = [
  ...TESTS,
  '**/test/**',
  'tools/**',
  'bench/**',
  'dev/**',
  'libs/local-cloud/**',
  'libs/lambda-emulator/**',
  'libs/websocket-gateway-emulator/**',
  'libs/emulator-http/**',
];

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '.local/',
    'coverage/',
    'test-artifacts/',
    'classifier-cpp/build/',
    'classifier-cpp/third_party/',
    // Generated from the OpenAPI document by openapi-typescript (npm run web:api-types).
    'apps/web/src/api/schema.ts',
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  {
    files: TS,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // Each file is checked against the nearest tsconfig.json: the root one, or apps/web's for the browser app.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, allowDefaultCaseForExhaustiveSwitch: true },
      ],
      '@typescript-eslint/ban-ts-comment': 'error',
      // Off: its 171 findings are all `x[i]!` on indexed reads, which state "present here" on purpose and become
      // necessary the day the tsconfig turns on noUncheckedIndexedAccess.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // A variable a closure reads before its one assignment (a server handler set up before the server listens).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: JS,
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
  {
    // Tests and dev-only code keep every promise rule (an un-awaited assertion is a test that cannot fail), but not
    // the rules about types: `any` from parsed JSON, SDK middleware and emulated wire formats, `async` stubs that
    // implement a promise-returning interface without awaiting, `expect(mock.method)` (unbound-method), and
    // messages that print unknown values. Production code (apps/*/src, the production libs) keeps them all.
    files: DEV_ONLY,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: TESTS,
    plugins: { vitest },
    rules: {
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
    },
  },
  {
    files: [...TS, ...JS],
    plugins: { udagram },
    rules: { 'udagram/import-boundaries': 'error' },
  },
);
