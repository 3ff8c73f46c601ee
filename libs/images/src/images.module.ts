import { AwsModule } from '@app/aws';
import { GroupsModule } from '@app/groups';
import { MetricsModule } from '@app/observability';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { GroupImagesController } from './group-images.controller.js';
import { ImageClassificationRepository } from './image-classification.repository.js';
import { ImageLabelsRepository } from './image-labels.repository.js';
import { ImageProcessingService } from './image-processing.service.js';
import { ImageStorage } from './image-storage.js';
import { imagesConfig } from './images.config.js';
import { ImagesController } from './images.controller.js';
import { ImagesRepository } from './images.repository.js';
import { ImagesService } from './images.service.js';
import { OrphanObjectSweep } from './orphan-object-sweep.js';

@Module({
  imports: [ConfigModule.forFeature(imagesConfig), AwsModule, GroupsModule, MetricsModule],
  controllers: [GroupImagesController, ImagesController],
  providers: [
    ImagesRepository,
    ImageLabelsRepository,
    ImageClassificationRepository,
    ImageStorage,
    ImagesService,
    ImageProcessingService,
    OrphanObjectSweep,
  ],
  exports: [ImagesService, ImageProcessingService, OrphanObjectSweep],
})
export class ImagesModule {}
