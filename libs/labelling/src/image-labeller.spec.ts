import { ClassificationFailedError, ClassifierClient, ClassifierUnavailableError, ImageRejectedError } from '@app/classification';
import { ImageProcessingService, type ImageRecord } from '@app/images';
import { Test } from '@nestjs/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { ImageLabeller } from './image-labeller.js';
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
};
const claim = { image, token: 'token-1' };
const squirrel = {
  label: 'fox squirrel, eastern fox squirrel, Sciurus niger',
  confidence: 0.98,
  labels: [{ label: 'fox squirrel, eastern fox squirrel, Sciurus niger', confidence: 0.98, classId: 335 }],
  model: 'squeezenet-dc',
  timings: { downloadMs: 1, decodeMs: 2, inferenceMs: 3 },
};

describe('ImageLabeller', () => {
  const images = { claim: vi.fn(), photoUrl: vi.fn(), recordClassification: vi.fn(), recordFailure: vi.fn(), releaseClaim: vi.fn() };
  const classifier = { classify: vi.fn() };
  const deadLetters = { send: vi.fn() };
  let labeller: ImageLabeller;

  beforeEach(async () => {
    vi.resetAllMocks();
    images.claim.mockResolvedValue(claim);
    images.photoUrl.mockResolvedValue('http://s3/images/i1?X-Amz-Signature=abc');
    images.recordClassification.mockResolvedValue(true);
    images.recordFailure.mockResolvedValue(true);
    images.releaseClaim.mockResolvedValue(undefined);
    const moduleRef = await Test.createTestingModule({
      providers: [
        ImageLabeller,
        { provide: ImageProcessingService, useValue: images },
        { provide: ClassifierClient, useValue: classifier },
        { provide: DeadLetterQueue, useValue: deadLetters },
        { provide: labellingConfig.KEY, useValue: { claimTimeoutSeconds: 180, topK: 5 } },
      ],
    }).compile();
    labeller = moduleRef.get(ImageLabeller);
  });

  it('stores the top label and the top 5', async () => {
    classifier.classify.mockResolvedValue(squirrel);

    await expect(labeller.label(image, { force: false })).resolves.toBe('CLASSIFIED');

    expect(classifier.classify).toHaveBeenCalledWith({ imageUrl: 'http://s3/images/i1?X-Amz-Signature=abc', topK: 5 });
    expect(images.recordClassification).toHaveBeenCalledWith(claim, {
      classLabel: squirrel.label,
      confidence: 0.98,
      labels: squirrel.labels,
      model: 'squeezenet-dc',
    });
  });

  it('skips an image another run holds or that is no longer PENDING', async () => {
    images.claim.mockResolvedValue(undefined);

    await expect(labeller.label(image, { force: false })).resolves.toBe('SKIPPED');
    expect(classifier.classify).not.toHaveBeenCalled();
  });

  it('ends a refused image FAILED at once with the error type and a reason, with no dead letter', async () => {
    classifier.classify.mockRejectedValue(new ImageRejectedError('UndecodableImage', 'imdecode failed'));

    await expect(labeller.label(image, { force: false })).resolves.toBe('FAILED');

    expect(images.recordFailure).toHaveBeenCalledWith(claim, {
      errorType: 'UndecodableImage',
      reason: 'The file is not an image the classifier can read',
    });
    expect(deadLetters.send).not.toHaveBeenCalled();
  });

  it('ends the image FAILED and sends a dead letter when the classifier stays unavailable', async () => {
    classifier.classify.mockRejectedValue(new ClassifierUnavailableError('Sandbox.Timedout', 'unavailable'));

    await expect(labeller.label(image, { force: false })).resolves.toBe('FAILED');

    expect(images.recordFailure).toHaveBeenCalledWith(claim, {
      errorType: 'ClassifierUnavailable',
      reason: 'The classifier did not answer (Sandbox.Timedout); retried with back-off, then gave up',
    });
    expect(deadLetters.send).toHaveBeenCalledWith(
      expect.objectContaining({ imageId: 'i1', objectKey: 'images/i1', errorType: 'ClassifierUnavailable' }),
    );
  });

  it('sends a dead letter only for transient classification failures', async () => {
    classifier.classify.mockRejectedValue(new ClassificationFailedError('ModelError', false, 'Classification failed (ModelError): boom'));

    await expect(labeller.label(image, { force: false })).resolves.toBe('FAILED');

    expect(deadLetters.send).not.toHaveBeenCalled();
  });

  it('drops its result when a newer run took the image over', async () => {
    classifier.classify.mockResolvedValue(squirrel);
    images.recordClassification.mockResolvedValue(false);

    await expect(labeller.label(image, { force: true })).resolves.toBe('CLASSIFIED');

    expect(images.recordFailure).not.toHaveBeenCalled();
  });

  it('lets an unexpected error (such as DynamoDB being down) propagate, so the event is retried', async () => {
    classifier.classify.mockResolvedValue(squirrel);
    images.recordClassification.mockRejectedValue(new Error('DynamoDB is unavailable'));

    await expect(labeller.label(image, { force: false })).rejects.toThrow('DynamoDB is unavailable');
    expect(images.recordFailure).not.toHaveBeenCalled();
  });

  it('gives the image back when it cannot finish, so that the retried event can claim it at once', async () => {
    classifier.classify.mockResolvedValue(squirrel);
    images.recordClassification.mockRejectedValue(new Error('DynamoDB is unavailable'));

    await expect(labeller.label(image, { force: false })).rejects.toThrow('DynamoDB is unavailable');

    expect(images.releaseClaim).toHaveBeenCalledWith(claim);
  });
});
