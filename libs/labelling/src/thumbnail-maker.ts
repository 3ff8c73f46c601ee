import { describeError } from '@app/errors';
import { ImageProcessingService, type ImageRecord } from '@app/images';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { labellingConfig, type LabellingConfig } from './labelling.config.js';

export const THUMBNAIL_LONGEST_SIDE = 256;
/** Refuse decompression bombs before sharp allocates for them (the classifier's limit too). */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Makes a JPEG thumbnail (longest side 256 px) of an uploaded photo. A photo that cannot have one (missing, too
 * large, not decodable) is logged and answered false: trying again would fail the same way. A failing dependency
 * (S3, DynamoDB) throws, so the queue delivers the message again.
 */
@Injectable()
export class ThumbnailMaker {
  private readonly logger = new Logger(ThumbnailMaker.name);

  constructor(
    private readonly images: ImageProcessingService,
    @Inject(labellingConfig.KEY) private readonly config: LabellingConfig,
  ) {}

  async make(image: ImageRecord): Promise<boolean> {
    const size = await this.images.photoSize(image);
    if (size === undefined || size === 0 || size > this.config.thumbnailMaxSourceBytes) {
      this.logger.warn(`Image ${image.imageId}: no thumbnail (photo size ${size ?? 'missing'})`);
      return false;
    }
    const photo = await this.images.readPhoto(image);
    let jpeg: Uint8Array;
    try {
      // Loaded on first use: only the thumbnail worker pays sharp's load time.
      const { default: sharp } = await import('sharp');
      jpeg = await sharp(photo, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(THUMBNAIL_LONGEST_SIDE, THUMBNAIL_LONGEST_SIDE, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 80, mozjpeg: true })
        .toBuffer();
    } catch (error) {
      this.logger.warn(`Image ${image.imageId}: no thumbnail (${describeError(error)})`);
      return false;
    }
    await this.images.storeThumbnail(image, jpeg);
    this.logger.log(`Image ${image.imageId}: thumbnail stored (${jpeg.byteLength} bytes)`);
    return true;
  }
}
