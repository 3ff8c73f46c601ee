import 'aws-sdk-client-mock-vitest/extend';
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFixture } from '../../../tools/test/fixtures.js';
import { PreTrafficHook } from '../src/pre-traffic-hook.js';
import type { PreTrafficHookConfig } from '../src/pre-traffic-hook.config.js';

/**
 * The hook against the local cloud: the known photo in the S3 stand-in, classified by the real classifier binary
 * through the Lambda emulator (which ignores version qualifiers). CodeDeploy has no stand-in: its client is mocked,
 * and the emulator runs no API function, so the API's half of the checks fails here, as it must when the version
 * cannot be invoked.
 */
describe('the pre-traffic hook on the local cloud (e2e)', () => {
  const region = process.env.AWS_REGION!;
  const s3 = new S3Client({
    region,
    endpoint: process.env.S3_ENDPOINT,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const lambda = new LambdaClient({ region, endpoint: process.env.LAMBDA_ENDPOINT, maxAttempts: 1 });
  const codeDeploy = mockClient(CodeDeployClient);
  const config: PreTrafficHookConfig = {
    region,
    classifierVersionArn: `arn:aws:lambda:us-east-1:000000000000:function:${process.env.CLASSIFIER_FUNCTION_NAME}:7`,
    apiVersionArn: 'arn:aws:lambda:us-east-1:000000000000:function:udagram-api-not-emulated:12',
    imagesBucket: process.env.IMAGES_BUCKET!,
    knownPhotoKey: 'deploy-checks/known-photo.jpg',
    knownPhotoLabel: 'squirrel',
  };
  const hook = (overrides: Partial<PreTrafficHookConfig> = {}) =>
    new PreTrafficHook(lambda, s3, new CodeDeployClient({ region }), { ...config, ...overrides });
  const event = { DeploymentId: 'd-LOCAL', LifecycleEventHookExecutionId: 'hook-1' };

  beforeAll(async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: config.imagesBucket,
        Key: config.knownPhotoKey,
        Body: await readFixture('squirrel.jpg'),
        ContentType: 'image/jpeg',
      }),
    );
  });

  afterEach(() => {
    codeDeploy.reset();
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: config.imagesBucket, Key: config.knownPhotoKey }));
    s3.destroy();
    lambda.destroy();
    codeDeploy.restore();
  });

  it('classifies the known photo through the classifier as expected, and reports Failed for the API it cannot reach', async () => {
    const error = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    codeDeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});

    await expect(hook().run(event)).resolves.toBe('Failed');

    const [[reason]] = error.mock.calls as [[string]];
    expect(reason).toMatch(/API not checked: ResourceNotFoundException/);
    expect(reason).not.toMatch(/classifier/);
    expect(codeDeploy).toHaveReceivedCommandWith(PutLifecycleEventHookExecutionStatusCommand, {
      deploymentId: 'd-LOCAL',
      status: 'Failed',
    });
  });

  it('fails the classifier check when the known photo gets another label', async () => {
    const error = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    codeDeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});

    await expect(hook({ knownPhotoLabel: 'tabby' }).run(event)).resolves.toBe('Failed');

    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(/classifier labelled the known photo "fox squirrel[^"]*", expected "tabby"/),
    );
  });

  it('fails the classifier check when the known photo is missing', async () => {
    const error = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    codeDeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});

    await expect(hook({ knownPhotoKey: 'deploy-checks/absent.jpg' }).run(event)).resolves.toBe('Failed');

    expect(error).toHaveBeenCalledWith(expect.stringMatching(/classifier \w+: .*DownloadFailed/));
  });
});
