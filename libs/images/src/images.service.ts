import { ConflictError, ForbiddenError, NotFoundError } from '@app/errors';
import { GroupsService } from '@app/groups';
import { UdagramMetrics, withLogKeys } from '@app/observability';
import { decodePageToken, encodePageToken, FirstPageCache, type Page } from '@app/pagination';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreateImageDto } from './dto/create-image.dto.js';
import type { ImageDto } from './dto/image.dto.js';
import { imageObjectKey, unfinishedMarker, type ImageRecord } from './image.js';
import {
  GROUP_LABEL_PAGE_KEY_ATTRIBUTES,
  ImageLabelsRepository,
  LABEL_PAGE_KEY_ATTRIBUTES,
} from './image-labels.repository.js';
import { ImageStorage } from './image-storage.js';
import { imagesConfig, type ImagesConfig } from './images.config.js';
import { checkPhoto } from './photo-upload.js';
import { IMAGE_PAGE_KEY_ATTRIBUTES, ImagesRepository } from './images.repository.js';

@Injectable()
export class ImagesService {
  private readonly logger = new Logger(ImagesService.name);
  /** First pages of public listings (a busy group's, a popular word's), kept for LISTING_CACHE_TTL_MS. */
  private readonly firstPages: FirstPageCache<Page<ImageDto>>;

  constructor(
    private readonly repository: ImagesRepository,
    private readonly labels: ImageLabelsRepository,
    private readonly storage: ImageStorage,
    private readonly groups: GroupsService,
    @Inject(imagesConfig.KEY) config: Pick<ImagesConfig, 'listingCacheTtlMs'>,
    @Optional() private readonly metrics?: UdagramMetrics,
  ) {
    this.firstPages = new FirstPageCache(config.listingCacheTtlMs);
  }

  /** Records a PENDING image and returns the URL to PUT its bytes to. */
  async create(
    userId: string,
    groupId: string,
    input: CreateImageDto,
    correlationId?: string,
  ): Promise<{ newItem: ImageDto; uploadUrl: string }> {
    const imageId = randomUUID();
    const timestamp = new Date().toISOString();
    const image: ImageRecord = {
      groupId,
      timestampId: `${timestamp}#${imageId}`,
      timestamp,
      imageId,
      userId,
      title: input.title,
      status: 'PENDING',
      unfinishedStatus: unfinishedMarker('PENDING', imageId),
      objectKey: imageObjectKey(imageId),
      contentType: input.contentType,
      correlationId,
    };
    await this.repository.create(image);
    this.metrics?.imageCreated();
    withLogKeys({ imageId }, () => this.logger.log(`Image ${imageId} created in group ${groupId}`));
    const [newItem, uploadUrl] = await Promise.all([
      this.toDto(image),
      this.storage.uploadUrl(image.objectKey, image.contentType),
    ]);
    return { newItem, uploadUrl };
  }

  /**
   * Stores the photo of a PENDING image its caller owns, as a PUT to the presigned URL would: the same object, so
   * the same upload pipeline labels it. One photo per image: a second one would never be labelled.
   */
  async uploadPhoto(
    userId: string,
    imageId: string,
    photo: Uint8Array | undefined,
    declaredType: string | undefined,
  ): Promise<ImageDto> {
    const image = await this.findOwned(userId, imageId, 'upload a photo for');
    const contentType = checkPhoto(photo, declaredType, image.contentType);
    if (image.status !== 'PENDING' || (await this.storage.sizeOf(image.objectKey)) !== undefined) {
      throw new ConflictError(`Image ${imageId} already has a photo`);
    }
    await this.storage.writePhoto(image.objectKey, photo!, contentType);
    return this.toDto(image);
  }

  async get(imageId: string): Promise<ImageDto> {
    return this.toDto(await this.find(imageId));
  }

