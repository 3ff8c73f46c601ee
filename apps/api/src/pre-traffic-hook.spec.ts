import 'aws-sdk-client-mock-vitest/extend';
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { healthRequest, PreTrafficHook } from './pre-traffic-hook.js';
import type { PreTrafficHookConfig } from './pre-traffic-hook.config.js';

const CONFIG: PreTrafficHookConfig = {
  region: 'eu-west-1',
  classifierVersionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:udagram-ci-classifier:7',
  apiVersionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:udagram-ci-api:12',
  imagesBucket: 'udagram-ci-images-123456789012-eu-west-1',
  knownPhotoKey: 'deploy-checks/known-photo.jpg',
  knownPhotoLabel: 'squirrel',
};
const EVENT = { DeploymentId: 'd-ABC123', LifecycleEventHookExecutionId: 'hook-execution-1' };

/** A Lambda response payload (the SDK's blob type is a Uint8Array with helpers the hook does not use). */
const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];
const squirrel = {
  label: 'fox squirrel, eastern fox squirrel, Sciurus niger',
  confidence: 0.98,
  labels: [],
  model: 'googlenet',
};
const healthy = { statusCode: 200, body: '{"status":"ok"}' };

describe('PreTrafficHook', () => {
  const lambda = mockClient(LambdaClient);
  const codeDeploy = mockClient(CodeDeployClient);
  let hook: PreTrafficHook;

  /** Each version answers with its own payload. */
  function versionsAnswer(classifier: Partial<InvokeCommandOutput>, api: Partial<InvokeCommandOutput>) {
    lambda
      .on(InvokeCommand, { FunctionName: CONFIG.classifierVersionArn })
      .resolves({ StatusCode: 200, ...classifier });
    lambda.on(InvokeCommand, { FunctionName: CONFIG.apiVersionArn }).resolves({ StatusCode: 200, ...api });
  }

  beforeEach(() => {
    lambda.reset();
    codeDeploy.reset();
    codeDeploy
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .resolves({ lifecycleEventHookExecutionId: EVENT.LifecycleEventHookExecutionId });
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const s3 = new S3Client({
      region: CONFIG.region,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    hook = new PreTrafficHook(
      new LambdaClient({ region: CONFIG.region }),
      s3,
      new CodeDeployClient({ region: CONFIG.region }),
      CONFIG,
    );
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('classifies the known photo through the new classifier version and asks the new API version for /health, then reports Succeeded', async () => {
    versionsAnswer({ Payload: payload(squirrel) }, { Payload: payload(healthy) });

    await expect(hook.run(EVENT)).resolves.toBe('Succeeded');

    const classifierCall = lambda.commandCalls(InvokeCommand, { FunctionName: CONFIG.classifierVersionArn })[0]!.args[0]
      .input;
    const request = JSON.parse(String(classifierCall.Payload)) as { imageUrl: string; topK: number };
    const photoUrl = new URL(request.imageUrl);
    expect(photoUrl.host).toBe(`${CONFIG.imagesBucket}.s3.eu-west-1.amazonaws.com`);
    expect(photoUrl.pathname).toBe('/deploy-checks/known-photo.jpg');
    expect(photoUrl.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(request.topK).toBe(1);
    const apiCall = lambda.commandCalls(InvokeCommand, { FunctionName: CONFIG.apiVersionArn })[0]!.args[0].input;
    expect(JSON.parse(String(apiCall.Payload))).toMatchObject({
      version: '2.0',
      rawPath: '/health',
      requestContext: { http: { method: 'GET' } },
    });
    expect(codeDeploy).toHaveReceivedCommandTimes(PutLifecycleEventHookExecutionStatusCommand, 1);
    expect(codeDeploy).toHaveReceivedCommandWith(PutLifecycleEventHookExecutionStatusCommand, {
      deploymentId: 'd-ABC123',
      lifecycleEventHookExecutionId: 'hook-execution-1',
      status: 'Succeeded',
    });
  });

  it.each([
    [
      'the classifier labels the known photo otherwise',
      { Payload: payload({ ...squirrel, label: 'tabby cat' }) },
      { Payload: payload(healthy) },
      /labelled the known photo "tabby cat"/,
    ],
    [
      'the classifier fails',
      { Payload: payload({ errorType: 'ModelError' }), FunctionError: 'Unhandled' },
      { Payload: payload(healthy) },
      /classifier Unhandled/,
    ],
    [
      'the API is unhealthy',
      { Payload: payload(squirrel) },
      { Payload: payload({ statusCode: 503, body: '{"status":"error"}' }) },
      /API \/health answered 503/,
    ],
    [
      'the API crashes',
      { Payload: payload(squirrel) },
      { Payload: payload({ errorMessage: 'boom' }), FunctionError: 'Unhandled' },
      /API Unhandled/,
    ],
  ])('reports Failed when %s, saying why', async (_case, classifier, api, reason) => {
    versionsAnswer(classifier, api);

    await expect(hook.run(EVENT)).resolves.toBe('Failed');

    expect(codeDeploy).toHaveReceivedCommandWith(PutLifecycleEventHookExecutionStatusCommand, {
      deploymentId: 'd-ABC123',
      status: 'Failed',
    });
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringMatching(reason));
  });

  it('reports Failed when a version cannot be invoked at all', async () => {
    lambda
      .on(InvokeCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));

    await expect(hook.run(EVENT)).resolves.toBe('Failed');

    expect(Logger.prototype.error).toHaveBeenCalledWith(
      expect.stringMatching(/classifier not checked: AccessDeniedException.*API not checked/),
    );
  });

  it('fails the hook invocation itself when CodeDeploy cannot be told, so CodeDeploy times the hook out and rolls back', async () => {
    versionsAnswer({ Payload: payload(squirrel) }, { Payload: payload(healthy) });
    codeDeploy.on(PutLifecycleEventHookExecutionStatusCommand).rejects(new Error('throttled'));

    await expect(hook.run(EVENT)).rejects.toThrow('throttled');
  });
});

describe('healthRequest', () => {
  it('is an HTTP API (payload 2.0) GET /health event', () => {
    expect(healthRequest()).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/health',
      requestContext: { stage: '$default' },
    });
  });
});
