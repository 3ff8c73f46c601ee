import { AwsModule } from '@app/aws';
import { ImagesModule } from '@app/images';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Backfill } from './backfill.js';
import { ImageClassificationController } from './image-classification.controller.js';
import { pipelineQueuesConfig } from './pipeline-queues.config.js';
import { PipelineQueues } from './pipeline-queues.js';
import { sqsClientProvider } from './sqs-client.provider.js';

/**
 * The pipeline's producers: re-classification requests (POST /images/:imageId/classification) and the backfill put
 * work on the queues. No classifier client and no worker here: the API never runs the classifier.
 */
@Module({
  imports: [ConfigModule.forFeature(pipelineQueuesConfig), AwsModule, ImagesModule],
  controllers: [ImageClassificationController],
  providers: [sqsClientProvider, PipelineQueues, Backfill],
  exports: [PipelineQueues, Backfill],
})
export class PipelineQueuesModule {}
