import type { TestProject } from 'vitest/node';
import { pipelineWorkerHandlers, startUdagramLocalSystem } from '../local-cloud/udagram-local-system.js';
import type {} from './provided-context.js';

/**
 * Vitest globalSetup of the e2e project: one in-memory local system for the whole run (the local cloud, the Lambda
 * emulator running the real classifier, the pipeline's queues), with the queue workers' Lambda handlers polled in
 * this process — as Lambda's event source mappings invoke separate functions in AWS. Stopped at the end of the run.
 */
export default async function startLocalSystemForRun(project: TestProject): Promise<() => Promise<void>> {
  const system = await startUdagramLocalSystem({
    inMemory: true,
    // A failed message comes back in 2 s, so the redelivery and dead-letter tests take seconds.
    pipeline: { visibilityTimeoutSeconds: 2 },
    log: (line) => console.log(`[local cloud] ${line}`),
  });
  // The handler reads its configuration when it first runs: the environment must point at the system by then.
  Object.assign(process.env, system.env);
  system.startWorkers(await pipelineWorkerHandlers());

  const { identity } = system.cloud;
  project.provide('localCloudEnv', system.env);
  project.provide('devIdentity', {
    kid: identity.kid,
    privateJwk: identity.privateJwk,
    publicJwk: identity.publicJwk,
    issuer: identity.issuer,
    audience: identity.audience,
  });
  return () => system.stop();
}
