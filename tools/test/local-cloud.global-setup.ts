import type { TestProject } from 'vitest/node';
import { repositoryRoot } from '../repository-root.js';
import { localLogDirectory, LocalLogFiles } from '../local-cloud/local-log-files.js';
import { pipelineWorkerHandlers, startUdagramLocalSystem } from '../local-cloud/udagram-local-system.js';
import type {} from './provided-context.js';

/** One system per Vitest run, shared by the projects that use it (e2e and browser when run together). */
interface SharedSystem {
  started: ReturnType<typeof startLocalSystem>;
  users: number;
}
const SHARED = Symbol.for('udagram.test.localSystem');
const shared = globalThis as typeof globalThis & { [SHARED]?: SharedSystem };

/**
 * Vitest globalSetup of the e2e and browser projects: one in-memory local system for the whole run (the local
 * cloud, the Lambda emulator running the real classifier, the pipeline's queues), with the queue workers' Lambda
 * handlers polled in this process — as Lambda's event source mappings invoke separate functions in AWS. Every
 * project's set-up runs before the first test; the system stops when the last project's teardown runs.
 */
export default async function startLocalSystemForRun(project: TestProject): Promise<() => Promise<void>> {
  const entry = (shared[SHARED] ??= { started: startLocalSystem(), users: 0 });
  entry.users += 1;
  const system = await entry.started;
  const { identity } = system.cloud;
  project.provide('localCloudEnv', system.env);
  project.provide('devIdentity', {
    kid: identity.kid,
    privateJwk: identity.privateJwk,
    publicJwk: identity.publicJwk,
    issuer: identity.issuer,
    audience: identity.audience,
  });
  return async () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    delete shared[SHARED];
    await system.stop();
  };
}

async function startLocalSystem() {
  // Every component's lines go to the run's files (.local/logs, emptied first), none to the terminal.
  const logs = new LocalLogFiles(localLogDirectory(repositoryRoot())).clear();
  const system = await startUdagramLocalSystem({
    logs,
    inMemory: true,
    // A failed message comes back in 4 s, so the redelivery and dead-letter tests take seconds; still longer than a
    // batch with injected crashes on this busy machine (a message is not delivered again while it is being worked on).
    pipeline: { visibilityTimeoutSeconds: 4 },
    log: logs.textWriter('local-system'),
  });
  // The handler reads its configuration when it first runs: the environment must point at the system by then.
  Object.assign(process.env, system.env);
  system.startWorkers(await pipelineWorkerHandlers());
  return system;
}
