import { ImageProcessingService } from '@app/images';
import { Injectable, Logger } from '@nestjs/common';
import { ImageLabeller } from './image-labeller.js';
import { createdObjectKeys, type S3EventNotification } from './s3-event.js';
import { ThumbnailMaker } from './thumbnail-maker.js';

/**
 * Handles S3 ObjectCreated notifications for uploaded photos: classifies each image, then makes its thumbnail,
 * independently (a failed thumbnail does not block the label, nor the reverse). Keys that are not image uploads,
 * or whose image record is unknown, are logged and dropped; a non-PENDING image means a duplicate or late event.
 */
@Injectable()
export class UploadProcessor {
  private readonly logger = new Logger(UploadProcessor.name);

  constructor(
    private readonly images: ImageProcessingService,
    private readonly labeller: ImageLabeller,
    private readonly thumbnails: ThumbnailMaker,
  ) {}

  async handle(event: S3EventNotification): Promise<void> {
    const failures: unknown[] = [];
    for (const objectKey of createdObjectKeys(event)) {
      try {
        await this.process(objectKey);
      } catch (error) {
        failures.push(error);
      }
    }
    // Unexpected failures (e.g. DynamoDB unavailable) fail the invocation, so AWS retries it and then sends it to
    // the function's on-failure destination.
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} upload(s) not processed`);
  }

  private async process(objectKey: string): Promise<void> {
    const image = await this.images.findByObjectKey(objectKey);
    if (image === undefined) {
      this.logger.warn(`Dropped S3 event for ${objectKey.slice(0, 120)}: no such image`);
      return;
    }
    if (image.status !== 'PENDING') {
      this.logger.log(`Dropped S3 event for image ${image.imageId}: already ${image.status}`);
      return;
    }
    // The label first: it is what the user waits for, and on two cores the thumbnail's decoding would slow it.
    // Neither blocks the other: make() never throws, and a failed label still gets its thumbnail.
    const [labelling] = await Promise.allSettled([this.labeller.label(image, { force: false })]);
    await this.thumbnails.make(image);
    if (labelling.status === 'rejected') throw labelling.reason;
  }
}
