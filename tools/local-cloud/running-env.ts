import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where `npm start` leaves the running system's environment for tools such as the backfill (local only). */
export const RUNNING_ENV_FILE = '.local/running-env.json';

export function writeRunningEnvironment(root: string, env: Record<string, string>): void {
  const file = path.join(root, RUNNING_ENV_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(env, null, 2)}\n`, { mode: 0o600 });
}

export function removeRunningEnvironment(root: string): void {
  rmSync(path.join(root, RUNNING_ENV_FILE), { force: true });
}
