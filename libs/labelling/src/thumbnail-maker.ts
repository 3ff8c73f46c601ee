import { ImageProcessingService, type ImageRecord } from '@app/images';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { labellingConfig, type LabellingConfig } from './labelling.config.js';

export const THUMBNAIL_LONGEST_SIDE = 256;
/** Refuse decompression bombs before sharp allocates for them (the classifier's limit too). */
const MAX_INPUT_PIXELS = 40_000_000;

/** Makes a JPEG thumbnail (longest side 256 px) of an uploaded photo. Never throws: a thumbnail is a nicety. */
@Injectable()
export class ThumbnailMaker {
  private readonly logger = new Logger(ThumbnailMaker.name);

  constructor(
    private readonly images: ImageProcessingService,
    @Inject(labellingConfig.KEY) private readonly config: LabellingConfig,
  ) {}

  async make(image: ImageRecord): Promise<boolean> {
    try {
      const size = await this.images.photoSize(image);
      if (size === undefined || size === 0 || size > this.config.thumbnailMaxSourceBytes) {
        this.logger.warn(`Image ${image.imageId}: no thumbnail (photo size ${size ?? 'missing'})`);
        return false;
      }
      // Loaded on first use: the HTTP API shares this module but never makes thumbnails, and sharp costs its cold start.
      const { default: sharp } = await import('sharp');
      const jpeg = await sharp(await this.images.readPhoto(image), { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(THUMBNAIL_LONGEST_SIDE, THUMBNAIL_LONGEST_SIDE, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 80, mozjpeg: true })
        .toBuffer();
      await this.images.storeThumbnail(image, jpeg);
      return true;
    } catch (error) {
      this.logger.warn(`Image ${image.imageId}: no thumbnail (${error instanceof Error ? error.message : String(error)})`);
      return false;
    }
  }
}
