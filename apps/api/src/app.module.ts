import { AuthModule, JwtAuthGuard } from '@app/auth';
import { GroupsModule } from '@app/groups';
import { HealthModule } from '@app/health';
import { ImagesModule } from '@app/images';
import { PipelineQueuesModule } from '@app/pipeline-queues';
import { createValidationPipe } from '@app/validation';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { apiConfig } from './api.config.js';
import { DomainExceptionFilter } from './domain-exception.filter.js';
import { securityConfig, writeThrottlerOptions } from './security.config.js';

/**
 * Assembles the features. The pipe, guards and filter are providers (not main.ts calls), so the local server,
 * the Lambda handler and the tests all run with them.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true, load: [apiConfig, securityConfig] }),
    ThrottlerModule.forRootAsync({ inject: [securityConfig.KEY], useFactory: writeThrottlerOptions }),
    AuthModule,
    GroupsModule,
    ImagesModule,
    PipelineQueuesModule,
    HealthModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    // Global guards run in this order: the write throttle counts verified users, never bad tokens.
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_FILTER, useClass: DomainExceptionFilter },
  ],
})
export class AppModule {}
