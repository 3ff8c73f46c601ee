import { AwsModule } from '@app/aws';
import { ClassificationModule } from '@app/classification';
import { ImagesModule } from '@app/images';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Backfill } from './backfill.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { ImageClassificationController } from './image-classification.controller.js';
import { ImageLabeller } from './image-labeller.js';
import { labellingConfig } from './labelling.config.js';
import { sqsClientProvider } from './sqs-client.provider.js';
import { ThumbnailMaker } from './thumbnail-maker.js';
import { UploadProcessor } from './upload-processor.js';

/** The upload → label pipeline: S3 events, classification with retries, thumbnails, re-classification, backfill. */
@Module({
  imports: [ConfigModule.forFeature(labellingConfig), AwsModule, ImagesModule, ClassificationModule],
  controllers: [ImageClassificationController],
  providers: [sqsClientProvider, DeadLetterQueue, ImageLabeller, ThumbnailMaker, UploadProcessor, Backfill],
  exports: [UploadProcessor, Backfill],
})
export class LabellingModule {}
