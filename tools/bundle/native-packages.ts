import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LAMBDA_PLATFORM } from './lambda-platform.js';

/**
 * Packages with native binaries that esbuild cannot bundle: left external, and shipped in the function's
 * `node_modules`, built for LAMBDA_PLATFORM rather than for the machine that bundles.
 */
export const NATIVE_PACKAGES = ['sharp'];

/** The native packages among a bundle's external imports. */
export function nativePackagesImported(externalImports: readonly string[]): string[] {
  return NATIVE_PACKAGES.filter((name) => externalImports.some((path) => path === name || path.startsWith(`${name}/`)));
}

/**
 * Puts each package (the version installed here, so tests and Lambda run the same one) with its dependencies for
 * LAMBDA_PLATFORM into `<directory>/node_modules`. An install is kept under node_modules/.cache and reused.
 */
export async function installNativePackages(
  names: readonly string[],
  directory: string,
  workingDirectory: string,
): Promise<void> {
  for (const name of names) {
    const { version } = JSON.parse(
      await readFile(join(workingDirectory, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { version: string };
    const { os, cpu, libc } = LAMBDA_PLATFORM;
    const cached = join(
      workingDirectory,
      'node_modules',
      '.cache',
      'lambda-native',
      `${name}@${version}-${os}-${cpu}-${libc}`,
    );
    if (!(await exists(cached))) await installInto(cached, `${name}@${version}`);
    await cp(join(cached, 'node_modules'), join(directory, 'node_modules'), { recursive: true });
  }
}

async function installInto(target: string, spec: string): Promise<void> {
  const { os, cpu, libc } = LAMBDA_PLATFORM;
  await mkdir(join(target, '..'), { recursive: true });
  const staging = await mkdtemp(`${target}.partial-`);
  try {
    await writeFile(join(staging, 'package.json'), '{"private":true}\n');
    await promisify(execFile)(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-bin-links',
        '--no-audit',
        '--no-fund',
        `--os=${os}`,
        `--cpu=${cpu}`,
        `--libc=${libc}`,
        spec,
      ],
      { cwd: staging, timeout: 300_000 },
    );
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
