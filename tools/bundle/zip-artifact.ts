import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

// A fixed time and mode make the zip a function of the files' bytes alone: an unchanged bundle keeps its hash,
// so a deploy does not update a function whose code did not change.
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');
const READABLE_FILE_MODE = 0o100644;

/** Zips every file under `directory` at its path relative to it, in sorted order. */
export async function zipDirectory(directory: string, zipPath: string): Promise<void> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
  const zip = new ZipFile();
  for (const file of files) {
    zip.addBuffer(await readFile(join(directory, file)), file, {
      mtime: FIXED_MTIME,
      mode: READABLE_FILE_MODE,
      compressionLevel: 9,
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath));
}
