import {
  ClassificationFailedError,
  ClassifierClient,
  ClassifierUnavailableError,
  ImageRejectedError,
} from '@app/classification';
import { ImageProcessingService, type ImageRecord } from '@app/images';
import { UdagramMetrics } from '@app/observability';
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { Test } from '@nestjs/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ClassificationDeferredError, ImageLabeller } from './image-labeller.js';
import { labellingConfig } from './labelling.config.js';

const image: ImageRecord = {
  groupId: 'g1',
  timestampId: '2026-11-26T07:00:00.000Z#i1',
  timestamp: '2026-11-26T07:00:00.000Z',
  imageId: 'i1',
  userId: 'alice',
  title: 'Squirrel',
  status: 'PENDING',
  objectKey: 'images/i1',
  correlationId: 'req-1',
};
const claim = { image, token: 'token-1' };
const squirrel = {
  label: 'fox squirrel, eastern fox squirrel, Sciurus niger',
  confidence: 0.98,
  labels: [{ label: 'fox squirrel, eastern fox squirrel, Sciurus niger', confidence: 0.98, classId: 335 }],
  model: 'squeezenet-dc',
  timings: { downloadMs: 1, decodeMs: 2, inferenceMs: 3 },
};

const first = { receiveCount: 1 };
const last = { receiveCount: 5 };

