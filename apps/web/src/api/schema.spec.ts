// @vitest-environment node
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const webRoot = path.resolve(import.meta.dirname, '../..');

describe('the generated API types', () => {
  it('are what openapi-typescript makes of the committed OpenAPI document (else run `npm run web:api-types`)', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'udagram-api-types-'));
    try {
      const generated = path.join(directory, 'schema.ts');
      // The same command as the generate:api-types script, into a scratch file.
      await promisify(execFile)(
        path.join(webRoot, 'node_modules/.bin/openapi-typescript'),
        ['src/api/openapi.json', '--output', generated],
        { cwd: webRoot },
      );

      const committed = await readFile(path.join(webRoot, 'src/api/schema.ts'), 'utf8');

      expect(committed, 'src/api/schema.ts is out of date: run `npm run web:api-types`').toBe(
        await readFile(generated, 'utf8'),
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
    // openapi-typescript is a process of its own: 5.2 s here on a loaded 2-core machine, past Vitest's 5 s default.
  }, 60_000);
});
