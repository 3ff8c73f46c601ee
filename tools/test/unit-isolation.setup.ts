import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/**
 * The unit layer's rule, enforced: a unit spec starts no process and opens no socket (not even on loopback), so the
 * layer stays seconds long and needs nothing installed beyond npm packages. A spec that needs either is an
 * integration spec: name it `*.integration-spec.ts`.
 */
function refuse(what: string): never {
  throw new Error(`A unit spec may not ${what}: name the spec *.integration-spec.ts (vitest.config.ts, test layers)`);
}

const processStarters = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
for (const name of processStarters) {
  Object.defineProperty(childProcess, name, { value: () => refuse(`start a process (child_process.${name})`) });
}
net.Server.prototype.listen = () => refuse('listen on a socket');
net.Socket.prototype.connect = () => refuse('open a connection');
// Named imports of node:child_process in ESM read the module's live bindings: publish the replacements there too.
syncBuiltinESMExports();
