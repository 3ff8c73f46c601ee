import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleLambda } from './bundle-lambda.js';

const MAPPED_TYPES_HELPERS = 'node_modules/@nestjs/mapped-types/dist/type-helpers.utils.js';

describe('bundleLambda', () => {
  let project: string;

  /** Writes the files of a throw-away project. */
  async function write(files: Record<string, string>): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(project, path)), { recursive: true });
      await writeFile(join(project, path), content);
    }
  }

  beforeEach(async () => {
    project = await mkdtemp(join(tmpdir(), 'bundle-lambda-'));
    await write({
      'node_modules/fake-validator/package.json': '{"name":"fake-validator","main":"index.js"}',
      'node_modules/fake-validator/index.js': "module.exports = { origin: 'bundled' };",
      'node_modules/@nestjs/mapped-types/package.json': '{"name":"@nestjs/mapped-types","type":"module"}',
    });
  });

  afterEach(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('bundles what @nestjs/mapped-types loads through its local createRequire, so it works without node_modules', async () => {
    await write({
      [MAPPED_TYPES_HELPERS]: [
        "import { createRequire } from 'node:module';",
        'const require = createRequire(import.meta.url);',
        "export function validatorOrigin() { return require('fake-validator').origin; }",
      ].join('\n'),
      'entry.js': "export { validatorOrigin as handler } from '@nestjs/mapped-types/dist/type-helpers.utils.js';",
    });
    const bundle = await bundleLambda({ entry: 'entry.js', outDir: 'out', workingDirectory: project });

    // Moved away from the project's node_modules, as in Lambda's /var/task.
    const elsewhere = await mkdtemp(join(tmpdir(), 'bundle-lambda-deployed-'));
    const deployed = join(elsewhere, 'index.mjs');
    await rename(join(project, bundle.file), deployed);
    try {
      const { handler } = (await import(pathToFileURL(deployed).href)) as { handler: () => string };

      expect(handler()).toBe('bundled');
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('fails the build when @nestjs/mapped-types no longer loads its dependencies the way the fix expects', async () => {
    await write({
      [MAPPED_TYPES_HELPERS]: "export function validatorOrigin() { return 'changed'; }",
      'entry.js': "export { validatorOrigin as handler } from '@nestjs/mapped-types/dist/type-helpers.utils.js';",
    });

    await expect(bundleLambda({ entry: 'entry.js', outDir: 'out', workingDirectory: project })).rejects.toThrow(
      /no longer declares the local require/,
    );
  });

  it('keeps class names through minification, as Nest and the error filter rely on them', async () => {
    await write({ 'entry.js': 'export class GroupsService {}\nexport const handler = () => GroupsService.name;' });

    const bundle = await bundleLambda({ entry: 'entry.js', outDir: 'out', workingDirectory: project });
    const { handler } = (await import(pathToFileURL(join(project, bundle.file)).href)) as { handler: () => string };

    expect(handler()).toBe('GroupsService');
  });

  it('leaves native and optional packages external and reports them', async () => {
    await write({
      'entry.js':
        "import sharp from 'sharp';\nexport const handler = () => import('@nestjs/microservices').catch(() => sharp);",
    });

    const bundle = await bundleLambda({ entry: 'entry.js', outDir: 'out', workingDirectory: project });

    expect(bundle.externalImports).toEqual(expect.arrayContaining(['sharp', '@nestjs/microservices']));
  });
});
