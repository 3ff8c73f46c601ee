import { ForbiddenError, NotFoundError } from '@app/errors';
import { GroupsService } from '@app/groups';
import { decodePageToken, encodePageToken, type Page } from '@app/pagination';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreateImageDto } from './dto/create-image.dto.js';
import type { ImageDto } from './dto/image.dto.js';
import type { ImageRecord } from './image.js';
import { ImageStorage } from './image-storage.js';
import { IMAGE_PAGE_KEY_ATTRIBUTES, ImagesRepository } from './images.repository.js';

@Injectable()
export class ImagesService {
  constructor(
    private readonly repository: ImagesRepository,
    private readonly storage: ImageStorage,
    private readonly groups: GroupsService,
  ) {}

  /** Records a PENDING image and returns the URL to PUT its bytes to. */
  async create(userId: string, groupId: string, input: CreateImageDto): Promise<{ newItem: ImageDto; uploadUrl: string }> {
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
      objectKey: `images/${imageId}`,
      contentType: input.contentType,
    };
    await this.repository.create(image);
    const [newItem, uploadUrl] = await Promise.all([
      this.toDto(image),
      this.storage.uploadUrl(image.objectKey, image.contentType),
    ]);
    return { newItem, uploadUrl };
  }

  async get(imageId: string): Promise<ImageDto> {
    return this.toDto(await this.find(imageId));
  }

  async listForGroup(groupId: string, limit: number, nextKey: string | undefined): Promise<Page<ImageDto>> {
    const startKey = decodePageToken(nextKey, { attributes: IMAGE_PAGE_KEY_ATTRIBUTES, fixed: { groupId } });
    await this.groups.get(groupId);
    const { images, lastKey } = await this.repository.listByGroupNewestFirst(groupId, limit, startKey);
    return { items: await Promise.all(images.map((image) => this.toDto(image))), nextKey: encodePageToken(lastKey) };
  }

  /** Owner only. The photo goes first: if that fails the record stays and the delete can simply be retried. */
  async delete(userId: string, imageId: string): Promise<void> {
    const image = await this.find(imageId);
    if (image.userId !== userId) throw new ForbiddenError('Only the owner of an image may delete it');
    await this.storage.delete(image.objectKey);
    await this.repository.delete(image);
  }

  private async find(imageId: string): Promise<ImageRecord> {
    const image = await this.repository.findById(imageId);
    if (image === undefined) throw new NotFoundError(`Image ${imageId} does not exist`);
    return image;
  }

  private async toDto(image: ImageRecord): Promise<ImageDto> {
    const { groupId, timestamp, imageId, userId, title, status, contentType } = image;
    const imageUrl = await this.storage.downloadUrl(image.objectKey);
    return { groupId, timestamp, imageId, userId, title, status, contentType, imageUrl };
  }
}
