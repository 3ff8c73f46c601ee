import { AuthModule, JwtAuthGuard } from '@app/auth';
import { GroupsModule } from '@app/groups';
import { HealthModule } from '@app/health';
import { ImagesModule } from '@app/images';
import { LabellingModule } from '@app/labelling';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { apiConfig } from './api.config.js';
import { DomainExceptionFilter } from './domain-exception.filter.js';
import { createValidationPipe } from './validation.pipe.js';

/**
 * Assembles the features. The pipe, guard and filter are providers (not main.ts calls), so the local server,
 * the Lambda handler and the tests all run with them.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true, load: [apiConfig] }),
    AuthModule,
    GroupsModule,
    ImagesModule,
    LabellingModule,
    HealthModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
    { provide: APP_FILTER, useClass: DomainExceptionFilter },
  ],
})
export class AppModule {}
