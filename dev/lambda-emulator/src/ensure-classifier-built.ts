import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { open, readFile, readdir, stat, unlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const LOCK_POLL_MS = 500;
const FAILED_BUILD_TAIL_LINES = 30;

/**
 * Returns classifier-cpp's `build/bootstrap`, first running `classifier-cpp/build.sh` when the binary is missing or
 * older than any file under `classifier-cpp/` (build/ excluded). A lock makes concurrent callers (parallel test
 * files, the launcher) build once.
 */
export async function ensureClassifierBuilt(
  repoRoot: string,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<string> {
  const sourceDir = resolve(repoRoot, 'classifier-cpp');
  const bootstrapPath = join(sourceDir, 'build', 'bootstrap');
  if (await isUpToDate(sourceDir, bootstrapPath)) return bootstrapPath;

  const releaseLock = await acquireBuildLock(sourceDir);
  try {
    // Another process may have built it while this one waited for the lock.
    if (await isUpToDate(sourceDir, bootstrapPath)) return bootstrapPath;
    log(`[classifier-cpp] building ${bootstrapPath}`);
    await runBuildScript(repoRoot, log);
    if ((await modifiedAt(bootstrapPath)) === undefined) {
      throw new Error(`classifier-cpp/build.sh succeeded but did not produce ${bootstrapPath}`);
    }
    // The build may leave the binary as it was (say, only a test changed); stamping it keeps the next check cheap.
    const now = new Date();
    await utimes(bootstrapPath, now, now);
    return bootstrapPath;
  } finally {
    await releaseLock();
  }
}

async function isUpToDate(sourceDir: string, bootstrapPath: string): Promise<boolean> {
  const builtAt = await modifiedAt(bootstrapPath);
  return builtAt !== undefined && (await newestSourceChange(sourceDir, true)) <= builtAt;
}

async function newestSourceChange(dir: string, isSourceRoot: boolean): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(isSourceRoot && entry.name === 'build')) newest = Math.max(newest, await newestSourceChange(path, false));
    } else {
      newest = Math.max(newest, (await modifiedAt(path)) ?? 0);
    }
  }
  return newest;
}

async function modifiedAt(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A lock file holding its owner's pid; one left by a dead process is taken over. */
async function acquireBuildLock(sourceDir: string): Promise<() => Promise<void>> {
  const sourceHash = createHash('sha1').update(sourceDir).digest('hex').slice(0, 12);
  const lockPath = join(tmpdir(), `udagram-classifier-build-${sourceHash}.lock`);
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(lockPath, 'utf8').catch(() => ''));
    if (owner > 0 && !isAlive(owner)) await unlink(lockPath).catch(() => undefined);
    else await sleep(LOCK_POLL_MS);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function runBuildScript(repoRoot: string, log: (line: string) => void): Promise<void> {
  const build = spawn('bash', ['classifier-cpp/build.sh'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const collect = (line: string): void => {
    log(`[classifier-cpp] ${line}`);
    tail.push(line);
    if (tail.length > FAILED_BUILD_TAIL_LINES) tail.shift();
  };
  createInterface({ input: build.stdout }).on('line', collect);
  createInterface({ input: build.stderr }).on('line', collect);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolvePromise, reject) => {
    build.once('error', reject);
    build.once('close', (exitCode, exitSignal) => resolvePromise([exitCode, exitSignal]));
  });
  if (code !== 0) {
    throw new Error(`classifier-cpp/build.sh failed (${signal ?? `exit status ${code}`}):\n${tail.join('\n')}`);
  }
}
