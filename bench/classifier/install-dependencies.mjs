// Installs the bench package's locked dependencies (bench/classifier/node_modules) when they are missing or are not
// the locked versions. They stay out of the root install: onnxruntime-node alone is 288 MB.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDirectory = new URL('./', import.meta.url);

export function installDependenciesIfNeeded() {
  if (isInstalled()) return false;
  // npm ci installs exactly the committed lock and never rewrites it. ONNXRUNTIME_NODE_INSTALL=skip: the
  // postinstall would download CUDA files (no such network here); the CPU binaries ship in the package itself.
  const result = spawnSync('npm', ['ci', '--prefix', fileURLToPath(packageDirectory)], {
    stdio: 'inherit',
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
  if (result.status !== 0) throw new Error(`npm ci --prefix bench/classifier failed (exit ${result.status})`);
  return true;
}

// Installed when every locked top-level dependency is present at its locked version.
function isInstalled() {
  const lock = readJson(new URL('package-lock.json', packageDirectory));
  return Object.keys(lock.packages[''].dependencies).every((name) => {
    try {
      const installed = readJson(new URL(`node_modules/${name}/package.json`, packageDirectory));
      return installed.version === lock.packages[`node_modules/${name}`].version;
    } catch {
      return false;
    }
  });
}

function readJson(url) {
  return JSON.parse(readFileSync(url, 'utf8'));
}
