import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ImageDto } from './dto/image.dto.js';
import { imageIdOfObjectKey, thumbnailObjectKey, type ImageClassification, type ImageFailure, type ImageRecord } from './image.js';
import { ImageClassificationRepository, type ClassificationClaim } from './image-classification.repository.js';
import { ImageStorage } from './image-storage.js';
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
  ) {}

  /** The image an uploaded object belongs to; undefined for keys that are not image uploads or unknown images. */
  async findByObjectKey(objectKey: string): Promise<ImageRecord | undefined> {
    const imageId = imageIdOfObjectKey(objectKey);
    return imageId === undefined ? undefined : this.repository.findById(imageId);
  }

  find(imageId: string): Promise<ImageRecord> {
    return this.images.find(imageId);
  }

  claim(image: ImageRecord, options: { force: boolean; staleBefore: string }): Promise<ClassificationClaim | undefined> {
    return this.classification.claim(image, randomUUID(), options);
  }

  releaseClaim(claim: ClassificationClaim): Promise<void> {
    return this.classification.releaseClaim(claim);
  }

  recordClassification(claim: ClassificationClaim, result: ImageClassification): Promise<boolean> {
    return this.classification.recordClassification(claim, result);
  }

  recordFailure(claim: ClassificationClaim, failure: ImageFailure): Promise<boolean> {
    return this.classification.recordFailure(claim, failure);
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

  countUnfinished(status: 'PENDING' | 'FAILED'): Promise<number> {
    return this.repository.countUnfinished(status);
  }

  /** Images not yet CLASSIFIED, a page at a time (for the backfill). */
  async listUnfinished(status: 'PENDING' | 'FAILED', limit: number, startKey: Record<string, string> | undefined) {
    const { keys, lastKey } = await this.repository.listUnfinished(status, limit, startKey);
    return { images: await this.repository.findByKeys(keys), lastKey };
  }

  toDto(image: ImageRecord): Promise<ImageDto> {
    return this.images.toDto(image);
  }
}
