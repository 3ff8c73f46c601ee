import { Inject, Injectable, Logger } from '@nestjs/common';
import { imageIdOfObjectKey, imageIdOfThumbnailKey } from './image.js';
import { ImageStorage } from './image-storage.js';
import { imagesConfig, type ImagesConfig } from './images.config.js';
import { ImagesRepository } from './images.repository.js';

export interface OrphanSweepCounts {
  scanned: number;
  deleted: string[];
  /** The last key scanned when `maxObjects` stopped the run: the next run's `startAfter`; undefined once done. */
  resumeAfter?: string;
}

/** Objects younger than this are left alone: a presigned upload URL issued just before a delete may still be used. */
const GRACE_AFTER_UPLOAD_URL_SECONDS = 15 * 60;

/**
 * Deletes the photos and thumbnails that no image record points at any more: an image is deleted record first, so an
 * object delete that fails afterwards (or an upload through a URL issued before the delete) leaves an object nothing
 * refers to or serves. Bounded (`maxObjects` scanned per run, resumable with `startAfter`: images/ then thumbnails/
 * in key order), safe to run at any time and to interrupt: it deletes
 * only objects older than the upload URL lifetime plus a grace whose image id has no record (a strongly consistent
 * check is not needed: a record is never re-created for a deleted id).
 */
@Injectable()
export class OrphanObjectSweep {
  private readonly logger = new Logger(OrphanObjectSweep.name);
  private readonly minAgeSeconds: number;

  constructor(
    private readonly storage: ImageStorage,
    private readonly images: ImagesRepository,
    @Inject(imagesConfig.KEY) config: ImagesConfig,
  ) {
    this.minAgeSeconds = config.uploadUrlTtlSeconds + GRACE_AFTER_UPLOAD_URL_SECONDS;
  }

  async run(options: {
    maxObjects: number;
    startAfter?: string;
    now?: Date;
    minAgeSeconds?: number;
  }): Promise<OrphanSweepCounts> {
    const now = options.now ?? new Date();
    const cutoff = now.getTime() - (options.minAgeSeconds ?? this.minAgeSeconds) * 1000;
    const counts: OrphanSweepCounts = { scanned: 0, deleted: [] };
    for (const [prefix, imageIdOf] of [
      ['images/', imageIdOfObjectKey],
      ['thumbnails/', imageIdOfThumbnailKey],
    ] as const) {
      // Keys sort images/ before thumbnails/: a cursor in thumbnails/ skips images/ entirely.
      const startAfter = options.startAfter?.startsWith(prefix) ? options.startAfter : undefined;
      if (options.startAfter !== undefined && startAfter === undefined && options.startAfter > prefix) continue;
      let continuationToken: string | undefined;
      do {
        const page = await this.storage.listPage(
          prefix,
          continuationToken,
          continuationToken === undefined ? startAfter : undefined,
        );
        for (const { key, lastModified } of page.objects) {
          if (counts.scanned >= options.maxObjects) return counts;
          counts.resumeAfter = key;
          counts.scanned += 1;
          const imageId = imageIdOf(key);
          if (imageId === undefined || lastModified.getTime() > cutoff) continue;
          if ((await this.images.findById(imageId)) !== undefined) continue;
          await this.storage.delete(key);
          counts.deleted.push(key);
          this.logger.log(`Deleted ${key}: image ${imageId} has no record`);
        }
        continuationToken = page.continuationToken;
      } while (continuationToken !== undefined);
    }
    return { ...counts, resumeAfter: undefined };
  }
}
