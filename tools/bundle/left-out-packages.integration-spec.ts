import { build } from 'esbuild';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEFT_OUT_PACKAGES, leftOutPackagesPlugin } from './left-out-packages.js';

/** Bundles `source` (an ES module) with the plugin and imports the result. */
async function bundled(source: string): Promise<{ handler: () => unknown }> {
  const result = await build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    plugins: [leftOutPackagesPlugin],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {
    handler: () => unknown;
  };
}

/** The production TypeScript sources (apps and libs, specs aside). */
async function productionSources(): Promise<string[]> {
  const files: string[] = [];
  for (const root of ['apps/api/src', 'libs']) {
    for (const entry of await readdir(root, { recursive: true })) {
      if (entry.endsWith('.ts') && !/\.(e2e-|stack-|integration-)?spec\.ts$/.test(entry) && !entry.includes('/test/'))
        files.push(join(root, entry));
    }
  }
  return files;
}

describe('the packages left out of the Lambda bundles', () => {
  it('are not used by the project: no source calls what would need them', async () => {
    const sources = await productionSources();
    const users: string[] = [];
    for (const file of sources) {
      const source = await readFile(file, 'utf8');
      for (const [name, { usedThrough }] of Object.entries(LEFT_OUT_PACKAGES))
        if (usedThrough.test(source)) users.push(`${file} (${name})`);
    }

    expect(sources).toEqual(
      expect.arrayContaining(['apps/api/src/configure-app.ts', 'libs/images/src/images.controller.ts']),
    );
    expect(users).toEqual([]);
  });

  it('become a stub that fails loudly when called', async () => {
    const { handler } = await bundled("import multer from 'multer';\nexport const handler = () => multer({});");

    expect(handler).toThrow('multer is left out of the Lambda bundles (tools/bundle/left-out-packages.ts)');
  });

  it('take their subpaths along', async () => {
    const { handler } = await bundled(
      "import { parsePhoneNumber } from 'libphonenumber-js/max';\nexport const handler = () => parsePhoneNumber('+1');",
    );

    expect(handler).toThrow('libphonenumber-js/max is left out of the Lambda bundles');
  });

  it('fail the build when an importer asks for a name the stub does not export', async () => {
    await expect(
      bundled("import { isValidPhoneNumber } from 'libphonenumber-js';\nexport const handler = isValidPhoneNumber;"),
    ).rejects.toThrow(/No matching export/);
  });
});
