import { AwsModule } from '@app/aws';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { GroupsController } from './groups.controller.js';
import { groupsConfig } from './groups.config.js';
import { GroupsRepository } from './groups.repository.js';
import { GroupsService } from './groups.service.js';

@Module({
  imports: [ConfigModule.forFeature(groupsConfig), AwsModule],
  controllers: [GroupsController],
  providers: [GroupsRepository, GroupsService],
  exports: [GroupsService],
})
export class GroupsModule {}
