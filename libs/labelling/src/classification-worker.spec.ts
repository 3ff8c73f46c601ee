import { ImageProcessingService, type ImageRecord } from '@app/images';
import { Logger } from '@nestjs/common';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ClassificationWorker } from './classification-worker.js';
import { ImageLabeller } from './image-labeller.js';

const IMAGE_ID = '6f9d1c52-8a3e-4c0b-9e57-2d4f1a6b7c80';
const image = { imageId: IMAGE_ID, objectKey: `images/${IMAGE_ID}`, status: 'PENDING' } as ImageRecord;
const LONG_AGO = String(Date.now() - 3600_000);
const record = (body: string, receiveCount = '1', sentAt = LONG_AGO) => ({
  messageId: 'm1',
  body,
  attributes: { ApproximateReceiveCount: receiveCount, SentTimestamp: sentAt },
});
const s3Event = (key: string) =>
  JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key } } }] });

describe('ClassificationWorker', () => {
  const images = { findByObjectKey: vi.fn(), findById: vi.fn() };
  const labeller = { label: vi.fn() };
  const worker = new ClassificationWorker(
    images as unknown as ImageProcessingService,
    labeller as unknown as ImageLabeller,
  );
  const warn = vi.spyOn(Logger.prototype, 'warn');

  beforeEach(() => {
    vi.resetAllMocks();
    warn.mockImplementation(() => undefined);
    labeller.label.mockResolvedValue('CLASSIFIED');
  });

  it('labels the image of an upload event with the delivery’s receive count and when it was queued', async () => {
    images.findByObjectKey.mockResolvedValue(image);

    await expect(worker.handle(record(s3Event(`images/${IMAGE_ID}`), '3'))).resolves.toEqual(['CLASSIFIED']);

    expect(images.findByObjectKey).toHaveBeenCalledWith(`images/${IMAGE_ID}`);
    expect(labeller.label).toHaveBeenCalledWith(image, {
      receiveCount: 3,
      claimToken: undefined,
      queuedAt: Number(LONG_AGO),
    });
  });

  it('passes a re-classification’s token on', async () => {
    images.findById.mockResolvedValue(image);

    await worker.handle(record(JSON.stringify({ imageId: IMAGE_ID, claimToken: IMAGE_ID })));

    // A re-classification request is no upload: no upload → label latency is measured for it.
    expect(labeller.label).toHaveBeenCalledWith(image, { receiveCount: 1, claimToken: IMAGE_ID, queuedAt: undefined });
  });

  it('deletes (returns normally, with a logged reason) a malformed message, a key outside images/ and an unknown image', async () => {
    images.findByObjectKey.mockResolvedValue(undefined);
    images.findById.mockResolvedValue(undefined);

    for (const body of ['{not json', s3Event('thumbnails/x.jpg'), JSON.stringify({ imageId: IMAGE_ID })]) {
      await expect(worker.handle(record(body))).resolves.toEqual([]);
    }

    expect(labeller.label).not.toHaveBeenCalled();
    expect(warn.mock.calls.map(([line]) => String(line))).toEqual([
      'Message m1 deleted: malformed (the body is not JSON)',
      'Message m1: object "thumbnails/x.jpg" is not an image upload, or its image is gone; deleted',
      `Message m1: image ${IMAGE_ID} is not an image upload, or its image is gone; deleted`,
    ]);
  });

  it('puts back a fresh upload whose image the index does not show yet, rather than losing it', async () => {
    images.findByObjectKey.mockResolvedValue(undefined);

    await expect(worker.handle(record(s3Event(`images/${IMAGE_ID}`), '1', String(Date.now())))).rejects.toThrow(
      'has no image yet',
    );
    expect(labeller.label).not.toHaveBeenCalled();
  });

  it('throws what must come back: a deferred classification, a failing dependency', async () => {
    images.findByObjectKey.mockRejectedValue(new Error('DynamoDB is unavailable'));

    await expect(worker.handle(record(s3Event(`images/${IMAGE_ID}`)))).rejects.toThrow('DynamoDB is unavailable');
  });
});
