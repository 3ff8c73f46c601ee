import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureClassifierBuilt } from './ensure-classifier-built.js';

// A stand-in build.sh: counts its runs, then writes build/bootstrap (or fails when told to).
const FAKE_BUILD_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")"
echo run >> build-runs.log
if [ -f fail-build ]; then echo "compiler says no" >&2; exit 3; fi
sleep 0.2
mkdir -p build
echo binary > build/bootstrap
`;

describe('ensureClassifierBuilt', { timeout: 20_000 }, () => {
  let repoRoot: string;
  let sourceDir: string;
  let logLines: string[];

  const log = (line: string): void => void logLines.push(line);
  const buildRuns = async (): Promise<number> =>
    (await readFile(join(sourceDir, 'build-runs.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
  const age = async (path: string, secondsAgo: number): Promise<void> => {
    const time = new Date(Date.now() - secondsAgo * 1000);
    await utimes(path, time, time);
  };

  beforeEach(async () => {
    repoRoot = await mkdtemp(join(tmpdir(), 'ensure-classifier-built-'));
    sourceDir = join(repoRoot, 'classifier-cpp');
    await mkdir(join(sourceDir, 'src'), { recursive: true });
    await writeFile(join(sourceDir, 'build.sh'), FAKE_BUILD_SCRIPT);
    await writeFile(join(sourceDir, 'src', 'main.cpp'), 'int main() {}\n');
    logLines = [];
  });

  afterEach(async () => {
    await rm(repoRoot, { recursive: true, force: true });
  });

  it('builds the bootstrap when it is missing and returns its path', async () => {
    const path = await ensureClassifierBuilt(repoRoot, log);

    expect(path).toBe(join(sourceDir, 'build', 'bootstrap'));
    await expect(readFile(path, 'utf8')).resolves.toBe('binary\n');
    expect(await buildRuns()).toBe(1);
  });

  it('does not build again while the bootstrap is newer than every source', async () => {
    await ensureClassifierBuilt(repoRoot, log);
    await age(join(sourceDir, 'build.sh'), 60);
    await age(join(sourceDir, 'build-runs.log'), 60);
    await age(join(sourceDir, 'src', 'main.cpp'), 60);

    await ensureClassifierBuilt(repoRoot, log);

    expect(await buildRuns()).toBe(1);
  });

  it('builds again when a source under classifier-cpp is newer than the bootstrap', async () => {
    const path = await ensureClassifierBuilt(repoRoot, log);
    await age(path, 60);

    await ensureClassifierBuilt(repoRoot, log);

    expect(await buildRuns()).toBe(2);
  });

  it('ignores files under build/', async () => {
    const path = await ensureClassifierBuilt(repoRoot, log);
    await age(join(sourceDir, 'build.sh'), 120);
    await age(join(sourceDir, 'build-runs.log'), 120);
    await age(join(sourceDir, 'src', 'main.cpp'), 120);
    await age(path, 60);
    await writeFile(join(sourceDir, 'build', 'CMakeCache.txt'), 'newer than the bootstrap');

    await ensureClassifierBuilt(repoRoot, log);

    expect(await buildRuns()).toBe(1);
  });

  it('builds once when several callers ask at the same time', async () => {
    const paths = await Promise.all([1, 2, 3].map(() => ensureClassifierBuilt(repoRoot, log)));

    expect(new Set(paths).size).toBe(1);
    expect(await buildRuns()).toBe(1);
  });

  it('rejects with the end of the build output when build.sh fails', async () => {
    await writeFile(join(sourceDir, 'fail-build'), '');

    await expect(ensureClassifierBuilt(repoRoot, log)).rejects.toThrow(
      /build\.sh failed \(exit status 3\):\ncompiler says no/,
    );
    expect(logLines).toContain('[classifier-cpp] compiler says no');
  });
});
