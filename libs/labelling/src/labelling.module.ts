import { ClassificationModule } from '@app/classification';
import { ImagesModule } from '@app/images';
import { MetricsModule } from '@app/observability';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ClassificationWorker } from './classification-worker.js';
import { ImageLabeller } from './image-labeller.js';
import { labellingConfig } from './labelling.config.js';
import { ThumbnailMaker } from './thumbnail-maker.js';
import { ThumbnailWorker } from './thumbnail-worker.js';

/** The pipeline's consumers: the classification queue's worker (classifier, results) and the thumbnail queue's. */
@Module({
  imports: [ConfigModule.forFeature(labellingConfig), ImagesModule, ClassificationModule, MetricsModule],
  providers: [ImageLabeller, ThumbnailMaker, ClassificationWorker, ThumbnailWorker],
  exports: [ClassificationWorker, ThumbnailWorker],
})
export class LabellingModule {}
