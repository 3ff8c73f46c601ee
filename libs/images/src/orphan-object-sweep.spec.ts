import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageStorage } from './image-storage.js';
import type { ImagesConfig } from './images.config.js';
import type { ImagesRepository } from './images.repository.js';
import { OrphanObjectSweep } from './orphan-object-sweep.js';

const LIVE = '11111111-1111-4111-8111-111111111111';
const GONE = '22222222-2222-4222-8222-222222222222';
const NOW = new Date('2026-12-04T12:00:00Z');
const old = new Date('2026-12-04T11:00:00Z');
const recent = new Date('2026-12-04T11:55:00Z');

describe('OrphanObjectSweep', () => {
  const objects: Record<string, { key: string; lastModified: Date }[]> = {};
  const storage = {
    listPage: vi.fn(async (prefix: string, _token: string | undefined, startAfter?: string) => ({
      objects: (objects[prefix] ?? []).filter(({ key }) => startAfter === undefined || key > startAfter),
      continuationToken: undefined,
    })),
    delete: vi.fn(async () => undefined),
  };
  const images = { findById: vi.fn(async (imageId: string) => (imageId === LIVE ? { imageId } : undefined)) };
  let sweep: OrphanObjectSweep;

  beforeEach(() => {
    vi.clearAllMocks();
    objects['images/'] = [
      { key: `images/${LIVE}`, lastModified: old },
      { key: `images/${GONE}`, lastModified: old },
      { key: 'images/not-an-image-id', lastModified: old },
    ];
    objects['thumbnails/'] = [{ key: `thumbnails/${GONE}.jpg`, lastModified: recent }];
    sweep = new OrphanObjectSweep(
      storage as unknown as ImageStorage,
      images as unknown as ImagesRepository,
      { uploadUrlTtlSeconds: 300 } as ImagesConfig,
    );
  });

  it('deletes only objects of images with no record, older than the upload URL lifetime plus the grace', async () => {
    const counts = await sweep.run({ maxObjects: 100, now: NOW });

    // The thumbnail is 5 minutes old: within 300 s + 15 min, an upload through a URL issued before the delete may follow.
    expect(counts).toEqual({ scanned: 4, deleted: [`images/${GONE}`], resumeAfter: undefined });
    expect(storage.delete).toHaveBeenCalledTimes(1);
  });

  it('takes recent objects too when told to, and never a key that is not an image’s', async () => {
    const counts = await sweep.run({ maxObjects: 100, now: NOW, minAgeSeconds: 0 });

    expect(counts.deleted).toEqual([`images/${GONE}`, `thumbnails/${GONE}.jpg`]);
    expect(images.findById).not.toHaveBeenCalledWith('not-an-image-id');
  });

  it('stops after maxObjects scanned', async () => {
    const counts = await sweep.run({ maxObjects: 1, now: NOW, minAgeSeconds: 0 });

    expect(counts).toEqual({ scanned: 1, deleted: [], resumeAfter: `images/${LIVE}` });
  });

  it('resumes after the last key of a stopped run, in images/ or in thumbnails/', async () => {
    const next = await sweep.run({ maxObjects: 100, now: NOW, minAgeSeconds: 0, startAfter: `images/${LIVE}` });
    expect(next).toEqual({ scanned: 3, deleted: [`images/${GONE}`, `thumbnails/${GONE}.jpg`], resumeAfter: undefined });

    const inThumbnails = await sweep.run({ maxObjects: 100, now: NOW, minAgeSeconds: 0, startAfter: 'thumbnails/' });
    expect(inThumbnails).toEqual({ scanned: 1, deleted: [`thumbnails/${GONE}.jpg`], resumeAfter: undefined });
  });
});
