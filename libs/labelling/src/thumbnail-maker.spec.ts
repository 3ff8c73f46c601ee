import { ImageProcessingService, type ImageRecord } from '@app/images';
import { Logger } from '@nestjs/common';
import sharp from 'sharp';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readFixture } from '../../../tools/test/fixtures.js';
import { ThumbnailMaker } from './thumbnail-maker.js';

const image = { imageId: 'i1', objectKey: 'images/i1' } as ImageRecord;

describe('ThumbnailMaker', () => {
  const images = { photoSize: vi.fn(), readPhoto: vi.fn(), storeThumbnail: vi.fn() };
  const maker = new ThumbnailMaker(
    images as unknown as ImageProcessingService,
    {
      thumbnailMaxSourceBytes: 15 * 1024 * 1024,
    } as never,
  );

  beforeEach(() => {
    vi.resetAllMocks();
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  it('stores a JPEG whose longest side is 256 px', async () => {
    const photo = await readFixture('camera.png');
    images.photoSize.mockResolvedValue(photo.length);
    images.readPhoto.mockResolvedValue(photo);

    await expect(maker.make(image)).resolves.toBe(true);

    const thumbnail: Buffer = images.storeThumbnail.mock.calls[0]![1];
    const { format, width, height } = await sharp(thumbnail).metadata();
    expect(format).toBe('jpeg');
    expect(Math.max(width!, height!)).toBe(256);
  });

  it('makes no thumbnail of a file that is not an image, and does not throw', async () => {
    images.photoSize.mockResolvedValue(11);
    images.readPhoto.mockResolvedValue(Buffer.from('hello world'));

    await expect(maker.make(image)).resolves.toBe(false);
    expect(images.storeThumbnail).not.toHaveBeenCalled();
  });

  it('refuses a decompression bomb (a tiny PNG claiming 30000×30000) without decoding it', async () => {
    const bomb = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    bomb.writeUInt32BE(30_000, 16); // IHDR width
    bomb.writeUInt32BE(30_000, 20); // IHDR height
    images.photoSize.mockResolvedValue(bomb.length);
    images.readPhoto.mockResolvedValue(bomb);

    await expect(maker.make(image)).resolves.toBe(false);
    expect(images.storeThumbnail).not.toHaveBeenCalled();
  });

  it('does nothing when the photo was never uploaded', async () => {
    images.photoSize.mockResolvedValue(undefined);

    await expect(maker.make(image)).resolves.toBe(false);
    expect(images.readPhoto).not.toHaveBeenCalled();
  });

  it('throws when S3 fails, so the queue delivers the message again', async () => {
    images.photoSize.mockRejectedValue(new Error('S3 is unavailable'));

    await expect(maker.make(image)).rejects.toThrow('S3 is unavailable');
    expect(images.storeThumbnail).not.toHaveBeenCalled();
  });
});
