import { S3Client } from '@aws-sdk/client-s3';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AWS_CLIENT_CAPTURE,
  inImageSubsegment,
  TracingModule,
  tracingEnabled,
  type AwsClientCapture,
} from './tracing.js';

/** What Lambda sets for a function with active tracing (AWS_EXECUTION_ENV is how Powertools knows it is in Lambda). */
const LAMBDA_WITH_TRACING = {
  AWS_LAMBDA_FUNCTION_NAME: 'udagram-ci-classificationWorker',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  // A loopback port nothing listens on: the X-Ray SDK sends UDP datagrams there and none come back.
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
};

async function captureFromModule(): Promise<AwsClientCapture> {
  const moduleRef = await Test.createTestingModule({ imports: [TracingModule] }).compile();
  return moduleRef.get<AwsClientCapture>(AWS_CLIENT_CAPTURE);
}

const middlewareNames = (client: S3Client) => client.middlewareStack.identify().join(' ');

describe('tracingEnabled', () => {
  it('is on only in Lambda with an X-Ray daemon, and off when POWERTOOLS_TRACE_ENABLED=false', () => {
    expect(tracingEnabled(LAMBDA_WITH_TRACING)).toBe(true);
    expect(tracingEnabled({ ...LAMBDA_WITH_TRACING, POWERTOOLS_TRACE_ENABLED: 'false' })).toBe(false);
    expect(tracingEnabled({ AWS_LAMBDA_FUNCTION_NAME: 'udagram-ci-api' })).toBe(false);
    // `npm start` and the tests: no Lambda, no daemon.
    expect(tracingEnabled({})).toBe(false);
  });
});

describe('TracingModule', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('leaves AWS clients as built where no daemon runs, without loading the X-Ray SDK or printing anything', async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const stdout = vi.spyOn(process.stdout, 'write');
    const client = new S3Client({ region: 'eu-west-1' });
    const before = middlewareNames(client);

    const capture = await captureFromModule();

    expect(capture(client)).toBe(client);
    expect(middlewareNames(client)).toBe(before);
    expect(stderr).not.toHaveBeenCalled();
    expect(stdout).not.toHaveBeenCalled();
    await expect(inImageSubsegment('label', { imageId: 'i1', groupId: 'g1' }, async () => 'done')).resolves.toBe(
      'done',
    );
  });

  it('instruments AWS clients with X-Ray in Lambda with active tracing', async () => {
    for (const [name, value] of Object.entries(LAMBDA_WITH_TRACING)) vi.stubEnv(name, value);
    const client = new S3Client({ region: 'eu-west-1' });

    const capture = await captureFromModule();

    expect(capture(client)).toBe(client);
    expect(middlewareNames(client)).toMatch(/XRaySDKInstrumentation/);
  });

  it('then runs a labelling or a notification in a subsegment annotated with the image’s ids', async () => {
    for (const [name, value] of Object.entries(LAMBDA_WITH_TRACING)) vi.stubEnv(name, value);
    await captureFromModule();
    const { default: xray } = await import('aws-xray-sdk-core');
    const segment = new xray.Segment('udagram-ci-classificationWorker');

    const result = await xray.getNamespace().runPromise(async () => {
      xray.setSegment(segment);
      return inImageSubsegment('label', { imageId: 'i1', groupId: 'g1' }, async () => 'labelled');
    });

    expect(result).toBe('labelled');
    const [subsegment] = segment.subsegments ?? [];
    expect(subsegment).toMatchObject({ name: 'label', annotations: { imageId: 'i1', groupId: 'g1' } });
    expect(subsegment!.isClosed()).toBe(true);
  });
});
