import 'aws-sdk-client-mock-vitest/extend';
import {
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
  ServiceException,
  TooManyRequestsException,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import { Logger } from '@nestjs/common';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Classification } from './classification.js';
import { ClassificationFailedError, ClassifierUnavailableError, ImageRejectedError } from './classification.errors.js';
import type { ClassifierConfig } from './classifier.config.js';
import { ClassifierClient } from './classifier-client.js';

const SQUIRREL: Classification = {
  label: 'fox squirrel, eastern fox squirrel, Sciurus niger',
  confidence: 0.98,
  labels: [
    { label: 'fox squirrel, eastern fox squirrel, Sciurus niger', confidence: 0.98, classId: 335 },
    { label: 'marmot', confidence: 0.01, classId: 336 },
  ],
  model: 'squeezenet-dc',
  timings: { downloadMs: 3.5, decodeMs: 1.2, inferenceMs: 20.4 },
};

const CONFIG: ClassifierConfig = {
  region: 'us-east-1',
  functionName: 'udagram-classifier',
  endpoint: undefined,
  timeoutMs: 30_000,
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
};

function payload(value: unknown): InvokeCommandOutput['Payload'] {
  return new TextEncoder().encode(
    typeof value === 'string' ? value : JSON.stringify(value),
  ) as InvokeCommandOutput['Payload'];
}

const success = (body: unknown = SQUIRREL): InvokeCommandOutput => ({
  $metadata: {},
  StatusCode: 200,
  Payload: payload(body),
});
const functionError = (errorType: string, errorMessage = `${errorType} happened`): InvokeCommandOutput => ({
  $metadata: {},
  StatusCode: 200,
  FunctionError: 'Unhandled',
  Payload: payload({ errorType, errorMessage }),
});

