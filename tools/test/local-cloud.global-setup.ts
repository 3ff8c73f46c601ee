import { startLocalCloud } from '@app/local-cloud';
import type { TestProject } from 'vitest/node';
import { udagramCloudResources } from '../local-cloud/udagram-cloud.js';
import type {} from './provided-context.js';

/** Vitest globalSetup of the e2e project: one in-memory local cloud for the whole run, stopped at its end. */
export default async function startLocalCloudForRun(project: TestProject): Promise<() => Promise<void>> {
  const resources = udagramCloudResources();
  const cloud = await startLocalCloud({
    inMemory: true,
    tables: resources.tables,
    bucket: resources.bucket,
    log: (line) => console.log(`[local cloud] ${line}`),
  });
  const { identity } = cloud;
  project.provide('localCloudEnv', { ...cloud.env, ...resources.env });
  project.provide('devIdentity', {
    kid: identity.kid,
    privateJwk: identity.privateJwk,
    publicJwk: identity.publicJwk,
    issuer: identity.issuer,
    audience: identity.audience,
  });
  return () => cloud.stop();
}
