import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '../repository-root.js';

const OSLS = join(dirname(createRequire(import.meta.url).resolve('osls/package.json')), 'bin', 'serverless.js');

export interface OfflinePackaging {
  /** Where osls writes the templates (and may write its state); the caller owns and removes it. */
  outputDirectory: string;
  stage: string;
  region: string;
  /** `--param` values (serverless.ts reads classifierImageUri, jwksUrl, jwtIssuer, jwtAudience, webOrigins, alarmEndpoint). */
  params: Record<string, string>;
}

/**
 * `osls package` of serverless.ts as CI runs it: offline (no credentials, no metadata service, every AWS endpoint a
 * closed loopback port, so any AWS call fails the run). Returns the CloudFormation template it would deploy. Needs
 * `dist/lambda/*.zip` (`npm run build:lambda`): osls refuses a missing artefact.
 */
export async function packageStackOffline({
  outputDirectory,
  stage,
  region,
  params,
}: OfflinePackaging): Promise<{ Resources: Record<string, any> }> {
  const offline = {
    PATH: process.env.PATH,
    HOME: outputDirectory,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: join(outputDirectory, 'no-credentials'),
    AWS_CONFIG_FILE: join(outputDirectory, 'no-config'),
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  };
  const paramArguments = Object.entries(params).map(([name, value]) => `--param=${name}=${value}`);
  await promisify(execFile)(
    process.execPath,
    [OSLS, 'package', '--stage', stage, '--region', region, '--package', outputDirectory, ...paramArguments],
    { cwd: repositoryRoot(), env: offline, timeout: 120_000 },
  ).catch((error: { stdout?: string; stderr?: string }) => {
    // osls prints its error on stdout.
    throw new Error(`osls package failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  return JSON.parse(await readFile(join(outputDirectory, 'cloudformation-template-update-stack.json'), 'utf8'));
}

/** Placeholder parameters for packaging without a deployment (a digest URI: `package` then needs no ECR call). */
export const PLACEHOLDER_STACK_PARAMETERS = {
  classifierImageUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/udagram-classifier@sha256:${'0123456789abcdef'.repeat(4)}`,
  jwksUrl: 'https://udagram.example/.well-known/jwks.json',
  jwtIssuer: 'https://udagram.example/',
  jwtAudience: 'https://api.udagram.example',
  webOrigins: 'https://app.udagram.example',
  alarmEndpoint: 'operations@udagram.example',
};