describe('ImageLabeller', () => {
  const images = {
    claimStaleBefore: vi.fn(),
    claim: vi.fn(),
    adopt: vi.fn(),
    photoUrl: vi.fn(),
    recordClassification: vi.fn(),
    recordFailure: vi.fn(),
    releaseClaim: vi.fn(),
  };
  const classifier = { classify: vi.fn() };
  const metrics = { imageLabelled: vi.fn(), imageFailed: vi.fn(), classifierTimings: vi.fn(), deadLetter: vi.fn() };
  let labeller: ImageLabeller;

  beforeEach(async () => {
    vi.resetAllMocks();
    images.claimStaleBefore.mockReturnValue('2026-11-26T06:58:30.000Z');
    images.claim.mockResolvedValue(claim);
    images.adopt.mockResolvedValue(claim);
    images.photoUrl.mockResolvedValue('http://s3/images/i1?X-Amz-Signature=abc');
    images.recordClassification.mockResolvedValue(true);
    images.recordFailure.mockResolvedValue(true);
    images.releaseClaim.mockResolvedValue(undefined);
    const moduleRef = await Test.createTestingModule({
      providers: [
        ImageLabeller,
        { provide: ImageProcessingService, useValue: images },
        { provide: ClassifierClient, useValue: classifier },
        { provide: labellingConfig.KEY, useValue: { maxReceiveCount: 5, topK: 5 } },
        { provide: UdagramMetrics, useValue: metrics },
      ],
    }).compile();
    labeller = moduleRef.get(ImageLabeller);
  });

  it('stores the top label and the top 5, then announces it', async () => {
    classifier.classify.mockResolvedValue(squirrel);

    await expect(labeller.label(image, first)).resolves.toBe('CLASSIFIED');

    expect(images.claim).toHaveBeenCalledWith(image, '2026-11-26T06:58:30.000Z');
    expect(classifier.classify).toHaveBeenCalledWith({
      imageUrl: 'http://s3/images/i1?X-Amz-Signature=abc',
      topK: 5,
      imageId: 'i1',
      correlationId: 'req-1',
    });
    expect(images.recordClassification).toHaveBeenCalledWith(claim, {
      classLabel: squirrel.label,
      confidence: 0.98,
      labels: squirrel.labels,
      model: 'squeezenet-dc',
    });
  });

  it('counts the label with its upload → label latency and the classifier’s timings', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    classifier.classify.mockResolvedValue(squirrel);

    await expect(labeller.label(image, { receiveCount: 1, queuedAt: 1_000_000 - 2_500 })).resolves.toBe('CLASSIFIED');

    vi.useRealTimers();
    expect(metrics.imageLabelled).toHaveBeenCalledWith(2_500);
    expect(metrics.classifierTimings).toHaveBeenCalledWith(squirrel.timings, expect.any(Number));
    expect(metrics.imageFailed).not.toHaveBeenCalled();
    expect(metrics.deadLetter).not.toHaveBeenCalled();
  });

  it('counts a failure by its error type, and a dead letter only when the last delivery gives up', async () => {
    classifier.classify.mockRejectedValue(new ClassificationFailedError('ModelError', false, 'forward() failed'));

    await expect(labeller.label(image, first)).resolves.toBe('FAILED');
    expect(metrics.imageFailed).toHaveBeenCalledWith('ModelError');

    classifier.classify.mockRejectedValue(new ClassifierUnavailableError('ServiceException', 'Lambda down'));
    await expect(labeller.label(image, first)).rejects.toThrow(ClassificationDeferredError);
    expect(metrics.deadLetter).not.toHaveBeenCalled();
    await expect(labeller.label(image, last)).rejects.toThrow(ClassificationDeferredError);
    expect(metrics.deadLetter).toHaveBeenCalledWith('classification');
    expect(metrics.deadLetter).toHaveBeenCalledTimes(1);
  });

  it('skips an image with nothing left to classify', async () => {
    images.claim.mockResolvedValue('DONE');

    await expect(labeller.label(image, first)).resolves.toBe('SKIPPED');
    expect(classifier.classify).not.toHaveBeenCalled();
  });

  it('defers (does not drop) a delivery while another run holds the image, in case that run fails', async () => {
    images.claim.mockResolvedValue('HELD');

    await expect(labeller.label(image, first)).rejects.toThrow(ClassificationDeferredError);
    expect(classifier.classify).not.toHaveBeenCalled();
  });

  it('ends a refused image FAILED at once with the error type and a reason, on any delivery', async () => {
    classifier.classify.mockRejectedValue(new ImageRejectedError('UndecodableImage', 'imdecode failed'));

    await expect(labeller.label(image, first)).resolves.toBe('FAILED');

    expect(images.recordFailure).toHaveBeenCalledWith(
      claim,
      { errorType: 'UndecodableImage', reason: 'The file is not an image the classifier can read' },
      { transient: false },
    );
  });

  it('gives the image back and defers the message when the classifier is unavailable before the last delivery', async () => {
    classifier.classify.mockRejectedValue(new ClassifierUnavailableError('Sandbox.Timedout', 'unavailable'));

    await expect(labeller.label(image, first)).rejects.toThrow(ClassificationDeferredError);

    expect(images.releaseClaim).toHaveBeenCalledWith(claim);
    expect(images.recordFailure).not.toHaveBeenCalled();
  });

  it('records the failure on the last delivery and still defers, so the message goes to the dead-letter queue', async () => {
    classifier.classify.mockRejectedValue(new ClassifierUnavailableError('Sandbox.Timedout', 'unavailable'));

    await expect(labeller.label(image, last)).rejects.toThrow(ClassificationDeferredError);

    expect(images.recordFailure).toHaveBeenCalledWith(
      claim,
      {
        errorType: 'ClassifierUnavailable',
        reason: 'The classifier did not answer (Sandbox.Timedout); retried, then left for a later try',
      },
      { transient: true },
    );
  });

  it('never marks an image FAILED for a throttle (429), even on the last delivery', async () => {
    const throttle = new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: { httpStatusCode: 429 } });
    classifier.classify.mockRejectedValue(
      new ClassifierUnavailableError('TooManyRequestsException', 'throttled', { cause: throttle }),
    );

    await expect(labeller.label(image, last)).rejects.toThrow(ClassificationDeferredError);

    expect(images.recordFailure).not.toHaveBeenCalled();
    expect(images.releaseClaim).toHaveBeenCalledWith(claim);
  });

  it('keeps the labels of a re-classified image whose last try failed, and announces them again', async () => {
    const classified = { ...image, status: 'CLASSIFIED' as const, classLabel: squirrel.label };
    images.adopt.mockResolvedValue({ image: classified, token: 'token-2' });
    classifier.classify.mockRejectedValue(new ClassificationFailedError('DeadlineExceeded', true, 'too slow'));

    await expect(labeller.label(classified, { receiveCount: 5, claimToken: 'token-2' })).rejects.toThrow(
      ClassificationDeferredError,
    );

    expect(images.adopt).toHaveBeenCalledWith(classified, 'token-2', expect.any(String));
    expect(images.claim).not.toHaveBeenCalled();
    expect(images.recordFailure).toHaveBeenCalledWith(
      expect.objectContaining({ token: 'token-2' }),
      expect.objectContaining({ errorType: 'DeadlineExceeded' }),
      {
        transient: true,
      },
    );
  });

  it('ends a permanent classification failure FAILED at once', async () => {
    classifier.classify.mockRejectedValue(
      new ClassificationFailedError('ModelError', false, 'Classification failed (ModelError): boom'),
    );

    await expect(labeller.label(image, first)).resolves.toBe('FAILED');

    expect(images.recordFailure).toHaveBeenCalledWith(claim, expect.objectContaining({ errorType: 'ModelError' }), {
      transient: false,
    });
  });

  it('skips a re-classification whose token a newer request replaced', async () => {
    images.adopt.mockResolvedValue('DONE');

    await expect(labeller.label(image, { receiveCount: 1, claimToken: 'old-token' })).resolves.toBe('SKIPPED');
    expect(classifier.classify).not.toHaveBeenCalled();
  });

  it('drops its result when a newer run took the image over', async () => {
    classifier.classify.mockResolvedValue(squirrel);
    images.recordClassification.mockResolvedValue(false);

    await expect(labeller.label(image, first)).resolves.toBe('SUPERSEDED');
  });

  it('lets an unexpected error (such as DynamoDB being down) propagate, so the message is delivered again', async () => {
    classifier.classify.mockResolvedValue(squirrel);
    images.recordClassification.mockRejectedValue(new Error('DynamoDB is unavailable'));

    await expect(labeller.label(image, first)).rejects.toThrow('DynamoDB is unavailable');
    expect(images.recordFailure).not.toHaveBeenCalled();
  });

  it('gives the image back when it cannot finish, so that the next delivery can claim it at once', async () => {
    classifier.classify.mockResolvedValue(squirrel);
    images.recordClassification.mockRejectedValue(new Error('DynamoDB is unavailable'));

    await expect(labeller.label(image, first)).rejects.toThrow('DynamoDB is unavailable');

    expect(images.releaseClaim).toHaveBeenCalledWith(claim);
  });
});
