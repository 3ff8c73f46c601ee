import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, ServiceUnavailableError } from '@app/errors';
import { GroupsService } from '@app/groups';
import { Test } from '@nestjs/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageRecord } from './image.js';
import { ImageLabelsRepository } from './image-labels.repository.js';
import { ImageStorage } from './image-storage.js';
import { ImagesRepository } from './images.repository.js';
import { imagesConfig } from './images.config.js';
import { ImagesService } from './images.service.js';

const image: ImageRecord = {
  groupId: 'g1',
  timestampId: '2026-11-26T07:00:00.000Z#i1',
  timestamp: '2026-11-26T07:00:00.000Z',
  imageId: 'i1',
  userId: 'alice',
  title: 'Squirrel',
  status: 'PENDING',
  objectKey: 'images/i1',
};

describe('ImagesService', () => {
  const repository = { create: vi.fn(), findById: vi.fn(), listByGroupNewestFirst: vi.fn(), delete: vi.fn() };
  const storage = { uploadUrl: vi.fn(), downloadUrl: vi.fn(), delete: vi.fn(), sizeOf: vi.fn(), writePhoto: vi.fn() };
  const groups = { get: vi.fn() };
  const labels = { search: vi.fn(), puts: vi.fn(), deletes: vi.fn() };
  let service: ImagesService;

  beforeEach(async () => {
    vi.resetAllMocks();
    storage.uploadUrl.mockResolvedValue('https://s3/upload');
    storage.downloadUrl.mockResolvedValue('https://s3/download');
    const moduleRef = await Test.createTestingModule({
      providers: [
        ImagesService,
        { provide: ImagesRepository, useValue: repository },
        { provide: ImageStorage, useValue: storage },
        { provide: ImageLabelsRepository, useValue: labels },
        { provide: GroupsService, useValue: groups },
        { provide: imagesConfig.KEY, useValue: { listingCacheTtlMs: 0 } },
      ],
    }).compile();
    service = moduleRef.get(ImagesService);
  });

  it('creates a PENDING image under its own object key and returns the upload URL bound to the content type', async () => {
    const { newItem, uploadUrl } = await service.create('alice', 'g1', {
      title: 'Squirrel',
      contentType: 'image/jpeg',
    });

    expect(uploadUrl).toBe('https://s3/upload');
    expect(newItem).toEqual({
      groupId: 'g1',
      timestamp: expect.any(String),
      imageId: expect.any(String),
      userId: 'alice',
      title: 'Squirrel',
      status: 'PENDING',
      contentType: 'image/jpeg',
      imageUrl: 'https://s3/download',
      thumbnailUrl: undefined,
      classLabel: undefined,
      confidence: undefined,
      labels: undefined,
      model: undefined,
      classifiedAt: undefined,
      failure: undefined,
    });
    expect(storage.uploadUrl).toHaveBeenCalledWith(`images/${newItem.imageId}`, 'image/jpeg');
    expect(repository.create).toHaveBeenCalledWith(
      expect.objectContaining({
        timestampId: `${newItem.timestamp}#${newItem.imageId}`,
        objectKey: `images/${newItem.imageId}`,
      }),
    );
  });

  describe('uploadPhoto', () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);

    it('writes the photo to the image’s own object with its type, as the presigned PUT would', async () => {
      repository.findById.mockResolvedValue({ ...image, contentType: 'image/jpeg' });

      const item = await service.uploadPhoto('alice', 'i1', jpeg, 'image/jpeg');

      expect(storage.writePhoto).toHaveBeenCalledWith('images/i1', jpeg, 'image/jpeg');
      expect(item).toMatchObject({ imageId: 'i1', status: 'PENDING', imageUrl: 'https://s3/download' });
    });

    it('refuses another user before it looks at the bytes, and writes nothing', async () => {
      repository.findById.mockResolvedValue(image);

      await expect(service.uploadPhoto('bob', 'i1', new Uint8Array(0), 'image/jpeg')).rejects.toThrow(
        new ForbiddenError('Only the owner of an image may upload a photo for it'),
      );
      expect(storage.writePhoto).not.toHaveBeenCalled();
    });

    it('refuses bytes that are not the declared type, and writes nothing', async () => {
      repository.findById.mockResolvedValue(image);

      await expect(service.uploadPhoto('alice', 'i1', jpeg, 'image/png')).rejects.toThrow(InvalidInputError);
      expect(storage.writePhoto).not.toHaveBeenCalled();
    });

    it.each([
      ['a photo already stored', { ...image }, 1234],
      ['an image already labelled', { ...image, status: 'CLASSIFIED' as const }, undefined],
    ])('refuses a second photo (%s) with a conflict, and writes nothing', async (_case, stored, size) => {
      repository.findById.mockResolvedValue(stored);
      storage.sizeOf.mockResolvedValue(size);

      await expect(service.uploadPhoto('alice', 'i1', jpeg, 'image/jpeg')).rejects.toThrow(
        new ConflictError('Image i1 already has a photo'),
      );
      expect(storage.writePhoto).not.toHaveBeenCalled();
    });
  });

  it('answers 404 for the images of a group that does not exist', async () => {
    repository.listByGroupNewestFirst.mockResolvedValue({ images: [], last: undefined });
    groups.get.mockRejectedValue(new NotFoundError('Group g404 does not exist'));

    await expect(service.listForGroup('g404', 20, undefined)).rejects.toThrow(NotFoundError);
  });

  it('reads the group only when the page is empty: an image exists only in an existing group', async () => {
    repository.listByGroupNewestFirst.mockResolvedValue({ images: [image], last: undefined });
    storage.downloadUrl.mockResolvedValue('https://s3/download');

    const page = await service.listForGroup('g1', 20, undefined);

    expect(page.items.map((item) => item.imageId)).toEqual(['i1']);
    expect(groups.get).not.toHaveBeenCalled();
  });

  it('refuses a paging token taken from another group’s listing', async () => {
    const otherGroupToken = Buffer.from(JSON.stringify({ groupId: 'g2', timestampId: 't#x' })).toString('base64url');

    await expect(service.listForGroup('g1', 20, otherGroupToken)).rejects.toThrow(InvalidInputError);
  });

  it('lets only the image’s owner or its group’s owner delete an image', async () => {
    repository.findById.mockResolvedValue(image);
    groups.get.mockResolvedValue({ id: 'g1', userId: 'gwen' });

    await expect(service.delete('mallory', 'i1')).rejects.toThrow(ForbiddenError);
    expect(storage.delete).not.toHaveBeenCalled();
    expect(repository.delete).not.toHaveBeenCalled();
  });

  it('lets the group’s owner remove someone else’s image from her group', async () => {
    repository.findById.mockResolvedValue(image);
    groups.get.mockResolvedValue({ id: 'g1', userId: 'gwen' });
    storage.delete.mockResolvedValue(undefined);

    await service.delete('gwen', 'i1');

    expect(repository.delete).toHaveBeenCalledWith(image);
  });

  it('deletes the record before the photos, so a failed record delete leaves everything as it was', async () => {
    repository.findById.mockResolvedValue({ ...image, thumbnailKey: 'thumbnails/i1.jpg' });
    repository.delete.mockRejectedValue(new ServiceUnavailableError('DynamoDB is unavailable; try again later'));

    await expect(service.delete('alice', 'i1')).rejects.toThrow(ServiceUnavailableError);
    expect(storage.delete).not.toHaveBeenCalled();
  });

  it('deletes both objects once the record is gone', async () => {
    const order: string[] = [];
    repository.findById.mockResolvedValue({ ...image, thumbnailKey: 'thumbnails/i1.jpg' });
    repository.delete.mockImplementation(async () => order.push('record'));
    storage.delete.mockImplementation(async (key: string) => order.push(key));

    await service.delete('alice', 'i1');

    expect(order).toEqual(['record', 'images/i1', 'thumbnails/i1.jpg']);
  });

  it('answers the delete done when an object delete fails after the record is gone (the sweep takes the object)', async () => {
    repository.findById.mockResolvedValue({ ...image, thumbnailKey: 'thumbnails/i1.jpg' });
    repository.delete.mockResolvedValue(undefined);
    storage.delete.mockImplementation(async (key: string) => {
      if (key === 'images/i1') throw new ServiceUnavailableError('S3 is unavailable; try again later');
    });

    await expect(service.delete('alice', 'i1')).resolves.toBeUndefined();
    expect(storage.delete).toHaveBeenCalledTimes(2);
  });
});
