import { ImageProcessingService } from '@app/images';
import { withLogKeys } from '@app/observability';
import { Injectable, Logger } from '@nestjs/common';
import { findTarget, imageLogKeys, readTargets, type WorkerRecord } from './classification-worker.js';
import { ThumbnailMaker } from './thumbnail-maker.js';

/**
 * One message of the thumbnail queue: makes the image's thumbnail unless it has one (a duplicate delivery costs a
 * read). Unusable messages are logged and deleted; a failing dependency throws, so only that message comes back.
 */
@Injectable()
export class ThumbnailWorker {
  private readonly logger = new Logger(ThumbnailWorker.name);

  constructor(
    private readonly images: ImageProcessingService,
    private readonly thumbnails: ThumbnailMaker,
  ) {}

  async handle(record: WorkerRecord): Promise<void> {
    for (const target of readTargets(record, this.logger)) {
      const image = await findTarget(this.images, target, record, this.logger);
      if (image === undefined) continue;
      await withLogKeys(imageLogKeys(image), () =>
        image.thumbnailKey === undefined ? this.thumbnails.make(image) : this.images.clearThumbnailMarker(image),
      );
    }
  }
}
