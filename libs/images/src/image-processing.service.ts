import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ImageDto } from './dto/image.dto.js';
import {
  imageIdOfObjectKey,
  thumbnailObjectKey,
  type ImageClassification,
  type ImageFailure,
  type ImageRecord,
  type UnfinishedWork,
} from './image.js';
import {
  ImageClassificationRepository,
  type ClaimRefusal,
  type ClassificationClaim,
} from './image-classification.repository.js';
import { ImageStorage } from './image-storage.js';
import { imagesConfig, type ImagesConfig } from './images.config.js';
import { ImagesRepository } from './images.repository.js';
import { ImagesService } from './images.service.js';

/** What the upload pipeline may do to images: the images library keeps the storage details. */
@Injectable()
export class ImageProcessingService {
  constructor(
    private readonly images: ImagesService,
    private readonly repository: ImagesRepository,
    private readonly classification: ImageClassificationRepository,
    private readonly storage: ImageStorage,
    @Inject(imagesConfig.KEY) private readonly config: ImagesConfig,
  ) {}

  /** The image an uploaded object belongs to; undefined for keys that are not image uploads or unknown images. */
  async findByObjectKey(objectKey: string): Promise<ImageRecord | undefined> {
    const imageId = imageIdOfObjectKey(objectKey);
    return imageId === undefined ? undefined : this.repository.findById(imageId);
  }

  /** Undefined for an unknown image. */
  findById(imageId: string): Promise<ImageRecord | undefined> {
    return this.repository.findById(imageId);
  }

  find(imageId: string): Promise<ImageRecord> {
    return this.images.find(imageId);
  }

  /**
   * Claims taken before this time belong to runs gone silent: another run may take the image over. The workers and
   * the backfill judge claims by the same timeout.
   */
  claimStaleBefore(now = Date.now()): string {
    return new Date(now - this.config.claimTimeoutSeconds * 1000).toISOString();
  }

  /** A claim on an image nobody is classifying (PENDING, or FAILED on a transient error). */
  claim(image: ImageRecord, staleBefore: string): Promise<ClassificationClaim | ClaimRefusal> {
    return this.classification.claim(image, randomUUID(), staleBefore);
  }

  /** Takes up the claim a queued re-classification carries. */
  adopt(image: ImageRecord, token: string, staleBefore: string): Promise<ClassificationClaim | ClaimRefusal> {
    return this.classification.adopt(image, token, staleBefore);
  }

  /** Makes the image PENDING under a new claim token for the queued request to carry; undefined if it is gone. */
  async requestReclassification(image: ImageRecord): Promise<{ image: ImageRecord; claimToken: string } | undefined> {
    const claimToken = randomUUID();
    const updated = await this.classification.requestReclassification(image, claimToken);
    return updated === undefined ? undefined : { image: updated, claimToken };
  }

  releaseClaim(claim: ClassificationClaim): Promise<void> {
    return this.classification.releaseClaim(claim);
  }

  recordClassification(claim: ClassificationClaim, result: ImageClassification): Promise<boolean> {
    return this.classification.recordClassification(claim, result);
  }

  recordFailure(claim: ClassificationClaim, failure: ImageFailure, options: { transient: boolean }): Promise<boolean> {
    return this.classification.recordFailure(claim, failure, options);
  }

  /** A presigned GET URL for the classifier to fetch the photo. */
  photoUrl(image: ImageRecord): Promise<string> {
    return this.storage.downloadUrl(image.objectKey, image.contentType);
  }

  photoSize(image: ImageRecord): Promise<number | undefined> {
    return this.storage.sizeOf(image.objectKey);
  }

  readPhoto(image: ImageRecord): Promise<Uint8Array> {
    return this.storage.read(image.objectKey);
  }

  async storeThumbnail(image: ImageRecord, jpeg: Uint8Array): Promise<void> {
    const key = thumbnailObjectKey(image.imageId);
    await this.storage.writeJpeg(key, jpeg);
    await this.classification.recordThumbnail(image, key);
  }

  /** How many images of one shard have that work left (for a progress bar). */
  countUnfinished(work: UnfinishedWork, shard: number): Promise<number> {
    return this.repository.countUnfinished(`${work}#${shard}`);
  }

  /** Images of one shard with that work left, a page at a time (for the backfill). */
  async listUnfinished(
    work: UnfinishedWork,
    shard: number,
    limit: number,
    startKey: Record<string, string> | undefined,
  ) {
    const { keys, lastKey } = await this.repository.listUnfinished(`${work}#${shard}`, limit, startKey);
    return { images: await this.repository.findByKeys(keys), lastKey };
  }

  /** Takes a classified image off the unfinished index once its thumbnail exists. */
  clearThumbnailMarker(image: ImageRecord): Promise<void> {
    return this.classification.clearThumbnailMarker(image);
  }

  toDto(image: ImageRecord): Promise<ImageDto> {
    return this.images.toDto(image);
  }
}
