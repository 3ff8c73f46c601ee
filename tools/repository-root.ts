import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root, found upwards from this file, so that it is the same whether the code runs from source
 * (tests) or compiled under dist/ (the launcher, benches).
 */
export function repositoryRoot(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(directory, 'package-lock.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('No package-lock.json above the tools folder: not in a checkout');
    directory = parent;
  }
  return directory;
}
