import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Names of the containers that carry `label` (`key=value`): all of them, or only the running ones. */
export async function containersWithLabel(label: string, which: 'all' | 'running' = 'all'): Promise<string[]> {
  const filters = ['--filter', `label=${label}`, ...(which === 'running' ? ['--filter', 'status=running'] : ['--all'])];
  const { stdout } = await execFileAsync('podman', ['ps', ...filters, '--format', '{{.Names}}']);
  return stdout.split('\n').filter((name) => name.length > 0);
}

/** Waits up to `timeoutMs` for the container `name` (carrying `label`) to run; tells whether it does. */
export async function waitUntilRunning(label: string, name: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await containersWithLabel(label, 'running')).includes(name)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(250);
  }
}

/**
 * Waits until no container with `label` is left (or only none of `names`, when given), polling for up to
 * `timeoutMs`; returns the ones still there.
 */
export async function waitUntilRemoved(label: string, timeoutMs: number, names?: readonly string[]): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = (await containersWithLabel(label)).filter((name) => names === undefined || names.includes(name));
    if (left.length === 0 || Date.now() >= deadline) return left;
    await sleep(250);
  }
}
