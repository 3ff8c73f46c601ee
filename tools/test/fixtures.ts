import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repositoryRoot } from '../repository-root.js';

/** The shared fixture photos (never copied into the repository): FIXTURES_DIR, else ../shared/fixtures/images. */
export function fixturesDirectory(): string {
  return path.resolve(repositoryRoot(), process.env.FIXTURES_DIR ?? '../shared/fixtures/images');
}

export function readFixture(name: string): Promise<Buffer> {
  return readFile(path.join(fixturesDirectory(), name));
}