  /**
   * A group's images newest first; with a label word, only those labelled with it. The group is read only when
   * the page is empty (to tell an empty group from an unknown one): an image exists only in an existing group.
   */
  async listForGroup(
    groupId: string,
    limit: number,
    nextKey: string | undefined,
    label?: string,
  ): Promise<Page<ImageDto>> {
    let load: () => Promise<Page<ImageDto>>;
    if (label !== undefined) {
      const word = label.toLowerCase();
      const groupWord = `${groupId}#${word}`;
      const startKey = decodePageToken(nextKey, {
        attributes: GROUP_LABEL_PAGE_KEY_ATTRIBUTES,
        fixed: { groupWord, word },
      });
      load = async () => {
        const { keys, last } = await this.labels.search(word, groupId, limit, startKey?.timestampId);
        return this.page(
          await this.repository.findByKeys(keys),
          last === undefined ? undefined : { word, timestampId: last, groupWord },
        );
      };
    } else {
      const startKey = decodePageToken(nextKey, { attributes: IMAGE_PAGE_KEY_ATTRIBUTES, fixed: { groupId } });
      load = async () => {
        // Where the page ended, as before the shards: the same token attributes, so old tokens still work.
        const { images, last } = await this.repository.listByGroupNewestFirst(groupId, limit, startKey?.timestampId);
        return this.page(images, last === undefined ? undefined : { groupId, timestampId: last });
      };
    }
    const page = await (nextKey === undefined
      ? this.firstPages.get(`group:${groupId}:${label?.toLowerCase() ?? ''}:${limit}`, load)
      : load());
    if (page.items.length === 0) await this.groups.get(groupId);
    return page;
  }

  /** Every image labelled with the word, newest first, across groups. */
  async searchByLabel(label: string, limit: number, nextKey: string | undefined): Promise<Page<ImageDto>> {
    const word = label.toLowerCase();
    const startKey = decodePageToken(nextKey, { attributes: LABEL_PAGE_KEY_ATTRIBUTES, fixed: { word } });
    const load = async () => {
      const { keys, last } = await this.labels.search(word, undefined, limit, startKey?.timestampId);
      return this.page(
        await this.repository.findByKeys(keys),
        last === undefined ? undefined : { word, timestampId: last },
      );
    };
    return startKey === undefined ? this.firstPages.get(`label:${word}:${limit}`, load) : load();
  }

  /**
   * The image's owner, or its group's owner (who moderates the group and could otherwise never empty it to delete
   * it). The record goes first, in one transaction retried through conflicts and throttling: if that fails nothing
   * changed and the delete can simply be retried (503), so no record ever points at deleted photos. The photos go
   * after; one whose delete fails is left without a record, never served again, for the orphan sweep.
   */
  async delete(userId: string, imageId: string): Promise<void> {
    const image = await this.find(imageId);
    if (image.userId !== userId && (await this.groups.get(image.groupId)).userId !== userId) {
      throw new ForbiddenError('Only the owner of an image or of its group may delete it');
    }
    await this.repository.delete(image);
    const keys = [image.objectKey, image.thumbnailKey].flatMap((key) => (key === undefined ? [] : [key]));
    const outcomes = await Promise.allSettled(keys.map((key) => this.storage.delete(key)));
    const left = keys.filter((_key, index) => outcomes[index]!.status === 'rejected');
    if (left.length > 0)
      this.logger.warn(`Image ${imageId} deleted; objects left for the orphan sweep: ${left.join(', ')}`);
  }

  /** The image, if `userId` owns it: NotFoundError or ForbiddenError otherwise. */
  async findOwned(userId: string, imageId: string, action: string): Promise<ImageRecord> {
    const image = await this.find(imageId);
    assertOwner(image, userId, action);
    return image;
  }

  async find(imageId: string): Promise<ImageRecord> {
    const image = await this.repository.findById(imageId);
    if (image === undefined) throw new NotFoundError(`Image ${imageId} does not exist`);
    return image;
  }

  async toDto(image: ImageRecord): Promise<ImageDto> {
    const { groupId, timestamp, imageId, userId, title, status, contentType } = image;
    const { classLabel, confidence, labels, model, classifiedAt, failure, lastAttemptFailure } = image;
    const [imageUrl, thumbnailUrl] = await Promise.all([
      this.storage.downloadUrl(image.objectKey, image.contentType),
      image.thumbnailKey === undefined ? undefined : this.storage.thumbnailUrl(image.thumbnailKey),
    ]);
    return {
      groupId,
      timestamp,
      imageId,
      userId,
      title,
      status,
      contentType,
      imageUrl,
      thumbnailUrl,
      classLabel,
      confidence,
      labels,
      model,
      classifiedAt,
      failure,
      lastAttemptFailure,
    };
  }

  private async page(images: ImageRecord[], lastKey: Record<string, string> | undefined): Promise<Page<ImageDto>> {
    return { items: await Promise.all(images.map((image) => this.toDto(image))), nextKey: encodePageToken(lastKey) };
  }
}

function assertOwner(image: ImageRecord, userId: string, action: string): void {
  if (image.userId !== userId) throw new ForbiddenError(`Only the owner of an image may ${action} it`);
}
