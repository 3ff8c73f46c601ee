import { AwsModule } from '@app/aws';
import { groupsConfig } from '@app/groups';
import { imagesConfig } from '@app/images';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';

@Module({
  imports: [ConfigModule.forFeature(groupsConfig), ConfigModule.forFeature(imagesConfig), AwsModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
