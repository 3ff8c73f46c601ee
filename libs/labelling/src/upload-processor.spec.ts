import { ImageProcessingService, type ImageRecord } from '@app/images';
import { Logger } from '@nestjs/common';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ImageLabeller } from './image-labeller.js';
import { ThumbnailMaker } from './thumbnail-maker.js';
import { UploadProcessor } from './upload-processor.js';

const pending = { imageId: 'i1', status: 'PENDING', objectKey: 'images/i1' } as ImageRecord;
const created = (key: string) => ({ Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key } } }] });

describe('UploadProcessor', () => {
  const images = { findByObjectKey: vi.fn() };
  const labeller = { label: vi.fn() };
  const thumbnails = { make: vi.fn() };
  const processor = new UploadProcessor(
    images as unknown as ImageProcessingService,
    labeller as unknown as ImageLabeller,
    thumbnails as unknown as ThumbnailMaker,
  );

  beforeEach(() => {
    vi.resetAllMocks();
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  it('labels a PENDING image and makes its thumbnail', async () => {
    images.findByObjectKey.mockResolvedValue(pending);

    await processor.handle(created('images/i1'));

    expect(labeller.label).toHaveBeenCalledWith(pending, { force: false });
    expect(thumbnails.make).toHaveBeenCalledWith(pending);
  });

  it('drops an event for an unknown key', async () => {
    images.findByObjectKey.mockResolvedValue(undefined);

    await processor.handle(created('somewhere/else'));

    expect(labeller.label).not.toHaveBeenCalled();
    expect(Logger.prototype.warn).toHaveBeenCalledWith('Dropped S3 event for somewhere/else: no such image');
  });

  it('drops a duplicate event for an image already classified', async () => {
    images.findByObjectKey.mockResolvedValue({ ...pending, status: 'CLASSIFIED' });

    await processor.handle(created('images/i1'));

    expect(labeller.label).not.toHaveBeenCalled();
    expect(thumbnails.make).not.toHaveBeenCalled();
  });

  it('still makes the thumbnail when labelling fails unexpectedly, then fails the invocation', async () => {
    images.findByObjectKey.mockResolvedValue(pending);
    labeller.label.mockRejectedValue(new Error('DynamoDB is unavailable'));

    await expect(processor.handle(created('images/i1'))).rejects.toThrow('1 upload(s) not processed');
    expect(thumbnails.make).toHaveBeenCalledWith(pending);
  });
});
