import { ImageProcessingService, UNFINISHED_SHARDS, type ImageRecord, type UnfinishedWork } from '@app/images';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Backfill } from './backfill.js';
import type { PipelineQueuesConfig } from './pipeline-queues.config.js';
import { PipelineQueues } from './pipeline-queues.js';

const pending = {
  imageId: 'i1',
  status: 'PENDING',
  objectKey: 'images/i1',
  timestamp: new Date().toISOString(),
} as ImageRecord;
const longAgo = new Date(Date.now() - 3600_000).toISOString();

describe('Backfill', () => {
  const images = {
    claimStaleBefore: vi.fn(),
    countUnfinished: vi.fn(),
    listUnfinished: vi.fn(),
    photoSize: vi.fn(),
    claim: vi.fn(),
    recordFailure: vi.fn(),
    clearThumbnailMarker: vi.fn(),
  };
  const queues = { requestClassification: vi.fn(), requestThumbnails: vi.fn() };
  const backfill = new Backfill(
    images as unknown as ImageProcessingService,
    queues as unknown as PipelineQueues,
    { pendingUploadMaxAgeSeconds: 900 } as PipelineQueuesConfig,
  );
  /** The image sits in one shard of the list for `work`. */
  const holding = (work: UnfinishedWork, image: ImageRecord) =>
    images.listUnfinished.mockImplementation(async (listed: UnfinishedWork, shard: number) => ({
      images: listed === work && shard === 3 ? [image] : [],
    }));

  beforeEach(() => {
    vi.resetAllMocks();
    images.claimStaleBefore.mockImplementation(() => new Date(Date.now() - 90_000).toISOString());
    images.countUnfinished.mockResolvedValue(0);
    images.photoSize.mockResolvedValue(1234);
    queues.requestClassification.mockResolvedValue(undefined);
    queues.requestThumbnails.mockResolvedValue(undefined);
  });

  it('reads every shard of every list, and queues a PENDING image with a photo for classification and a thumbnail', async () => {
    holding('PENDING', pending);
    const progress = vi.fn();

    const counts = await backfill.run(progress);

    expect(images.listUnfinished).toHaveBeenCalledTimes(3 * UNFINISHED_SHARDS);
    expect(counts).toEqual({
      classificationsQueued: 1,
      thumbnailsQueued: 1,
      uploadsMissing: 0,
      awaitingUpload: 0,
      skipped: 0,
    });
    expect(queues.requestClassification).toHaveBeenCalledWith([{ imageId: 'i1' }]);
    expect(queues.requestThumbnails).toHaveBeenCalledWith(['i1']);
    expect(progress).toHaveBeenCalledTimes(1);
  });

  it('sends a re-classification again with the token it claimed the image with', async () => {
    holding('FAILED', {
      ...pending,
      status: 'CLASSIFIED',
      claimToken: '6f9d1c52-8a3e-4c0b-9e57-2d4f1a6b7c80',
      thumbnailKey: 'thumbnails/i1.jpg',
    });

    await backfill.run();

    expect(queues.requestClassification).toHaveBeenCalledWith([
      { imageId: 'i1', claimToken: '6f9d1c52-8a3e-4c0b-9e57-2d4f1a6b7c80' },
    ]);
    expect(queues.requestThumbnails).toHaveBeenCalledWith([]);
  });

  it('queues the thumbnail of a CLASSIFIED image that has none, and clears the mark of one that has it', async () => {
    holding('THUMBNAIL', { ...pending, status: 'CLASSIFIED' });
    await backfill.run();
    expect(queues.requestThumbnails).toHaveBeenCalledWith(['i1']);
    expect(queues.requestClassification).toHaveBeenCalledWith([]);

    const done = { ...pending, status: 'CLASSIFIED' as const, thumbnailKey: 'thumbnails/i1.jpg' };
    holding('THUMBNAIL', done);
    await backfill.run();
    expect(images.clearThumbnailMarker).toHaveBeenCalledWith(done);
  });

  it('leaves an image being classified right now alone', async () => {
    holding('PENDING', { ...pending, claimedAt: new Date().toISOString() });

    const counts = await backfill.run();

    expect(counts.skipped).toBe(1);
    expect(queues.requestClassification).toHaveBeenCalledWith([]);
  });

  it("queues an image whose claim went stale (its run could not hand it back), by the workers' claim timeout", async () => {
    holding('PENDING', { ...pending, claimedAt: new Date(Date.now() - 120_000).toISOString() });

    const counts = await backfill.run();

    expect(counts).toMatchObject({ classificationsQueued: 1, skipped: 0 });
    expect(queues.requestClassification).toHaveBeenCalledWith([{ imageId: 'i1' }]);
  });

  it('waits for a young upload, and ends an old one whose photo never came FAILED (UploadMissing)', async () => {
    images.photoSize.mockResolvedValue(undefined);
    holding('PENDING', pending);
    await expect(backfill.run()).resolves.toMatchObject({ awaitingUpload: 1, uploadsMissing: 0 });

    const old = { ...pending, timestamp: longAgo };
    holding('PENDING', old);
    images.claim.mockResolvedValue({ image: old, token: 't' });
    images.recordFailure.mockResolvedValue(true);

    await expect(backfill.run()).resolves.toMatchObject({ awaitingUpload: 0, uploadsMissing: 1 });
    expect(images.recordFailure).toHaveBeenCalledWith(
      { image: old, token: 't' },
      { errorType: 'UploadMissing', reason: 'No photo was uploaded within 15 minutes of creating the image' },
      { transient: false },
    );
  });
});
