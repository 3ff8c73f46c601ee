/**
 * `npm run build:lambda` (after `nest build api`, from the repository root): bundles every handler of
 * LAMBDA_ENTRY_POINTS into `dist/lambda/<function>/index.mjs` (+ map, + the native packages it imports, built for
 * Lambda's platform), refuses a bundle that carries dev-only code, or code another function owns (the API loads
 * nothing of the pipeline) or is over its size limit (FUNCTION_BOUNDARIES), and zips the folder as
 * `dist/lambda/<function>.zip`, the artefact serverless.ts deploys.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { bundleLambda } from './bundle-lambda.js';
import { findDevOnlyInputs } from './dev-only-inputs.js';
import { findPipelineOnlyInputs, FUNCTION_BOUNDARIES, sizeLimitExceeded } from './function-boundaries.js';
import { artifactPath, bundleDirectory, compiledPath, LAMBDA_ENTRY_POINTS } from './lambda-entry-points.js';
import { installNativePackages, nativePackagesImported } from './native-packages.js';
import { zipDirectory } from './zip-artifact.js';

const workingDirectory = process.cwd();
const { devDependencies = {} } = JSON.parse(await readFile('package.json', 'utf8')) as {
  devDependencies?: Record<string, string>;
};

let failed = false;
for (const [name, source] of Object.entries(LAMBDA_ENTRY_POINTS)) {
  const outDir = bundleDirectory(name);
  await rm(outDir, { recursive: true, force: true });
  const bundle = await bundleLambda({ entry: compiledPath(source), outDir, workingDirectory });

  const devOnly = findDevOnlyInputs(bundle.metafile, Object.keys(devDependencies));
  if (devOnly.length > 0) {
    failed = true;
    console.error(`✗ ${name}: the bundle contains dev-only code:`);
    for (const { input, reason } of devOnly) console.error(`    ${input} (${reason})`);
    continue;
  }
  const boundary = FUNCTION_BOUNDARIES[name as keyof typeof FUNCTION_BOUNDARIES];
  const pipelineOnly =
    boundary === undefined ? [] : findPipelineOnlyInputs(bundle.metafile, bundle.externalImports, boundary);
  const oversize = sizeLimitExceeded((await stat(bundle.file)).size, boundary);
  if (pipelineOnly.length > 0 || oversize !== undefined) {
    failed = true;
    console.error(`✗ ${name}: the bundle crosses its function's boundary:`);
    for (const { input, reason } of pipelineOnly) console.error(`    ${input} (${reason})`);
    if (oversize !== undefined) console.error(`    ${bundle.file}: ${oversize}`);
    continue;
  }

  const nativePackages = nativePackagesImported(bundle.externalImports);
  await installNativePackages(nativePackages, outDir, workingDirectory);
  const zipPath = artifactPath(name);
  await zipDirectory(outDir, zipPath);
  const [code, zip] = await Promise.all([bundle.file, zipPath].map(async (path) => (await stat(path)).size));
  const native = nativePackages.length === 0 ? '' : ` + node_modules for ${nativePackages.join(', ')}`;
  console.log(`✓ ${name}: ${bundle.file} ${megabytes(code)}${native}; ${zipPath} ${megabytes(zip)}`);
}
if (failed) process.exit(1);

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
