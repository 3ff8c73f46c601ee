import { transform } from 'esbuild';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnProcessGroup } from './process-group.js';

/** True while `pid` is a live process (a zombie waiting to be reaped counts as gone). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isRunning(pid))) return true;
    await delay(50);
  }
  return false;
}

async function waitForCommand(pid: number, command: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const name = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (name.trim() === command) return;
    await delay(20);
  }
  throw new Error(`Process ${pid} never became ${command}`);
}

async function waitForOutput(group: ReturnType<typeof spawnProcessGroup>, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const match = group.recentOutput().match(pattern);
    if (match) return match;
    await delay(20);
  }
  throw new Error(`No output matching ${pattern}: ${group.recentOutput()}`);
}

describe('spawnProcessGroup', () => {
  it('stop() ends the leader and every process it started', async () => {
    const group = spawnProcessGroup('sh', ['-c', 'sleep 60 & echo "child $!"; wait']);
    const child = Number((await waitForOutput(group, /child (\d+)/))[1]);

    await group.stop();

    await expect(group.exited).resolves.toEqual({ code: null, signal: 'SIGTERM' });
    expect(await isRunning(group.pid)).toBe(false);
    expect(await waitUntilGone(child)).toBe(true);
  });

  it('stop() kills a group that ignores SIGTERM once the grace period is over', async () => {
    const group = spawnProcessGroup('sh', ['-c', 'trap "" TERM; echo ready; sleep 60 & wait']);
    await waitForOutput(group, /ready/);

    await group.stop(200);

    await expect(group.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('hands each line the process prints, on stdout and stderr, to onOutputLine', async () => {
    const lines: string[] = [];
    const group = spawnProcessGroup('sh', ['-c', 'echo one; echo two >&2; printf "three"'], {
      onOutputLine: (line) => lines.push(line),
    });

    await group.exited;
    await vi.waitFor(() => expect(lines.sort()).toEqual(['one', 'three', 'two']));
  });

  it('reports a command that cannot start through exited and recentOutput', async () => {
    const group = spawnProcessGroup('no-such-command-for-this-spec', []);

    const exit = await group.exited;

    expect(exit.code === 127 || exit.code === null).toBe(true);
    expect(group.hasExited()).toBe(true);
    expect(group.recentOutput()).toMatch(/no-such-command-for-this-spec.*(No such file|ENOENT)/);
  });

  describe('when the parent process ends before stop()', () => {
    let workDirectory: string;
    let processGroupModule: string;

    beforeAll(async () => {
      // The parent is a plain Node process: give it this module as JavaScript.
      workDirectory = await mkdtemp(join(tmpdir(), 'process-group-spec-'));
      const source = await readFile(new URL('./process-group.ts', import.meta.url), 'utf8');
      const { code } = await transform(source, { loader: 'ts', format: 'esm' });
      processGroupModule = join(workDirectory, 'process-group.mjs');
      await writeFile(processGroupModule, code);
    });

    afterAll(async () => {
      await rm(workDirectory, { recursive: true, force: true });
    });

    /** Starts a parent that spawns `sleep 60` as a group, then runs `then`; resolves with the sleeper's pid. */
    async function startParent(then: string) {
      const script = `
        import { spawnProcessGroup } from ${JSON.stringify(processGroupModule)};
        const group = spawnProcessGroup('sleep', ['60']);
        console.log(group.pid);
        ${then}
      `;
      const parent = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = once(parent, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      const lines: string[] = [];
      parent.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
      while (lines.length === 0) {
        if (parent.exitCode !== null) throw new Error('The parent exited before printing the pid');
        await delay(20);
      }
      return { parent, exited, lines, sleeper: Number(lines[0]) };
    }

    it('kills the group when the parent exits normally', async () => {
      const { sleeper, exited } = await startParent('setTimeout(() => process.exit(0), 100);');

      await expect(exited).resolves.toEqual([0, null]);
      expect(await waitUntilGone(sleeper)).toBe(true);
    });

    it('kills the group when the parent dies of an uncaught exception', async () => {
      const { sleeper, exited } = await startParent("setTimeout(() => { throw new Error('boom'); }, 100);");

      await expect(exited).resolves.toEqual([1, null]);
      expect(await waitUntilGone(sleeper)).toBe(true);
    });

    it.each(['SIGINT', 'SIGTERM'] as const)(
      'kills the group on %s that the parent does not handle, and the parent still dies of it',
      async (signal) => {
        const { parent, sleeper, exited } = await startParent('setInterval(() => {}, 1000);');

        parent.kill(signal);

        await expect(exited).resolves.toEqual([null, signal]);
        expect(await waitUntilGone(sleeper)).toBe(true);
      },
    );

    it('leaves the group to the parent when the parent handles the signal itself', async () => {
      const { parent, sleeper, exited, lines } = await startParent(`
        process.on('SIGTERM', async () => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          console.log(group.hasExited() ? 'killed too early' : 'still running');
          await group.stop();
          process.exit(0);
        });
        setInterval(() => {}, 1000);
      `);

      parent.kill('SIGTERM');

      await expect(exited).resolves.toEqual([0, null]);
      expect(lines).toContain('still running');
      expect(await waitUntilGone(sleeper)).toBe(true);
    });

    it('kills the group when the parent is SIGKILLed (Linux parent-death signal)', async () => {
      const { parent, sleeper, exited } = await startParent('setInterval(() => {}, 1000);');
      // setpriv arms the signal just before it execs sleep; a parent killed earlier than that cannot trigger it.
      await waitForCommand(sleeper, 'sleep');

      parent.kill('SIGKILL');

      await expect(exited).resolves.toEqual([null, 'SIGKILL']);
      expect(await waitUntilGone(sleeper)).toBe(true);
    });
  });
});
