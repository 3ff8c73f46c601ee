import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Folders that hold no project source: dependencies, build output, local data, generated reports. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'dist', '.local', 'build', 'coverage', 'test-artifacts']);

/**
 * The checkout's files whose names pass `wanted`, as paths relative to `root` with `/` separators, sorted.
 * Walks the tree itself (no `git ls-files` process) and never enters the skipped folders.
 */
export function repositoryFiles(root: string, wanted: (relativePath: string) => boolean): string[] {
  const found: string[] = [];
  const visit = (relativeFolder: string): void => {
    for (const entry of readdirSync(path.join(root, relativeFolder), { withFileTypes: true })) {
      const relativePath = relativeFolder === '' ? entry.name : `${relativeFolder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) visit(relativePath);
      } else if (entry.isFile() && wanted(relativePath)) {
        found.push(relativePath);
      }
    }
  };
  visit('');
  return found.sort();
}
