import { ImageProcessingService, type ImageRecord } from '@app/images';
import { Logger } from '@nestjs/common';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ThumbnailMaker } from './thumbnail-maker.js';
import { ThumbnailWorker } from './thumbnail-worker.js';

const IMAGE_ID = '6f9d1c52-8a3e-4c0b-9e57-2d4f1a6b7c80';
const image = { imageId: IMAGE_ID, objectKey: `images/${IMAGE_ID}`, status: 'CLASSIFIED' } as ImageRecord;
const record = (body: string) => ({ messageId: 'm1', body, attributes: { SentTimestamp: '0' } });

describe('ThumbnailWorker', () => {
  const images = { findByObjectKey: vi.fn(), findById: vi.fn(), clearThumbnailMarker: vi.fn() };
  const thumbnails = { make: vi.fn() };
  const worker = new ThumbnailWorker(
    images as unknown as ImageProcessingService,
    thumbnails as unknown as ThumbnailMaker,
  );

  beforeEach(() => {
    vi.resetAllMocks();
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  it('makes the thumbnail of an uploaded photo', async () => {
    images.findByObjectKey.mockResolvedValue(image);

    await worker.handle(
      record(
        JSON.stringify({
          Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: `images/${IMAGE_ID}` } } }],
        }),
      ),
    );

    expect(thumbnails.make).toHaveBeenCalledWith(image);
  });

  it('makes none again for a duplicate (the image has one), and only clears its backfill mark', async () => {
    const done = { ...image, thumbnailKey: `thumbnails/${IMAGE_ID}.jpg` };
    images.findById.mockResolvedValue(done);

    await worker.handle(record(JSON.stringify({ imageId: IMAGE_ID })));

    expect(thumbnails.make).not.toHaveBeenCalled();
    expect(images.clearThumbnailMarker).toHaveBeenCalledWith(done);
  });

  it('deletes a malformed message and S3’s test event without work', async () => {
    await worker.handle(record('{not json'));
    await worker.handle(record(JSON.stringify({ Event: 's3:TestEvent' })));

    expect(images.findByObjectKey).not.toHaveBeenCalled();
    expect(thumbnails.make).not.toHaveBeenCalled();
  });

  it('lets a failing dependency throw, so the message comes back', async () => {
    images.findById.mockResolvedValue(image);
    thumbnails.make.mockRejectedValue(new Error('S3 is unavailable'));

    await expect(worker.handle(record(JSON.stringify({ imageId: IMAGE_ID })))).rejects.toThrow('S3 is unavailable');
  });
});
