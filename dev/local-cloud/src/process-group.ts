import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process started as the leader of its own process group, so that it and its children die together. */
export interface ProcessGroup {
  readonly pid: number;
  /** Settles when the leader has exited (or failed to start, e.g. ENOENT). */
  readonly exited: Promise<ProcessExit>;
  hasExited(): boolean;
  /** The end of what the process printed (stdout and stderr), for error messages. */
  recentOutput(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader is gone. */
  stop(graceMs?: number): Promise<void>;
}

const SETPRIV = '/usr/bin/setpriv';
const RECENT_OUTPUT_CHARACTERS = 8_192;
const HANDLED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Leaders of groups not stopped yet: killed synchronously if this process exits or dies of a signal first. */
const liveGroups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function killLiveGroupsNow(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // Another listener means the application handles this signal and will stop its groups in order itself.
  if (process.listenerCount(signal) > 1) return;
  killLiveGroupsNow();
  removeExitHooks();
  // With our listener gone, dying of the signal is what the process would have done without us.
  process.kill(process.pid, signal);
}

function installExitHooks(): void {
  process.on('exit', killLiveGroupsNow);
  // Prepended, so that we see every listener the application has added, even `once` ones.
  for (const signal of HANDLED_SIGNALS) process.prependListener(signal, onSignal);
}

function removeExitHooks(): void {
  process.off('exit', killLiveGroupsNow);
  for (const signal of HANDLED_SIGNALS) process.off(signal, onSignal);
}

function register(pid: number): void {
  if (liveGroups.size === 0) installExitHooks();
  liveGroups.add(pid);
}

function unregister(pid: number): void {
  if (liveGroups.delete(pid) && liveGroups.size === 0) removeExitHooks();
}

/**
 * Spawns `command` detached (leader of a new process group). It is killed with its group on stop(), on this
 * process's `exit`, on SIGINT/SIGTERM/SIGHUP that nobody else handles, and — on Linux, through setpriv's
 * parent-death signal — even when this process is SIGKILLed. `onOutputLine` gets each line it prints (stdout and
 * stderr), e.g. for a log file.
 */
export function spawnProcessGroup(
  command: string,
  args: string[],
  options: { onOutputLine?: (line: string) => void } = {},
): ProcessGroup {
  const useParentDeathSignal = process.platform === 'linux' && existsSync(SETPRIV);
  const child = useParentDeathSignal
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args], { detached: true })
    : spawn(command, args, { detached: true });

  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-RECENT_OUTPUT_CHARACTERS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const { onOutputLine } = options;
  if (onOutputLine) {
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', onOutputLine);
    }
  }

  let exitedAlready = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      output += `${command}: ${error.message}\n`;
      resolve({ code: null, signal: null });
    });
  }).finally(() => {
    exitedAlready = true;
    if (child.pid !== undefined) unregister(child.pid);
  });

  const pid = child.pid ?? -1;
  if (child.pid !== undefined) register(child.pid);

  return {
    pid,
    exited,
    hasExited: () => exitedAlready,
    recentOutput: () => output.trim(),
    async stop(graceMs = 5_000) {
      if (exitedAlready || pid < 0) return;
      killGroup(pid, 'SIGTERM');
      const graceTimer = new AbortController();
      const stoppedInTime = await Promise.race([
        exited.then(() => true),
        delay(graceMs, false, { signal: graceTimer.signal }).catch(() => false),
      ]);
      graceTimer.abort();
      if (!stoppedInTime) killGroup(pid, 'SIGKILL');
      await exited;
      // The leader is gone; make sure nothing it started outlives it.
      killGroup(pid, 'SIGKILL');
    },
  };
}
