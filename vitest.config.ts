import swc from 'unplugin-swc';
import { configDefaults, defineConfig } from 'vitest/config';

// SWC (not Vite's own transform) compiles the tests, so decorator metadata and the @app/* and @dev/* aliases
// (.swcrc) are exactly those of the build.
const plugins = [swc.vite()];
// Nest imports reflect-metadata itself; specs of plain classes with decorators need it too.
const setupFiles = ['reflect-metadata'];

export default defineConfig({
  test: {
    projects: [
      {
        plugins,
        test: {
          name: 'unit',
          setupFiles,
          include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'dev/**/*.spec.ts', 'tools/**/*.spec.ts'],
          // apps/web is its own package: its specs run under its own config (npm run test:web), in a browser-like DOM.
          exclude: [...configDefaults.exclude, 'apps/web/src/**'],
        },
      },
      {
        plugins,
        test: {
          name: 'e2e',
          // e2e-env.setup.ts copies the local cloud's environment into each worker before a test file is imported.
          setupFiles: [...setupFiles, 'tools/test/e2e-env.setup.ts'],
          include: ['apps/**/*.e2e-spec.ts', 'libs/**/*.e2e-spec.ts', 'dev/**/*.e2e-spec.ts', 'tools/**/*.e2e-spec.ts'],
          // One local cloud (DynamoDB Local, S3, dev identity provider, Lambda emulator) for the whole run.
          globalSetup: ['tools/test/local-cloud.global-setup.ts'],
          // Files share that cloud and the classifier's injected faults: one file at a time keeps them apart.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins,
        test: {
          name: 'stack',
          setupFiles,
          // Packages serverless.ts with osls (offline) and checks the template: needs `npm run build:lambda` first.
          include: ['tools/deploy/**/*.stack-spec.ts'],
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
