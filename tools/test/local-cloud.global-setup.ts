import type { TestProject } from 'vitest/node';
import { startUdagramLocalSystem } from '../local-cloud/udagram-local-system.js';
import type {} from './provided-context.js';

/**
 * Vitest globalSetup of the e2e project: one in-memory local system for the whole run (the local cloud, the Lambda
 * emulator running the real classifier, the dead-letter queue), with S3 uploads delivered to the upload handler in
 * this process — as S3 invokes a separate Lambda in AWS. Stopped at the end of the run.
 */
export default async function startLocalSystemForRun(project: TestProject): Promise<() => Promise<void>> {
  const system = await startUdagramLocalSystem({
    inMemory: true,
    log: (line) => console.log(`[local cloud] ${line}`),
  });
  // The handler reads its configuration when it first runs: the environment must point at the system by then.
  Object.assign(process.env, system.env);
  const { handler } = await import('../../apps/api/src/upload-lambda.js');
  system.routeUploadsTo(handler);

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