describe('ClassifierClient', () => {
  const lambdaMock = mockClient(LambdaClient);
  const sleep = vi.fn(async (_ms: number) => undefined);
  let classifier: ClassifierClient;

  function classifierWith(config: ClassifierConfig = CONFIG): ClassifierClient {
    return new ClassifierClient(new LambdaClient({ region: config.region }), config, { sleep, random: () => 0.5 });
  }

  beforeEach(() => {
    lambdaMock.reset();
    sleep.mockClear();
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    classifier = classifierWith();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe('on success', () => {
    it('invokes the function synchronously with the image URL and top-K, and returns the classification', async () => {
      lambdaMock.on(InvokeCommand).resolves(success());

      const result = await classifier.classify({ imageUrl: 'https://bucket.example/squirrel.jpg', topK: 2 });

      expect(result).toEqual(SQUIRREL);
      expect(lambdaMock).toReceiveCommandExactlyOnceWith(InvokeCommand, {
        FunctionName: 'udagram-classifier',
        InvocationType: 'RequestResponse',
        Payload: JSON.stringify({ imageUrl: 'https://bucket.example/squirrel.jpg', topK: 2 }),
      });
    });

    it('leaves topK out when the caller does not choose one', async () => {
      lambdaMock.on(InvokeCommand).resolves(success());

      await classifier.classify({ imageUrl: 'https://bucket.example/squirrel.jpg' });

      expect(lambdaMock).toReceiveCommandWith(InvokeCommand, {
        Payload: '{"imageUrl":"https://bucket.example/squirrel.jpg"}',
      });
    });

    it('sends the image and correlation ids for the classifier’s lines, leaving out one it would refuse', async () => {
      lambdaMock.on(InvokeCommand).resolves(success());
      const imageUrl = 'https://bucket.example/squirrel.jpg';

      const imageId = 'b9d1c0de-0000-4000-8000-000000000001';
      await classifier.classify({ imageUrl, imageId, correlationId: 'JKJaXmPLvHcESHA' });
      await classifier.classify({ imageUrl, imageId: 'i1', correlationId: 'not {valid}' });

      expect(lambdaMock.commandCalls(InvokeCommand).map((call) => call.args[0].input.Payload)).toEqual([
        JSON.stringify({ imageUrl, imageId, correlationId: 'JKJaXmPLvHcESHA' }),
        JSON.stringify({ imageUrl, imageId: 'i1' }),
      ]);
    });

    it('keeps only the contract fields of the payload', async () => {
      lambdaMock.on(InvokeCommand).resolves(success({ ...SQUIRREL, debug: 'internal' }));

      await expect(classifier.classify({ imageUrl: 'https://x.example/a.jpg' })).resolves.toEqual(SQUIRREL);
    });
  });

  describe('permanent errors', () => {
    it.each([
      ['InvalidRequest', 'the classification request is invalid'],
      ['ImageTooLarge', 'the image is too large to classify'],
      ['UndecodableImage', 'the file is not an image the classifier can read'],
    ])('throws ImageRejectedError for %s at once, with a readable reason', async (errorType, reason) => {
      lambdaMock.on(InvokeCommand).resolves(functionError(errorType, 'classifier detail'));

      const classification = classifier.classify({ imageUrl: 'https://x.example/a.jpg' });

      await expect(classification).rejects.toBeInstanceOf(ImageRejectedError);
      await expect(classification).rejects.toMatchObject({
        errorType,
        reason,
        detail: 'classifier detail',
        message: `Image rejected: ${reason}`,
        cause: { errorType, errorMessage: 'classifier detail' },
      });
      expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 1);
      expect(sleep).not.toHaveBeenCalled();
    });

    it('throws a non-transient ClassificationFailedError for ModelError at once', async () => {
      lambdaMock.on(InvokeCommand).resolves(functionError('ModelError', 'forward() failed'));

      const classification = classifier.classify({ imageUrl: 'https://x.example/a.jpg' });

      await expect(classification).rejects.toBeInstanceOf(ClassificationFailedError);
      await expect(classification).rejects.toMatchObject({ errorType: 'ModelError', transient: false });
      expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 1);
    });

    it('throws a non-transient ClassificationFailedError for a function error outside the contract', async () => {
      lambdaMock.on(InvokeCommand).resolves(functionError('Function.ResponseSizeTooLarge'));

      await expect(classifier.classify({ imageUrl: 'https://x.example/a.jpg' })).rejects.toMatchObject({
        name: 'ClassificationFailedError',
        errorType: 'Function.ResponseSizeTooLarge',
        transient: false,
      });
      expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 1);
    });

    it('throws ClassifierUnavailableError at once when the function does not exist', async () => {
      lambdaMock.on(InvokeCommand).rejects(
        new ResourceNotFoundException({
          message: 'Function not found: arn:aws:lambda:…',
          $metadata: { httpStatusCode: 404 },
        }),
      );

      const classification = classifier.classify({ imageUrl: 'https://x.example/a.jpg' });

      await expect(classification).rejects.toBeInstanceOf(ClassifierUnavailableError);
      await expect(classification).rejects.toMatchObject({ lastErrorType: 'ResourceNotFoundException' });
      expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 1);
    });
  });

  describe('malformed payloads', () => {
    it.each([
      ['a payload that is not JSON', 'not json'],
      ['a payload without a label', { ...SQUIRREL, label: undefined }],
      ['a confidence that is not a probability', { ...SQUIRREL, confidence: '0.98' }],
      ['a label entry without a class id', { ...SQUIRREL, labels: [{ label: 'marmot', confidence: 0.5 }] }],
      ['missing timings', { ...SQUIRREL, timings: undefined }],
    ])('throws ClassificationFailedError MalformedResponse for %s, without retrying', async (_case, body) => {
      lambdaMock.on(InvokeCommand).resolves(success(body));

      await expect(classifier.classify({ imageUrl: 'https://x.example/a.jpg' })).rejects.toMatchObject({
        name: 'ClassificationFailedError',
        errorType: 'MalformedResponse',
        transient: false,
      });
      expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 1);
    });

    it('never returns an error payload as a result, even one shaped like a classification', async () => {
      lambdaMock
        .on(InvokeCommand)
        .resolves({ $metadata: {}, StatusCode: 200, FunctionError: 'Unhandled', Payload: payload(SQUIRREL) });

      await expect(classifier.classify({ imageUrl: 'https://x.example/a.jpg' })).rejects.toMatchObject({
        name: 'ClassificationFailedError',
        errorType: 'Unknown',
      });
    });
  });

  describe('retries', () => {
    const timeout = Object.assign(new Error('a request has exceeded the configured 30000 ms requestTimeout'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4000'), { code: 'ECONNREFUSED' });
    const throttled = new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: { httpStatusCode: 429 } });
    const serverError = new ServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } });

    it.each([
      ['a throttle', () => lambdaMock.on(InvokeCommand).rejectsOnce(throttled)],
      ['a request timeout', () => lambdaMock.on(InvokeCommand).rejectsOnce(timeout)],
      ['a 5xx', () => lambdaMock.on(InvokeCommand).rejectsOnce(serverError)],
      ['a refused connection', () => lambdaMock.on(InvokeCommand).rejectsOnce(refused)],
      ['Sandbox.Timedout', () => lambdaMock.on(InvokeCommand).resolvesOnce(functionError('Sandbox.Timedout'))],
      ['Runtime.ExitError', () => lambdaMock.on(InvokeCommand).resolvesOnce(functionError('Runtime.ExitError'))],
      ['DownloadFailed', () => lambdaMock.on(InvokeCommand).resolvesOnce(functionError('DownloadFailed'))],
      ['DeadlineExceeded', () => lambdaMock.on(InvokeCommand).resolvesOnce(functionError('DeadlineExceeded'))],
    ])('retries after %s and returns the classification of the next attempt', async (_case, failOnce) => {
      failOnce().resolves(success());

      await expect(classifier.classify({ imageUrl: 'https://x.example/a.jpg' })).resolves.toEqual(SQUIRREL);
      expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 2);
      expect(sleep).toHaveBeenCalledOnce();
    });

    it('waits with exponential back-off and full jitter, capped', async () => {
      lambdaMock.on(InvokeCommand).rejects(throttled);
      const config = { ...CONFIG, retry: { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1_000 } };

      await expect(classifierWith(config).classify({ imageUrl: 'https://x.example/a.jpg' })).rejects.toThrow(
        ClassifierUnavailableError,
      );

      // random() is 0.5: half of 100, 200, 400, 800, then the 1000 cap.
      expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([50, 100, 200, 400, 500]);
    });

    it('throws ClassifierUnavailableError with the last errorType once the attempts are spent', async () => {
      lambdaMock
        .on(InvokeCommand)
        .rejectsOnce(throttled)
        .rejectsOnce(timeout)
        .resolves(functionError('Sandbox.Timedout', 'abc Task timed out after 30.00 seconds'));

      const classification = classifier.classify({ imageUrl: 'https://x.example/a.jpg' });

      await expect(classification).rejects.toBeInstanceOf(ClassifierUnavailableError);
      await expect(classification).rejects.toMatchObject({
        lastErrorType: 'Sandbox.Timedout',
        message: 'The classifier is unavailable (Sandbox.Timedout after 3 attempt(s))',
      });
      expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 3);
      expect(sleep).toHaveBeenCalledTimes(2);
    });

    it('throws a transient ClassificationFailedError when DownloadFailed outlasts the attempts', async () => {
      lambdaMock.on(InvokeCommand).resolves(functionError('DownloadFailed', 'HTTP 404 from the image URL'));

      const classification = classifier.classify({ imageUrl: 'https://x.example/missing.jpg' });

      await expect(classification).rejects.toBeInstanceOf(ClassificationFailedError);
      await expect(classification).rejects.toMatchObject({ errorType: 'DownloadFailed', transient: true });
      expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 3);
    });

    it('does not retry after a permanent error that follows a transient one', async () => {
      lambdaMock.on(InvokeCommand).rejectsOnce(throttled).resolves(functionError('UndecodableImage'));

      await expect(classifier.classify({ imageUrl: 'https://x.example/a.txt' })).rejects.toBeInstanceOf(
        ImageRejectedError,
      );
      expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 2);
    });
  });
});
