import { StructuredLogger } from '@app/observability';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ApiConfig } from './api.config.js';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';
import { setupSwagger } from './swagger.js';

/** The API as a long-running HTTP server (local development), with Swagger UI. */
export async function startHttpServer(port?: number, tokenHint?: string): Promise<NestExpressApplication> {
  const logger = new StructuredLogger('udagram-api');
  const app = configureApp(await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: false, logger }));
  app.enableShutdownHooks();
  setupSwagger(app, tokenHint);
  await app.listen(port ?? app.get(ConfigService).getOrThrow<ApiConfig>('api').port, '127.0.0.1');
  return app;
}
