import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from './bundle-lambda.js';

const run = promisify(execFile);

/** The stack of an error thrown inside the bundle, printed by a fresh Node (no test runner's stack formatter). */
async function stackThrownBy(bundle: string, nodeOptions = ''): Promise<string> {
  const script = `import(${JSON.stringify(pathToFileURL(bundle).href)}).then((m) => { try { m.fail(); } catch (error) { console.log(error.stack); } });`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  return stdout;
}

describe('stack traces of a Lambda bundle', () => {
  let directory: string;
  let bundle: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'stack-mapping-'));
    const entry = join(directory, 'failing-entry.ts');
    await writeFile(
      entry,
      ['export function fail(): never {', "  throw new TypeError('no such group');", '}', ''].join('\n'),
    );
    ({ file: bundle } = await bundleLambda({ entry, outDir: join(directory, 'out'), workingDirectory: process.cwd() }));
  }, 60_000);

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('name the source line through the map beside the bundle, read only when a stack is formatted', async () => {
    const stack = await stackThrownBy(bundle);

    expect(stack.split('\n')[0]).toBe('TypeError: no such group');
    expect(stack).toMatch(/at (Module\.)?fail \(file:\/\/\S*failing-entry\.ts:2:9\)/);
    expect(stack).not.toContain('index.mjs');
  });

  it('do the same whether Node was started with --enable-source-maps or not (the bundle links no map for it)', async () => {
    expect(await stackThrownBy(bundle, '--enable-source-maps')).toMatch(/failing-entry\.ts:2:9/);
  });

  it('keep the bundle’s own frames when the map is missing', async () => {
    await rm(`${bundle}.map`);

    expect(await stackThrownBy(bundle)).toMatch(/at (Module\.)?fail \(file:\/\/\S*index\.mjs:\d+:\d+\)/);
  });
});
