import { ImageProcessingService, type ImageRecord } from '@app/images';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Backfill } from './backfill.js';
import { ImageLabeller } from './image-labeller.js';
import type { LabellingConfig } from './labelling.config.js';
import { ThumbnailMaker } from './thumbnail-maker.js';

const pending = { imageId: 'i1', status: 'PENDING', objectKey: 'images/i1', timestamp: new Date().toISOString() } as ImageRecord;

describe('Backfill', () => {
  const images = { countUnfinished: vi.fn(), listUnfinished: vi.fn(), photoSize: vi.fn(), claim: vi.fn() };
  const labeller = { label: vi.fn(), fail: vi.fn() };
  const thumbnails = { make: vi.fn() };
  const backfill = new Backfill(
    images as unknown as ImageProcessingService,
    labeller as unknown as ImageLabeller,
    thumbnails as unknown as ThumbnailMaker,
    { pendingUploadMaxAgeSeconds: 900 } as LabellingConfig,
  );
  const holding = (image: ImageRecord) =>
    images.listUnfinished.mockImplementation(async (status: string) => ({ images: status === image.status ? [image] : [] }));

  beforeEach(() => {
    vi.resetAllMocks();
    images.countUnfinished.mockResolvedValue(0);
    images.photoSize.mockResolvedValue(1234);
    labeller.label.mockResolvedValue('CLASSIFIED');
  });

  it('re-labels an image whose photo arrived, then makes the thumbnail its failed upload run never recorded', async () => {
    holding(pending);

    const counts = await backfill.run();

    expect(counts).toEqual({ classified: 1, failed: 0, awaitingUpload: 0, skipped: 0 });
    expect(labeller.label).toHaveBeenCalledWith(pending, { force: true });
    expect(thumbnails.make).toHaveBeenCalledWith(pending);
    expect(labeller.label.mock.invocationCallOrder[0]).toBeLessThan(thumbnails.make.mock.invocationCallOrder[0]!);
  });

  it('leaves a thumbnail the image already has', async () => {
    holding({ ...pending, status: 'FAILED', thumbnailKey: 'thumbnails/i1.jpg' });

    await backfill.run();

    expect(labeller.label).toHaveBeenCalledTimes(1);
    expect(thumbnails.make).not.toHaveBeenCalled();
  });

  it('makes no thumbnail while the photo has not arrived', async () => {
    holding(pending);
    images.photoSize.mockResolvedValue(undefined);

    const counts = await backfill.run();

    expect(counts).toEqual({ classified: 0, failed: 0, awaitingUpload: 1, skipped: 0 });
    expect(thumbnails.make).not.toHaveBeenCalled();
  });
});
