import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipDirectory } from './zip-artifact.js';

/** The entries of a zip, read from its local file headers (enough for archives without data descriptors). */
function readEntries(zip: Buffer): Map<string, string> {
  const entries = new Map<string, string>();
  let offset = 0;
  while (zip.readUInt32LE(offset) === 0x04034b50) {
    const method = zip.readUInt16LE(offset + 8);
    const compressedSize = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const extraLength = zip.readUInt16LE(offset + 28);
    const name = zip.toString('utf8', offset + 30, offset + 30 + nameLength);
    const dataStart = offset + 30 + nameLength + extraLength;
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    entries.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    offset = dataStart + compressedSize;
  }
  return entries;
}

describe('zipDirectory', () => {
  let directory: string;
  let bundle: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'zip-artifact-'));
    bundle = join(directory, 'bundle');
    await mkdir(join(bundle, 'node_modules', 'sharp', 'lib'), { recursive: true });
    await writeFile(join(bundle, 'index.mjs'), 'export const handler = () => 42;\n'.repeat(50));
    await writeFile(join(bundle, 'index.mjs.map'), '{"version":3}');
    await writeFile(join(bundle, 'node_modules', 'sharp', 'lib', 'index.js'), 'module.exports = {};');
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('puts every file at its path relative to the folder, with its content', async () => {
    const zipPath = join(directory, 'function.zip');

    await zipDirectory(bundle, zipPath);

    const entries = readEntries(await readFile(zipPath));
    expect([...entries.keys()]).toEqual(['index.mjs', 'index.mjs.map', 'node_modules/sharp/lib/index.js']);
    expect(entries.get('index.mjs')).toBe('export const handler = () => 42;\n'.repeat(50));
  });

  it('gives the same bytes for the same files, whenever they were written', async () => {
    await zipDirectory(bundle, join(directory, 'first.zip'));
    const anHourLater = new Date(Date.now() + 3_600_000);
    await utimes(join(bundle, 'index.mjs'), anHourLater, anHourLater);

    await zipDirectory(bundle, join(directory, 'second.zip'));

    expect(await readFile(join(directory, 'second.zip'))).toEqual(await readFile(join(directory, 'first.zip')));
  });
});
