import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../repository-root.js';
import { documentedVariables, environmentVariablesRead } from './environment-variables.js';
import { repositoryFiles } from './repository-files.js';

const root = repositoryRoot();
const REFERENCE = 'docs/CONFIGURATION.md';

/** The project's own code and scripts: production, dev-only, tools and benches; not tests, not the browser app. */
function sourcesThatReadTheEnvironment(): string[] {
  return repositoryFiles(
    root,
    (file) =>
      (/^(apps|libs|dev|tools|bench|classifier-cpp)\/.*\.(ts|sh)$/.test(file) || file === 'serverless.ts') &&
      !/\.(e2e-|stack-)?spec\.ts$|\.d\.ts$|^apps\/web\/src\/|\/test\/|^tools\/docs\//.test(file),
  );
}

describe('environmentVariablesRead', () => {
  it('finds process.env reads, config schema keys, the tools’ helpers and shell defaults', () => {
    const found = environmentVariablesRead(root, [
      'libs/images/src/images.config.ts',
      'tools/load/load-options.ts',
      'tools/migrate/run-key-layout-migration.ts',
      'tools/container/build-image.sh',
    ]);

    expect(found.get('THUMBNAILS_CDN_URL')).toEqual(['libs/images/src/images.config.ts']);
    expect(found.get('LOAD_DYNAMODB_FAULT_PERCENT')).toEqual(['tools/load/load-options.ts']);
    expect(found.get('LEGACY_IMAGES_TABLE')).toEqual(['tools/migrate/run-key-layout-migration.ts']);
    expect(found.get('SQUEEZENET_DIR')).toEqual(['tools/container/build-image.sh']);
    expect(found.has('PATH')).toBe(false);
  });
});

describe('documentedVariables', () => {
  it('reads the names in the first cell of table rows only', () => {
    const markdown = ['| variable | default |', '| --- | --- |', '| `A_B`, `C_D` | `NOT_ME` |', 'Prose `NOR_ME`.'];

    expect([...documentedVariables(markdown.join('\n'))]).toEqual(['A_B', 'C_D']);
  });
});

describe('classifier-cpp/README.md', () => {
  const documented = documentedVariables(readFileSync(path.join(root, 'classifier-cpp/README.md'), 'utf8'));
  const sources = repositoryFiles(root, (file) => /^classifier-cpp\/src\/.*\.cpp$/.test(file));
  const read = environmentVariablesRead(root, sources);

  it('documents exactly the variables the classifier reads', () => {
    expect(read.get('MODEL_WEIGHTS')).toEqual(['classifier-cpp/src/classifier/service_config.cpp']);
    expect([...documented].sort()).toEqual([...read.keys()].sort());
  });
});

describe(REFERENCE, () => {
  const documented = documentedVariables(readFileSync(path.join(root, REFERENCE), 'utf8'));
  const read = environmentVariablesRead(root, sourcesThatReadTheEnvironment());

  it('documents every variable the code reads', () => {
    const missing = [...read]
      .filter(([name]) => !documented.has(name))
      .map(([name, files]) => `${name} (${files.join(', ')})`);

    expect(missing).toEqual([]);
  });

  it('documents no variable that the code no longer reads', () => {
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
  });
});
